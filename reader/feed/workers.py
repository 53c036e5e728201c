"""Parsing many files at once: in chunks, in worker processes when there are many."""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import os
import sys
from collections.abc import Callable, Generator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from reader.feed.cache import CacheRow, decode, encode
from reader.feed.files import read_bytes, read_story
from reader.feed.frontmatter import related_ids_of
from reader.feed.parse import ParseResult
from reader.model.story import Provider

PARALLEL_FROM = 200  # below this many files, worker processes cost more than they save
CHUNK = 256
FIRST_CHUNK = 32

T = TypeVar("T")


def worker_context() -> multiprocessing.context.BaseContext:
    """How parsing workers start: a fork server (the reader runs threads, which fork does not
    mix with), preloaded with the parser."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def start_workers(*, server: bool = True) -> None:
    """Get parsing workers ready: the fork server (unless not `server`) and the resource
    tracker every pool needs. Called before the interface starts on a first start (they boot
    alongside it), and before each pool (at once when they run already).

    The tracker is given a standard error of its own (the null device): once the interface
    has replaced `sys.stderr`, its fileno() is -1 and the tracker could not start (the pool
    would fail, and the folder be parsed in this process alone, at half the speed)."""
    worker_context()
    from multiprocessing import forkserver, resource_tracker

    with contextlib.suppress(OSError, ValueError), _own_stderr():
        if server:
            forkserver.ensure_running()  # starts the resource tracker too
        else:
            resource_tracker.ensure_running()


@contextlib.contextmanager
def _own_stderr() -> Generator[None, None, None]:
    saved = sys.stderr
    with open(os.devnull, "w") as sink:
        sys.stderr = sink
        try:
            yield
        finally:
            sys.stderr = saved


def parse_files(
    names: list[str], folder: Path, *, head_only: bool = False, workers: int | None = None
) -> Generator[list[ParseResult], None, None]:
    """Read and parse the files `names` (relative to `folder`) in batches, in order; many files
    go to worker processes."""
    if not head_only:
        yield from in_chunks(_read_chunk, names, folder, workers)
        return
    with contextlib.closing(parse_heads(names, folder, workers)) as heads:
        for results, _ in heads:
            yield results


def parse_heads(
    names: list[str], folder: Path, workers: int | None = None
) -> Generator[tuple[list[ParseResult], list[CacheRow]], None, None]:
    """Read the heads of the files `names` in batches, in order: each batch as parse results
    and as the index cache's rows of them (made once, in the worker that parsed them)."""
    providers: dict[tuple[str, str], Provider] = {}
    with contextlib.closing(in_chunks(_read_heads, names, folder, workers)) as blobs:
        for blob in blobs:
            rows: list[CacheRow] = marshal.loads(blob)
            yield _decode_heads(rows, providers), rows


def read_related_ids(
    names: list[str], folder: Path, workers: int | None = None
) -> Generator[dict[str, bytes], None, None]:
    """The link ids of the related entries of the files `names`, in batches of {name: ids}
    (files gone or changed since are left out)."""
    with contextlib.closing(in_chunks(_read_related_ids, names, folder, workers)) as blobs:
        for blob in blobs:
            yield dict(marshal.loads(blob))


def in_chunks(
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
            start_workers()
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


def _read_chunk(names: list[str], folder: str) -> list[ParseResult]:
    return [read_story(folder, name) for name in names]


def _read_heads(names: list[str], folder: str) -> bytes:
    """Story heads as cache rows in one marshal blob: a tenth of the cost of pickling the
    stories, in the worker that makes them and in the reader that takes them. The related
    links are left for `_read_related_ids`, so that the list is complete sooner: their ids
    are None (not read yet) in the rows of stories that have related entries."""
    return marshal.dumps([_head_row(folder, name) for name in names])


def _head_row(folder: str, name: str) -> CacheRow:
    result = read_story(folder, name, head_only=True, related_links=False)
    kind, record, ids, quality, published = encode(result)
    unread = result.story is not None and not result.story.related_loaded
    return name, kind, record, None if unread else ids, quality, published


def _read_related_ids(names: list[str], folder: str) -> bytes:
    """(name, link ids of its related entries) for each file, in one marshal blob."""
    found = []
    for name in names:
        try:
            found.append((name, related_ids_of(read_bytes(folder, name))))
        except OSError:
            continue  # gone or changed since: it has no "Mentioned by" links this time
    return marshal.dumps(found)


def _decode_heads(
    rows: list[CacheRow], providers: dict[tuple[str, str], Provider]
) -> list[ParseResult]:
    return [decode(path, kind, record, ids, providers) for path, kind, record, ids, _, _ in rows]
