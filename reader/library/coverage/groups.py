"""Coverage: the stories of a folder that report one event, grouped (pure: no I/O, no Textual).

Two dated stories report one event when they were published at most `WINDOW` apart, their
headlines (`coverage_text.headline`: prefixes such as `RE-TRANSMISSION:` and a trailing site name
dropped, case, punctuation and endings folded) share at least two words and name no different
year, month, weekday, number or release stage (`coverage_text.conflicting`), and

- the headlines share most of their words (syndicated copies, light rewrites): at least
  `NEAR_SHARED` words and a Jaccard index of at least `NEAR_PERCENT`; or
- the headlines have a Jaccard index of at least `TITLE_PERCENT`, or one story lists the other
  among its related stories (the editor's link stands for the headlines' likeness), and the
  words of headline and excerpt together have a Jaccard index of at least `TEXT_PERCENT`, each
  name (a word capitalised inside a sentence: a company, a product, a person) counting
  `NAME_WEIGHT` times: a rewritten headline of one event names the same companies and products.

Groups grow from the strongest pairs down (union-find), and two groups are not joined when
together they would span more than `SPAN` or hold two headlines that disagree on a marker: a
chain of look-alikes never pulls two events into one group. Undated stories stand alone.

Pairs are found without comparing every two stories: the stories are swept in time order, and
each is compared only with the stories of the `WINDOW` before it that share a pair of its first
headline words (the longest first: a prefix filter, so two headlines with a Jaccard index of
`TITLE_PERCENT` always share such a pair; at most `_SCAN_AT_MOST` of them for one pair), or
that it lists or that list it.

Every decision depends on the two stories alone, and the order in which pairs join groups on the
stories' dates and paths: a folder gives the same groups whatever the order of its files, and
`Coverage.updated` works out again only the stories a change reaches.
"""

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
from reader.library.library import QUALITY_KEY
from reader.model.links import unpack_ids
from reader.model.story import Story

if TYPE_CHECKING:
    from reader.library.library import Library

METHOD = 1  # changes whenever grouping does: groups kept by an older method are worked out anew

DAY = 86400.0
WINDOW = 3 * DAY  # the most two stories of one event lie apart
SPAN = 5 * DAY  # the most one group's stories lie apart
NEAR_SHARED, NEAR_PERCENT = 3, 60
TITLE_PERCENT = 20
TEXT_PERCENT, NAME_WEIGHT = 25, 3
UPDATE_LIMIT = 5_000  # stories an update may reach before it regroups the whole folder instead
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


class Coverage:
    """Which stories report the same event: a group for each event reported more than once.

    Never changed once built (`updated` gives a new one), so it can be handed to other threads.
    A story that stands alone has no group; only grouped stories are kept, by path.
    """

    __slots__ = ("_of",)

    def __init__(self, groups: Iterable[Group] = ()) -> None:
        self._of: dict[str, Group] = {path: group for group in groups for path in group.paths}

    def group_of(self, path: str) -> Group | None:
        """The group of the story at `path`, or None when it stands alone."""
        return self._of.get(path)

    def size(self, path: str) -> int:
        """How many stories report the event of the story at `path` (1 when it stands alone)."""
        group = self._of.get(path)
        return 1 if group is None else len(group.paths)

    def groups(self) -> tuple[Group, ...]:
        """Every group, by id."""
        unique = {group.id: group for group in self._of.values()}
        return tuple(unique[key] for key in sorted(unique))

    @property
    def grouped(self) -> int:
        """How many stories belong to a group."""
        return len(self._of)

    def __len__(self) -> int:
        return len({group.id for group in self._of.values()})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Coverage):
            return NotImplemented
        return self._of == other._of

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Coverage({len(self)} groups of {self.grouped} stories)"

    def to_rows(self) -> list[tuple[str, str, int]]:
        """The groups as (path, group id, rank in the group) rows, for the index cache."""
        return [(path, g.id, rank) for g in self.groups() for rank, path in enumerate(g.paths)]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, int]]) -> Coverage:
        """The coverage `to_rows` gave (rows in any order; a group left with one story drops)."""
        found: dict[str, list[tuple[int, str]]] = {}
        for path, key, rank in rows:
            found.setdefault(key, []).append((rank, path))
        groups = []
        for key, members in found.items():
            paths = tuple(dict.fromkeys(path for _, path in sorted(members)))
            if len(paths) > 1:
                groups.append(Group(key, paths))
        return cls(groups)

    def updated(
        self,
        stories: Sequence[Story],
        removed: Iterable[str] = (),
        added: Iterable[Story] = (),
        *,
        related_ids: RelatedIds | None = None,
        resolve: Resolve | None = None,
    ) -> Coverage:
        """The coverage of `stories` (the whole folder after a change), where the files at
        `removed` went away or changed and the stories `added` are new or changed ones.

        Only the stories the change reaches are grouped again: those linked to an added,
        removed or changed story by a chain of matching pairs. The result is the one `group`
        gives for `stories`; past `UPDATE_LIMIT` reached stories, it is worked out that way.
        """
        pool = _Pool(stories, related_ids, resolve)
        seeds: set[str] = set()
        for path in [*removed, *(story.path for story in added)]:
            seeds.add(path)
            old = self._of.get(path)
            if old is not None:
                seeds.update(old.paths)
        start = [pool.position[path] for path in seeds if path in pool.position]
        reached = pool.component(start, UPDATE_LIMIT)
        if reached is None:
            return group(stories, related_ids=related_ids, resolve=resolve)
        nodes, edges = reached
        touched = seeds | {pool.stories[n].path for n in nodes}
        kept = [g for g in self.groups() if touched.isdisjoint(g.paths)]
        return Coverage([*kept, *pool.groups(edges)])


def group(
    stories: Iterable[Story],
    *,
    related_ids: RelatedIds | None = None,
    resolve: Resolve | None = None,
) -> Coverage:
    """The coverage of `stories`: which of them report the same event (see the module).

    `related_ids` gives a story's related links as packed link ids (`Library.related_ids`;
    by default worked out from the entries the stories hold), and `resolve` the local story at
    a link id (by default looked up among `stories` by their own links).
    """
    pool = _Pool(stories, related_ids, resolve)
    return Coverage(pool.groups(pool.sweep()))


def for_library(
    library: Library,
    previous: Coverage | None = None,
    removed: Iterable[str] = (),
    added: Iterable[Story] = (),
) -> Coverage:
    """The coverage of a library's stories, with its related links and its link index; or,
    given the `previous` coverage, that one updated for the files `removed` (gone or changed)
    and the stories `added` (new or changed): see `Coverage.updated`."""
    related_ids = library.related_ids
    resolve = library._by_url.get  # the library's link index by id, not built again
    if previous is not None:
        return previous.updated(
            library.stories, removed, added, related_ids=related_ids, resolve=resolve
        )
    return group(library.stories, related_ids=related_ids, resolve=resolve)


Edge = tuple[float, int, int]  # (score, earlier position, later position)


class _Pool:
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
