"""A list that draws only its visible rows, so it holds 100,000 rows as easily as 10."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from reader.ui.command_table import LIST_COMMANDS, bindings
from reader.ui.widgets.terminal_cursor import TerminalCursor

CACHE_ROWS = 512


@dataclass
class _RowMessage(Message):
    """A message about one row of a list."""

    source: VirtualList
    index: int
    by_user: bool = True  # a key or a click, not the rows being replaced

    @property
    def control(self) -> VirtualList:
        return self.source


class VirtualList(TerminalCursor, can_focus=True):
    """A cursor over rows that subclasses draw one at a time with `render_row`; the terminal's
    own cursor sits at the start of the highlighted row while the list has the focus.

    Rows are plain `rich.text.Text` built by the subclass from untrusted data: never markup.
    Rows for which `is_selectable` is False (headings) are skipped by the cursor.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings(LIST_COMMANDS)  # the command table's

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor",
        "virtual-list--cursor-blurred",
        "virtual-list--heading",
        "virtual-list--dim",
        "virtual-list--accent",
    }

    cursor: reactive[int] = reactive(-1, always_update=True, init=False, repaint=False)

    class CursorMoved(_RowMessage):
        """The cursor moved to a row."""

    class RowChosen(_RowMessage):
        """A row was chosen with Enter or a click."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.row_count = 0
        self.moved = False  # the user moved the cursor since the rows were last replaced
        self._cache: OrderedDict[tuple[int, int, int], Strip] = OrderedDict()
        self._styles: dict[str, Style] = {}  # component styles ("": the base), while they hold

    # -- for subclasses ------------------------------------------------------------------------

    def render_row(self, index: int, width: int) -> Text:
        """The text of row `index`, at most `width` cells wide."""
        raise NotImplementedError

    def render_empty(self) -> Text | None:
        """What to show when there are no rows (wrapped to the width), or None."""
        return None

    def is_selectable(self, index: int) -> bool:
        """Whether the cursor may rest on row `index`."""
        return True

    def set_row_count(self, count: int, cursor: int | None = None, *, kept: bool = False) -> None:
        """Replace the rows: `count` of them, cursor at `cursor` (or the first selectable row).
        `kept`: the cursor stays on the row the user had it on (the rows changed under it), so
        their moves still count. The scroll offset changes only as far as keeps the cursor in
        view (to the top when no cursor is given)."""
        self.row_count = count
        self.moved = self.moved and kept
        self.clear_cache()
        self.virtual_size = Size(self.scrollable_content_region.width, count)
        target = cursor if cursor is not None else 0
        index = self._selectable_from(target, 1) if count else -1
        self._move_to(index, scroll_top=cursor is None, by_user=False)

    def clear_cache(self) -> None:
        """Forget drawn rows (their data changed) and redraw."""
        self._cache.clear()
        self.refresh()

    def redraw_rows(self, changed: Callable[[int], bool]) -> None:
        """Forget and redraw the rows on screen whose data `changed`, not the others; rows
        off screen are forgotten and drawn when they come into view."""
        top = self.scroll_offset.y
        shown = range(top, min(self.row_count, top + self.scrollable_content_region.height))
        rows = {key[0] for key in self._cache}
        for index in filter(changed, rows | set(shown)):
            for key in [key for key in self._cache if key[0] == index]:
                del self._cache[key]
            if index in shown:
                self.refresh_lines(index)

    # -- cursor --------------------------------------------------------------------------------

    def _selectable_from(self, index: int, step: int) -> int:
        index = max(0, min(index, self.row_count - 1))
        probe = index
        while 0 <= probe < self.row_count:
            if self.is_selectable(probe):
                return probe
            probe += step
        probe = index - step  # nothing that way: look the other way
        while 0 <= probe < self.row_count:
            if self.is_selectable(probe):
                return probe
            probe -= step
        return -1

    def _move_to(self, index: int, scroll_top: bool = False, by_user: bool = True) -> None:
        self.cursor = index
        self.moved = self.moved or by_user
        if scroll_top:
            self.scroll_to(y=0, animate=False)
        if index >= 0:
            self._scroll_cursor_into_view()
            self.post_message(self.CursorMoved(self, index, by_user))

    def _scroll_cursor_into_view(self) -> None:
        top = self.cursor
        # Keep a heading just above the cursor in view too.
        if top > 0 and not self.is_selectable(top - 1):
            top -= 1
        height = self.cursor - top + 1
        self.scroll_to_region(Region(0, top, 1, height), animate=False, force=True, immediate=True)

    def watch_cursor(self, old: int, new: int) -> None:
        # Only the two rows change (a scroll, if any, redraws the rest): a cursor move through
        # a long list stays a two-line update.
        for row in {old, new}:
            if row >= 0:
                self.refresh_lines(row)
        self.place_terminal_cursor(new)

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            index = self._selectable_from(self.cursor - 1, -1)
            if index >= 0 and index != self.cursor:
                self._move_to(index)

    def wants_row(self, index: int) -> None:
        """A key is about to take the cursor down to `index`: a list whose rows go on (see
        StoryList) adds more first, so that the key acts on them."""

    def page_height(self) -> int:
        """How many rows a page key moves."""
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        self.wants_row(self.cursor + 1)
        if self.cursor < self.row_count - 1:
            index = self._selectable_from(self.cursor + 1, 1)
            if index >= 0 and index != self.cursor:
                self._move_to(index)

    def action_page_up(self) -> None:
        if self.row_count:
            self._move_to(self._selectable_from(self.cursor - self.page_height(), -1))

    def action_page_down(self) -> None:
        self.wants_row(self.cursor + self.page_height())
        if self.row_count:
            self._move_to(self._selectable_from(self.cursor + self.page_height(), 1))

    def action_first(self) -> None:
        if self.row_count:
            self._move_to(self._selectable_from(0, 1))

    def action_last(self) -> None:
        if self.row_count:
            self._move_to(self._selectable_from(self.row_count - 1, -1))

    def action_select(self) -> None:
        if 0 <= self.cursor < self.row_count:
            self.post_message(self.RowChosen(self, self.cursor))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:  # on the border or the scrollbar
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < self.row_count and self.is_selectable(index):
            if index != self.cursor:
                self._move_to(index)
            self.post_message(self.RowChosen(self, index))

    # -- drawing -------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._fit_width()
        self.place_terminal_cursor()
        if self.cursor >= 0:
            self.call_after_refresh(self._scroll_cursor_into_view)

    def watch_show_vertical_scrollbar(self) -> None:
        # A scrollbar that comes or goes changes the rows' width, not the widget's size (no
        # Resize): without this, rows kept a width one column off (a date's last digit lost).
        self._fit_width()

    def _fit_width(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count)
        self.clear_cache()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        # The styles were applied again (a theme, focus, hover): rows are drawn with new ones.
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self._styles.get("")
        if base is None:  # worked out once, not for every row (a walk up the widget tree)
            base = self._styles[""] = self.rich_style
        if self.row_count == 0 and width > 0:
            return self._render_empty_line(y, width, base)
        if index >= self.row_count or width <= 0:
            return Strip.blank(width, base)
        mark = 0
        if index == self.cursor:
            mark = 1 if self.has_focus else 2
        key = (index, width, mark)
        strip = self._cache.get(key)
        if strip is not None:
            self._cache.move_to_end(key)
            return strip
        text = self.render_row(index, width)
        text.no_wrap = True
        text.truncate(width, overflow="ellipsis", pad=True)
        text.stylize_before(base)
        if mark:
            name = "virtual-list--cursor" if mark == 1 else "virtual-list--cursor-blurred"
            text.stylize(self.style(name))
        segments = list(text.render(self.app.console, end=""))
        strip = Strip(Segment.simplify(segments), width).adjust_cell_length(width, base)
        self._cache[key] = strip
        if len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        return strip

    def _render_empty_line(self, y: int, width: int, base: Style) -> Strip:
        message = self.render_empty()
        if message is None:
            return Strip.blank(width, base)
        lines = message.wrap(self.app.console, max(1, width - 2))
        if not 1 <= y <= len(lines):  # one blank line above the message
            return Strip.blank(width, base)
        line = Text(" ") + lines[y - 1]
        line.stylize_before(base + self.style("virtual-list--dim"))
        segments = list(line.render(self.app.console, end=""))
        return Strip(segments).adjust_cell_length(width, base)

    def style(self, name: str) -> Style:
        """A component style of this list (e.g. "virtual-list--dim") for building rows."""
        found = self._styles.get(name)
        if found is None:
            found = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return found
