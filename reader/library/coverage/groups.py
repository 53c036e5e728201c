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

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from reader.library.coverage.matching import Group, Pool, RelatedIds, Resolve
from reader.model.story import Story

if TYPE_CHECKING:
    from reader.library.library import Library

__all__ = ["METHOD", "UPDATE_LIMIT", "Coverage", "Group", "for_library", "group"]

METHOD = 1  # changes whenever grouping does: groups kept by an older method are worked out anew
UPDATE_LIMIT = 5_000  # stories an update may reach before it regroups the whole folder instead


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
        pool = Pool(stories, related_ids, resolve)
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
    pool = Pool(stories, related_ids, resolve)
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
