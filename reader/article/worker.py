"""Extraction in a worker process: finding a page's text is seconds of Python on a long page,
and in a thread it would take the interpreter from the screen (keys slower the whole time).
One process, started on the first page that needs it; a page that kills it (a crash in the
HTML parser) costs that page, not the reader."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from reader.article.extract import NoArticle, extract
from reader.article.model import Article
from reader.feed.workers import start_workers, worker_context

EXTRACT_SECONDS = 30.0  # one page's extraction, at most
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            start_workers()
            # At a lower priority: on a machine with few processors the screen's process
            # comes first, and keys answer while a long page is read.
            _pool = ProcessPoolExecutor(
                max_workers=1, mp_context=worker_context(), initializer=os.nice, initargs=(10,)
            )
        return _pool


async def extract_elsewhere(
    data: bytes, url: str, final_url: str = "", charset: str | None = None
) -> Article:
    """`extract`, in the worker process; NoArticle as there."""
    global _pool
    pool = _executor()
    try:
        future: Future[Article] = pool.submit(extract, data, url, final_url, charset)
        return await asyncio.wait_for(asyncio.wrap_future(future), EXTRACT_SECONDS)
    except TimeoutError:
        _end(pool)  # a page the extractor cannot finish: the worker goes, with the page
        raise NoArticle(
            f"finding the text took over {EXTRACT_SECONDS:.0f} s; the page is left unread"
        ) from None
    except BrokenProcessPool:
        with _lock:
            if _pool is pool:  # the next page starts a new worker (unless one did already)
                _pool = None
        raise NoArticle("the page stopped the text extractor (it is not readable here)") from None


def _end(pool: ProcessPoolExecutor) -> None:
    """End a worker stuck on a page: its process is stopped (the pool has no public way to),
    and the next page starts a new one."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
