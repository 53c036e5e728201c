"""The story list: one row per story, in the chosen order, drawn lazily."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message

from reader.article.store import key_of
from reader.library.search import match_spans
from reader.model.dates import short_date
from reader.model.story import Story
from reader.session.marks import MarksView
from reader.ui.widgets.virtual_list import VirtualList

if TYPE_CHECKING:  # grouping is imported by its first job, after the first screen
    from reader.article.store import KeptIndex
    from reader.library.coverage.groups import Coverage

PROVIDER_WIDTH = 18
DATE_WIDTH = 10


class StoryList(VirtualList):
    """Stories with quality, title, provider and date; a mark for videos and for stories
    whose article is kept."""

    @dataclass
    class Highlighted(Message):
        """The cursor rests on a story."""

        story: Story
        by_user: bool = True  # moved by a key or a click, not by the rows changing

    @dataclass
    class Chosen(Message):
        """Enter (or a click) on a story."""

        story: Story

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stories: Sequence[Story] = ()
        self.empty_message = Text("Loading stories…")
        self.marks: MarksView | None = None  # the snapshot's read and starred marks
        self.coverage: Coverage | None = None  # the snapshot's groups: `+3` on a row
        self.kept: KeptIndex | None = None  # the snapshot's kept articles: `≡` on a row
        self.highlight: list[str] = []  # search words to emphasise
        # Called when a key takes the cursor near the end of stories that go on (the caches'
        # best, shown while the folder loads): it adds the next page before the key acts.
        self.more: Callable[[], object] | None = None

    def show_marks(
        self, marks: MarksView, coverage: Coverage | None, kept: KeptIndex | None = None
    ) -> None:
        """Draw the rows with these marks, groups and kept articles (a snapshot's), if they
        changed."""
        if marks is self.marks and coverage is self.coverage and kept is not self.kept:
            before, self.kept = self.kept, kept
            self._redraw_kept(before, kept)
        elif marks is not self.marks or coverage is not self.coverage or kept is not self.kept:
            self.marks, self.coverage, self.kept = marks, coverage, kept
            self.clear_cache()

    def _redraw_kept(self, before: KeptIndex | None, after: KeptIndex | None) -> None:
        """Only which articles are kept changed (a fetch ended): redraw the rows on screen
        whose mark changed, not the whole list (a fetch in the background costs the keys
        nothing)."""
        old = before.kept if before is not None else {}
        new = after.kept if after is not None else {}
        changed = old.keys() ^ new.keys()
        if not changed:
            return
        stories = self.stories
        self.redraw_rows(lambda i: i < len(stories) and key_of(stories[i].url) in changed)

    def set_stories(
        self, stories: Sequence[Story], keep: Story | None = None, *, background: bool = False
    ) -> None:
        """Show `stories`; the cursor stays on `keep` when it is among them. `background`: the
        stories changed under the user (more of the folder, an update, new groups), not by
        their choice: a kept story keeps their moves, and one that went away leaves the
        cursor on its nearest neighbour that stayed, not on the first row."""
        old, old_cursor = self.stories, self.cursor
        self.stories = stories
        cursor = None
        if keep is not None:
            cursor = index_of(stories, keep)
            if cursor is None and background and 0 <= old_cursor < len(old):
                cursor = neighbour(old, old_cursor, stories)
        self.set_row_count(len(stories), cursor, kept=background and cursor is not None)

    def wants_row(self, index: int) -> None:
        if self.more is not None and index >= self.row_count - self.page_height():
            self.more()

    @property
    def current(self) -> Story | None:
        """The story under the cursor."""
        return self.stories[self.cursor] if 0 <= self.cursor < len(self.stories) else None

    def render_row(self, index: int, width: int) -> Text:
        story = self.stories[index]
        dim = self.style("virtual-list--dim")
        accent = self.style("virtual-list--accent")
        marks = self.marks
        read = marks is not None and marks.is_read(story)
        starred = marks is not None and marks.is_starred(story)
        text = Text("★" if starred else " ", style=accent)
        text.append(" " if read else "●", style=accent)
        text.append(f"{story.quality:>4} ", style=dim if read else "")
        # A video; else a quiet mark for a story whose article is kept (offline, with `t`).
        if story.is_video:
            text.append("▶ ", style=accent)
        else:
            kept = self.kept is not None and bool(self.kept.kept) and self.kept.has_article(story)
            text.append("≡ " if kept else "  ", style=dim)
        # Columns give way as the list narrows: first the provider, then the date.
        show_provider = width >= 84
        show_date = width >= 50
        tail = (PROVIDER_WIDTH + 1 if show_provider else 0) + (DATE_WIDTH + 1 if show_date else 0)
        # The other stories of the same event, from other providers: `+3`.
        size = self.coverage.size(story.path) if self.coverage is not None else 1
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
            self.post_message(self.Highlighted(story, event.by_user))

    def on_virtual_list_row_chosen(self, event: VirtualList.RowChosen) -> None:
        event.stop()
        story = self.current
        if story is not None:
            self.post_message(self.Chosen(story))


def index_of(stories: Sequence[Story], story: Story) -> int | None:
    """Where `story` is in `stories`: the same object, else one read from the same file."""
    try:  # the same object, found by a C-level search (100,000 rows in a millisecond)
        return operator.indexOf(map(id, stories), id(story))
    except ValueError:
        return next((i for i, s in enumerate(stories) if s.path == story.path), None)


def neighbour(old: Sequence[Story], cursor: int, new: Sequence[Story]) -> int | None:
    """Where the cursor goes in `new` when the story under it in `old` is gone: the nearest
    story after it that is still there, else the nearest before it."""
    where = {story.path: index for index, story in enumerate(new)}
    after = (old[i] for i in range(cursor + 1, len(old)))
    before = (old[i] for i in range(cursor - 1, -1, -1))
    for story in itertools.chain(after, before):
        index = where.get(story.path)
        if index is not None:
            return index
    return None
