"""Reading a feed folder: walking it, and parsing its files (in parallel when there are many)."""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import os
import sqlite3
import stat
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from reader.feed.cache import FileStamp, IndexCache, decode, encode
from reader.feed.parse import ParseResult, parse_story, related_ids_of
from reader.model.story import Problem, Provider, RelatedStory

MAX_FILE_BYTES = 64 * 1024 * 1024  # larger files are reported, not read
PARALLEL_FROM = 200  # below this many files, worker processes cost more than they save
CHUNK = 256
FIRST_CHUNK = 32
PROVISIONAL = 200  # best cached stories shown (`cached_best`) before a folder is checked

T = TypeVar("T")


class FolderError(OSError):
    """The feed folder itself cannot be read."""


def walk(folder: Path, problems: list[Problem] | None = None) -> Iterator[tuple[str, FileStamp]]:
    """Every candidate story file below `folder`: (path relative to it, size and mtime).

    Sorted by name within each folder. Hidden files and folders are skipped; symlinked folders
    are followed once (loops end). Folders that cannot be listed are added to `problems`.
    Plain strings, not Path objects: this runs once per file of folders of 100,000.
    """
    seen: set[tuple[int, int]] = set()
    pending = [(os.fspath(folder), "")]
    while pending:
        current, prefix = pending.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            if not prefix:
                reason = error.strerror or str(error)
                raise FolderError(f"cannot read folder {folder}: {reason}") from error
            if problems is not None:
                problems.append(Problem(prefix.rstrip("/"), _reason(error)))
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subfolders.append((entry.path, prefix + name + "/"))
                elif entry.is_file():
                    info = entry.stat()
                    yield prefix + name, FileStamp(info.st_size, info.st_mtime_ns)
            except OSError:
                continue  # vanished or a broken link: nothing to read
        pending.extend(reversed(subfolders))


def _reason(error: OSError) -> str:
    return error.strerror or error.__class__.__name__


def read_story(
    folder: Path | str, name: str, *, head_only: bool = False, related_links: bool = True
) -> ParseResult:
    """Read and parse the file `name` (relative to `folder`); I/O failures become a problem."""
    try:
        data = _read(folder, name)
    except FileNotFoundError:
        return ParseResult(problem=Problem(name, "file vanished while the folder was read"))
    except _NotAFile as error:
        return ParseResult(problem=Problem(name, str(error)))
    except OSError as error:
        return ParseResult(problem=Problem(name, f"cannot read: {_reason(error)}"))
    return parse_story(data, name, head_only=head_only, related_links=related_links)


class _NotAFile(OSError):
    """A path that is not a story file to read (its reason is the message)."""


def _read(folder: Path | str, name: str) -> bytes:
    with open(os.path.join(folder, name), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _NotAFile("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise _NotAFile(f"file too large ({info.st_size // (1024 * 1024)} MiB)")
        # Ask for what fstat said (+1 to notice growth): a huge read size costs a huge buffer.
        data = handle.read(info.st_size + 1 if info.st_size else -1)
        if info.st_size and len(data) > info.st_size:  # it grew meanwhile: read the rest
            data += handle.read(MAX_FILE_BYTES - len(data))
    return data


def read_related(folder: Path, path: str) -> tuple[RelatedStory, ...]:
    """The related entries of one story file, fully parsed now (raises ValueError if it fails)."""
    result = read_story(folder, path)
    if result.story is None:
        raise ValueError(result.problem.reason if result.problem else "the file is not a story")
    return result.story.related


def worker_context() -> multiprocessing.context.BaseContext:
    """How parsing workers start: a fork server (the reader runs threads, which fork does not
    mix with), preloaded with the parser."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["reader.feed.load"])
    return context


def start_workers() -> None:
    """Start the fork server now, while the process still has its own standard streams."""
    worker_context()
    from multiprocessing import forkserver

    with contextlib.suppress(OSError, ValueError):
        forkserver.ensure_running()


def _read_chunk(names: list[str], folder: str) -> list[ParseResult]:
    return [read_story(folder, name) for name in names]


def _read_heads(names: list[str], folder: str) -> bytes:
    """Story heads as cache rows in one marshal blob: a tenth of the cost of pickling the
    stories, in the worker that makes them and in the reader that takes them. The related
    links are left for `_read_related_ids`, so that the list is complete sooner."""
    return marshal.dumps(
        [
            (name, *encode(read_story(folder, name, head_only=True, related_links=False)))
            for name in names
        ]
    )


def _read_related_ids(names: list[str], folder: str) -> bytes:
    """(name, link ids of its related entries) for each file, in one marshal blob."""
    found = []
    for name in names:
        try:
            found.append((name, related_ids_of(_read(folder, name))))
        except OSError:
            continue  # gone or changed since: it has no "Mentioned by" links this time
    return marshal.dumps(found)


def _decode_heads(blob: bytes, providers: dict[tuple[str, str], Provider]) -> list[ParseResult]:
    return [
        decode(path, kind, record, ids, providers)
        for path, kind, record, ids, _, _ in marshal.loads(blob)
    ]


def _in_chunks(
    work: Callable[..., T], names: list[str], folder: Path, workers: int | None, *args: object
) -> Generator[T, None, None]:
    """`work(chunk, folder, *args)` for each chunk of `names`, in order; in worker processes
    when there are many."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    base = os.fspath(folder)
    # A small first chunk: the first stories show sooner.
    first = min(FIRST_CHUNK, CHUNK)
    chunks = [names[:first]] if names else []
    chunks += [names[i : i + CHUNK] for i in range(first, len(names), CHUNK)]
    done = 0
    if workers > 1 and len(names) >= PARALLEL_FROM:
        finished = False
        pool = None
        try:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=worker_context())
            n = len(chunks)
            for result in pool.map(work, chunks, [base] * n, *([arg] * n for arg in args)):
                done += 1
                yield result
            finished = True
        except (BrokenProcessPool, OSError, ValueError):
            pass  # worker processes could not start or died: finish the rest in this process
        finally:
            # Stopped early (the reader quits): drop the chunks not started, do not wait.
            if pool is not None:
                pool.shutdown(wait=finished, cancel_futures=True)
    for chunk in chunks[done:]:
        yield work(chunk, base, *args)


def parse_files(
    names: list[str], folder: Path, *, head_only: bool = False, workers: int | None = None
) -> Generator[list[ParseResult], None, None]:
    """Read and parse the files `names` (relative to `folder`) in batches, in order; many files
    go to worker processes."""
    if not head_only:
        yield from _in_chunks(_read_chunk, names, folder, workers)
        return
    providers: dict[tuple[str, str], Provider] = {}
    for blob in _in_chunks(_read_heads, names, folder, workers):
        yield _decode_heads(blob, providers)


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
        _close(cache)


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
    with paused_gc():
        yield from _scan(folder, cache_file, workers)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for a while; what was made meanwhile is frozen after
    (set aside for good), so that it is never walked, now or later."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # cheap, where a collection of 100,000 stories would take a good while
        if enabled:
            gc.enable()


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
            _close(cache)
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
        with contextlib.closing(_in_chunks(_read_related_ids, linked, folder, workers)) as links:
            for blob in links:
                found = dict(marshal.loads(blob))
                yield Progress([], done, total, related_ids=found)
                if cache is not None:
                    with contextlib.suppress(sqlite3.Error):
                        cache.store_related_ids(found)
    finally:
        if not stored:  # stopped early: keep what was read, so the next start goes on from it
            _store(cache, parsed, files, [])
        if cache is not None:
            _close(cache)


def _needs_related_ids(result: ParseResult) -> bool:
    story = result.story
    return (
        story is not None
        and story.related_count > 0
        and not story.related_loaded
        and not result.related_ids
    )


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


def _close(cache: IndexCache) -> None:
    with contextlib.suppress(sqlite3.Error):
        cache.close()
