"""The sidebar: All, Starred, Unread, the saved views and the folders (each under a heading, when
there are any), then every topic, each with its unread and total counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message

from reader.model.scope import ALL, Scope, ScopeKind
from reader.session.snapshot import SidebarEntry
from reader.ui.widgets.virtual_list import VirtualList

TOPIC = ScopeKind.TOPIC
_HEADINGS = {ScopeKind.VIEW: "Views", ScopeKind.FOLDER: "Folders", TOPIC: "Topics"}


class TopicList(VirtualList):
    """Scopes with their story counts; `All` is always the first row."""

    @dataclass
    class Chosen(Message):
        """The user chose a scope."""

        scope: Scope

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: Sequence[SidebarEntry | str] = (SidebarEntry(ALL, 0),)  # str: a heading
        self.active: Scope = ALL
        self.border_title = "Topics"

    def set_entries(self, entries: Sequence[SidebarEntry]) -> None:
        """Show the sidebar's rows; keep the cursor on the same scope (a user's move kept)."""
        current = self.current_scope
        rows: list[SidebarEntry | str] = []
        section = ""  # the heading the rows are under ("" before any)
        for entry in entries or (SidebarEntry(ALL, 0),):
            heading = _HEADINGS.get(entry.scope.kind, "")
            # Topics get a heading only below another section (views, folders).
            if heading and heading != section and (section or entry.scope.kind is not TOPIC):
                section = heading
                rows.append(section)
            rows.append(entry)
        self.entries = rows
        scopes = self._scopes()
        kept = current in scopes
        self.set_row_count(len(rows), scopes.index(current) if kept else 0, kept=kept)

    def _scopes(self) -> list[Scope | None]:
        return [row.scope if isinstance(row, SidebarEntry) else None for row in self.entries]

    def is_selectable(self, index: int) -> bool:
        return 0 <= index < len(self.entries) and not isinstance(self.entries[index], str)

    @property
    def current_scope(self) -> Scope:
        """The scope under the cursor."""
        if 0 <= self.cursor < len(self.entries):
            row = self.entries[self.cursor]
            return row.scope if isinstance(row, SidebarEntry) else ALL
        return ALL

    def select_scope(self, scope: Scope) -> None:
        """Move the cursor to `scope` and mark it as the active one."""
        scopes = self._scopes()
        if scope in scopes:
            self.cursor = scopes.index(scope)
            self._scroll_cursor_into_view()
        self.active = scope
        self.clear_cache()

    def render_row(self, index: int, width: int) -> Text:
        entry = self.entries[index]
        if isinstance(entry, str):
            return Text(entry, style=self.style("virtual-list--heading"))
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
        row = self.entries[event.index]
        if isinstance(row, str):
            return
        scope = row.scope
        self.active = scope
        self.clear_cache()
        self.post_message(self.Chosen(scope))
