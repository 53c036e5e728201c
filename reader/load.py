"""Reading a feed folder: walking it, and parsing its files (in parallel when there are many)."""

from __future__ import annotations

import multiprocessing
import os
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from reader.library import Library
from reader.parse import ParseResult, parse_story
from reader.story import FieldWarning, Problem, Story

MAX_FILE_BYTES = 64 * 1024 * 1024  # larger files are reported, not read
PARALLEL_FROM = 200  # below this many files, worker processes cost more than they save
CHUNK = 256

Progress = Callable[[int, int], None]


class FolderError(OSError):
    """The feed folder itself cannot be read."""


def relative(path: Path, folder: Path) -> str:
    """`path` relative to the feed folder, with forward slashes."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def story_files(folder: Path, problems: list[Problem] | None = None) -> Iterator[Path]:
    """Every candidate story file below `folder`, sorted within each folder.

    Hidden files and folders are skipped; symlinked folders are followed once (loops end).
    Folders that cannot be listed are added to `problems`.
    """
    seen: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            info = current.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            if current == folder:
                raise FolderError(
                    f"cannot read folder {folder}: {error.strerror or error}"
                ) from error
            if problems is not None:
                problems.append(Problem(relative(current, folder), _reason(error)))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subfolders.append(Path(entry.path))
                elif entry.is_file():
                    yield Path(entry.path)
            except OSError:
                continue  # vanished or a broken link: nothing to read
        pending.extend(reversed(subfolders))


def _reason(error: OSError) -> str:
    return error.strerror or error.__class__.__name__


def read_story(path: Path, folder: Path) -> ParseResult:
    """Read and parse one file; I/O failures become a problem, never an exception."""
    name = relative(path, folder)
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return ParseResult(problem=Problem(name, "not a regular file"))
            if info.st_size > MAX_FILE_BYTES:
                size = info.st_size // (1024 * 1024)
                return ParseResult(problem=Problem(name, f"file too large ({size} MiB)"))
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return ParseResult(problem=Problem(name, "file vanished while the folder was read"))
    except OSError as error:
        return ParseResult(problem=Problem(name, f"cannot read: {_reason(error)}"))
    return parse_story(data, name)


def _read_chunk(paths: list[str], folder: str) -> list[ParseResult]:
    base = Path(folder)
    return [read_story(Path(path), base) for path in paths]


def iter_results(
    folder: Path, *, workers: int | None = None, chunk: int = CHUNK
) -> Iterator[tuple[list[ParseResult], int]]:
    """Parse every story file of `folder`, yielding (batch of results, total file count).

    Batches come in file order. Many files are parsed by worker processes.
    """
    listing_problems: list[Problem] = []
    paths = list(story_files(folder, listing_problems))
    total = len(paths) + len(listing_problems)
    if listing_problems:
        yield [ParseResult(problem=problem) for problem in listing_problems], total
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        for start in range(0, len(paths), chunk):
            yield [read_story(path, folder) for path in paths[start : start + chunk]], total
        return
    # forkserver: the reader may run threads (the UI), which fork does not mix with.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["reader.parse"])
    chunks = [[str(p) for p in paths[i : i + chunk]] for i in range(0, len(paths), chunk)]
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for batch in pool.map(_read_chunk, chunks, [str(folder)] * len(chunks)):
                done += 1
                yield batch, total
    except (BrokenProcessPool, OSError):
        # Worker processes could not start or died: finish the rest in this process.
        for rest in chunks[done:]:
            yield _read_chunk(rest, str(folder)), total


def load_library(
    folder: Path, *, workers: int | None = None, progress: Progress | None = None
) -> Library:
    """Read a whole feed folder into a Library. Raises FolderError if the folder is unreadable."""
    stories: list[Story] = []
    problems: list[Problem] = []
    warnings: list[FieldWarning] = []
    done = 0
    for batch, total in iter_results(folder, workers=workers):
        for result in batch:
            if result.story is not None:
                stories.append(result.story)
            if result.problem is not None:
                problems.append(result.problem)
            warnings.extend(result.warnings)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return Library(stories, problems, warnings)
