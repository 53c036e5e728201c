"""Fetching a page from a site that misbehaves, on a server the tests start on 127.0.0.1: each
case ends in one line that says what went wrong, never in a hang or a traceback."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from reader import __version__
from reader.article.articles import read_article
from reader.article.fetch import (
    DEADLINE,
    LIMITS,
    Cancel,
    Cancelled,
    FetchError,
    Limits,
    Page,
    fetch_page,
    new_client,
)
from reader.article.store import ArticleStore
from tests.article.server import Site


def fetch(url: str, limits: Limits = LIMITS) -> Page:
    async def run() -> Page:
        async with new_client(limits) as client:
            return await fetch_page(client, url, limits=limits)

    return asyncio.run(run())


def failure(url: str, limits: Limits = LIMITS) -> FetchError:
    with pytest.raises(FetchError) as raised:
        fetch(url, limits)
    assert "\n" not in raised.value.reason
    return raised.value


def test_a_page_is_fetched_with_a_user_agent_naming_newsreader(site: Site) -> None:
    page = fetch(site.url("/story/1"))
    assert page.status == 200 and b"Harbour plan 1" in page.body
    agent = site.headers_seen["/story/1"]["User-Agent"]
    assert agent.startswith(f"newsreader/{__version__} ")


def test_five_redirects_are_followed_and_a_sixth_is_refused(site: Site) -> None:
    page = fetch(site.url("/redirect/4"))  # 4 -> 3 -> 2 -> 1 -> 0 -> the story: 5 redirects
    assert page.final_url.endswith("/story/end")
    assert "more than 5 redirects" in failure(site.url("/redirect/5")).reason


def test_a_redirect_loop_is_refused(site: Site) -> None:
    assert "loop" in failure(site.url("/loop/a")).reason


@pytest.mark.parametrize("scheme", ["file", "javascript", "data"])
def test_a_redirect_to_another_scheme_is_refused_and_named(site: Site, scheme: str) -> None:
    error = failure(site.url(f"/to/{scheme}"))
    assert f"redirected to a {scheme}: address" in error.reason


@pytest.mark.parametrize("link", ["file:///etc/passwd", "javascript:alert(1)", "ftp://x.org/a"])
def test_links_that_are_not_web_links_are_not_fetched(link: str) -> None:
    assert "only http and https" in failure(link).reason


def test_a_40_mb_page_is_refused_without_reading_it_all(site: Site) -> None:
    error = failure(site.url("/huge"))
    assert error.reason == "the page is too large (40 MB)"
    assert site.sent["/huge"] < 5 * 1024 * 1024


def test_a_page_without_end_is_cut_at_the_size_cap(site: Site) -> None:
    error = failure(site.url("/endless"), Limits(max_bytes=1024 * 1024))
    assert "too large (over 1 MB)" in error.reason


def test_content_that_is_not_html_is_refused_with_its_type(site: Site) -> None:
    assert failure(site.url("/pdf")).reason == "the page is not HTML but application/pdf"


def test_a_server_that_never_answers_ends_at_the_deadline(site: Site) -> None:
    assert DEADLINE < 30  # the real limit: a silent server ends in under 30 s
    error = failure(site.url("/silent"), Limits(deadline=1.0))
    assert error.kind == "timed out"
    error = failure(site.url("/drip"), Limits(deadline=1.0))  # bytes that never end
    assert error.kind == "timed out"


def test_an_http_error_is_told_with_its_status(site: Site) -> None:
    assert failure(site.url("/missing")).reason == "the site answered 404 Not Found"


def test_a_site_that_cannot_be_reached_is_told() -> None:
    with Site() as closed:  # a port that was open a moment ago and is not any more
        url = closed.url("/story/1")
    assert "could not reach the site" in failure(url).reason


def test_fetching_again_sends_the_etag_and_a_304_keeps_what_was_kept(
    site: Site, tmp_path: Path
) -> None:
    store = ArticleStore(tmp_path / "articles.sqlite3")
    first = read_article(store, site.url("/etag"))
    assert first.title == "A page with an ETag"
    again = read_article(store, site.url("/etag"))  # kept: no request
    assert site.requests["/etag"] == 1 and again.text == first.text
    sent = site.sent["/etag"]
    fresh = read_article(store, site.url("/etag"), fresh=True)
    assert site.requests["/etag"] == 2
    assert site.sent["/etag"] == sent  # a 304: no page sent again
    assert site.headers_seen["/etag"]["If-None-Match"] == '"v1"'
    assert fresh.text == first.text and fresh.fetched >= first.fetched


def test_a_fetch_is_cancelled_at_once(site: Site, tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "articles.sqlite3")
    cancel = Cancel()
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(read_article(store, site.url("/silent"), cancel=cancel))
        except Cancelled as stopped:
            outcome.append(stopped)

    worker = threading.Thread(target=run)
    worker.start()
    assert site.wait_for("/silent")
    cancel.set()
    worker.join(timeout=DEADLINE)
    # Cancelled, not timed out: the fetch stopped when asked, not when the deadline came.
    assert not worker.is_alive() and isinstance(outcome[0], Cancelled)


def test_a_compressed_page_is_read(site: Site) -> None:
    page = fetch(site.url("/gzip/page"))
    assert b"A compressed page" in page.body


def test_a_compression_bomb_stops_at_the_cap_as_it_is_decompressed(site: Site) -> None:
    # 50 MB of zeros in about 50 KB: refused once 1 MB has come out, not decompressed whole.
    error = failure(site.url("/gzip/bomb"), Limits(max_bytes=1024 * 1024))
    assert error.reason == "the page is too large (over 1 MB)"


def test_a_page_compressed_twice_over_is_refused(site: Site) -> None:
    error = failure(site.url("/gzip/twice"))
    assert error.reason == "the page is compressed in a way not asked for (gzip, gzip)"


def test_an_etag_that_is_not_ascii_is_not_sent_back(site: Site, tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "articles.sqlite3")
    first = read_article(store, site.url("/etag-latin"))
    again = read_article(store, site.url("/etag-latin"), fresh=True)  # no header it can't send
    assert again.text == first.text
    assert "If-None-Match" not in site.headers_seen["/etag-latin"]


def test_a_redirect_to_a_link_local_address_is_refused(site: Site) -> None:
    # The address a cloud's metadata service answers on: never fetched by a redirect.
    error = failure(site.url("/to/metadata"))
    assert error.reason == "redirected to a link-local address; refused"
