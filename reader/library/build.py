"""Building libraries from a folder: the whole of it, or an old library with changed files."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

from reader.feed.cache import FileStamp, IndexCache, close_quietly
from reader.feed.folders import Folders, scan_folders
from reader.feed.load import iter_results, read_story, result_path
from reader.feed.parse import ParseResult, prefixed
from reader.library.builder import LibraryBuilder
from reader.library.library import Library

ProgressCallback = Callable[[int, int], None]


def scan_library(
    folder: Path | Folders, *, cache_file: Path | None = None, workers: int | None = None
) -> Library:
    """A whole folder (or several as one, each through its own cache) read the reader's way
    (`scan`: cached, head-first), as one library. Raises FolderError when a folder cannot be
    read."""
    folders = Folders.one(folder, cache_file) if isinstance(folder, Path) else folder
    builder = LibraryBuilder(folders.first.path, folders.tie)
    for step in scan_folders(folders, workers=workers, strict=True):
        builder.add(step.results)
        builder.add_related_ids(step.related_ids)
    return builder.build()


def load_library(
    folder: Path,
    *,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    mentions: bool = True,
) -> Library:
    """Read a whole feed folder into a Library. Raises FolderError if the folder is unreadable.

    Without `mentions`, which stories mention which is not worked out (`check` has no use
    for it)."""
    builder = LibraryBuilder(folder)
    done = 0
    for batch, total in iter_results(folder, workers=workers):
        builder.add(batch)  # the parser's link ids are used as they are, not worked out again
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return builder.build(mentions=mentions)


def update(library: Library, folders: Folders, names: set[str]) -> tuple[Library, list[str]]:
    """The library after the files `names` (library paths) appeared, changed or went away;
    with notices.

    Only those files are read; their folders' caches learn about them too.
    """
    results: list[ParseResult] = []
    notices: list[str] = []
    # A file that beat another to a link changed: the other may stand alone now.
    names = library.with_rivals(names)
    for source, files in folders.by_source(names).items():
        read: list[ParseResult] = []
        stamps: dict[str, FileStamp] = {}
        for name in sorted(files):
            try:
                info = os.stat(os.path.join(source.path, name))
            except OSError:
                continue  # removed (or a folder that went away: its files are in `names` too)
            if stat.S_ISDIR(info.st_mode):
                continue
            stamps[name] = FileStamp(info.st_size, info.st_mtime_ns)
            read.append(read_story(source.path, name, head_only=True))
        results.extend(prefixed(result, source.prefix) for result in read)
        if source.cache_file is not None:
            notices.extend(_store(source.cache_file, read, stamps, files))
    builder = LibraryBuilder.resume(library, names)  # the rest is kept as it is
    builder.add(results)
    return builder.build(final=True), notices


def _store(
    cache_file: Path, results: list[ParseResult], stamps: dict[str, FileStamp], names: set[str]
) -> list[str]:
    """Keep a folder's re-read files in its cache, and forget those that went away."""
    cache, notice = IndexCache.open(cache_file)
    if cache is None:
        return [notice] if notice else []
    try:
        cache.store((result_path(r), stamps[result_path(r)], r) for r in results)
        cache.forget(n for n in names if n not in stamps)
    except (sqlite3.Error, OSError) as error:
        return [f"The index cache could not be written ({error})."]
    finally:
        close_quietly(cache)
    return []
