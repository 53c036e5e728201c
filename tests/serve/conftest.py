"""The server started on a free loopback port, in the test's own event loop; each tab it
serves runs a real reader process (with the test's private cache, data and config)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from reader.ui.serve import ReaderServer, reader_command
from tests.serve.tab import Tab


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run only when asked for (`make test-web`: `-m web`)."""
    if "web" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="needs Chromium: run by `make test-web`")
    for item in items:
        if "web" in item.keywords:
            item.add_marker(skip)


@dataclass
class Served:
    """A running server: its address (`base`), the server object, and tabs opened on it."""

    base: str
    server: ReaderServer
    client: aiohttp.ClientSession
    tabs: list[Tab] = field(default_factory=list)

    async def tab(self, width: int = 120, height: int = 36) -> Tab:
        tab = await Tab.open(self.client, self.base, width, height)
        self.tabs.append(tab)
        return tab


Serve = Callable[[Path | list[Path]], Awaitable[Served]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start serving a folder (or several): `served = await serve(folder)`."""
    runners: list[web.AppRunner] = []
    served: list[Served] = []

    async def start(folder: Path | list[Path]) -> Served:
        server = ReaderServer(folder, reader_command(folder))
        runner = web.AppRunner(server.application(), access_log=None)
        await runner.setup()
        runners.append(runner)
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port = runner.addresses[0][1]
        one = Served(f"http://127.0.0.1:{port}", server, aiohttp.ClientSession())
        served.append(one)
        return one

    yield start
    for one in served:
        for tab in one.tabs:
            await tab.close()
        await one.client.close()
    for runner in runners:
        await runner.cleanup()  # every reader quits
