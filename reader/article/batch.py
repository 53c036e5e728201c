"""Fetching the articles of many stories, politely: a few at once in all, at most two at once
per site, what is kept already skipped unless asked afresh."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from reader.article.articles import get_article
from reader.article.fetch import LIMITS, Cancel, FetchError, Limits, new_client, run_cancellable
from reader.article.store import ArticleStore, key_of
from reader.article.worker import extract_elsewhere
from reader.model.text import clean_line

PER_HOST = 2


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one link."""

    url: str
    status: Literal["fetched", "kept", "failed"]
    reason: str = ""  # for a failure: one line
    kind: str = ""  # for a failure: its kind, to count them by


def fetch_many(
    urls: Sequence[str],
    store: ArticleStore,
    *,
    jobs: int = 4,
    fresh: bool = False,
    limits: Limits = LIMITS,
    done: Callable[[Outcome], None] = lambda outcome: None,
    cancel: Cancel | None = None,
) -> list[Outcome]:
    """Fetch and keep the article of every link (each once), calling `done` as each ends."""
    unique = list(dict.fromkeys(url for url in urls if key_of(url)))
    kept = set() if fresh else set(store.kept())
    outcomes: list[Outcome] = []
    todo = []
    for url in unique:
        if key_of(url) in kept:
            outcomes.append(Outcome(url, "kept"))
            done(outcomes[-1])
        else:
            todo.append(url)
    if todo:
        outcomes += run_cancellable(
            lambda: _fetch_all(todo, store, jobs, fresh, limits, done), cancel
        )
    return outcomes


async def _fetch_all(
    urls: list[str],
    store: ArticleStore,
    jobs: int,
    fresh: bool,
    limits: Limits,
    done: Callable[[Outcome], None],
) -> list[Outcome]:
    everyone = asyncio.Semaphore(max(1, jobs))
    hosts: dict[str, asyncio.Semaphore] = {}

    async def one(client: object, url: str) -> Outcome:
        host = (urlsplit(url).hostname or "").lower()
        per_host = hosts.setdefault(host, asyncio.Semaphore(PER_HOST))
        async with everyone, per_host:
            try:
                await get_article(
                    client,  # type: ignore[arg-type]
                    store,
                    url,
                    fresh=fresh,
                    limits=limits,
                    extractor=extract_elsewhere,
                )
                outcome = Outcome(url, "fetched")
            except FetchError as error:
                outcome = Outcome(url, "failed", error.reason, error.kind)
            except Exception as error:  # a store that cannot be written, …: this link fails
                reason = f"it failed ({clean_line(str(error))[:120]})"
                outcome = Outcome(url, "failed", reason, "failed")
        done(outcome)
        return outcome

    async with new_client(limits) as client:
        return list(await asyncio.gather(*(one(client, url) for url in urls)))


def summary(outcomes: Sequence[Outcome]) -> str:
    """One line: how many were fetched, kept already and failed, the failures by kind."""
    counts = Counter(outcome.status for outcome in outcomes)
    line = f"{counts['fetched']} fetched, {counts['kept']} kept already, {counts['failed']} failed"
    kinds = Counter(outcome.kind for outcome in outcomes if outcome.status == "failed")
    if kinds:
        line += ": " + ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    return line
