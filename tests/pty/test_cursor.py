"""The terminal's own cursor in the full-screen reader, read from a real pseudo-terminal through a
terminal emulator (pyte): it sits at the start of the focused list's highlighted row and moves
with it, as screen readers and braille displays (Orca, BRLTTY, Speakup) need; a setting hides
it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyte
import pytest

from tests.pty.terminal import HEIGHT, WIDTH, Reader
from tests.trail import DROUGHT, TRAIL, A, B, C, D

ROW_TITLE = 9  # a story row: star, unread mark, quality (4) and a space, video mark and a space


class Screen(Reader):
    """The reader, its screen kept by a terminal emulator."""

    def __init__(self, folder: Path) -> None:
        self.screen = pyte.Screen(WIDTH, HEIGHT)
        self.stream = pyte.ByteStream(self.screen)
        super().__init__(folder)

    def received(self, chunk: bytes) -> None:
        self.stream.feed(chunk)

    def at_cursor(self) -> str:
        """The screen's line from the cursor on (pyte keeps the cursor where the reader put it)."""
        cursor = self.screen.cursor
        return self.screen.display[cursor.y][cursor.x :]

    def before_cursor(self) -> str:
        cursor = self.screen.cursor
        return self.screen.display[cursor.y][: cursor.x]

    def cursor_on(self, text: str, offset: int) -> bool:
        """Whether the cursor is shown at the start of a row with `text` `offset` cells in."""
        return not self.screen.cursor.hidden and self.at_cursor()[offset:].startswith(text)


@contextmanager
def reader_of(folder: Path) -> Iterator[Screen]:
    reader = Screen(folder)
    try:
        reader.wait_for(reader.shows(A[:15]), "the first story")
        yield reader
    finally:
        reader.end("q")


def test_the_cursor_moves_with_the_highlighted_story_as_j_is_pressed() -> None:
    with reader_of(TRAIL) as reader:
        reader.wait_for(lambda: reader.cursor_on(A[:15], ROW_TITLE), "the cursor on the best story")
        start = reader.screen.cursor.x, reader.screen.cursor.y
        assert reader.before_cursor().endswith(("┃", "│"))  # the start of the stories' row
        for moves, title in enumerate([B, D, C], start=1):
            reader.press(b"j")
            reader.wait_for(lambda t=title: reader.cursor_on(t[:15], ROW_TITLE), f"on {title!r}")
            assert (reader.screen.cursor.x, reader.screen.cursor.y) == (start[0], start[1] + moves)


def test_the_cursor_goes_to_the_related_list_and_the_sidebar_with_the_focus() -> None:
    with reader_of(TRAIL) as reader:
        reader.wait_for(lambda: reader.cursor_on(A[:15], ROW_TITLE), "the cursor on the best story")
        reader.press(b"\t")
        reader.wait_for(lambda: reader.cursor_on("  ◆ " + B[:10], 0), "on the related story")
        reader.press(b"j")
        reader.wait_for(lambda: reader.cursor_on("  ↗ " + DROUGHT[:10], 0), "on the external one")
        reader.press(b"\t")
        reader.wait_for(lambda: reader.cursor_on("▸ All", 0), "on All in the sidebar")
        reader.press(b"j")
        reader.wait_for(lambda: reader.cursor_on("  ★ Starred", 0), "on Starred")
        assert reader.before_cursor().endswith("┃")  # the focused pane: a heavy border


def test_a_setting_hides_the_cursor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("terminal_cursor = false\n", encoding="utf-8")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    with reader_of(TRAIL) as reader:
        reader.press(b"j")
        reader.wait_for(reader.shows("Trail 1 of 1"), "the detail pane")
        assert reader.screen.cursor.hidden
