"""The reader without a screen: a coordinator over the parts that each own a piece of it, and
the snapshots made of their pieces.

- `loader` (reader.session.loader): the library in view, its load, updates, what went wrong;
- `navigation` (reader.session.navigation): scope, order, query, the list's story, the
  position kept for the next visit, the saved views;
- `reading` (reader.session.reading): the trail, the detail pane's story, the read timer;
- `marks` (read and starred), `views` (the lists, kept while they hold) and `grouping`
  (stories on one event), used by the others.

A screen, a script or a test calls the parts' methods; every change ends in one snapshot
published to the listeners. Thread model: a Session belongs to one thread (a screen's, a
script's). Slow work runs elsewhere through pure jobs the parts hand out (`loader.load_steps`,
the job of `loader.changed`, `reading.related_job`, `search_job`, `coverage_job`), whose
results come back to the owner as values. Nothing the session publishes is changed afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader.article.store import ArticleStore
from reader.feed.folders import Folders
from reader.library.library import Library
from reader.library.search import texts_of
from reader.model.order import Order
from reader.model.scope import Scope
from reader.model.story import RelatedStory, Story
from reader.platform import paths
from reader.platform.config import Config
from reader.session.articles import ArticleJob, Articles
from reader.session.grouping import Grouping
from reader.session.loader import Loader
from reader.session.loading import LoadStep, Phase
from reader.session.marks import Marks
from reader.session.navigation import Navigation
from reader.session.reading import Reading
from reader.session.saved_views import SavedViews
from reader.session.snapshot import (
    Notice,
    Notices,
    Pieces,
    Severity,
    SidebarEntry,
    Snapshot,
    snapshot_of,
)
from reader.session.state import state_of
from reader.session.views import Views

if TYPE_CHECKING:
    from reader.library.coverage.cache import Grouped

Listener = Callable[[Snapshot], None]
SearchJob = tuple[tuple[Story, ...], Callable[[], list[str]]]


class Session:
    """One reader of one folder, or of several as one library (see reader.feed.folders)."""

    def __init__(
        self,
        folder: Path | Folders,
        *,
        cache_file: Path | None = None,
        state_file: Path | None = None,
        config: Config | None = None,
        order: Order | None = None,
        scope: Scope | None = None,
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        workers: int | None = None,
        config_file: Path | None = None,
        article_store: ArticleStore | None = None,
    ) -> None:
        folders = (
            folder if isinstance(folder, Folders) else Folders.one(folder, cache_file, state_file)
        )
        self.folders = folders
        self.config = config = config or Config()
        self.now = clock or (lambda: datetime.now(UTC))  # the detail pane's "2 days ago"
        self.monotonic = monotonic  # the read timer's and the position's clock
        self._listeners: list[Listener] = []
        self._notices = Notices()
        self._focus: Story | None = None  # a restored story for the list's cursor, once
        self._stories: object = None  # the stories the search texts were worked out for
        labels = tuple(s.label for s in folders.sources) if folders.several else ()
        self.marks = Marks(state_of(folders))
        self.grouping = Grouping()  # which stories report one event (after loads)
        self.views = Views(self.grouping, labels, lambda story: folders.label_of(story.path))
        self.navigation = self._navigation(order, scope, labels, config_file)
        self.loader = Loader(
            folders,
            workers=workers,
            monotonic=monotonic,
            arrived=self._arrived,
            took=self._took,
            changed=self.publish,
            tell=self.tell,
        )
        self.reading = Reading(
            library=lambda: self.loader.library,
            folders=folders,
            marks=self.marks,
            config=config,
            grouping=self.grouping,
            navigation=self.navigation,
            changed=self.publish,
            tell=self.tell,
            monotonic=monotonic,
        )
        store = article_store or ArticleStore(paths.article_cache())
        self.articles = Articles(store, self._articles_changed, self._resolve)
        self.views.articles = self.articles.index
        self.snapshot = self._snapshot()
        if self.marks.notice:
            self.tell(self.marks.notice, "warning")

    def _navigation(
        self,
        order: Order | None,
        scope: Scope | None,
        labels: tuple[str, ...],
        config_file: Path | None,
    ) -> Navigation:
        """The navigation part: a given order or scope wins over the saved position; saved views
        are written to `config_file`."""
        config = self.config
        return Navigation(
            self.marks,
            SavedViews(config.views, config_file, config.bad_views),
            order=order or config.default_order,
            scope=scope,
            fixed_order=order,
            labels=labels,
            changed=self.publish,
            tell=self.tell,
            monotonic=self.monotonic,
        )

    # -- snapshots ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with every snapshot from now on (on the owner's thread)."""
        self._listeners.append(listener)

    def tell(
        self, text: str, severity: Severity = "information", title: str = "", see: str = ""
    ) -> None:
        """Queue a notice for the next snapshot (unless it was just told: see `Notices`);
        `see`: what the list of problems shows more of (the front end says how to get there)."""
        self._notices.tell(Notice(text, severity, title, see), self.monotonic())

    def publish(self) -> Snapshot:
        """Make the current snapshot and hand it to every listener."""
        self.snapshot = self._snapshot()
        self._notices.queued, self._focus = [], None
        for listener in self._listeners:
            listener(self.snapshot)
        return self.snapshot

    def _snapshot(self) -> Snapshot:
        pieces = Pieces(
            sources=tuple((source.label, str(source.path)) for source in self.folders.sources),
            load=self.loader.piece(),
            place=self.navigation.piece(),
            view=self.view(),
            sidebar=self.sidebar(),
            detail=self.reading.detail,
            marks=self.marks.view(),
            coverage=self.grouping.coverage,
            collapsed=self.grouping.collapsed,
            more=self.loader.more_to_show(),
            views=tuple(self.navigation.saved.views),
            article=self.articles.piece(self.reading.link()),
            kept=self.articles.index,
        )
        return snapshot_of(pieces, self._focus, tuple(self._notices.queued))

    def sidebar(self) -> tuple[SidebarEntry, ...]:
        """All, Starred, Unread and the topics, with counts."""
        library = self.loader.library
        if library is None:
            return ()
        return self.views.sidebar(library, self.marks, self.navigation.saved.views)

    def view(self) -> tuple[Story, ...]:
        """The stories of the scope in order, then those the query matches."""
        library = self.loader.library
        if library is None:
            return ()
        base = self.scope_view(library)
        place = self.navigation
        if place.query:
            base = self.views.filtered(base, place.query, library, place.marks_seen)
        return self.grouping.collapse(base)

    def scope_view(self, library: Library) -> tuple[Story, ...]:
        """The stories of the scope, in order."""
        place = self.navigation
        return self.views.scope(
            library,
            place.scope,
            place.order,
            place.reverse,
            place.marks_seen,
            place.saved.views,
        )

    # -- the library the loader brings ---------------------------------------------------------

    def _arrived(self, library: Library) -> None:
        """Every story of the folder is in (a load's, an update's or a reload's library)."""
        self.marks.count(library)
        if library.stories is not self._stories:
            self._stories = library.stories
            self.views.search.reset()  # its stories are new objects
        focus = self.navigation.library_complete(library)
        if focus is not None:
            self._focus = focus
        self.reading.library_changed(library, shown=False)

    def _took(self, step: LoadStep, library: Library | None) -> None:
        """A step of a load or an update was taken: publish, with the detail worked out again
        once a whole library came ("Mentioned by" is known now)."""
        if step.phase is Phase.INDEXED:
            if step.base is not None:  # an update: its files are grouped again
                self.grouping.updated(step.names, self.monotonic())
            else:  # a load: new stories, new groups
                self.grouping.reset()
        whole = step.phase in (Phase.COMPLETE, Phase.INDEXED)
        if library is None or not whole or not self.reading.library_changed(library, shown=True):
            self.publish()

    # -- marks -------------------------------------------------------------------------------

    def mark_read(self, stories: Sequence[Story], read: bool = True) -> int:
        """Mark stories read or unread (saved at once); returns how many changed."""
        changed, warning = self.marks.set_read(stories, read)
        if warning:
            self.tell(warning, "warning")
        if changed or warning:
            self.publish()
        return changed

    def toggle_read(self) -> None:
        """Mark the story in view read, or unread again; with groups collapsed, its whole
        group."""
        story = self.reading.marked_story()
        if story is not None:
            self.reading.stop_timer()
            group = [story]
            library = self.loader.library
            if self.grouping.collapsed and library is not None:
                group = self.grouping.members(library, story)
            self.mark_read(group, not self.marks.is_read(story))

    def toggle_star(self) -> None:
        """Star the story in view, or unstar it."""
        story = self.reading.marked_story()
        if story is None:
            return
        warning = self.marks.toggle_star(story)
        if warning:
            self.tell(warning, "warning")
        self.publish()

    def unread_in_view(self) -> list[Story]:
        """The unread stories of the list as it is (for `A`, which may ask first)."""
        return [s for s in self.view() if not self.marks.is_read(s)]

    def tick(self) -> None:
        """A quarter-second beat: the read timer, and the position saved once it stood still."""
        self.reading.tick()
        if self.articles.tick(self.reading.link()):
            self.publish()
        warning = self.navigation.save_if_due()
        if warning:
            self.tell(warning, "warning")
            self.publish()

    # -- search and coverage, worked out off the owner's thread --------------------------------

    def search_job(self) -> SearchJob | None:
        """The view about to be searched and a pure job working out its texts (for a worker
        thread; hand the result to `take_search`), or None when there is nothing to do."""
        library = self.loader.library
        if library is None or not library.complete or self.navigation.query:
            return None
        view = self.scope_view(library)
        return view, lambda: texts_of(view)

    def take_search(self, view: tuple[Story, ...], texts: list[str]) -> None:
        """Keep the texts `search_job` worked out (unless the library changed meanwhile)."""
        library = self.loader.library
        if view and library is not None and library.get(view[0].path) is view[0]:
            self.views.search.adopt(view, texts)

    def coverage_job(self) -> tuple[Library, Callable[[], Grouped]] | None:
        """A pure job grouping the library's stories (for a worker thread; hand the result to
        `take_coverage`), or None when there is nothing to group now."""
        library = self.loader.library
        job = self.grouping.job(library, self.folders.groups_cache, self.monotonic())
        return (library, job) if library is not None and job is not None else None

    def take_coverage(self, library: Library, grouped: Grouped) -> None:
        """Groups worked out by `coverage_job`: shown (the list's counts, the detail pane's
        Coverage section, the collapsed list)."""
        if grouped.notice:
            self.tell(grouped.notice, "warning")
        if self.grouping.take(library, grouped):
            self.reading.regrouped()
        self.publish()

    # -- the article in the pane -------------------------------------------------------------

    def toggle_article(self) -> ArticleJob | None:
        """`t`: the article of the stop in view instead of its excerpt, or the excerpt again;
        a job (for a worker thread; hand its result to `articles.take`) when it is fetched."""
        link = self.reading.link()
        if not link:
            self.tell("This story has no web link, so there is no article to read.")
            self.publish()
            return None
        return self.articles.toggle(link)

    def _resolve(self, entry: RelatedStory) -> Story | None:
        library = self.loader.library
        return library.resolve(entry) if library is not None else None

    def _articles_changed(self) -> None:
        """A fetch ended or the pane changed: queries about kept articles follow the index."""
        self.views.articles = self.articles.index
        self.publish()

    def toggle_collapsed(self) -> None:
        """Show each group as its best story, or every story again."""
        self.grouping.collapsed = not self.grouping.collapsed
        self.publish()

    def close(self) -> str:
        """Save the position (once it was restored: else it would be lost) and close the
        state file. Returns a warning when the position could not be saved (nothing is
        published: the screen may be going away)."""
        warning = self.navigation.save()
        self.marks.close()
        self.articles.close()
        return warning
