"""A browser tab without a browser: the websocket at /ws opened as textual-serve's page script
opens it, keys sent as its `stdin` messages, and the screen read through a terminal emulator."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import pyte

DEADLINE = 60.0  # seconds for anything to show up (a slow CI machine, several readers at once)
FOCUSED_CURSOR = "fea62b"  # the focused list's cursor, in the default theme
KEYS = {"enter": "\r", "tab": "\t", "down": "\x1b[B", "up": "\x1b[A", "escape": "\x1b"}


class Tab:
    """One tab: its reader's screen (`text`), what arrived raw (`raw`) and the page's messages
    (`messages`: textual-serve's JSON envelopes, such as `["open_url", {...}]`)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, width: int, height: int) -> None:
        self.ws = ws
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.messages: list[list[Any]] = []
        self.closed = False

    @classmethod
    async def open(
        cls, client: aiohttp.ClientSession, base: str, width: int = 120, height: int = 36
    ) -> Tab:
        """Open the websocket as the page does: the size in the query, the page's Origin."""
        ws = await client.ws_connect(
            f"{base}/ws?width={width}&height={height}", headers={"Origin": base}
        )
        tab = cls(ws, width, height)
        await tab.send("resize", {"width": width, "height": height})
        return tab

    async def send(self, kind: str, data: object = None) -> None:
        await self.ws.send_str(json.dumps([kind] if data is None else [kind, data]))

    async def press(self, *keys: str) -> None:
        """Keys as the page sends them: each as the characters a terminal would."""
        for key in keys:
            await self.send("stdin", KEYS.get(key, key))

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def cursor_on(self, text: str) -> bool:
        """Whether the focused list's cursor is on the row showing `text`: that row is drawn in
        the default theme's accent (textual-dark's orange), which no other row is."""
        for row in range(self.screen.lines):
            line = self.screen.buffer[row]
            cells = [line[column] for column in range(self.screen.columns)]
            if text in "".join(cell.data for cell in cells):
                return any(cell.bg == FOCUSED_CURSOR for cell in cells)
        return False

    @property
    def opened(self) -> list[str]:
        """The links the page was asked to open, in order."""
        return [m[1]["url"] for m in self.messages if m[0] == "open_url"]

    async def pump(self, timeout: float) -> None:
        """Take one message (or nothing, within `timeout` seconds)."""
        if self.closed:
            return
        try:
            message = await self.ws.receive(timeout=timeout)
        except TimeoutError:
            return
        if message.type == aiohttp.WSMsgType.BINARY:
            self.raw += message.data
            self.stream.feed(message.data)
        elif message.type == aiohttp.WSMsgType.TEXT:
            self.messages.append(json.loads(message.data))
        else:  # closed
            self.closed = True

    async def wait(self, done: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
        """Read until `done()` holds; fail after `deadline` seconds, showing the screen."""
        end = time.monotonic() + deadline
        while not done():
            if time.monotonic() > end or self.closed:
                state = "closed" if self.closed else f"not within {deadline:.0f} s"
                raise AssertionError(f"{what}: {state}. The screen:\n{self.text}")
            await self.pump(0.2)

    async def wait_text(self, pattern: str, deadline: float = DEADLINE) -> None:
        """Wait for `pattern` (a regular expression) on the screen."""
        found = re.compile(pattern)
        await self.wait(lambda: bool(found.search(self.text)), repr(pattern), deadline)

    async def close(self) -> None:
        await self.ws.close()
        self.closed = True


async def wait_until(done: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
    """Wait for something outside a tab (a process ending), polling every 50 ms."""
    end = time.monotonic() + deadline
    while not done():
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not within {deadline:.0f} s")
        await asyncio.sleep(0.05)
