"""Running the reader under Textual's pilot on fixed feeds, with a fake browser and clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

from textual.pilot import Pilot

from reader.ui.app import NewsReader
from tests.conftest import FIXTURES

TRAIL = FIXTURES / "trail"
BROKEN = FIXTURES / "broken"
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)


def make_app(folder: Path, opened: list[str] | None = None, watch: bool = False) -> NewsReader:
    """The reader on `folder`; links 'opened' are recorded in `opened` instead of a browser."""
    record = opened if opened is not None else []
    return NewsReader(folder, opener=record.append, clock=lambda: NOW, follow_changes=watch)


async def wait_loaded(pilot: Pilot[int]) -> None:
    """Wait until the feed has loaded and the first story is on screen."""
    app = pilot.app
    assert isinstance(app, NewsReader)
    for _ in range(400):
        await pilot.pause(0.01)
        try:
            # Loaded, and the load worker done (it shows the current story when it ends).
            if app.main.library is not None and not app.main.indexing:
                break
        except LookupError:
            continue
    else:
        raise AssertionError("the feed never finished loading")
    await pilot.pause(0.1)  # the detail pane follows the list's cursor after a moment


@asynccontextmanager
async def running(
    folder: Path = TRAIL,
    size: tuple[int, int] = (160, 48),
    opened: list[str] | None = None,
    watch: bool = False,
) -> AsyncIterator[tuple[NewsReader, Pilot[int]]]:
    """The reader, loaded and ready for keys (not watching the folder unless asked)."""
    app = make_app(folder, opened, watch)
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot)
        yield app, pilot
