"""An article for a link: from the store, else fetched, extracted and kept."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from reader.article.extract import NoArticle, extract
from reader.article.fetch import (
    LIMITS,
    Cancel,
    FetchError,
    Limits,
    fetch_page,
    new_client,
    run_cancellable,
)
from reader.article.model import Article
from reader.article.store import ArticleStore
from reader.model.links import is_web_url

if TYPE_CHECKING:
    import httpx

# Extraction elsewhere (a worker process: reader.article.worker), else in a thread here.
Extractor = Callable[[bytes, str, str, str | None], Awaitable[Article]]


async def get_article(
    client: httpx.AsyncClient,
    store: ArticleStore,
    url: str,
    *,
    fresh: bool = False,
    limits: Limits = LIMITS,
    progress: Callable[[str], None] = lambda note: None,
    extractor: Extractor | None = None,
) -> tuple[Article, bool]:
    """The article of `url` and whether it was fetched now (False: from the store). A page
    fetched again that has not changed (304) keeps what was kept. FetchError otherwise."""
    if not fresh:
        kept = await asyncio.to_thread(store.get, url)
        if kept is not None:
            return kept, False
    if not is_web_url(url):
        raise FetchError("the story has no web link to fetch", "not a web link")
    etag, modified = await asyncio.to_thread(store.validators, url)
    page = await fetch_page(
        client, url, etag=etag, last_modified=modified, limits=limits, progress=progress
    )
    if page.status == 304:
        await asyncio.to_thread(store.touch, url)
        kept = await asyncio.to_thread(store.get, url)
        if kept is not None:
            return kept, True
        page = await fetch_page(client, url, limits=limits)
    progress("finding the text")
    try:
        if extractor is not None:
            article = await extractor(page.body, url, page.final_url, page.charset)
        else:
            article = await asyncio.to_thread(extract, page.body, url, page.final_url, page.charset)
    except NoArticle as error:
        raise FetchError(str(error), "no text") from None
    except Exception as error:  # the extractor's own failure on a strange page: a reason
        raise FetchError(
            f"the page could not be read ({type(error).__name__})", "no text"
        ) from None
    article = dataclasses.replace(article, fetched=time.time())
    await asyncio.to_thread(store.put, article, page.etag, page.last_modified)
    return article, True


def read_article(
    store: ArticleStore,
    url: str,
    *,
    fresh: bool = False,
    cancel: Cancel | None = None,
    limits: Limits = LIMITS,
    progress: Callable[[str], None] = lambda note: None,
    extractor: Extractor | None = None,
) -> Article:
    """`get_article` for a thread of its own (a worker, the command line): Cancelled when
    `cancel` is set, FetchError when the page fails."""
    kept = None if fresh else store.get(url)
    if kept is not None:  # no event loop for what is already kept
        return kept

    async def work() -> Article:
        async with new_client(limits) as client:
            article, _ = await get_article(
                client,
                store,
                url,
                fresh=fresh,
                limits=limits,
                progress=progress,
                extractor=extractor,
            )
            return article

    return run_cancellable(work, cancel)
