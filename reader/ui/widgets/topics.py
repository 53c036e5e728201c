"""The topic sidebar: All, Starred, Unread, then every topic with its unread and total counts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message

from reader.model.scope import ALL, Scope, ScopeKind
from reader.session.snapshot import SidebarEntry
from reader.ui.widgets.virtual_list import VirtualList


class TopicList(VirtualList):
    """Scopes with their story counts; `All` is always the first row."""

    class Chosen(Message):
        """The user chose a scope."""

        def __init__(self, scope: Scope) -> None:
            super().__init__()
            self.scope = scope

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: Sequence[SidebarEntry] = (SidebarEntry(ALL, 0),)
        self.active: Scope = ALL
        self.border_title = "Topics"

    def set_entries(self, entries: Sequence[SidebarEntry]) -> None:
        """Show the sidebar's rows; keep the cursor on the same scope."""
        current = self.current_scope
        self.entries = entries or (SidebarEntry(ALL, 0),)
        scopes = [entry.scope for entry in self.entries]
        self.set_row_count(len(scopes), scopes.index(current) if current in scopes else 0)

    @property
    def current_scope(self) -> Scope:
        """The scope under the cursor."""
        if 0 <= self.cursor < len(self.entries):
            return self.entries[self.cursor].scope
        return ALL

    def select_scope(self, scope: Scope) -> None:
        """Move the cursor to `scope` and mark it as the active one."""
        scopes = [entry.scope for entry in self.entries]
        if scope in scopes:
            self.cursor = scopes.index(scope)
            self._scroll_cursor_into_view()
        self.active = scope
        self.clear_cache()

    def render_row(self, index: int, width: int) -> Text:
        entry = self.entries[index]
        unread = entry.unread
        number = f"{unread}/{entry.total}" if unread else str(entry.total)
        active = entry.scope == self.active
        text = Text("▸ " if active else "  ", style=self.style("virtual-list--accent"))
        room = max(1, width - len(number) - 3)
        built_in = entry.scope.kind is not ScopeKind.TOPIC
        title = Text(entry.label, style="bold" if active or built_in else "")
        title.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(title)
        text.append(" " + number, style=self.style("virtual-list--dim"))
        return text

    def on_virtual_list_row_chosen(self, event: VirtualList.RowChosen) -> None:
        event.stop()
        if not 0 <= event.index < len(self.entries):
            return  # the rows were replaced after the key (keys in a burst): its row is gone
        scope = self.entries[event.index].scope
        self.active = scope
        self.clear_cache()
        self.post_message(self.Chosen(scope))
