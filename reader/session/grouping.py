"""A session's coverage: which stories report one event, worked out off the owner's thread
after a load (and after each update, for what changed only), and the collapsed list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.library.library import Library
from reader.model.story import Story

if TYPE_CHECKING:  # the grouping modules are imported by the first job, after the first screen
    from reader.library.coverage.cache import Grouped
    from reader.library.coverage.groups import Coverage


QUIET = 1.0  # seconds without updates before their files are grouped again


class Grouping:
    """The coverage of the library in view, and whether groups are collapsed (owner's thread).

    Grouping 100,000 stories takes seconds, so it is a job for a worker (`job`), taken back
    with `take`. After an update only what changed is grouped again; the coverage of the
    library before stays shown meanwhile (a story new since stands alone until then).
    """

    def __init__(self) -> None:
        self.coverage: Coverage | None = None
        self.library: Library | None = None  # the library `coverage` is of
        self.running = False
        self.changed: set[str] = set()  # files updated since `library`
        self.collapsed = False  # each group shown as its best story
        self.generation = 0  # goes up at each new load: a job of an older one is not taken
        self.version = 0  # goes up whenever the groups change: lists that depend on them redo
        self.last_change = 0.0  # when files last changed (the session's monotonic clock)
        self._job_generation = 0
        self._collapsed: tuple[object, object, tuple[Story, ...]] = (None, None, ())

    def reset(self) -> None:
        """A new load: the groups worked out so far were of other stories."""
        self.coverage, self.library, self.changed = None, None, set()
        self.generation += 1
        self.version += 1

    def updated(self, names: Iterable[str], now: float) -> None:
        """Files changed (an update's step was taken): group them again at the next job, once
        the changes pause (a `git pull` comes as several updates)."""
        self.changed |= set(names)
        self.last_change = now

    def job(
        self, library: Library | None, cache_file: Path | None, now: float
    ) -> Callable[[], Grouped] | None:
        """A pure job grouping `library` (for a worker thread; hand its result to `take`), or
        None while one runs, before the library is indexed, when it is grouped already, or
        while updates keep coming (under `QUIET` seconds since the last)."""
        if library is None or not library.is_indexed or self.running or library is self.library:
            return None
        if self.changed and now - self.last_change < QUIET:
            return None
        previous = self.coverage if self.coverage is not None and self.library else None
        removed = sorted(self.changed) if previous is not None else []
        added = [s for name in removed if (s := library.get(name)) is not None]
        self.changed = set()
        self.running = True
        self._job_generation = self.generation
        from reader.library.coverage.cache import coverage_of

        return lambda: coverage_of(library, cache_file, previous, removed, added)

    def take(self, library: Library, grouped: Grouped) -> bool:
        """A job's result: kept, even when updates replaced its library since (the next job
        goes on from it with what they changed); not when a new load did. Whether it was."""
        self.running = False
        if self._job_generation != self.generation:
            return False
        self.coverage, self.library = grouped.coverage, library
        self.version += 1
        return True

    def size(self, story: Story) -> int:
        """How many stories report the story's event (1 when it stands alone, or while the
        folder is not grouped yet)."""
        return self.coverage.size(story.path) if self.coverage is not None else 1

    def others(self, library: Library, story: Story) -> tuple[tuple[Story, ...], int]:
        """The other stories of the story's group, best first, and how many providers the
        group has in all (none and 0 when it stands alone)."""
        group = self.coverage.group_of(story.path) if self.coverage is not None else None
        if group is None:
            return (), 0
        members = [s for path in group.paths if (s := library.get(path)) is not None]
        if len(members) < 2:
            return (), 0
        providers = len({s.provider.label.casefold() for s in members})
        return tuple(s for s in members if s.path != story.path), providers

    def members(self, library: Library, story: Story) -> list[Story]:
        """The story and the others of its group (the story alone when it has none)."""
        others, _ = self.others(library, story)
        return [story, *others]

    def collapse(self, view: tuple[Story, ...]) -> tuple[Story, ...]:
        """`view` with each group shown once, as the best of its stories in the view (the same
        tuple until the view or the groups change)."""
        coverage = self.coverage
        if coverage is None or not self.collapsed:
            return view
        if self._collapsed[0] is view and self._collapsed[1] is coverage:
            return self._collapsed[2]
        best: dict[str, tuple[int, str]] = {}  # group id -> (rank, path) of its best in view
        for story in view:
            group = coverage.group_of(story.path)
            if group is not None:
                rank = group.paths.index(story.path)
                if group.id not in best or rank < best[group.id][0]:
                    best[group.id] = (rank, story.path)
        kept = {path for _, path in best.values()}
        collapsed = tuple(s for s in view if s.path in kept or coverage.group_of(s.path) is None)
        self._collapsed = (view, coverage, collapsed)
        return collapsed
