"""The loaded feed: topics, orders, the URL index, related resolution and backlinks (no Textual).

A Library never changes once it is built: the builder copies its indexes before it changes
them again (copy on write), and the slow indexes (backlinks, every order, each topic's
stories) come in a new Library made by `indexed`, built whole before anyone sees it.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from reader.library.incremental import mentions_of
from reader.library.orders import (
    FIRST_KEYS,
    positions_in,
    sort_in_steps,
)
from reader.model.links import key_id, link_id
from reader.model.order import Order
from reader.model.story import FieldWarning, Problem, RelatedStory, Story


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Two files holding the same story (same normalised canonical link): one was kept."""

    kept: str
    dropped: str
    url: str


EXTERNAL_MENTIONS_UP_TO = 50_000  # stories; past this, only local backlinks are indexed (memory)


@dataclass(frozen=True, slots=True)
class _Index:
    """What a complete library knows beyond its stories, worked out before it is handed out."""

    orders: dict[Order, tuple[Story, ...]]
    positions: dict[Order, array[int]]
    topics: dict[str, array[int]]
    backlinks: dict[str, tuple[Story, ...]]
    mentions: dict[int, tuple[Story, ...]]


class Library:
    """Every story of a feed, with the indexes the reader needs to browse it. Never changed."""

    folder: Path | None
    problems: tuple[Problem, ...]
    warnings: tuple[FieldWarning, ...]
    duplicates: tuple[Duplicate, ...]
    complete: bool  # False while the folder is still loading
    stories: tuple[Story, ...]  # in quality order
    topics: tuple[tuple[str, int], ...]
    providers: tuple[tuple[str, int], ...]
    tie: Callable[[str], Any]  # ranks the paths of equally good copies (see LibraryBuilder)
    _by_path: dict[str, Story]
    _by_url: dict[int, Story]  # link id -> story
    _related_ids: dict[str, bytes]
    _index: _Index | None

    def __len__(self) -> int:
        return len(self.stories)

    @property
    def is_indexed(self) -> bool:
        """Whether backlinks and every order are known (see `indexed`)."""
        return self._index is not None

    def indexed(self, related_ids: dict[str, bytes] | None = None) -> Library:
        """This library with its backlinks, every order and each topic's stories worked out:
        a new Library (about a second at 100,000 stories), this one left as it is. The
        `related_ids` given (path -> packed link ids) replace the library's own."""
        if self._index is not None and related_ids is None:
            return self
        related_ids = self._related_ids if related_ids is None else related_ids
        external = len(self) <= EXTERNAL_MENTIONS_UP_TO
        backlinks, mentions = mentions_of(self.stories, self._by_url, related_ids, external)
        orders = {order: self.ordered(order) for order in Order}
        positions = {order: positions_in(self.stories, orders[order]) for order in Order}
        library = Library.__new__(Library)
        library.__dict__.update(self.__dict__)
        library._related_ids = related_ids
        library._index = _Index(orders, positions, self.topic_index(), backlinks, mentions)
        return library

    def ordered(self, order: Order = Order.QUALITY, reverse: bool = False) -> tuple[Story, ...]:
        """Every story in the given order (worked out now unless the library is indexed)."""
        if order is Order.QUALITY:
            forward = self.stories
        elif self._index is not None:
            forward = self._index.orders[order]
        else:
            forward = tuple(sort_in_steps(list(self.stories), FIRST_KEYS[order]))
        return forward[::-1] if reverse else forward

    def view(
        self,
        topic: str | None = None,
        order: Order = Order.QUALITY,
        reverse: bool = False,
        *,
        topics: dict[str, array[int]] | None = None,
        positions: array[int] | None = None,
    ) -> tuple[Story, ...]:
        """The stories of one topic (or all, when topic is None), in the given order."""
        if topic is None:
            return self.ordered(order, reverse)
        # The topic's stories as positions in the quality order, sorted by their place in
        # the wanted order: a topic of a 100,000-story folder in a millisecond or two.
        index = topics if topics is not None else self.topic_index()
        members: Sequence[int] = index.get(topic, array("I"))
        if order is not Order.QUALITY:
            where = positions if positions is not None else self.positions(order)
            members = sorted(members, key=where.__getitem__)
        view = tuple(map(self.stories.__getitem__, members))
        return view[::-1] if reverse else view

    def topic_index(self) -> dict[str, array[int]]:
        """Each topic's stories, as their positions in the quality order."""
        if self._index is not None:
            return self._index.topics
        index: dict[str, array[int]] = {}
        for position, story in enumerate(self.stories):
            for topic in story.topics:
                found = index.get(topic)
                if found is None:
                    found = index[topic] = array("I")
                found.append(position)
        return index

    def positions(self, order: Order) -> array[int]:
        """Where each story (by its position in the quality order) stands in `order`."""
        if self._index is not None:
            return self._index.positions[order]
        return positions_in(self.stories, self.ordered(order))

    def get(self, path: str) -> Story | None:
        """The story read from `path` (relative to the folder), if it was kept."""
        return self._by_path.get(path)

    def count_under(self, prefix: str) -> int:
        """How many stories' paths begin with `prefix` (a folder's, of several): counted in C,
        a few milliseconds at 100,000 stories."""
        return sum(map(str.startswith, self._by_path, repeat(prefix)))

    def find_key(self, key: str) -> Story | None:
        """The local story reachable under a normalised link (`links.fast_key`)."""
        return self._by_url.get(key_id(key))

    def find(self, url: str) -> Story | None:
        """The local story reachable under any spelling of `url`."""
        key = link_id(url) if url else None
        return self._by_url.get(key) if key is not None else None

    def resolve(self, related: RelatedStory) -> Story | None:
        """The local story a related entry points at, or None when it is external."""
        for url in related.links.all():
            story = self.find(url)
            if story is not None:
                return story
        return None

    def backlinks(self, story: Story) -> tuple[Story, ...]:
        """Local stories that list `story` among their related stories, in quality order
        (none until the library is indexed)."""
        return self._index.backlinks.get(story.path, ()) if self._index is not None else ()

    def mentions(self, related: RelatedStory) -> tuple[Story, ...]:
        """Local stories that list the (external) related entry, in quality order."""
        key = link_id(related.url) if related.url else None
        if key is None or self._index is None:
            return ()
        return self._index.mentions.get(key, ())

    def with_rivals(self, names: Iterable[str]) -> set[str]:
        """`names` and the files that lost their link to one of them, and so on: when a file
        changes, those may stand alone now and are to be read again too."""
        found = set(names)
        todo = list(found)
        beaten: dict[str, list[str]] = {}
        for duplicate in self.duplicates:
            beaten.setdefault(duplicate.kept, []).append(duplicate.dropped)
        while todo:
            for dropped in beaten.get(todo.pop(), ()):
                if dropped not in found:
                    found.add(dropped)
                    todo.append(dropped)
        return found

    def related_ids(self, path: str) -> bytes:
        """The packed link ids of a story's related entries (as the parser gave them)."""
        return self._related_ids.get(path, b"")
