"""`t`: the story's article in the detail pane, fetched off the screen's thread when it is not
kept (the session hands out the job and takes its result back)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.containers import VerticalScroll
from textual.screen import Screen

from reader.session.session import Session

if TYPE_CHECKING:
    from reader.session.articles import Fetched


class ArticleActions(Screen[None]):
    """The main screen's article commands."""

    session: Session

    def action_article(self) -> None:
        job = self.session.toggle_article()
        if job is not None:
            self.fetch_article(*job)

    def action_scroll_text(self, pages: int, lines: int) -> None:
        """Scroll the story's text (or its article) by pages (space) or lines (J, K)."""
        view = self.query_one("#story-view", VerticalScroll)
        if pages > 0:
            view.scroll_page_down(animate=False)
        elif pages < 0:
            view.scroll_page_up(animate=False)
        else:
            view.scroll_relative(y=lines, animate=False)

    @work(thread=True, group="article", exit_on_error=False)
    def fetch_article(self, url: str, job: Callable[[], Fetched]) -> None:
        """Fetch and extract the page off the screen's thread (keys answer meanwhile)."""
        outcome = job()
        self.app.call_from_thread(self.session.articles.take, url, outcome)
