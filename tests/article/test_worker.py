"""Extraction in its worker process: a page that takes too long ends that worker, is said so,
and the next page gets a new worker."""

from __future__ import annotations

import asyncio

import pytest

from reader.article import worker
from reader.article.extract import NoArticle
from tests.article.server import PAGES

PAGE = (PAGES / "a03-wire-ferry-engine-failure.html").read_bytes()


def test_a_page_that_takes_too_long_ends_its_worker_and_the_next_gets_a_new_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker, "EXTRACT_SECONDS", 0.001)  # no page is found that fast
    with pytest.raises(NoArticle) as failed:
        asyncio.run(worker.extract_elsewhere(PAGE, "https://example.org/ferry"))
    assert "the page is left unread" in str(failed.value)
    monkeypatch.setattr(worker, "EXTRACT_SECONDS", 60.0)
    article = asyncio.run(worker.extract_elsewhere(PAGE, "https://example.org/ferry"))
    assert "Norwegian ferry operator Fjordlinje" in article.text
