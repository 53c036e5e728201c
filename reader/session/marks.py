"""Read and starred marks of one folder's stories, with the unread counts they make."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reader.library.library import Library
from reader.model.keys import key_path
from reader.model.story import Story
from reader.session.state import State, StateError


@dataclass(frozen=True, slots=True, eq=False)
class MarksView:
    """The read and starred marks as they stood at one moment: what a screen draws rows from
    (never the live marks, which change under it), and what the lists that follow the marks
    were made with. Compared, and hashed, by identity: one object per change of the marks."""

    read: frozenset[str]
    starred: frozenset[str]
    key: Callable[[Story], str]  # what a story's marks are filed under (`State.key`)

    def is_read(self, story: Story) -> bool:
        """Whether the story was marked read."""
        return bool(self.read) and self.key(story) in self.read

    def is_starred(self, story: Story) -> bool:
        """Whether the story was starred."""
        return bool(self.starred) and self.key(story) in self.starred


class Marks:
    """The marks (kept by `State` on disk) and, for the library in view, the unread count of
    All and of each topic, and the number of starred stories.

    Counts are worked out from the marks (usually few), never from every story of a big folder.
    """

    def __init__(self, state: State) -> None:
        self.state = state
        self.notice = self.state.notice
        self.unread: Counter[str | None] = Counter()  # None: All
        self.starred_count = 0
        self.changes = 0  # goes up at every change of a mark: views that follow marks redo
        self._counted = False  # the unread counts were worked out for a complete library
        self._view: tuple[int, MarksView] | None = None  # the last view, and at which change

    def view(self) -> MarksView:
        """The marks as they are now, frozen (the same object until a mark changes)."""
        if self._view is None or self._view[0] != self.changes:
            state = self.state
            frozen = MarksView(frozenset(state.read), frozenset(state.starred), state.key)
            self._view = (self.changes, frozen)
        return self._view[1]

    def is_read(self, story: Story) -> bool:
        """Whether the story is marked read."""
        return self.state.is_read(story)

    def is_starred(self, story: Story) -> bool:
        """Whether the story is starred."""
        return self.state.is_starred(story)

    def count(self, library: Library) -> None:
        """Count unread and starred stories of a complete `library` from scratch."""
        self._counted = True
        unread: Counter[str | None] = Counter(dict(library.topics))
        unread[None] = len(library)
        for story in self.stories(library, self.state.read):
            unread[None] -= 1
            unread.subtract(story.topics)
        self.unread = unread
        self.starred_count = len(self.stories(library, self.state.starred))
        self.changes += 1

    def stories(self, library: Library, keys: Iterable[str]) -> list[Story]:
        """The stories of `library` that marks filed under `keys` stand for."""
        found = []
        for key in keys:
            path = key_path(key)
            story = library.find_key(key) if path is None else library.get(path)
            if story is not None and self.state.key(story) == key:
                found.append(story)
        return found

    def set_read(self, stories: Sequence[Story], read: bool = True) -> tuple[int, str]:
        """Mark stories read (or unread), saved at once: (how many changed, a warning if the
        marks could not be saved; they still hold until the reader quits)."""
        changing = [s for s in stories if self.state.is_read(s) != read]
        if not changing:
            return 0, ""
        warning = ""
        try:
            self.state.set_read(changing, read)
        except StateError as error:
            warning = str(error)
        if self._counted:  # else counted when the library is complete
            step = -1 if read else 1
            for story in changing:
                self.unread[None] += step
                for topic in story.topics:
                    self.unread[topic] += step
        self.changes += 1
        return len(changing), warning

    def toggle_star(self, story: Story) -> str:
        """Star or unstar `story`, saved at once; a warning if that failed (then unchanged)."""
        try:
            starred = self.state.toggle_star(story)
        except StateError as error:
            return str(error)
        self.starred_count += 1 if starred else -1
        self.changes += 1
        return ""

    def close(self) -> None:
        """Close the state file."""
        self.state.close()
