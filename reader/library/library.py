"""The loaded feed: topics, orders, the URL index, related resolution and backlinks (no Textual).

A Library never changes once it is built: the builder copies its indexes before it changes
them again (copy on write), and the slow indexes (backlinks, every order, each topic's
stories) come in a new Library made by `indexed`, built whole before anyone sees it.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from reader.feed.parse import ParseResult, entry_ids, own_ids
from reader.library.incremental import backlinks_after, merged, without
from reader.model.links import fast_key, key_id, link_id, unpack_ids
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
QUALITY_KEY = _SORT_KEYS[Order.QUALITY]  # the library's own order: best quality, newest, title
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

    def __init__(self, folder: Path | None = None, tie: Callable[[str], Any] | None = None) -> None:
        self.folder = folder
        # Of two equally good copies of a story, the one whose path ranks first is kept: by
        # path, or as `tie` ranks paths (several folders: the folder named first).
        self.tie: Callable[[str], Any] = tie or _same
        self.problems: list[Problem] = []
        self.warnings: list[FieldWarning] = []
        self.duplicates: list[Duplicate] = []
        self._by_path: dict[str, Story] = {}
        self._by_url: dict[int, Story] = {}
        self._canonical: dict[int, Story] | None = {}
        self._sorted: list[tuple[tuple[object, ...], int, Story]] = []  # in quality order
        self._pending: list[Story] = []
        self._numbered = 0  # stories given a running number (see `build`)
        self._related_ids: dict[str, bytes] = {}
        self._topics: Counter[str] = Counter()
        self._providers: Counter[str] = Counter()
        self._shared = False  # a snapshot holds the story indexes: copy them before a change
        self._shared_ids = False  # a final snapshot holds the related ids too
        self._base: Library | None = None  # an update's: the library it started from
        self._dropped: list[Story] = []  # stories taken out since (of the base, among others)
        self._lost: dict[int, str] = {}  # link ids (and links) whose story was taken out

    @classmethod
    def resume(cls, library: Library, names: Iterable[str]) -> LibraryBuilder:
        """A builder holding `library` less the files `names`, to add those files' new
        contents to: its `build` works out only what the change reaches (see
        reader.library.incremental), where a builder from scratch works out every story."""
        gone = set(names)
        builder = cls(library.folder, library.tie)
        builder.problems = [p for p in library.problems if p.path not in gone]
        builder.warnings = [w for w in library.warnings if w.path not in gone]
        builder.duplicates = [
            d for d in library.duplicates if d.kept not in gone and d.dropped not in gone
        ]
        builder._by_path, builder._by_url = library._by_path, library._by_url
        builder._related_ids = library._related_ids
        builder._shared = builder._shared_ids = True  # copied at the first change
        builder._canonical = None  # looked up in `_by_url` (see `_canonical_at`)
        builder._topics = Counter(dict(library.topics))
        builder._providers = Counter(dict(library.providers))
        builder._base = library
        for name in gone:
            story = library.get(name)
            if story is not None:
                builder._unshare()
                builder._remove(story)
        return builder

    def _canonical_at(self, key: int) -> Story | None:
        """The story whose own first link has the id `key`, if one was added."""
        if self._canonical is not None:
            return self._canonical.get(key)
        story = self._by_url.get(key)  # a resumed builder: the story there, if the link is its own
        if story is None or not story.url or link_id(story.links.all()[0]) != key:
            return None
        return story

    def __len__(self) -> int:
        return len(self._by_path)

    def _unshare(self) -> None:
        # A snapshot was handed out with these dicts: it keeps them, the builder goes on with
        # copies (a few milliseconds at 100,000 stories, once per snapshot).
        if self._shared:
            self._by_path = dict(self._by_path)
            self._by_url = dict(self._by_url)
            self._shared = False
        if self._shared_ids:
            self._related_ids = dict(self._related_ids)
            self._shared_ids = False

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
        if self._shared_ids:
            self._related_ids = dict(self._related_ids)
            self._shared_ids = False
        self._related_ids.update(
            (path, ids) for path, ids in related_ids.items() if ids and path in self._by_path
        )

    def _add_story(self, story: Story, related_ids: bytes, link_ids: bytes = b"") -> None:
        self._unshare()
        # The parser worked the links' ids out already (in a worker process, or cached).
        ids = unpack_ids(link_ids or own_ids(story))
        key = (ids[0] or None) if story.url and ids else None
        if key is not None:
            earlier = self._canonical_at(key)
            if earlier is not None:
                better = story.quality > earlier.quality or (
                    story.quality == earlier.quality
                    and self.tie(story.path) < self.tie(earlier.path)
                )
                winner, loser = (story, earlier) if better else (earlier, story)
                self.duplicates.append(Duplicate(winner.path, loser.path, winner.url))
                if loser is story:
                    return
                self._remove(earlier)
            if self._canonical is not None:
                self._canonical[key] = story
            self._by_url[key] = story
        self._by_path[story.path] = story
        self._pending.append(story)
        if related_ids:
            self._related_ids[story.path] = related_ids
        self._topics.update(story.topics)
        self._providers[story.provider.label] += 1
        for alias in ids:  # AMP mirrors find the story, but never displace a story's own link
            if alias and alias != key:
                holder = self._by_url.get(alias)
                # Two stories with one mirror: the lower path has it, whatever the files' order.
                if holder is None or (
                    story.path < holder.path and self._canonical_at(alias) is not holder
                ):
                    self._by_url[alias] = story

    def _remove(self, story: Story) -> None:
        del self._by_path[story.path]
        self._dropped.append(story)
        self._related_ids.pop(story.path, None)
        self._topics.subtract(story.topics)
        self._providers[story.provider.label] -= 1
        for url in story.links.all():
            alias = link_id(url)
            if alias is not None and self._by_url.get(alias) is story:
                del self._by_url[alias]
                self._lost[alias] = url  # another story may hold it too: see `_rehome`

    def _rehome(self) -> None:
        """Links whose story was taken out go to another story holding them (the lowest
        path, as if the first had never been there). Rare: only shared mirrors need it."""
        lost = {k: url for k, url in self._lost.items() if self._canonical_at(k) is None}
        self._lost = {}
        if not lost:
            return
        self._unshare()
        tails = {_tail(url) for url in lost.values()}  # a cheap test before working ids out
        for story in self._by_path.values():
            for url in story.links.all():
                lowered = url.lower()
                if any(tail in lowered for tail in tails) and (key := link_id(url)) in lost:
                    holder = self._by_url.get(key)
                    if holder is None or story.path < holder.path:
                        self._by_url[key] = story

    def build(self, *, final: bool = True, mentions: bool = True) -> Library:
        """A snapshot of what has been added so far. A `final` one is complete and, with
        `mentions`, indexed (backlinks and every order: see `Library.indexed`)."""
        self._rehome()
        if self._base is not None:
            return self._build_on_base(self._base)
        if self._pending:
            # (key, number, story): merging them compares the keys worked out once, where a merge
            # by key function would work out every story's key again at each snapshot.
            # The running number settles equal keys (the same path added twice) without ever
            # comparing two stories.
            start, self._numbered = self._numbered, self._numbered + len(self._pending)
            pending = sorted((QUALITY_KEY(s), start + n, s) for n, s in enumerate(self._pending))
            merged = heapq.merge(self._sorted, pending)
            self._sorted = [item for item in merged if self._by_path.get(item[2].path) is item[2]]
            self._pending = []
        self._shared = True
        library = self._library(tuple(item[2] for item in self._sorted), final)
        self._shared_ids = self._shared_ids or final
        if final:
            # No more snapshots are expected: drop the sort keys (a tenth of a big folder's
            # memory); should more stories come after all, they are worked out again.
            self._sorted, self._pending = [], list(library.stories)
            if mentions:
                return library.indexed()
        return library

    def _library(self, stories: tuple[Story, ...], final: bool) -> Library:
        """A Library of what was added so far, its stories in quality order (not indexed)."""
        library = Library.__new__(Library)
        library.folder = self.folder
        library.tie = self.tie
        library.problems = tuple(sorted(self.problems, key=lambda p: p.path))
        library.warnings = tuple(self.warnings)
        library.duplicates = tuple(self.duplicates)
        library.complete = final
        library._by_path = self._by_path
        library._by_url = self._by_url
        library.stories = stories
        library.topics = _ranked(self._topics)
        library.providers = _ranked(self._providers)
        library._related_ids = self._related_ids if final else {}
        library._index = None
        return library

    def _build_on_base(self, base: Library) -> Library:
        """A resumed builder's library: the base's orders and indexes with what changed."""
        added = [s for s in self._pending if self._by_path.get(s.path) is s]
        dropped = {id(s) for s in self._dropped}
        self._shared = self._shared_ids = True
        stories = merged(without(base.stories, dropped), added, QUALITY_KEY)
        library = self._library(stories, final=True)
        if base._index is None or len(library) <= EXTERNAL_MENTIONS_UP_TO:
            return library.indexed()  # (external mentions are worked out whole: few stories)
        orders = {Order.QUALITY: library.stories}
        for order in Order:
            if order is not Order.QUALITY:
                kept = without(base._index.orders[order], dropped)
                orders[order] = merged(kept, added, _SORT_KEYS[order])
        rank = {id(story): n for n, story in enumerate(library.stories)}
        backlinks = backlinks_after(
            base._index.backlinks,
            by_path=self._by_path,
            by_url=self._by_url,
            related_ids=self._related_ids,
            old_by_url=base._by_url,
            old_related_ids=base._related_ids,
            removed=self._dropped,
            added=added,
            rank=rank,
        )
        positions = {order: _ranks(rank, orders[order]) for order in Order}
        library._index = _Index(orders, positions, library.topic_index(), backlinks, {})
        return library

    def finish(self, library: Library) -> Library:
        """`library` (this builder's last final snapshot) with the related links added since,
        indexed (`Library.indexed`): the quality order is not worked out again."""
        self._shared_ids = True
        return library.indexed(self._related_ids)


def _same(path: str) -> str:
    return path


def _tail(url: str) -> str:
    """The last part of a link's path (or its host), lower-cased: found in every spelling."""
    key = fast_key(url) or url
    return key.split("?")[0].rstrip("/").rsplit("/", 1)[-1].lower()


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(
        sorted(
            ((name, n) for name, n in counts.items() if n > 0),
            key=lambda item: (-item[1], item[0].casefold(), item[0]),
        )
    )


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
        backlinks, mentions = _mentions(self.stories, self._by_url, related_ids, external)
        orders = {order: self.ordered(order) for order in Order}
        positions = {order: _positions(self.stories, orders[order]) for order in Order}
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
            forward = tuple(sort_in_steps(list(self.stories), _FIRST_KEYS[order]))
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
        return _positions(self.stories, self.ordered(order))

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


def _positions(stories: tuple[Story, ...], ordered: tuple[Story, ...]) -> array[int]:
    return _ranks({id(story): n for n, story in enumerate(stories)}, ordered)


def _ranks(where: dict[int, int], ordered: tuple[Story, ...]) -> array[int]:
    """Where each story (by its place `where` in the quality order) stands in `ordered`."""
    found = array("I", bytes(4 * len(ordered)))
    for rank, story in enumerate(ordered):
        found[where[id(story)]] = rank
    return found


def _mentions(
    stories: tuple[Story, ...],
    by_url: dict[int, Story],
    related_ids: dict[str, bytes],
    external: bool,
) -> tuple[dict[str, tuple[Story, ...]], dict[int, tuple[Story, ...]]]:
    """(backlinks by path, mentions of external links by link id): one pass over every
    related link, local targets by path, the others by link."""
    local: dict[str, dict[str, Story]] = {}
    others: dict[int, dict[str, Story]] = {}
    for source in stories:
        for key in unpack_ids(related_ids.get(source.path, b"")):
            target = by_url.get(key)
            if target is not None:
                if target.path != source.path:
                    local.setdefault(target.path, {})[source.path] = source
            elif external:
                others.setdefault(key, {})[source.path] = source
    backlinks = {path: tuple(found.values()) for path, found in local.items()}
    return backlinks, {key: tuple(found.values()) for key, found in others.items()}
