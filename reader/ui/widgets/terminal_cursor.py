"""The terminal's own cursor on the focused list's highlighted row: screen readers and braille
displays (Orca, BRLTTY, Speakup) follow the terminal's cursor, not a row's colours."""

from __future__ import annotations

from textual.geometry import Offset
from textual.scroll_view import ScrollView


class TerminalCursor(ScrollView):
    """A scrolling list that puts the terminal's cursor at the start of its highlighted row
    while it has the focus, moving with it (the app decides whether the cursor is shown:
    reader.ui.app). Textual moves the cursor to `App.cursor_position` after every update of
    the screen, as its Input does for input methods."""

    _terminal_row = -1  # the highlighted row, as last placed (-1: none)

    def place_terminal_cursor(self, row: int | None = None) -> None:
        """Put the terminal's cursor at the start of `row` (None: the row placed last), when
        this list has the focus; at its first row when that row is out of view."""
        if row is not None:
            self._terminal_row = row
        if not self.has_focus:
            return
        region = self.scrollable_content_region
        if not region.height:  # not laid out yet: placed again once it is (a Resize)
            return
        line = self._terminal_row - self.scroll_offset.y
        if self._terminal_row < 0 or not 0 <= line < region.height:
            line = 0
        self.app.cursor_position = Offset(region.x, region.y + line)

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        if has_focus:
            self.place_terminal_cursor()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.place_terminal_cursor()
