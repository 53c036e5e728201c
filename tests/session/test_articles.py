"""The article in the detail pane, driven through the session without a screen: `t` shows a
kept article at once and fetches the others as a job, Escape stops a fetch, a failure says what
went wrong, the article's links to local stories can be followed, and queries see kept text."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.article.fetch import Cancelled
from reader.article.model import Article, Block, Link, Span
from reader.article.store import ArticleStore
from reader.session.session import Session
from tests.article.server import Site
from tests.conftest import write_story
from tests.session.test_session import opened

HARBOUR = "https://gazette.example.org/harbour-plan"
FERRY = "https://gazette.example.org/ferry"


def kept_article(url: str, words: str = "The harbour board met on Tuesday.") -> Article:
    return Article(
        url=url,
        final_url=url,
        title="Harbour plan",
        blocks=(
            Block("paragraph", (Span(words + " It read the "), Span("ferry report", 1))),
            Block("item", (Span("More berths"),), level=1),
        ),
        links=(Link("ferry report", FERRY),),
        fetched=1_700_000_000.0,
    )


@pytest.fixture
def store(tmp_path: Path) -> ArticleStore:
    return ArticleStore(tmp_path / "articles.sqlite3")


def harbour_feed(folder: Path, harbour: str = HARBOUR) -> Path:
    write_story(folder, "harbour.md", title="Harbour plan", webUrl=harbour, quality=90)
    write_story(folder, "ferry.md", title="Ferry timetable", webUrl=FERRY, quality=50)
    write_story(folder, "quiet.md", title="Quiet story", quality=10)
    return folder


def session_on(folder: Path, store: ArticleStore, tmp_path: Path) -> Session:
    session, _ = opened(folder, tmp_path, article_store=store)
    return session


def test_t_shows_a_kept_article_at_once_and_t_again_the_excerpt(
    feed: Path, store: ArticleStore, tmp_path: Path
) -> None:
    store.put(kept_article(HARBOUR))
    session = session_on(harbour_feed(feed), store, tmp_path)
    assert session.toggle_article() is None  # kept: no fetch
    article = session.snapshot.article
    assert article is not None and article.state == "shown" and article.article is not None
    assert article.article.words == kept_article(HARBOUR).words
    assert session.toggle_article() is None
    assert session.snapshot.article is None  # the excerpt again


def test_the_article_stays_on_for_kept_stories_as_the_user_moves(
    feed: Path, store: ArticleStore, tmp_path: Path
) -> None:
    store.put(kept_article(HARBOUR))
    session = session_on(harbour_feed(feed), store, tmp_path)
    session.toggle_article()
    quiet = next(s for s in session.snapshot.view if s.title == "Quiet story")
    session.reading.highlight(quiet)
    assert session.snapshot.article is None  # nothing kept for it: its excerpt
    session.reading.highlight(session.snapshot.view[0])
    assert session.snapshot.article is not None  # back on a kept one: shown at once


def test_the_articles_links_to_local_stories_can_be_followed(
    feed: Path, store: ArticleStore, tmp_path: Path
) -> None:
    store.put(kept_article(HARBOUR))
    session = session_on(harbour_feed(feed), store, tmp_path)
    session.toggle_article()
    article = session.snapshot.article
    assert article is not None
    [row] = article.local
    assert row.entry.title == "[1] ferry report" and row.local is not None
    session.reading.follow(row.local)
    detail = session.snapshot.detail
    assert detail is not None and detail.target.title == "Ferry timetable"
    assert detail.trail.position == 2


def test_a_story_not_kept_is_fetched_by_a_job_and_kept(
    feed: Path, store: ArticleStore, tmp_path: Path, site: Site
) -> None:
    session = session_on(harbour_feed(feed, site.url("/story/3")), store, tmp_path)
    job = session.toggle_article()
    assert job is not None
    fetching = session.snapshot.article
    assert fetching is not None and fetching.state == "fetching"
    assert "Fetching the article" in fetching.note
    url, work = job
    session.articles.take(url, work())
    shown = session.snapshot.article
    assert shown is not None and shown.state == "shown" and shown.article is not None
    assert shown.article.title == "Harbour plan 3"
    kept = session.snapshot.kept
    assert kept is not None and kept.has_article(session.snapshot.view[0])


def test_a_failed_fetch_says_why_and_that_o_opens_the_page(
    feed: Path, store: ArticleStore, tmp_path: Path, site: Site
) -> None:
    session = session_on(harbour_feed(feed, site.url("/pdf")), store, tmp_path)
    job = session.toggle_article()
    assert job is not None
    session.articles.take(job[0], job[1]())
    failed = session.snapshot.article
    assert failed is not None and failed.state == "failed"
    assert "not HTML but application/pdf" in failed.note and "o opens" in failed.note


def test_a_story_without_a_web_link_has_no_article_to_fetch(
    feed: Path, store: ArticleStore, tmp_path: Path
) -> None:
    session = session_on(harbour_feed(feed), store, tmp_path)
    quiet = next(s for s in session.snapshot.view if s.title == "Quiet story")
    session.reading.highlight(quiet)
    assert session.toggle_article() is None
    assert session.snapshot.article is None
    assert [n.text for n in session.snapshot.notices] == [
        "This story has no web link, so there is no article to read."
    ]


def test_escape_stops_a_fetch_and_the_excerpt_comes_back(
    feed: Path, store: ArticleStore, tmp_path: Path, site: Site
) -> None:
    session = session_on(harbour_feed(feed, site.url("/silent")), store, tmp_path)
    job = session.toggle_article()
    assert job is not None
    assert session.articles.cancel()
    assert session.snapshot.article is None
    outcome = job[1]()  # the cancelled job ends at once
    assert isinstance(outcome.result, Cancelled)
    session.articles.take(job[0], outcome)
    assert session.snapshot.article is None


def test_queries_find_stories_by_their_kept_text(
    feed: Path, store: ArticleStore, tmp_path: Path
) -> None:
    store.put(kept_article(HARBOUR, "The harbour board met on Tuesday about the dredger."))
    store.put(kept_article(FERRY, "The ferry timetable changes in spring."))
    session = session_on(harbour_feed(feed), store, tmp_path)
    session.navigation.search("has:article")
    assert {s.title for s in session.snapshot.view} == {"Harbour plan", "Ferry timetable"}
    session.navigation.search('text:"the dredger"')
    assert [s.title for s in session.snapshot.view] == ["Harbour plan"]
    session.navigation.search("-has:article")
    assert [s.title for s in session.snapshot.view] == ["Quiet story"]


def test_a_late_result_of_a_stopped_fetch_leaves_the_next_one_alone(
    feed: Path, store: ArticleStore, tmp_path: Path, site: Site
) -> None:
    session = session_on(harbour_feed(feed, site.url("/silent")), store, tmp_path)
    first = session.toggle_article()
    assert first is not None
    session.toggle_article()  # t again: stopped
    second = session.toggle_article()  # and asked for again before the first job ended
    assert second is not None
    session.articles.take(first[0], first[1]())  # the first job's late Cancelled
    view = session.snapshot.article
    assert view is not None and view.state == "fetching"  # the second fetch is still shown
    assert session.articles.cancel(second[0])  # and Escape still stops it
    assert isinstance(second[1]().result, Cancelled)


def test_t_on_a_story_whose_fetch_runs_shows_it_instead_of_fetching_again(
    feed: Path, store: ArticleStore, tmp_path: Path, site: Site
) -> None:
    store.put(kept_article(FERRY))
    session = session_on(harbour_feed(feed, site.url("/silent")), store, tmp_path)
    harbour, ferry = session.snapshot.view[0], session.snapshot.view[1]
    assert session.toggle_article() is not None  # the harbour page is fetched
    session.reading.highlight(ferry)
    assert session.toggle_article() is None  # ferry's kept article was shown: t, excerpt
    session.reading.highlight(harbour)
    assert session.toggle_article() is None  # its fetch is under way: shown, not asked again
    view = session.snapshot.article
    assert view is not None and view.state == "fetching"
    assert session.articles.cancel(harbour.url)


def test_an_article_read_stays_the_same_view_when_another_fetch_ends(
    feed: Path, store: ArticleStore, tmp_path: Path, site: Site
) -> None:
    store.put(kept_article(FERRY))
    session = session_on(harbour_feed(feed, site.url("/story/2")), store, tmp_path)
    harbour, ferry = session.snapshot.view[0], session.snapshot.view[1]
    job = session.toggle_article()
    assert job is not None
    session.reading.highlight(ferry)
    reading = session.snapshot.article
    assert reading is not None and reading.state == "shown"
    session.articles.take(job[0], job[1]())  # the harbour page came meanwhile
    assert session.snapshot.article is reading  # the same view: the pane keeps its scroll
    session.reading.highlight(harbour)
    kept = session.snapshot.article
    assert kept is not None and kept.article is not None
    assert kept.article.title == "Harbour plan 2"


def test_a_fetch_that_cannot_keep_its_article_says_so(
    feed: Path, tmp_path: Path, site: Site
) -> None:
    (tmp_path / "blocked").write_text("a file where the cache folder would be")
    store = ArticleStore(tmp_path / "blocked" / "articles.sqlite3")
    session = session_on(harbour_feed(feed, site.url("/story/4")), store, tmp_path)
    job = session.toggle_article()
    assert job is not None
    session.articles.take(job[0], job[1]())
    view = session.snapshot.article
    assert view is not None and view.state == "failed"
    assert view.note.startswith("Could not fetch the article: it failed (")


def test_text_queries_fold_as_the_rest_of_the_language(
    feed: Path, store: ArticleStore, tmp_path: Path
) -> None:
    store.put(kept_article(HARBOUR, "Die Fußgängerzone in der Hauptstraße wird größer."))
    session = session_on(harbour_feed(feed), store, tmp_path)
    for query in ("text:Fußgängerzone", "text:fussgangerzone", 'text:"HAUPTSTRASSE wird"'):
        session.navigation.search(query)
        assert [s.title for s in session.snapshot.view] == ["Harbour plan"], query
