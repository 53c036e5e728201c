"""Loading a folder for a session, off the owner's thread: a stream of finished libraries.

Everything here runs in a worker thread and touches no session state: it reads the folder and
the cache, builds Library snapshots, and yields them as `LoadStep`s. A Library is never changed
after it is yielded (see reader.library.library), so the session's thread can take it as is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from reader.feed.folders import Folders, best_of, scan_folders
from reader.feed.load import PROVISIONAL, FolderError
from reader.library.build import update
from reader.library.builder import LibraryBuilder
from reader.library.library import Library
from reader.platform import memory


class Phase(StrEnum):
    """How far a load has come."""

    PARTIAL = "partial"  # some of the folder, to show while the rest is read
    PROGRESS = "progress"  # only a count: more files were read
    COMPLETE = "complete"  # every story, not yet indexed (no backlinks yet)
    INDEXED = "indexed"  # every story with its backlinks and orders: the load is over
    FAILED = "failed"  # the folder could not be read: `error` says why


@dataclass(frozen=True, slots=True)
class LoadStep:
    """One step of a load, handed from the loading thread to the session's thread."""

    phase: Phase
    library: Library | None = None
    done: int = 0
    total: int = 0
    notices: tuple[str, ...] = ()
    error: str = ""
    reload: bool = False  # of a reload or an update: no partial libraries come
    base: Library | None = None  # an update's: the library the changed files were read onto
    names: frozenset[str] = frozenset()  # an update's changed files


class EarlyStories:
    """The caches' best stories, shown while the folders load: the first page on the very
    first screen, then a page more each time the list's cursor nears their end, so that keys
    pressed meanwhile act on a list that goes on (a page costs a few milliseconds)."""

    def __init__(self, folders: Folders, page: int = PROVISIONAL) -> None:
        self.folders = folders
        self.page = page
        self.builder = LibraryBuilder(folders.first.path, folders.tie)
        self.read = 0  # the best rows read from each folder's cache so far
        self.library: Library | None = None  # the last one made (None: none yet)
        self.exhausted = False  # every cached story is in

    def more(self) -> Library | None:
        """The library with each folder's next page of best stories added, or None when the
        caches hold no more."""
        if self.exhausted:
            return None
        pages = best_of(self.folders, self.page, self.read)
        self.read += self.page
        self.exhausted = all(len(page) < self.page for page in pages)
        added = [result for page in pages for result in page]
        if not added:
            return None
        self.builder.add(added)
        self.library = self.builder.build(final=False)
        return self.library


def load_steps(
    folders: Folders,
    *,
    reload: bool = False,
    cancelled: Callable[[], bool] = lambda: False,
    workers: int | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> Iterator[LoadStep]:
    """Read the folders: cached stories at once, the rest as they parse, then the indexes.

    Partial libraries come at once, then further and further apart (each one costs the parsing
    workers some CPU); a reload sends none. Stops early, keeping what was read in the cache,
    when `cancelled()` turns true.
    """
    with memory.paused():  # the stories are not garbage: see reader.platform.memory
        try:
            yield from _steps(folders, reload, cancelled, workers, monotonic)
        except FolderError as error:
            yield LoadStep(Phase.FAILED, error=str(error), reload=reload)


def _steps(
    folders: Folders,
    reload: bool,
    cancelled: Callable[[], bool],
    workers: int | None,
    monotonic: Callable[[], float],
) -> Iterator[LoadStep]:
    builder = LibraryBuilder(folders.first.path, folders.tie)
    library: Library | None = None
    published = shown = 0.0
    started = monotonic()
    steps = scan_folders(folders, workers=workers)
    for step in steps:
        if cancelled():  # the reader quits: stop the workers, keep what was read
            steps.close()
            return
        if step.related_ids:  # after the heads, for "Mentioned by"
            builder.add_related_ids(step.related_ids)
            continue
        builder.add(step.results)
        notices = tuple(step.notices)
        if step.finished:
            library = builder.build(final=True, mentions=False)
            yield LoadStep(
                Phase.COMPLETE, library, len(library), len(library), notices, reload=reload
            )
            continue  # the scan now reads the related links (the cache has every file)
        now = monotonic()
        due = not published or now - published > max(1.0, (now - started) / 4)
        if step.done < step.total and len(builder) and due and not reload:
            partial = builder.build(final=False)
            yield LoadStep(Phase.PARTIAL, partial, step.done, step.total, notices)
            published = shown = now
        elif notices or (step.done < step.total and now - shown > 0.25):
            yield LoadStep(Phase.PROGRESS, None, step.done, step.total, notices, reload=reload)
            shown = now
    if library is None:  # no finished step: the scan ended early
        library = builder.build(final=True, mentions=False)
    # The links of every related list are in now: a new library, indexed whole.
    final = builder.finish(library)
    yield LoadStep(Phase.INDEXED, final, len(final), len(final), reload=reload)


def update_step(library: Library, folders: Folders, names: set[str]) -> LoadStep:
    """The library after the files `names` appeared, changed or went away, indexed whole."""
    with memory.paused():
        updated, notices = update(library, folders, names)
    count = len(updated)
    return LoadStep(
        Phase.INDEXED,
        updated,
        count,
        count,
        tuple(notices),
        reload=True,
        base=library,
        names=frozenset(names),
    )


class Updates:
    """Changed files waiting to be read, one update at a time (on the session's thread)."""

    def __init__(self) -> None:
        self.pending: set[str] = set()
        self.running = False  # an update's job is out: the next one waits for its step

    def job(self, library: Library | None, folders: Folders) -> Callable[[], LoadStep] | None:
        """A pure job reading the pending files onto `library` (for a worker thread), or None
        while a load or an update is under way, or when nothing waits."""
        if library is None or not library.complete or self.running or not self.pending:
            return None
        names, self.pending = self.pending, set()
        self.running = True
        return lambda: update_step(library, folders, names)

    def done(self, step: LoadStep, library: Library | None) -> bool:
        """An update's step came back: whether to take it. One read onto a library replaced
        since is not taken, and its files wait to be read again."""
        self.running = False
        if step.base is not library:
            self.pending |= step.names
            return False
        return True
