"""Building a Library: parsed stories added batch by batch, snapshots handed out as it goes
(copy on write: a snapshot is never changed afterwards), and a library updated by what changed
(`LibraryBuilder.resume`)."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from reader.feed.parse import ParseResult, entry_ids, own_ids
from reader.library.incremental import backlinks_after, merged, without
from reader.library.library import EXTERNAL_MENTIONS_UP_TO, Duplicate, Library, _Index
from reader.library.orders import (
    QUALITY_KEY,
    SORT_KEYS,
    ranked,
    ranks,
)
from reader.model.links import fast_key, link_id, unpack_ids
from reader.model.order import Order
from reader.model.story import FieldWarning, Problem, Story


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
        library.topics = ranked(self._topics)
        library.providers = ranked(self._providers)
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
                orders[order] = merged(kept, added, SORT_KEYS[order])
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
        positions = {order: ranks(rank, orders[order]) for order in Order}
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


def library_of(
    stories: Iterable[Story] = (),
    problems: Sequence[Problem] = (),
    warnings: Sequence[FieldWarning] = (),
    folder: Path | None = None,
) -> Library:
    """A complete library of `stories` (tests and small tools: a folder's come from a scan)."""
    builder = LibraryBuilder(folder)
    builder.add(ParseResult(problem=problem) for problem in problems)
    builder.warnings.extend(warnings)
    builder.add(
        ParseResult(story=story, related_ids=entry_ids(story.related))
        for story in sorted(stories, key=lambda s: s.path)
    )
    return builder.build()
