"""The library in view and how it comes: the caches' best on the first screen (a page more at a
time while the folder loads), the load's steps taken from its thread, updates of changed
files one at a time, and what went wrong. The session's other parts hear of a whole library
through the `arrived` callback and of every step taken through `took`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from reader.feed.folders import Folders, Source, across_notice
from reader.library.library import Library
from reader.model.text import clean_line
from reader.session.loading import EarlyStories, LoadStep, Phase, Updates, load_steps
from reader.session.snapshot import LoadState, Tell

Watched = tuple[Path, Callable[[set[str]], set[str]], Callable[[], set[str]]]


class Loader:
    """The library in view, its load and its updates (owner's thread; the slow work is handed
    out as pure jobs: `load_steps`, the job of `changed`)."""

    def __init__(
        self,
        folders: Folders,
        *,
        workers: int | None,
        monotonic: Callable[[], float],
        arrived: Callable[[Library], None],
        took: Callable[[LoadStep, Library | None], None],
        changed: Callable[[], object],
        tell: Tell,
    ) -> None:
        self.folders = folders
        self.library: Library | None = None
        self.indexing = False
        self.progress: tuple[int, int] | None = None
        self.failure = ""
        self.updates = Updates()  # changed files waiting to be read, one update at a time
        self.early: EarlyStories | None = None  # the caches' best, shown while the folder loads
        self._workers = workers
        self._monotonic = monotonic
        self._arrived = arrived
        self._took = took
        self._changed = changed
        self._tell = tell
        self._told_problems: tuple[object, ...] = ()
        self._told_across = 0  # stories found in two folders, as last told

    def piece(self) -> LoadState:
        """What a snapshot shows of the load."""
        return LoadState(self.library, self.indexing, self.progress, self.failure)

    # -- the first screen --------------------------------------------------------------------

    def open(self) -> None:
        """Show the index cache's best stories at once (the load comes next: `load_steps`)."""
        self.indexing = True
        self.early = EarlyStories(self.folders)
        self._set(self.early.more())
        self._changed()

    def show_more(self) -> bool:
        """While the folder loads, the list shows the caches' best stories: add the next page
        of them (the list's cursor nears their end). Whether more came."""
        if not self.more_to_show():
            return False
        assert self.early is not None
        more = self.early.more()
        if more is not None:
            self._set(more)
        self._changed()  # more stories, or a snapshot saying there is no more to ask for
        return more is not None

    def more_to_show(self) -> bool:
        """Whether `show_more` can add stories to the list now."""
        early = self.early
        return (
            early is not None
            and not early.exhausted
            and early.library is not None
            and self.library is early.library
        )

    # -- loading -----------------------------------------------------------------------------

    def load_steps(
        self, *, reload: bool = False, cancelled: Callable[[], bool] = lambda: False
    ) -> Iterator[LoadStep]:
        """Read the folder; safe to run in any thread (it reads none of the session's state
        that changes). Hand each step to `take` on the owner's thread."""
        return load_steps(
            self.folders,
            reload=reload,
            cancelled=cancelled,
            workers=self._workers,
            monotonic=self._monotonic,
        )

    def reloading(self) -> None:
        """A reload starts (its steps come through `take`): the status line says so."""
        self.indexing = True
        self._changed()

    def load(self, *, reload: bool = False) -> None:
        """Read the whole folder now, in this thread (scripts and tests)."""
        self.indexing = True
        for step in self.load_steps(reload=reload):
            self.take(step)

    def take(self, step: LoadStep) -> None:
        """Show a step of a load (or of an update) made by another thread."""
        for notice in step.notices:
            self._tell(notice, "warning")
        if step.base is not None and not self.updates.done(step, self.library):
            return  # read onto a library replaced since: its files wait to be read again
        if step.phase is Phase.FAILED:
            self.load_failed(step.error)
            return
        complete = self.library is not None and self.library.complete
        new: Library | None = None
        if step.phase in (Phase.PROGRESS, Phase.PARTIAL):
            if not complete:
                self.progress = (step.done, step.total)
                new = step.library
        else:
            if step.phase is Phase.INDEXED:
                self.indexing = False
            if step.library is not self.library:
                new = step.library
        if new is not None:
            self._set(new)
        self._took(step, new)

    def _set(self, library: Library | None) -> None:
        if library is None:
            return
        self.library = library
        if self.early is not None and library is not self.early.library:
            self.early = None  # the load's own libraries from now on
        self.failure = ""
        if not library.complete:
            return
        self.progress = None
        self._tell_problems(library)
        self._arrived(library)

    def _tell_problems(self, library: Library) -> None:
        problems = library.problems
        if problems and problems != self._told_problems:
            count = len(problems)
            self._tell(
                f"{count} file{'s' if count != 1 else ''} could not be read", "warning", see="why"
            )
        self._told_problems = problems
        across = self.folders.across((d.kept, d.dropped) for d in library.duplicates)
        if across and across != self._told_across:
            self._tell(across_notice(across, "shown"), see="them")
        self._told_across = across

    def load_failed(self, reason: str) -> None:
        """The load (or an update) stopped: say why, and keep showing what was loaded."""
        self.indexing = self.updates.running = False
        self.progress = None
        if self.library is None or not len(self.library):
            self.failure = reason
        else:
            reason += " (still showing what was loaded before)"
        self._tell(clean_line(reason), "error", "Loading failed")
        self._changed()

    # -- changes of the folders --------------------------------------------------------------

    def known_files(self) -> set[str]:
        """Every file the library in view was read from: stories, problems and the files that
        lost their link to another (safe from any thread: a library never changes)."""
        library = self.library
        if library is None:
            return set()
        known = {story.path for story in library.stories}
        known.update(problem.path for problem in library.problems)
        known.update(duplicate.dropped for duplicate in library.duplicates)
        return known

    def changed(self, names: Iterable[str] = ()) -> Callable[[], LoadStep] | None:
        """Story files appeared, changed or went away: a pure job that reads them (for a
        worker thread; hand its step to `take`), or None while a load or an update is under
        way (the names wait: call again, with no names, after each step taken)."""
        names = set(names)
        gone = [s for s in self.folders.by_source(names) if not s.path.is_dir()]
        if gone:  # a folder went away: keep what is shown, its files waiting too
            where = clean_line(str(gone[0].path))
            self._tell(f"The folder {where} is gone; showing what was loaded.", "warning")
            waiting = self.folders.by_source(self.updates.pending)
            self.updates.pending -= {s.prefix + n for s in gone for n in waiting.get(s, ())}
            self._changed()
            return None
        self.updates.pending |= names
        return self.updates.job(self.library, self.folders)

    def watched(self) -> list[Watched]:
        """What to watch: each folder, with a function turning its files' paths into the
        library's, and one giving the files of that folder read so far (as `known_files`)."""

        def watch(source: Source) -> Watched:
            prefix = source.prefix

            def library_paths(names: set[str]) -> set[str]:
                return {prefix + name for name in names}

            def known() -> set[str]:
                if not prefix:  # one folder: the library's paths are its own
                    return self.known_files()
                return {p[len(prefix) :] for p in self.known_files() if p.startswith(prefix)}

            return source.path, library_paths, known

        return [watch(source) for source in self.folders.sources]
