"""The topic sidebar: All, Starred, Unread, then every topic with its unread and total counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.message import Message

from reader.ui.widgets.virtual_list import VirtualList

ALL = None  # the topic value that means "every story"
# Story text is cleaned of control characters, so no real topic can be spelled like these.
STARRED = "\x00starred"
UNREAD = "\x00unread"
LABELS = {ALL: "All", STARRED: "★ Starred", UNREAD: "● Unread"}


class TopicList(VirtualList):
    """Topics with their story counts; `All` is always the first row."""

    class Chosen(Message):
        """The user chose a topic (None for All)."""

        def __init__(self, topic: str | None) -> None:
            super().__init__()
            self.topic = topic

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[tuple[str | None, int]] = [(ALL, 0)]
        self.unread: Mapping[str | None, int] = {}
        self.active: str | None = ALL
        self.border_title = "Topics"

    def set_topics(
        self,
        total: int,
        topics: Sequence[tuple[str, int]],
        starred: int = 0,
        unread: Mapping[str | None, int] | None = None,
    ) -> None:
        """Show All, Starred and Unread, then each (topic, count), with unread counts; keep the
        cursor on the same topic."""
        current = self.current_topic
        self.unread = unread or {}
        self.entries = [(ALL, total), (STARRED, starred), (UNREAD, self.unread.get(ALL, 0))]
        self.entries.extend(topics)
        names = [name for name, _ in self.entries]
        self.set_row_count(len(self.entries), names.index(current) if current in names else 0)

    @property
    def current_topic(self) -> str | None:
        """The topic under the cursor."""
        if 0 <= self.cursor < len(self.entries):
            return self.entries[self.cursor][0]
        return ALL

    def select_topic(self, topic: str | None) -> None:
        """Move the cursor to `topic` and mark it as the active one."""
        names = [name for name, _ in self.entries]
        if topic in names:
            self.cursor = names.index(topic)
            self._scroll_cursor_into_view()
        self.active = topic
        self.clear_cache()

    def render_row(self, index: int, width: int) -> Text:
        name, count = self.entries[index]
        label = LABELS.get(name, name or "")
        unread = self.unread.get(name, 0)
        number = f"{unread}/{count}" if name not in (STARRED, UNREAD) and unread else str(count)
        active = name == self.active
        text = Text("▸ " if active else "  ", style=self.style("virtual-list--accent"))
        room = max(1, width - len(number) - 3)
        title = Text(label, style="bold" if active or name in LABELS else "")
        title.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(title)
        text.append(" " + number, style=self.style("virtual-list--dim"))
        return text

    def on_virtual_list_row_chosen(self, event: VirtualList.RowChosen) -> None:
        event.stop()
        topic = self.entries[event.index][0]
        self.active = topic
        self.clear_cache()
        self.post_message(self.Chosen(topic))
