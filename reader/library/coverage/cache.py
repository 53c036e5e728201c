"""A library's coverage (which stories report one event), kept in the folder's index cache.

Grouping 100,000 stories takes seconds; a warm start takes the groups the cache kept for the
same stories at once. They are kept under a signature of what they were worked out from: the
grouping method and every story file's path, size and modification time, as the cache
recorded them. Runs in a worker thread: it opens a connection of its own.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.feed.cache import IndexCache, close_quietly
from reader.library.coverage.groups import METHOD, Coverage, for_library
from reader.library.library import Library
from reader.model.story import Story


@dataclass(frozen=True, slots=True)
class Grouped:
    """A library's coverage, and whether it came from the cache."""

    coverage: Coverage
    cached: bool
    notice: str = ""


def coverage_of(
    library: Library,
    cache_file: Path | None,
    previous: Coverage | None = None,
    removed: Iterable[str] = (),
    added: Iterable[Story] = (),
) -> Grouped:
    """The coverage of `library`: the cache's when it was kept for these very stories, else
    worked out (only what changed, given the `previous` coverage and what changed since) and
    kept. Pure but for the cache: safe in a worker thread."""
    cache, notice = IndexCache.open(cache_file) if cache_file is not None else (None, "")
    coverage: Coverage | None = None
    try:
        signature = _signature(library, cache) if cache is not None else ""
        if cache is not None and previous is None:
            kept, rows = cache.groups()
            if kept and kept == signature:
                return Grouped(Coverage.from_rows(rows), cached=True, notice=notice)
        coverage = for_library(library, previous, removed, added)
        if cache is not None and signature:
            cache.store_groups(signature, coverage.to_rows())
        return Grouped(coverage, cached=False, notice=notice)
    except sqlite3.Error as error:  # (grouped already, when only keeping the groups failed)
        if coverage is None:
            coverage = for_library(library, previous, removed, added)
        return Grouped(coverage, cached=False, notice=f"The groups could not be kept ({error}).")
    finally:
        if cache is not None:
            close_quietly(cache)


def _signature(library: Library, cache: IndexCache) -> str:
    """What the groups of `library` depend on: the method and each story file's stamp ('' when
    a story's file is not in the cache, so nothing is kept for it)."""
    stamps = cache.stamps()
    digest = hashlib.sha256(f"method {METHOD}\n".encode())
    for path in sorted(story.path for story in library.stories):
        stamp = stamps.get(path)
        if stamp is None:
            return ""
        digest.update(f"{path}\0{stamp.size}\0{stamp.mtime_ns}\n".encode("utf-8", "replace"))
    return digest.hexdigest()
