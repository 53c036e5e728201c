"""The article in the detail pane: `t` shows the page's text in place of the excerpt (kept
ones at once, offline; others fetched off the owner's thread, with progress, cancellable),
and `t` again the excerpt. Also what lists and queries know of kept articles."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from reader.article.store import ArticleStore, KeptIndex, key_of
from reader.model.links import is_web_url
from reader.model.story import Links, RelatedStory, Story
from reader.model.text import clean_line
from reader.session.detail import RelatedRow

if TYPE_CHECKING:  # fetching and extracting are imported by the first fetch, not on a start
    from reader.article.fetch import Cancel, Cancelled, FetchError
    from reader.article.model import Article

BROWSER_HINT = "o opens the page in the browser"


@dataclass(frozen=True, slots=True)
class ArticleView:
    """The article piece of a snapshot, for the stop whose link is `url`."""

    url: str
    state: Literal["fetching", "shown", "failed"]
    article: Article | None = None
    note: str = ""  # while fetching: how it goes; failed: what went wrong
    # The article's numbered links that are stories of the folders, to follow on the trail
    # like related stories (each entry's title starts with the link's number).
    local: tuple[RelatedRow, ...] = ()


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one fetch came to, with the handle it was started with (a late result of an
    earlier fetch of the same link is told apart from the one under way)."""

    token: Cancel
    result: Article | FetchError | Cancelled


# A job for a worker thread: the link, and the work that fetches it (hand what it returns to
# `Articles.take`).
ArticleJob = tuple[str, Callable[[], Fetched]]
KEPT_VIEWS = 16  # articles kept ready to show again (moving back and forth between stories)


class Articles:
    """Whether the pane shows articles, the fetches under way or failed, the kept index."""

    def __init__(
        self,
        store: ArticleStore,
        changed: Callable[[], object],
        resolve: Callable[[RelatedStory], Story | None] = lambda entry: None,
    ) -> None:
        self.store = store
        self._resolve = resolve
        self.index = KeptIndex(store)  # a new object after each fetch (lists compare with is)
        self.on = False  # `t` asked for the article; moving on shows kept ones at once
        self._changed = changed
        self._active: dict[str, ArticleView] = {}  # fetching or failed, by link
        self._cancel: dict[str, Cancel] = {}
        self._progress: dict[str, str] = {}  # written by the fetch's thread
        self._shown: dict[str, ArticleView] = {}  # the last kept articles read, by link
        self._started: dict[str, float] = {}

    def piece(self, url: str) -> ArticleView | None:
        """What the pane shows for the stop whose link is `url`: None for its excerpt."""
        if not url or not self.on:
            return None
        active = self._active.get(url)
        if active is not None:
            return active
        shown = self._shown.get(url)
        if shown is not None:
            return shown
        if self.index.kept.get(key_of(url) or "") is None:
            return None
        article = self.store.get(url)
        return self._keep_view(self._view(url, article)) if article is not None else None

    def _keep_view(self, view: ArticleView) -> ArticleView:
        """Keep `view` to show again as it is (the same object: the pane keeps its scroll)."""
        self._shown[view.url] = view
        while len(self._shown) > KEPT_VIEWS:
            del self._shown[next(iter(self._shown))]
        return view

    def _view(self, url: str, article: Article) -> ArticleView:
        """The view of a kept article, with its links that are stories of the folders."""
        local = []
        for number, link in enumerate(article.links, 1):
            entry = RelatedStory(f"[{number}] {link.text}", links=Links(web=link.url))
            story = self._resolve(entry)
            if story is not None:
                local.append(RelatedRow(entry, story))
        return ArticleView(url, "shown", article, local=tuple(local))

    def toggle(self, url: str) -> ArticleJob | None:
        """`t` on the stop whose link is `url`: its article, or its excerpt again. A job when
        the page must be fetched."""
        active = self._active.get(url)
        if active is not None and active.state == "fetching":  # under way: t stops it, or
            if not self.on:  # shows it again when the pane had gone back to excerpts
                self.on = True
                self._changed()
            else:
                self.cancel(url)
            return None
        shown = self.piece(url)
        if shown is not None and shown.state == "shown":
            self.on = False
            self._changed()
            return None
        self.on = True
        self._active.pop(url, None)  # a failed one is tried again
        if self.piece(url) is not None:  # kept: shown at once
            self._changed()
            return None
        if not is_web_url(url):
            reason = "this story has no web link to fetch its article from"
            self._active[url] = ArticleView(url, "failed", note=reason)
            self._changed()
            return None
        return self._start(url)

    def _start(self, url: str) -> ArticleJob:
        from reader.article.fetch import Cancel

        cancel = Cancel()
        self._cancel[url] = cancel
        self._started[url] = time.monotonic()
        self._progress[url] = "connecting"
        self._active[url] = ArticleView(url, "fetching", note="Fetching the article…")
        self._changed()
        store, progress = self.store, self._progress

        def job() -> Fetched:
            from reader.article.articles import read_article
            from reader.article.fetch import Cancelled, FetchError
            from reader.article.worker import extract_elsewhere

            def report(note: str) -> None:
                progress[url] = note

            try:
                result: Article | FetchError | Cancelled = read_article(
                    store, url, cancel=cancel, progress=report, extractor=extract_elsewhere
                )
            except (FetchError, Cancelled) as outcome:
                result = outcome
            except Exception as error:  # a full disk, a store that cannot be written, …
                result = FetchError(f"it failed ({clean_line(str(error))[:120]})", "failed")
            return Fetched(cancel, result)

        return url, job

    def take(self, url: str, fetched: Fetched) -> None:
        """What a fetch came to: shown if its stop still waits for it; kept either way. The
        result of a fetch that is no longer the one under way for its link changes nothing
        but what is kept."""
        from reader.article.fetch import FetchError
        from reader.article.model import Article

        outcome = fetched.result
        current = self._cancel.get(url) is fetched.token
        if current:
            del self._cancel[url]
            self._progress.pop(url, None)
            self._active.pop(url, None)
        if isinstance(outcome, Article):
            self.index = self.index.adding(outcome)
            self._keep_view(self._view(url, outcome))
        elif isinstance(outcome, FetchError) and current:
            note = f"Could not fetch the article: {outcome.reason}; {BROWSER_HINT}."
            self._active[url] = ArticleView(url, "failed", note=note)
        self._changed()

    def cancel(self, url: str | None = None) -> bool:
        """Escape: stop fetching (the stop's, or every fetch); the excerpt is shown again."""
        urls = [url] if url else list(self._cancel)
        stopped = False
        for link in urls:
            event = self._cancel.pop(link, None)
            if event is not None:
                event.set()
                self._active.pop(link, None)
                self._progress.pop(link, None)
                stopped = True
        if stopped:
            self.on = False
            self._changed()
        return stopped

    def close(self) -> None:
        """Stop every fetch and close the kept articles' file (the reader is closing)."""
        for event in self._cancel.values():
            event.set()
        self.store.close()

    def tick(self, url: str) -> bool:
        """How the fetch of the stop in view (its link `url`) goes, into its view; whether
        that changed (fetches of stops not in view go on unseen)."""
        view, note = self._active.get(url), self._progress.get(url)
        if view is None or view.state != "fetching" or note is None:
            return False
        elapsed = time.monotonic() - self._started.get(url, time.monotonic())
        text = f"Fetching the article: {note} ({elapsed:.0f} s)… Escape stops."
        if text == view.note:
            return False
        self._active[url] = ArticleView(url, "fetching", note=text)
        return True
