"""Loading a feed folder: the whole of it, or the reader's way (cached, head-first, in steps).

The folder's walk, the reading of one file and the worker processes live in `walk`, `files` and
`workers`; their names the rest of the reader uses are here too.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader import memory
from reader.feed.cache import FileStamp, IndexCache, close_quietly
from reader.feed.files import read_related, read_story
from reader.feed.parse import ParseResult
from reader.feed.walk import FolderError, walk
from reader.feed.workers import PARALLEL_FROM, parse_files, read_related_ids, start_workers
from reader.model.story import Problem

__all__ = [
    "PARALLEL_FROM",
    "PROVISIONAL",
    "FolderError",
    "Progress",
    "cached_best",
    "iter_results",
    "parse_files",
    "read_related",
    "read_story",
    "result_path",
    "scan",
    "start_workers",
    "walk",
]

PROVISIONAL = 200  # best cached stories shown (`cached_best`) before a folder is checked


def iter_results(
    folder: Path, *, workers: int | None = None
) -> Iterator[tuple[list[ParseResult], int]]:
    """Fully parse every story file of `folder`, yielding (batch of results, total file count)."""
    listing_problems: list[Problem] = []
    names = [name for name, _ in walk(folder, listing_problems)]
    total = len(names) + len(listing_problems)
    if listing_problems:
        yield [ParseResult(problem=problem) for problem in listing_problems], total
    for batch in parse_files(names, folder, workers=workers):
        yield batch, total


def cached_best(cache_file: Path) -> list[ParseResult]:
    """The best stories of a folder's index cache, as they were cached (nothing when there is
    no usable cache: `scan` says why)."""
    if not cache_file.is_file():
        return []
    cache, _ = IndexCache.open(cache_file)
    if cache is None:
        return []
    try:
        return cache.best(PROVISIONAL)
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
    finished: bool = False  # every file is accounted for (the cache is written after this)
    related_ids: dict[str, bytes] = field(default_factory=dict)  # after `finished`: path -> ids


def scan(
    folder: Path,
    *,
    cache_file: Path | None = None,
    workers: int | None = None,
) -> Generator[Progress, None, None]:
    """Load a folder for the reader: unchanged files from the index cache, the rest parsed
    head-first (in parallel), new results written back. Raises FolderError only for the folder.

    The cycle collector pauses meanwhile: the stories are not garbage, and walking the growing
    heap of 100,000 of them again and again would cost a third of the load.
    """
    with memory.paused():
        yield from _scan(folder, cache_file, workers)


def _scan(
    folder: Path, cache_file: Path | None, workers: int | None
) -> Generator[Progress, None, None]:
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
    first = [ParseResult(problem=problem) for problem in problems]
    gone: list[str] = []
    if cache is not None:
        try:
            stamps = cache.stamps()
            unchanged = {name for name, stamp in files.items() if stamps.get(name) == stamp}
            first.extend(cache.rows(unchanged))
            fresh = [name for name in files if name not in unchanged]
            gone = [name for name in stamps if name not in files]
        except (sqlite3.Error, ValueError) as error:
            notices.append(f"The index cache could not be read ({error}); reading without it.")
            close_quietly(cache)
            cache = None
    done = len(first)
    yield Progress(first, done, total, notices)
    parsed: list[ParseResult] = []
    stored = False
    try:
        with contextlib.closing(
            parse_files(fresh, folder, head_only=True, workers=workers)
        ) as heads:
            for batch in heads:
                done += len(batch)
                parsed.extend(batch)
                yield Progress(batch, done, total)
        # Everything is read: say so first, so the reader can show it, then keep it.
        yield Progress([], done, total, finished=True)
        stored = True
        notice = _store(cache, parsed, files, gone)
        if notice:
            yield Progress([], done, total, [notice])
        # Last, the links of the related lists, for "Mentioned by" (of every story not
        # cached with them: read now, or before a load was stopped).
        linked = [r.story.path for r in (*first, *parsed) if r.story and _needs_related_ids(r)]
        with contextlib.closing(read_related_ids(linked, folder, workers)) as links:
            for found in links:
                yield Progress([], done, total, related_ids=found)
                if cache is not None:
                    with contextlib.suppress(sqlite3.Error):
                        cache.store_related_ids(found)
    finally:
        if not stored:  # stopped early: keep what was read, so the next start goes on from it
            _store(cache, parsed, files, [])
        if cache is not None:
            close_quietly(cache)


def _needs_related_ids(result: ParseResult) -> bool:
    story = result.story
    return story is not None and not story.related_loaded and not result.related_ids


def _store(
    cache: IndexCache | None,
    parsed: list[ParseResult],
    files: dict[str, FileStamp],
    gone: list[str],
) -> str:
    """Write parsed files to the cache (forgetting `gone` ones); a notice if that failed."""
    if cache is None:
        return ""
    try:
        for start in range(0, len(parsed), 5000):
            chunk = parsed[start : start + 5000]
            cache.store((result_path(r), files[result_path(r)], r) for r in chunk)
        if gone:
            cache.forget(gone)
    except (sqlite3.Error, OSError) as error:
        return f"The index cache could not be written ({error})."
    return ""


def result_path(result: ParseResult) -> str:
    """The folder-relative path a parse result is about."""
    if result.story is not None:
        return result.story.path
    assert result.problem is not None
    return result.problem.path
