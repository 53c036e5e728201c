"""Loading a feed folder: the whole of it, or the reader's way (cached, head-first, in steps).

The folder's walk, the reading of one file and the worker processes live in `walk`, `files` and
`workers`; their names the rest of the reader uses are here too.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reader.feed.cache import CacheRow, FileStamp, IndexCache, close_quietly
from reader.feed.files import read_related, read_story
from reader.feed.parse import ParseResult, prefixed
from reader.feed.walk import FolderError, walk
from reader.model.story import Problem
from reader.platform import memory

__all__ = [
    "PROVISIONAL",
    "FolderError",
    "Progress",
    "cached_best",
    "iter_results",
    "read_related",
    "read_story",
    "result_path",
    "scan",
    "walk",
]

PROVISIONAL = 100  # best cached stories shown (`cached_best`) before a folder is checked


def iter_results(
    folder: Path, *, workers: int | None = None
) -> Iterator[tuple[list[ParseResult], int]]:
    """Fully parse every story file of `folder`, yielding (batch of results, total file count)."""
    listing_problems: list[Problem] = []
    names = [name for name, _ in walk(folder, listing_problems)]
    total = len(names) + len(listing_problems)
    if listing_problems:
        yield [ParseResult(problem=problem) for problem in listing_problems], total
    from reader.feed.workers import parse_files  # (multiprocessing: imported when needed)

    for batch in parse_files(names, folder, workers=workers):
        yield batch, total


def cached_best(
    cache_file: Path, prefix: str = "", count: int = PROVISIONAL, skip: int = 0
) -> list[ParseResult]:
    """The `count` best stories of a folder's index cache after the `skip` best, as they were
    cached, their paths behind `prefix` (nothing when there is no usable cache: `scan` says
    why)."""
    if not cache_file.is_file():
        return []
    cache, _ = IndexCache.open(cache_file)
    if cache is None:
        return []
    try:
        return cache.best(count, prefix, skip)
    except (sqlite3.Error, ValueError):
        return []
    finally:
        close_quietly(cache)


@dataclass
class Progress:
    """A step of a (cached, head-first) folder load."""

    results: list[ParseResult]
    done: int  # files accounted for so far
    total: int
    notices: list[str] = field(default_factory=list)  # things the user should be told
    finished: bool = False  # every file is accounted for (and in the cache)
    related_ids: dict[str, bytes] = field(default_factory=dict)  # after `finished`: path -> ids


def scan(
    folder: Path,
    *,
    cache_file: Path | None = None,
    workers: int | None = None,
    prefix: str = "",
) -> Generator[Progress, None, None]:
    """Load a folder for the reader: unchanged files from the index cache, the rest parsed
    head-first (in parallel), new results written back as they come (`Keeper`). Raises
    FolderError only for the folder. The results' paths (and the related ids' keys) come
    behind `prefix`: the folder's, when it is one of several (see reader.feed.folders).

    The cycle collector pauses meanwhile: the stories are not garbage, and walking the growing
    heap of 100,000 of them again and again would cost a third of the load.
    """
    with memory.paused():
        yield from _scan(folder, cache_file, workers, prefix)


def _scan(
    folder: Path, cache_file: Path | None, workers: int | None, prefix: str
) -> Generator[Progress, None, None]:
    # Worker processes, and multiprocessing itself, are imported here: a load starts after the
    # first screen is drawn, which does without them (a few milliseconds of a warm start).
    from reader.feed.workers import parse_heads, read_related_ids

    notices: list[str] = []
    cache: IndexCache | None = None
    if cache_file is not None:
        cache, notice = IndexCache.open(cache_file)
        if notice:
            notices.append(notice)
    problems: list[Problem] = []
    files = dict(walk(folder, problems))
    total = len(files) + len(problems)
    fresh = list(files)
    first = [prefixed(ParseResult(problem=problem), prefix) for problem in problems]
    linked: list[str] = []  # stories whose related links are still to read, for "Mentioned by"
    if cache is not None:
        try:
            cached, fresh, linked = _read_cached(cache, files, workers, prefix)
            first.extend(cached)
        except (sqlite3.Error, ValueError) as error:
            notices.append(f"The index cache could not be read ({error}); reading without it.")
            close_quietly(cache)
            cache = None
    done = len(first)
    keeper = Keeper(cache, files)
    try:
        yield Progress(first, done, total, notices)
        with contextlib.closing(parse_heads(fresh, folder, workers)) as heads:
            for batch, rows in heads:
                done += len(batch)
                linked.extend(row[0] for row in rows if row[3] is None)  # related ids unread
                if prefix:
                    batch = [prefixed(result, prefix) for result in batch]
                yield Progress(batch, done, total, keeper.add_heads(rows))
        # Every file is read and, but for a failing disk, kept: the reader may show it now.
        notices = keeper.write()
        yield Progress([], done, total, notices, finished=True)
        keeper.checkpoint()
        # Last, the links of the related lists, for "Mentioned by" (of every story not
        # cached with them: read now, or before a load was stopped).
        with contextlib.closing(read_related_ids(linked, folder, workers)) as links:
            for found in links:
                notices = keeper.add_related(found)
                if prefix:
                    found = {prefix + path: ids for path, ids in found.items()}
                yield Progress([], done, total, notices, related_ids=found)
    finally:
        keeper.stop()  # stopped early too (the reader quits): keep what was read
        if cache is not None:
            close_quietly(cache)


def _read_cached(
    cache: IndexCache, files: dict[str, FileStamp], workers: int | None, prefix: str
) -> tuple[list[ParseResult], list[str], list[str]]:
    """What the index cache holds of a folder's files: (the unchanged files' results, the
    files to parse, the cached stories whose related links are unread). Files gone from the
    folder are forgotten at once (the next start's first screen must not show them). Raises
    sqlite3.Error or ValueError for a cache that cannot be read: then none of it is used."""
    from reader.feed.workers import PARALLEL_FROM, start_workers

    stamps = cache.stamps()
    unchanged = {name for name, stamp in files.items() if stamps.get(name) == stamp}
    fresh = [name for name in files if name not in unchanged]
    if len(fresh) >= PARALLEL_FROM and workers != 1:
        start_workers()  # their server starts while the cached rows are read
    linked: list[str] = []
    cached = list(cache.rows(unchanged, linked, prefix))
    gone = [name for name in stamps if name not in files]
    if gone:
        cache.forget(gone)
    return cached, fresh, linked


COMMIT_SECONDS = 0.5  # what a load read is in the index cache at most about this long after

# Parsed files' rows and related links' ids; or CHECKPOINT.
Batch = tuple[list[CacheRow], dict[str, bytes]] | str
CHECKPOINT = "checkpoint"


class Keeper:
    """What a scan read, on its way to the index cache: about every COMMIT_SECONDS, what came
    since is handed to a thread of its own that commits it in one transaction. So whatever ends
    the reader (`q`, a closed terminal, kill -9), the next start parses only what came after
    the last commit; and the scan does not wait for the disk (SQLite lets go of the GIL while
    it writes), so a first load is no slower for it.

    The writing thread alone uses the cache's connection from the Keeper's start until `stop`.
    `add_heads` and `add_related` return the notices for the user: a write that failed (the
    rest of the scan then writes nothing)."""

    def __init__(
        self,
        cache: IndexCache | None,
        stamps: Mapping[str, FileStamp],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stamps = stamps
        self.clock = clock
        self.heads: list[CacheRow] = []
        self.related: dict[str, bytes] = {}
        self.handed = clock()  # when the last batch was handed over
        self.failure = ""  # set once by the writing thread
        self.told = False
        self.batches: queue.Queue[Batch | None] = queue.Queue()
        self.thread: threading.Thread | None = None
        if cache is not None:
            self.thread = threading.Thread(
                target=self._commit_batches, args=(cache,), name="index-cache", daemon=True
            )
            self.thread.start()

    def add_heads(self, rows: list[CacheRow]) -> list[str]:
        """Parsed files, as the workers made their rows."""
        if self.thread is not None:
            self.heads.extend(rows)
        return self._hand_over_if_due()

    def add_related(self, found: Mapping[str, bytes]) -> list[str]:
        """The related links' ids of files already added."""
        if self.thread is not None:
            self.related.update(found)
        return self._hand_over_if_due()

    def write(self) -> list[str]:
        """Commit what is pending, and wait until it is committed."""
        self._hand_over()
        self.wait()
        return self._notices()

    def wait(self) -> None:
        """Wait until every batch handed over is committed (or failed)."""
        if self.thread is not None:
            self.batches.join()

    def checkpoint(self) -> None:
        """The heads are all in: copy the cache's write-ahead log into it (deferred until now:
        while the list fills, the disk has better things to do), without waiting."""
        if self.thread is not None:
            self.batches.put(CHECKPOINT)

    def stop(self) -> None:
        """Commit what is pending and end the writing thread (the cache is free again)."""
        self._hand_over()
        if self.thread is not None:
            self.batches.put(None)
            self.thread.join()
            self.thread = None

    def _hand_over_if_due(self) -> list[str]:
        if self.clock() - self.handed >= COMMIT_SECONDS:
            self._hand_over()
        return self._notices()

    def _hand_over(self) -> None:
        self.handed = self.clock()
        if self.thread is not None and (self.heads or self.related):
            self.batches.put((self.heads, self.related))
            self.heads, self.related = [], {}

    def _notices(self) -> list[str]:
        if not self.failure or self.told:
            return []
        self.told = True
        return [self.failure]

    def _commit_batches(self, cache: IndexCache) -> None:
        with contextlib.suppress(sqlite3.Error):
            cache.defer_checkpoints()
        while True:
            batch = self.batches.get()
            try:
                if batch is None:
                    return
                if self.failure:
                    continue
                if isinstance(batch, str):  # CHECKPOINT
                    cache.defer_checkpoints(False)
                    continue
                heads, related = batch
                if heads:
                    cache.store_rows(heads, self.stamps)
                if related:
                    cache.store_related_ids(related)
            except (sqlite3.Error, OSError) as error:
                self.failure = f"The index cache could not be written ({error})."
            finally:
                self.batches.task_done()


def result_path(result: ParseResult) -> str:
    """The folder-relative path a parse result is about."""
    if result.story is not None:
        return result.story.path
    assert result.problem is not None
    return result.problem.path
