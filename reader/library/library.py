"""The loaded feed: topics, orders, the URL index, related resolution and backlinks (no Textual)."""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.feed.parse import ParseResult, entry_ids, own_ids
from reader.model.links import key_id, link_id, unpack_ids
from reader.model.order import Order
from reader.model.story import FieldWarning, Problem, RelatedStory, Story


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Two files holding the same story (same normalised canonical link): one was kept."""

    kept: str
    dropped: str
    url: str


def _timestamp(story: Story) -> float:
    return story.published.timestamp() if story.published else float("-inf")


# Each key sorts ascending; ties fall back to newest first, then title, then path.
_SORT_KEYS: dict[Order, Callable[[Story], tuple[object, ...]]] = {
    Order.QUALITY: lambda s: (-s.quality, -_timestamp(s), s.title.casefold(), s.path),
    Order.NEWEST: lambda s: (-_timestamp(s), -s.quality, s.title.casefold(), s.path),
    Order.HEAT: lambda s: (
        -(s.heat if s.heat is not None else -1),
        -s.quality,
        -_timestamp(s),
        s.title.casefold(),
        s.path,
    ),
    Order.TITLE: lambda s: (s.title.casefold(), -s.quality, -_timestamp(s), s.path),
}
# The same orders as stable sorts of the quality order, which holds every tie-break already:
# one number or string per story sorts several times faster than a tuple.
_FIRST_KEYS: dict[Order, Callable[[Story], object]] = {
    Order.NEWEST: lambda s: -_timestamp(s),
    Order.HEAT: lambda s: -(s.heat if s.heat is not None else -1),
    Order.TITLE: lambda s: s.title.casefold(),
}
_QUALITY_KEY = _SORT_KEYS[Order.QUALITY]
SORT_STEP = 4096


def sort_in_steps(stories: list[Story], key: Callable[[Story], Any]) -> list[Story]:
    """`sorted(stories, key=key)`, done as small sorts merged in Python.

    One C-level sort of 100,000 stories holds the interpreter for a tenth of a second, which a
    background thread must not do to the screen; small sorts and a Python merge let go often.
    Stable, like `sorted`.
    """
    if len(stories) <= SORT_STEP:
        return sorted(stories, key=key)
    runs = [sorted(stories[i : i + SORT_STEP], key=key) for i in range(0, len(stories), SORT_STEP)]
    return list(heapq.merge(*runs, key=key))


EXTERNAL_MENTIONS_UP_TO = 50_000  # stories; past this, only local backlinks are indexed (memory)


class LibraryBuilder:
    """Collects parsed stories batch by batch and hands out Library snapshots as it goes."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.warnings: list[FieldWarning] = []
        self.duplicates: list[Duplicate] = []
        self._by_path: dict[str, Story] = {}
        self._by_url: dict[int, Story] = {}
        self._canonical: dict[int, Story] = {}
        self._sorted: list[tuple[tuple[object, ...], int, Story]] = []  # in quality order
        self._pending: list[Story] = []
        self._numbered = 0  # stories given a running number (see `build`)
        self._related_ids: dict[str, bytes] = {}
        self._topics: Counter[str] = Counter()
        self._providers: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._by_path)

    def add(self, results: Iterable[ParseResult]) -> None:
        """Take in parsed files: stories (deduplicated by link), problems and warnings."""
        for result in results:
            if result.problem is not None:
                self.problems.append(result.problem)
            self.warnings.extend(result.warnings)
            if result.story is not None:
                self._add_story(result.story, result.related_ids, result.link_ids)

    def add_related_ids(self, related_ids: dict[str, bytes]) -> None:
        """Take in the related links of stories added without them (read after the heads)."""
        self._related_ids.update(
            (path, ids) for path, ids in related_ids.items() if ids and path in self._by_path
        )

    def _add_story(self, story: Story, related_ids: bytes, link_ids: bytes = b"") -> None:
        # The parser worked the links' ids out already (in a worker process, or cached).
        ids = unpack_ids(link_ids or own_ids(story))
        key = (ids[0] or None) if story.url and ids else None
        if key is not None:
            earlier = self._canonical.get(key)
            if earlier is not None:
                better = story.quality > earlier.quality or (
                    story.quality == earlier.quality and story.path < earlier.path
                )
                winner, loser = (story, earlier) if better else (earlier, story)
                self.duplicates.append(Duplicate(winner.path, loser.path, winner.url))
                if loser is story:
                    return
                self._remove(earlier)
            self._canonical[key] = story
            self._by_url[key] = story
        self._by_path[story.path] = story
        self._pending.append(story)
        if related_ids:
            self._related_ids[story.path] = related_ids
        self._topics.update(story.topics)
        self._providers[story.provider.label] += 1
        for alias in ids:  # AMP mirrors find the story, but never displace a link
            if alias:
                self._by_url.setdefault(alias, story)

    def _remove(self, story: Story) -> None:
        del self._by_path[story.path]
        self._related_ids.pop(story.path, None)
        self._topics.subtract(story.topics)
        self._providers[story.provider.label] -= 1
        for url in story.links.all():
            alias = link_id(url)
            if alias is not None and self._by_url.get(alias) is story:
                del self._by_url[alias]

    def build(self, *, final: bool = True, mentions: bool = True) -> Library:
        """A snapshot of what has been added so far. A `final` one is complete and, with
        `mentions`, knows its backlinks (else call `index_mentions` on it later)."""
        if self._pending:
            # (key, number, story): merging them compares the keys worked out once, where a merge
            # by key function would work out every story's key again at each snapshot.
            # The running number settles equal keys (the same path added twice) without ever
            # comparing two stories.
            start, self._numbered = self._numbered, self._numbered + len(self._pending)
            pending = sorted((_QUALITY_KEY(s), start + n, s) for n, s in enumerate(self._pending))
            merged = heapq.merge(self._sorted, pending)
            self._sorted = [item for item in merged if self._by_path.get(item[2].path) is item[2]]
            self._pending = []
        library = Library.__new__(Library)
        library.folder = self.folder
        library.problems = tuple(sorted(self.problems, key=lambda p: p.path))
        library.warnings = tuple(self.warnings)
        library.duplicates = list(self.duplicates)
        library.complete = final
        # Snapshots share the growing indexes (only looked up in, never walked: copying them
        # for 100,000 stories at every refill would slow the load); `stories` is the snapshot.
        library._by_path = self._by_path
        library._by_url = self._by_url
        library.stories = tuple(item[2] for item in self._sorted)
        library._orders = {(Order.QUALITY, False): library.stories}
        library.topics = _ranked(self._topics)
        library.providers = _ranked(self._providers)
        library._backlinks = {}
        library._mentions = {}
        library._views = {}
        library._topic_index = None
        library._positions = {}
        library._related_ids = self._related_ids if final else {}
        if final:
            # No more snapshots are expected: drop the sort keys (a tenth of a big folder's
            # memory); should more stories come after all, they are worked out again.
            self._sorted, self._pending = [], list(library.stories)
            if mentions:
                self.index_mentions(library)
        return library

    def index_mentions(self, library: Library) -> None:
        """Work out which stories mention which (the slow part of a big folder: ~1s per 100k)."""
        external = len(library) <= EXTERNAL_MENTIONS_UP_TO
        library._index_mentions(self._related_ids, external)


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(
        sorted(
            ((name, n) for name, n in counts.items() if n > 0),
            key=lambda item: (-item[1], item[0].casefold(), item[0]),
        )
    )


class Library:
    """Every story of a feed, with the indexes the reader needs to browse it."""

    folder: Path | None
    problems: tuple[Problem, ...]
    warnings: tuple[FieldWarning, ...]
    duplicates: list[Duplicate]
    complete: bool  # False while the folder is still loading
    stories: tuple[Story, ...]  # in quality order
    topics: tuple[tuple[str, int], ...]
    providers: tuple[tuple[str, int], ...]
    _by_path: dict[str, Story]
    _by_url: dict[int, Story]  # link id -> story
    _orders: dict[tuple[Order, bool], tuple[Story, ...]]
    _views: dict[tuple[str, Order, bool], tuple[Story, ...]]  # a few topic views, kept
    _topic_index: dict[str, array[int]] | None
    _positions: dict[Order, array[int]]
    _backlinks: dict[str, tuple[Story, ...]]
    _mentions: dict[int, tuple[Story, ...]]
    _related_ids: dict[str, bytes]

    def __init__(
        self,
        stories: Iterable[Story] = (),
        problems: Sequence[Problem] = (),
        warnings: Sequence[FieldWarning] = (),
        folder: Path | None = None,
    ) -> None:
        builder = LibraryBuilder(folder)
        builder.add(ParseResult(problem=problem) for problem in problems)
        builder.warnings.extend(warnings)
        builder.add(
            ParseResult(story=story, related_ids=entry_ids(story.related))
            for story in sorted(stories, key=lambda s: s.path)
        )
        self.__dict__.update(builder.build().__dict__)

    def __len__(self) -> int:
        return len(self.stories)

    def ordered(self, order: Order = Order.QUALITY, reverse: bool = False) -> tuple[Story, ...]:
        """Every story in the given order (cached per order)."""
        cached = self._orders.get((order, reverse))
        if cached is None:
            forward = self._orders.get((order, False))
            if forward is None:
                forward = tuple(sort_in_steps(list(self.stories), _FIRST_KEYS[order]))
                self._orders[(order, False)] = forward
            cached = forward[::-1] if reverse else forward
            self._orders[(order, reverse)] = cached
        return cached

    def view(
        self, topic: str | None = None, order: Order = Order.QUALITY, reverse: bool = False
    ) -> tuple[Story, ...]:
        """The stories of one topic (or all, when topic is None), in the given order."""
        stories = self.ordered(order, reverse)
        if topic is None:
            return stories
        key = (topic, order, reverse)
        view = self._views.get(key)
        if view is None:
            # The topic's stories as positions in the quality order, sorted by their place in
            # the wanted order: a topic of a 100,000-story folder in a millisecond or two.
            members: Sequence[int] = self.topic_index().get(topic, array("I"))
            if order is not Order.QUALITY:
                members = sorted(members, key=self.positions(order).__getitem__)
            view = tuple(map(self.stories.__getitem__, members))
            if reverse:
                view = view[::-1]
            if len(self._views) >= 8:
                self._views.clear()
            self._views[key] = view
        return view

    def topic_index(self) -> dict[str, array[int]]:
        """Each topic's stories, as their positions in the quality order (worked out once)."""
        if self._topic_index is None:
            index: dict[str, array[int]] = {}
            for position, story in enumerate(self.stories):
                for topic in story.topics:
                    found = index.get(topic)
                    if found is None:
                        found = index[topic] = array("I")
                    found.append(position)
            self._topic_index = index
        return self._topic_index

    def positions(self, order: Order) -> array[int]:
        """Where each story (by its position in the quality order) stands in `order`."""
        found = self._positions.get(order)
        if found is None:
            where = {id(story): n for n, story in enumerate(self.stories)}
            found = array("I", bytes(4 * len(self.stories)))
            for rank, story in enumerate(self.ordered(order)):
                found[where[id(story)]] = rank
            self._positions[order] = found
        return found

    def get(self, path: str) -> Story | None:
        """The story read from `path` (relative to the folder), if it was kept."""
        return self._by_path.get(path)

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
        """Local stories that list `story` among their related stories, in quality order."""
        return self._backlinks.get(story.path, ())

    def mentions(self, related: RelatedStory) -> tuple[Story, ...]:
        """Local stories that list the (external) related entry, in quality order."""
        key = link_id(related.url) if related.url else None
        return self._mentions.get(key, ()) if key is not None else ()

    def _index_mentions(self, related_ids: dict[str, bytes], external: bool) -> None:
        # One pass over every related link: local targets by path, the others by link.
        local: dict[str, dict[str, Story]] = {}
        others: dict[int, dict[str, Story]] = {}
        for source in self.stories:
            for key in unpack_ids(related_ids.get(source.path, b"")):
                target = self._by_url.get(key)
                if target is not None:
                    if target.path != source.path:
                        local.setdefault(target.path, {})[source.path] = source
                elif external:
                    others.setdefault(key, {})[source.path] = source
        # Whole dicts are swapped in at once: the screen may read them meanwhile.
        self._mentions = {key: tuple(found.values()) for key, found in others.items()}
        self._backlinks = {path: tuple(found.values()) for path, found in local.items()}

    def related_ids(self, path: str) -> bytes:
        """The packed link ids of a story's related entries (as the parser gave them)."""
        return self._related_ids.get(path, b"")
