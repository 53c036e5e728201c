"""The wiring of `t` in the reader: the article in the detail pane (kept ones at once, others
fetched while keys still answer), Escape to stop, the list's mark for kept articles, links to
local stories followed from the related list, and page text shown as text, never markup."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from reader.article.model import Article, Block, Link, Span
from reader.article.store import ArticleStore
from reader.platform import paths
from reader.ui.widgets.related import RelatedList
from reader.ui.widgets.stories import StoryList
from tests.article.server import Site
from tests.conftest import write_story
from tests.ui.conftest import RecordingReader, running, until

HARBOUR = "https://gazette.example.org/harbour-plan"
FERRY = "https://gazette.example.org/ferry"


def pane(app: RecordingReader) -> str:
    return str(app.main.query_one("#story-text", Static).render())


def row(app: RecordingReader, index: int) -> str:
    stories = app.main.query_one(StoryList)
    return stories.render_row(index, 120).plain


def keep(url: str, body: str) -> None:
    """An article kept as `newsreader fetch` keeps it."""
    store = ArticleStore(paths.article_cache())
    store.put(
        Article(
            url=url,
            final_url=url,
            title="Harbour plan",
            byline="Ada Quayle",
            blocks=(
                Block("paragraph", (Span(body + " See the "), Span("ferry report", 1))),
                Block("heading", (Span("What happens next"),), level=2),
            ),
            links=(Link("ferry report", FERRY),),
            fetched=1_700_000_000.0,
        )
    )
    store.close()


def harbour_feed(folder: Path, harbour: str = HARBOUR) -> Path:
    write_story(
        folder, "harbour.md", title="Harbour plan", webUrl=harbour, quality=90,
        excerpt="The board will vote on the plan next month.",
    )  # fmt: skip
    write_story(folder, "ferry.md", title="Ferry timetable", webUrl=FERRY, quality=50)
    return folder


async def test_t_shows_the_kept_article_and_t_again_the_excerpt(feed: Path) -> None:
    keep(HARBOUR, "The harbour board met on Tuesday to hear the case for new berths.")
    async with running(harbour_feed(feed)) as (app, pilot):
        assert "≡ Harbour plan" in row(app, 0)
        assert "≡" not in row(app, 1)
        await pilot.press("t")
        await until(pilot, lambda: "met on Tuesday" in pane(app), "the article never showed")
        text = pane(app)
        assert "Full article · " in text and "by Ada Quayle" in text
        assert "ferry report [1]" in text and f"[1] {FERRY}" in text
        assert "What happens next" in text
        assert "next month" not in text  # in place of the excerpt
        await pilot.press("t")
        await until(pilot, lambda: "next month" in pane(app), "the excerpt never came back")
        assert "met on Tuesday" not in pane(app)


async def test_an_article_not_kept_is_fetched_shown_and_marked_in_the_list(
    feed: Path, site: Site
) -> None:
    async with running(harbour_feed(feed, site.url("/story/5"))) as (app, pilot):
        assert "≡" not in row(app, 0)
        await pilot.press("t")
        await until(pilot, lambda: "new berths" in pane(app), "the fetched article never showed")
        assert "Harbour plan 5" in pane(app)  # the page's own title: not the story's
        assert "The board will vote" not in pane(app)  # the excerpt gave way
        await until(pilot, lambda: "≡" in row(app, 0), "the list never marked the kept article")


async def test_escape_stops_a_fetch_and_keys_answer_meanwhile(feed: Path, site: Site) -> None:
    async with running(harbour_feed(feed, site.url("/silent"))) as (app, pilot):
        await pilot.press("t")
        await until(pilot, lambda: "Fetching the article" in pane(app), "no progress shown")
        assert site.wait_for("/silent")
        await pilot.press("j")  # the cursor moves on while the page is awaited
        await until(pilot, lambda: "Ferry timetable" in pane(app), "the cursor did not move")
        await pilot.press("k")
        await until(pilot, lambda: "Fetching the article" in pane(app), "its fetch went")
        await pilot.press("escape")
        await until(pilot, lambda: "next month" in pane(app), "Escape did not stop the fetch")
        assert "Fetching" not in pane(app)


async def test_a_failed_fetch_is_one_line_that_points_to_the_browser(
    feed: Path, site: Site
) -> None:
    async with running(harbour_feed(feed, site.url("/pdf"))) as (app, pilot):
        await pilot.press("t")
        await until(pilot, lambda: "Could not fetch" in pane(app), "the failure was not said")
        assert "not HTML but application/pdf; o opens the page in the browser." in pane(app)
        assert "next month" in pane(app)  # the excerpt stays


async def test_a_link_of_the_article_to_a_local_story_is_followed(feed: Path) -> None:
    keep(HARBOUR, "The harbour board met on Tuesday to hear the case for new berths.")
    async with running(harbour_feed(feed)) as (app, pilot):
        await pilot.press("t")
        related = app.main.query_one(RelatedList)
        await until(pilot, lambda: "[1] ferry report" in str(related.render_row(1, 80).plain),
                    "the article's local link is not in the related list")  # fmt: skip
        await pilot.press("tab")
        await until(pilot, lambda: related.has_focus, "the related list never had the focus")
        await pilot.press("enter")
        await until(pilot, lambda: "Ferry timetable" in pane(app), "the link was not followed")
        assert app.session is not None and app.session.reading.trail is not None
        assert app.session.reading.trail.position == 2


async def test_page_text_that_looks_like_markup_is_shown_as_it_is(feed: Path) -> None:
    keep(HARBOUR, "Sirens said [bold red]alarm[/] and [@click=app.quit]quit[/] twice.")
    async with running(harbour_feed(feed)) as (app, pilot):
        await pilot.press("t")
        await until(pilot, lambda: "Sirens" in pane(app), "the article never showed")
        assert "[bold red]alarm[/] and [@click=app.quit]quit[/]" in pane(app)
        assert app.is_running


async def test_space_and_j_k_scroll_a_long_article(feed: Path) -> None:
    keep(HARBOUR, " ".join(f"Paragraph words number {n} of a long account." for n in range(400)))
    async with running(harbour_feed(feed), size=(100, 30)) as (app, pilot):
        await pilot.press("t")
        await until(pilot, lambda: "number 399" in pane(app), "the article never showed")
        view = app.main.query_one("#story-view")
        await pilot.press("space")
        await until(pilot, lambda: view.scroll_y > 5, "space did not scroll a page down")
        paged = view.scroll_y
        await pilot.press("K")
        await until(pilot, lambda: view.scroll_y == paged - 3, "K did not scroll three lines up")
        await pilot.press("shift+space")
        await until(pilot, lambda: view.scroll_y == 0, "shift+space did not scroll back up")
