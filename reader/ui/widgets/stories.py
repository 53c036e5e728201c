"""The story list: one row per story, in the chosen order, drawn lazily."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

from rich.text import Text
from textual.message import Message

from reader.library.search import match_spans
from reader.model.dates import short_date
from reader.model.story import Story
from reader.ui.widgets.virtual_list import VirtualList

PROVIDER_WIDTH = 18
DATE_WIDTH = 10


class StoryList(VirtualList):
    """Stories with quality, title, provider and date; a mark for videos."""

    class Highlighted(Message):
        """The cursor rests on a story."""

        def __init__(self, story: Story) -> None:
            super().__init__()
            self.story = story

    class Chosen(Message):
        """Enter (or a click) on a story."""

        def __init__(self, story: Story) -> None:
            super().__init__()
            self.story = story

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stories: Sequence[Story] = ()
        self.empty_message = Text("Loading stories…")
        self.is_read: Callable[[Story], bool] = lambda story: False
        self.is_starred: Callable[[Story], bool] = lambda story: False
        self.coverage: Callable[[Story], int] = lambda story: 1  # stories on its event
        self.highlight: list[str] = []  # search words to emphasise

    def set_stories(self, stories: Sequence[Story], keep: Story | None = None) -> None:
        """Show `stories`; the cursor stays on `keep` when it is among them."""
        self.stories = stories
        cursor = None
        if keep is not None:
            try:  # the same object, found by a C-level search (100,000 rows in a millisecond)
                cursor = operator.indexOf(map(id, stories), id(keep))
            except ValueError:  # else the story read again from the same file
                cursor = next((i for i, s in enumerate(stories) if s.path == keep.path), None)
        self.set_row_count(len(stories), cursor)

    @property
    def current(self) -> Story | None:
        """The story under the cursor."""
        return self.stories[self.cursor] if 0 <= self.cursor < len(self.stories) else None

    def render_row(self, index: int, width: int) -> Text:
        story = self.stories[index]
        dim = self.style("virtual-list--dim")
        accent = self.style("virtual-list--accent")
        read = self.is_read(story)
        text = Text("★" if self.is_starred(story) else " ", style=accent)
        text.append(" " if read else "●", style=accent)
        text.append(f"{story.quality:>4} ", style=dim if read else "")
        text.append("▶ " if story.is_video else "  ", style=accent)
        # Columns give way as the list narrows: first the provider, then the date.
        show_provider = width >= 84
        show_date = width >= 50
        tail = (PROVIDER_WIDTH + 1 if show_provider else 0) + (DATE_WIDTH + 1 if show_date else 0)
        # The other stories of the same event, from other providers: `+3`.
        size = self.coverage(story)
        more = f" +{size - 1}" if size > 1 else ""
        title = Text(story.title, style="" if read else "bold")
        for start, end in match_spans(story.title, self.highlight):
            title.stylize("reverse", start, end)
        title.truncate(max(4, width - 9 - tail - len(more)), overflow="ellipsis", pad=True)
        text.append_text(title)
        if more:
            text.append(more, style=accent)
        if show_provider:
            provider = Text(" " + story.provider.label, style=dim)
            provider.truncate(PROVIDER_WIDTH + 1, overflow="ellipsis", pad=True)
            text.append_text(provider)
        if show_date:
            text.append(" " + short_date(story.published).rjust(DATE_WIDTH), style=dim)
        return text

    def render_empty(self) -> Text:
        """The message shown when there are no rows."""
        return self.empty_message

    def on_virtual_list_cursor_moved(self, event: VirtualList.CursorMoved) -> None:
        event.stop()
        story = self.current
        if story is not None:
            self.post_message(self.Highlighted(story))

    def on_virtual_list_row_chosen(self, event: VirtualList.RowChosen) -> None:
        event.stop()
        story = self.current
        if story is not None:
            self.post_message(self.Chosen(story))
