"""How coverage groups are found: stories within a few days of each other are compared by
headline and body features (reader.library.coverage.text) and by the links between them; pairs
that match are joined into groups, as long as a group's stories stay within a span of days."""

from __future__ import annotations

import bisect
import hashlib
import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.feed.parse import entry_ids, own_ids
from reader.library.coverage.text import Body, Headline, Markers, body, conflicting, headline
from reader.library.orders import QUALITY_KEY
from reader.model.links import unpack_ids
from reader.model.story import Story

if TYPE_CHECKING:
    pass

DAY = 86400.0
WINDOW = 3 * DAY  # the most two stories of one event lie apart
SPAN = 5 * DAY  # the most one group's stories lie apart
NEAR_SHARED, NEAR_PERCENT = 3, 60
TITLE_PERCENT = 20
TEXT_PERCENT, NAME_WEIGHT = 25, 3
_PURGE_EVERY = 200_000  # candidate index entries added between two purges of the stale ones
# Stories sharing a pair of headline words that one story is compared with at most: thousands
# of copies of one headline in a few days would otherwise cost millions of comparisons.
_SCAN_AT_MOST = 2_000

RelatedIds = Callable[[str], bytes]  # a story's path -> packed link ids of its related entries
Resolve = Callable[[int], Story | None]  # a link id -> the local story at that link, if any


@dataclass(frozen=True, slots=True)
class Group:
    """Stories that report one event: their paths, best first, under an id that a folder keeps
    whatever the order of its files (worked out from the group's first path by name)."""

    id: str
    paths: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many stories the group holds (at least two)."""
        return len(self.paths)

    @property
    def best(self) -> str:
        """The path of the group's best story (the first in the library's quality order)."""
        return self.paths[0]


Edge = tuple[float, int, int]  # (score, earlier position, later position)


class Pool:
    """The dated stories of one grouping, in time order (then by path), and what is worked out
    about them while grouping: headlines, excerpt words, links between them."""

    def __init__(
        self, stories: Iterable[Story], related_ids: RelatedIds | None, resolve: Resolve | None
    ) -> None:
        self.stories = sorted((s for s in stories if s.published is not None), key=_time_order)
        self.times = array("d", map(_timestamp, self.stories))
        self.position = {story.path: n for n, story in enumerate(self.stories)}
        self._related_ids = related_ids or _entry_ids(self.stories)
        self._resolve = resolve or _own_links(self.stories)
        self._heads: dict[int, Headline] = {}
        self._bodies: dict[int, Body] = {}
        self._targets: dict[int, frozenset[int]] = {}
        self.markers: dict[int, Markers] = {}  # of the stories in a matching pair
        self._interned: dict[Markers, Markers] = {}

    def __len__(self) -> int:
        return len(self.stories)

    def head(self, n: int) -> Headline:
        found = self._heads.get(n)
        if found is None:
            found = self._heads[n] = headline(self.stories[n])
        return found

    def body(self, n: int) -> Body:
        found = self._bodies.get(n)
        if found is None:
            found = self._bodies[n] = body(self.stories[n], self.head(n))
        return found

    def forget(self, n: int) -> None:
        """Drop what was worked out about story `n` (the sweep is past its window)."""
        self._heads.pop(n, None)
        self._bodies.pop(n, None)

    def targets(self, n: int) -> frozenset[int]:
        """The positions of the stories that story `n` lists among its related stories, within
        `WINDOW` of it."""
        found = self._targets.get(n)
        if found is None:
            found = self._targets[n] = frozenset(self._links(n))
        return found

    def _links(self, n: int) -> Iterator[int]:
        story = self.stories[n]
        time = self.times[n]
        for key in unpack_ids(self._related_ids(story.path)):
            target = self._resolve(key)
            if target is None or target.path == story.path:
                continue
            m = self.position.get(target.path)
            if m is not None and abs(self.times[m] - time) <= WINDOW:
                yield m

    def linked(self, a: int, b: int) -> bool:
        """Whether one of the two stories lists the other among its related stories."""
        return b in self.targets(a) or a in self.targets(b)

    def match(self, a: int, b: int, linked: bool) -> float | None:
        """How surely stories `a` and `b` report one event (None: they do not); symmetric."""
        one, two = self.head(a), self.head(b)
        score = _score(one, two, linked, lambda: (self.body(a), self.body(b)))
        if score is not None:
            self.markers[a] = self._intern(one.markers)
            self.markers[b] = self._intern(two.markers)
        return score

    def _intern(self, markers: Markers) -> Markers:
        return self._interned.setdefault(markers, markers)

    def window(self, n: int) -> range:
        """The positions of the stories published within `WINDOW` of story `n`."""
        time = self.times[n]
        low = bisect.bisect_left(self.times, time - WINDOW)
        high = bisect.bisect_right(self.times, time + WINDOW)
        return range(low, high)

    def sweep(self) -> list[Edge]:
        """Every matching pair, found in one pass in time order (see the module)."""
        times = self.times
        later_links: dict[int, set[int]] = {}
        for n in range(len(self)):
            for m in self._links(n):
                first, second = (m, n) if m < n else (n, m)
                later_links.setdefault(second, set()).add(first)
        heads = self._heads
        index: dict[tuple[str, str], list[int]] = {}
        edges: list[Edge] = []
        behind = 0  # the first story still within `WINDOW` of the current one
        added = 0
        for n, time in enumerate(times):
            start = time - WINDOW
            while times[behind] < start:
                self.forget(behind)
                behind += 1
            head = heads[n] = headline(self.stories[n])
            candidates: set[int] = set()
            for key in _keys(head.words):
                bucket = index.get(key)
                if bucket is None:
                    index[key] = [n]
                    continue
                scan = reversed(bucket)
                if len(bucket) > _SCAN_AT_MOST:
                    scan = itertools.islice(scan, _SCAN_AT_MOST)
                for m in scan:
                    if times[m] < start:
                        break
                    candidates.add(m)
                bucket.append(n)
                added += 1
            linked = later_links.pop(n, None)
            if linked:
                candidates |= linked
            for m in sorted(candidates):
                score = self.match(m, n, linked is not None and m in linked)
                if score is not None:
                    edges.append((score, m, n))
            if added > _PURGE_EVERY:
                _purge(index, times, start)
                added = 0
        heads.clear()
        self._bodies.clear()
        return edges

    def component(self, start: Iterable[int], limit: int) -> tuple[list[int], list[Edge]] | None:
        """The stories joined to `start` by chains of matching pairs, and those pairs; None
        when more than `limit` stories are reached."""
        todo = sorted(set(start))
        seen = set(todo)
        edges: dict[tuple[int, int], float] = {}
        while todo:
            n = todo.pop()
            for m in self.window(n):
                if m == n:
                    continue
                pair = (m, n) if m < n else (n, m)
                if pair in edges:
                    continue
                score = self.match(pair[0], pair[1], self.linked(m, n))
                if score is None:
                    continue
                edges[pair] = score
                if m not in seen:
                    if len(seen) >= limit:
                        return None
                    seen.add(m)
                    todo.append(m)
        return sorted(seen), [(score, a, b) for (a, b), score in edges.items()]

    def groups(self, edges: list[Edge]) -> list[Group]:
        """The groups the matching pairs make, strongest pairs first (see the module)."""
        edges.sort(key=lambda edge: (-edge[0], edge[1], edge[2]))
        home: dict[int, _Cluster] = {}
        for _, a, b in edges:
            one = home.get(a) or _Cluster(a, self.times[a], self.markers[a])
            two = home.get(b) or _Cluster(b, self.times[b], self.markers[b])
            if one is two or not one.can_join(two):
                continue
            if len(one.members) < len(two.members):
                one, two = two, one
            one.join(two)
            for n in two.members:
                home[n] = one
            home[a] = home[b] = one
        clusters = {id(cluster): cluster for cluster in home.values()}
        return [self._group(cluster.members) for cluster in clusters.values()]

    def _group(self, members: list[int]) -> Group:
        stories = sorted((self.stories[n] for n in members), key=QUALITY_KEY)  # the library's order
        first = min(story.path for story in stories)
        key = hashlib.blake2b(first.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
        return Group(key, tuple(story.path for story in stories))


class _Cluster:
    """A group while it grows: its stories, the time they span and their distinct markers."""

    __slots__ = ("high", "low", "markers", "members")

    def __init__(self, n: int, time: float, markers: Markers) -> None:
        self.members = [n]
        self.low = self.high = time
        self.markers = {markers}

    def can_join(self, other: _Cluster) -> bool:
        """Whether the two would still span at most `SPAN` and agree on their markers."""
        if max(self.high, other.high) - min(self.low, other.low) > SPAN:
            return False
        return not any(conflicting(a, b) for a in self.markers for b in other.markers)

    def join(self, other: _Cluster) -> None:
        self.members.extend(other.members)
        self.low = min(self.low, other.low)
        self.high = max(self.high, other.high)
        self.markers |= other.markers


def _score(
    one: Headline, two: Headline, linked: bool, bodies: Callable[[], tuple[Body, Body]]
) -> float | None:
    """How surely two stories report one event (None: they do not); see the module."""
    shared = len(one.words & two.words)
    if shared < 2 or conflicting(one.markers, two.markers):
        return None
    union = len(one.words) + len(two.words) - shared
    if shared >= NEAR_SHARED and 100 * shared >= NEAR_PERCENT * union:
        return 1.0 + shared / union
    if not linked and 100 * shared < TITLE_PERCENT * union:
        return None
    mine, theirs = bodies()
    names = mine.names | theirs.names
    common = mine.words & theirs.words
    every = mine.words | theirs.words
    weight = NAME_WEIGHT - 1
    found = len(common) + weight * len(common & names)
    total = len(every) + weight * len(every & names)
    if 100 * found < TEXT_PERCENT * total:
        return None
    return found / total


def _keys(found: frozenset[str]) -> Iterator[tuple[str, str]]:
    """The word pairs a headline is indexed under: every pair of its prefix words (the longest
    words first, an order that does not depend on the folder), enough that two headlines with a
    Jaccard index of `TITLE_PERCENT` or more share one."""
    size = len(found)
    if size < 2:
        return iter(())
    least = max(2, -(-TITLE_PERCENT * size // 100))  # words two such headlines share at least
    prefix = sorted(sorted(found), key=len, reverse=True)[: size - least + 2]  # (-len, word)
    return itertools.combinations(prefix, 2)


def _purge(index: dict[tuple[str, str], list[int]], times: array[float], start: float) -> None:
    """Drop the index entries of stories published before `start`."""
    for key in list(index):
        bucket = index[key]
        if times[bucket[-1]] < start:
            del index[key]
        elif times[bucket[0]] < start:
            keep = 0
            while times[bucket[keep]] < start:
                keep += 1
            del bucket[:keep]


def _timestamp(story: Story) -> float:
    return story.published.timestamp() if story.published is not None else 0.0


def _time_order(story: Story) -> tuple[float, str]:
    return _timestamp(story), story.path


def _entry_ids(stories: Sequence[Story]) -> RelatedIds:
    by_path = {story.path: story for story in stories}

    def related_ids(path: str) -> bytes:
        story = by_path.get(path)
        return entry_ids(story.related) if story is not None else b""

    return related_ids


def _own_links(stories: Sequence[Story]) -> Resolve:
    """Local stories by the ids of their own links (two with one link: the lower path)."""
    found: dict[int, Story] = {}
    for story in sorted(stories, key=lambda s: s.path, reverse=True):
        for key in unpack_ids(own_ids(story)):
            if key:
                found[key] = story
    return found.get
