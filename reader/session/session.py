"""The reader without a screen: the loading of one folder (or several as one), scope, order,
query, marks, position and trail, published as immutable snapshots.

Thread model: a Session belongs to one thread (a screen's, a script's). Slow work runs
elsewhere through pure pieces the session hands out — `load_steps`, the job of `changed`,
`related_job`, `search_job` — whose results come back to the owner as values (`take`,
`take_related`, `take_search`). Nothing the session publishes is changed afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader.feed.folders import Folders, Source
from reader.library.library import Library
from reader.library.search import texts_of
from reader.model.order import Order
from reader.model.scope import ALL, Scope, ScopeKind
from reader.model.story import Story, Target
from reader.model.text import clean_line
from reader.model.trail import Trail
from reader.platform.config import Config
from reader.platform.paths import folders_id
from reader.session.detail import Detail, RelatedRow, TrailView, detail_of, related_rows
from reader.session.loading import EarlyStories, LoadStep, Phase, Updates, load_steps
from reader.session.marks import Marks
from reader.session.position import restored, save
from reader.session.saved_views import SavedViews
from reader.session.snapshot import Notice, Notices, Severity, SidebarEntry, Snapshot, snapshot_of
from reader.session.state import State
from reader.session.views import Views

if TYPE_CHECKING:
    from reader.library.coverage.cache import Grouped

Listener = Callable[[Snapshot], None]


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
    ) -> None:
        if isinstance(folder, Path):
            folder = Folders.one(folder, cache_file, state_file)
        self.folders = folder
        self.cache_file = folder.groups_cache  # where the coverage groups are kept, if anywhere
        self.config = config or Config()
        self.now = clock or (lambda: datetime.now(UTC))
        self.monotonic = monotonic  # the read timer's clock
        self.workers = workers
        self.fixed_order = order  # given on the command line: the saved position does not win
        self.fixed_scope = scope
        self.library: Library | None = None
        self.scope: Scope = scope or ALL
        self.order = order or self.config.default_order
        self.reverse = False
        self.query = ""  # the last good query (a bad one leaves it: see `search`)
        self.query_error = ""  # what is wrong with the query typed last, and where
        self.trail: Trail[Target] | None = None
        self.marks = Marks(_state(folder))
        self.views = Views()
        self.views.folder_of = self._folder_of
        self.views.labels = tuple(s.label for s in folder.sources) if folder.several else ()
        # Saved views (name -> query), written to the config file as they change.
        self.saved = SavedViews(self.config.views, config_file, self.config.bad_views)
        self.grouping = self.views.grouping  # which stories report one event (after loads)
        self.indexing = False  # a load is under way (until the library is indexed)
        self.progress: tuple[int, int] | None = None
        self.failure = ""  # why the folder could not be loaded, when nothing was
        self.cursor_story: Story | None = None  # under the list's cursor: the saved position
        self.position_restored = False
        # The user chose, searched or moved the cursor: a position restored afterwards (when the
        # whole folder is in) would throw their place away, so it is not.
        self.acted = False
        self.early: EarlyStories | None = None  # the caches' best, shown while the folder loads
        self.updates = Updates()  # changed files waiting to be read, one update at a time
        self.marks_seen = 0  # marks.changes at the list's last refresh (Starred/Unread views)
        self.read_candidate: Story | None = None
        self.read_deadline = 0.0
        self._listeners: list[Listener] = []
        self._notices = Notices()
        self._focus: Story | None = None
        self._detail: Detail | None = None
        self._told_problems: tuple[object, ...] = ()
        self._told_across = 0  # stories found in two folders, as last told
        self.snapshot = self._snapshot()
        if self.marks.notice:
            self.tell(self.marks.notice, "warning")

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with every snapshot from now on (on the owner's thread)."""
        self._listeners.append(listener)

    def tell(self, text: str, severity: Severity = "information", title: str = "") -> None:
        """Queue a notice for the next snapshot (unless it was just told: see `Notices`)."""
        self._notices.tell(Notice(text, severity, title), self.monotonic())

    def publish(self) -> Snapshot:
        """Make the current snapshot and hand it to every listener."""
        self.snapshot = self._snapshot()
        self._notices.queued, self._focus = [], None
        for listener in self._listeners:
            listener(self.snapshot)
        return self.snapshot

    def _snapshot(self) -> Snapshot:
        view = self.view()
        return snapshot_of(self, view, self._detail, self._focus, tuple(self._notices.queued))

    def sidebar(self) -> tuple[SidebarEntry, ...]:
        """All, Starred, Unread and the topics, with counts."""
        if self.library is None:
            return ()
        return self.views.sidebar(self.library, self.marks, self.saved.views)

    def view(self) -> tuple[Story, ...]:
        """The stories of the scope in order, then those the query matches."""
        if self.library is None:
            return ()
        base = self.scope_view()
        if self.query:
            base = self.views.filtered(base, self.query, self.library, self.marks, self.marks_seen)
        return self.grouping.collapse(base)

    def scope_view(self) -> tuple[Story, ...]:
        """The stories of the scope, in order."""
        assert self.library is not None
        return self.views.scope(
            self.library,
            self.scope,
            self.order,
            self.reverse,
            self.marks,
            self.marks_seen,
            self.saved.views,
        )

    def choose(self, scope: Scope) -> None:
        """Show another scope (All, a topic, Starred, Unread)."""
        self.scope = scope
        self.acted = True
        self.marks_seen = self.marks.changes
        self.publish()

    def set_order(self, order: Order, reverse: bool = False) -> None:
        """Sort the list by `order`."""
        self.order, self.reverse = order, reverse
        self.acted = True
        self.marks_seen = self.marks.changes
        self.publish()

    def cycle_order(self) -> None:
        """The next order, in its natural direction."""
        self.set_order(self.order.next())

    def reverse_order(self) -> None:
        """The same order the other way round."""
        self.set_order(self.order, not self.reverse)

    def search(self, query: str) -> None:
        """Keep only the stories `query` matches (the query language: reader.library.query.compiled;
        '' shows all). A bad query keeps the last good one's stories and says what is wrong,
        and where, in `query_error`."""
        from reader.library.query.compiled import QueryError, compile_query

        try:
            compile_query(query)
        except QueryError as error:
            self.query_error = str(error)
        else:
            self.acted = self.acted or query != self.query
            self.query, self.query_error = query, ""
            self.marks_seen = self.marks.changes
        self.publish()

    def save_view(self, name: str) -> bool:
        """Save the query in the search box as the view `name`, and show it; whether it was
        saved (else a notice says why)."""
        return self._views_changed(self.saved.save(name, self.query), Scope.view(name.strip()))

    def rename_view(self, old: str, new: str) -> bool:
        """Rename a saved view; whether it was renamed (else a notice says why)."""
        shown = Scope.view(new.strip()) if self.scope == Scope.view(old) else self.scope
        return self._views_changed(self.saved.rename(old, new), shown)

    def delete_view(self, name: str) -> bool:
        """Forget a saved view; whether it was deleted (else a notice says why)."""
        shown = ALL if self.scope == Scope.view(name) else self.scope
        return self._views_changed(self.saved.delete(name), shown)

    def _views_changed(self, problem: str, scope: Scope) -> bool:
        if problem:
            self.tell(problem, "warning")
            self.publish()
            return False
        if scope.kind is ScopeKind.VIEW and scope.name in self.saved.views:
            self.query = self.query_error = ""  # the view holds the query now
        self.choose(scope)
        return True

    def search_job(self) -> tuple[tuple[Story, ...], Callable[[], list[str]]] | None:
        """The view about to be searched and a pure job working out its texts (for a worker
        thread; hand the result to `take_search`), or None when there is nothing to do."""
        if self.library is None or not self.library.complete or self.query:
            return None
        view = self.scope_view()
        return view, lambda: texts_of(view)

    def take_search(self, view: tuple[Story, ...], texts: list[str]) -> None:
        """Keep the texts `search_job` worked out (unless the library changed meanwhile)."""
        library = self.library
        if view and library is not None and library.get(view[0].path) is view[0]:
            self.views.search.adopt(view, texts)

    def highlight(self, story: Story, *, show: bool = True, by_user: bool = True) -> bool:
        """The list's cursor is on `story`: a new trail starts there, and u, *, o, c act on it
        from now on. Its detail is worked out now, or with `show=False` when the owner calls
        `show` (once the keys pause). `by_user`: the user moved it there (not a refill of the
        list). Returns whether a new trail started."""
        self.cursor_story = story
        self.acted = self.acted or by_user
        start = self.trail.items[0] if self.trail else None
        if isinstance(start, Story) and start.path == story.path:
            return False  # the list was refilled (more of the folder loaded): keep the trail
        self.trail = Trail(story)
        self.read_candidate = None  # the story the timer was reading is left
        if show:
            self._show()
        return True

    def show(self) -> None:
        """Publish the detail of the trail's current stop, unless it is shown already (a load
        showed it meanwhile: its read timer is not started again)."""
        detail, trail = self._detail, self.trail
        shown = detail is not None and trail is not None and detail.target is trail.current
        if not shown or detail.trail != TrailView.of(trail):  # type: ignore[union-attr,arg-type]
            self._show()

    def chosen(self, story: Story) -> None:
        """Enter on a story of the list (it is read, when the config says so)."""
        if self.config.read_mode == "enter":
            self.mark_read([story])

    def follow(self, target: Target) -> None:
        """Follow a related entry or a mention: it is the trail's next stop."""
        if self.trail is None:
            return
        self.acted = True
        self.trail.visit(target)
        if self.config.read_mode == "enter" and isinstance(target, Story):
            _, warning = self.marks.set_read([target])
            if warning:
                self.tell(warning, "warning")
        self._show()

    def back(self) -> bool:
        """Step back along the trail; False when already at its start (a notice says so)."""
        return self._step(self.trail.back() if self.trail else None, "start")

    def forward(self) -> bool:
        """Step forward along the trail; False when already at its end."""
        return self._step(self.trail.forward() if self.trail else None, "end")

    def _step(self, moved: Target | None, end: str) -> bool:
        if moved is None:
            if self.trail is not None:
                self.tell(f"Already at the {end} of the trail.")
                self.publish()
            return False
        self._show()
        return True

    def _show(self) -> None:
        """Work out the detail of the trail's current stop and publish it."""
        if self.trail is None or self.library is None:
            self.publish()
            return
        self._detail = self._with_coverage(detail_of(self.library, self.folders, self.trail))
        if self.folders.several and isinstance(self._detail.target, Story):
            self._detail = replace(self._detail, folder=self._folder_of(self._detail.target))
        target = self._detail.target
        self.read_candidate = None
        timer = self.config.read_mode == "timer"
        if isinstance(target, Story) and timer and not self.marks.is_read(target):
            self.read_candidate = target
            self.read_deadline = self.monotonic() + self.config.read_after
        self.publish()

    def related_job(self) -> tuple[Story, Callable[[], tuple[tuple[RelatedRow, ...], str]]] | None:
        """A long related list still to read: its story and a pure job reading it (for a
        worker thread; hand the result to `take_related`)."""
        detail, library = self._detail, self.library
        if detail is None or not detail.reading or library is None:
            return None
        story = detail.target
        assert isinstance(story, Story)
        folders = self.folders
        return story, lambda: related_rows(library, folders, story)

    def take_related(self, story: Story, rows: tuple[RelatedRow, ...], note: str) -> None:
        """A related list read by `related_job`: shown if its story is still in view."""
        detail = self._detail
        if detail is None or detail.target is not story:
            return
        self._detail = replace(detail, related=rows, note=note, reading=False)
        self.publish()

    # -- coverage: the same event from different providers --------------------------------------

    def coverage_job(self) -> tuple[Library, Callable[[], Grouped]] | None:
        """A pure job grouping the library's stories (for a worker thread; hand the result to
        `take_coverage`), or None when there is nothing to group now."""
        library = self.library
        job = self.grouping.job(library, self.cache_file, self.monotonic())
        return (library, job) if library is not None and job is not None else None

    def take_coverage(self, library: Library, grouped: Grouped) -> None:
        """Groups worked out by `coverage_job`: shown (the list's counts, the detail pane's
        Coverage section, the collapsed list)."""
        if grouped.notice:
            self.tell(grouped.notice, "warning")
        if self.grouping.take(library, grouped) and self._detail is not None:
            self._detail = self._with_coverage(self._detail)
        self.publish()

    def toggle_collapsed(self) -> None:
        """Show each group as its best story, or every story again."""
        self.grouping.collapsed = not self.grouping.collapsed
        self.publish()

    def _with_coverage(self, detail: Detail) -> Detail:
        if self.library is None or not isinstance(detail.target, Story):
            return detail
        others, providers = self.grouping.others(self.library, detail.target)
        return replace(detail, coverage=others, providers=providers)

    def link(self) -> str:
        """The link of the story (or external entry) in view. An external entry with only a
        non-web link still hands it over, so that opening it is refused out loud."""
        if self.trail is None:
            return ""
        target = self.trail.current
        if isinstance(target, Story):
            return target.url
        return target.url or next(iter(target.links.all()), "")

    def marked_story(self) -> Story | None:
        """The story `u` and `*` act on: the one in view, else the list's."""
        if self.trail is not None and isinstance(self.trail.current, Story):
            return self.trail.current
        return self.cursor_story

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
        story = self.marked_story()
        if story is not None:
            self.read_candidate = None
            group = [story]
            if self.grouping.collapsed and self.library is not None:
                group = self.grouping.members(self.library, story)
            self.mark_read(group, not self.marks.is_read(story))

    def toggle_star(self) -> None:
        """Star the story in view, or unstar it."""
        story = self.marked_story()
        if story is None:
            return
        warning = self.marks.toggle_star(story)
        if warning:
            self.tell(warning, "warning")
        self.publish()

    def refresh(self) -> None:
        """Show Starred and Unread as the marks are now (after `A`)."""
        self.marks_seen = self.marks.changes
        self.publish()

    def unread_in_view(self) -> list[Story]:
        """The unread stories of the list as it is (for `A`, which may ask first)."""
        return [s for s in self.view() if not self.marks.is_read(s)]

    def tick(self) -> None:
        """The read timer: a story in view long enough becomes read."""
        candidate = self.read_candidate
        if candidate is not None and self.monotonic() >= self.read_deadline:
            self.read_candidate = None
            self.mark_read([candidate])

    def open(self) -> None:
        """Show the index cache's best stories at once (the load comes next: `load_steps`)."""
        self.indexing = True
        self.early = EarlyStories(self.folders)
        self._set_library(self.early.more())
        self.publish()

    def show_more(self) -> bool:
        """While the folder loads, the list shows the caches' best stories: add the next page
        of them (the list's cursor nears their end). Whether more came."""
        early = self.early
        if early is None or early.library is None or self.library is not early.library:
            return False
        more = early.more()
        if more is None:
            self.publish()  # the snapshot says there is no more to ask for
            return False
        self._set_library(more)
        self.publish()
        return True

    def more_to_show(self) -> bool:
        """Whether `show_more` can add stories to the list now."""
        early = self.early
        return (
            early is not None
            and not early.exhausted
            and early.library is not None
            and self.library is early.library
        )

    def load_steps(
        self, *, reload: bool = False, cancelled: Callable[[], bool] = lambda: False
    ) -> Iterator[LoadStep]:
        """Read the folder; safe to run in any thread (it reads none of the session's state
        that changes). Hand each step to `take` on the owner's thread."""
        return load_steps(
            self.folders,
            reload=reload,
            cancelled=cancelled,
            workers=self.workers,
            monotonic=self.monotonic,
        )

    def reloading(self) -> None:
        """A reload starts (its steps come through `take`): the status line says so."""
        self.indexing = True
        self.publish()

    def load(self, *, reload: bool = False) -> None:
        """Read the whole folder now, in this thread (scripts and tests)."""
        self.indexing = True
        for step in self.load_steps(reload=reload):
            self.take(step)

    def take(self, step: LoadStep) -> None:
        """Show a step of a load (or of an update) made by another thread."""
        for notice in step.notices:
            self.tell(notice, "warning")
        if step.base is not None and not self.updates.done(step, self.library):
            return  # read onto a library replaced since: its files wait to be read again
        complete = self.library is not None and self.library.complete
        if step.phase is Phase.FAILED:
            self.load_failed(step.error)
            return
        if step.phase is Phase.PROGRESS:
            if not complete:
                self.progress = (step.done, step.total)
        elif step.phase is Phase.PARTIAL:
            if not complete:
                self.progress = (step.done, step.total)
                self._set_library(step.library)
        else:
            if step.phase is Phase.INDEXED:
                self.indexing = False
                if step.base is not None:  # an update: its files are grouped again
                    self.grouping.updated(step.names, self.monotonic())
                else:  # a load: new stories, new groups
                    self.grouping.reset()
            if step.library is not None and step.library is not self.library:
                self._set_library(step.library)
                if self.trail is not None:
                    self._show()  # "Mentioned by" is known now
                    return
        self.publish()

    def _set_library(self, library: Library | None) -> None:
        if library is None:
            return
        previous, self.library = self.library, library
        if self.early is not None and library is not self.early.library:
            self.early = None  # the load's own libraries from now on
        self.failure = ""
        if not library.complete:
            return
        self.progress = None
        self.marks.count(library)
        self.marks_seen = self.marks.changes
        if not len(library):  # every story went away: nothing is in view any more
            self.trail = self._detail = self.cursor_story = self.read_candidate = None
        if previous is None or library.stories is not previous.stories:
            self.views.search.reset()  # its stories are new objects
        if not self.position_restored:
            self.restore_position()
        # A scope that is gone (a topic without stories now, a view deleted, a folder not
        # open): All, whether it was shown or restored.
        if self.scope.kind is ScopeKind.TOPIC and self.scope.name not in dict(library.topics):
            self.scope = ALL
        if self.scope.kind is ScopeKind.VIEW and self.scope.name not in self.saved.views:
            self.scope = ALL
        if self.scope.kind is ScopeKind.FOLDER and self.scope.name not in self.views.labels:
            self.scope = ALL
        problems = library.problems
        if problems and problems != self._told_problems:
            count = len(problems)
            self.tell(
                f"{count} file{'s' if count != 1 else ''} could not be read: press ! to see why.",
                "warning",
            )
        self._told_problems = problems
        across = self.folders.across((d.kept, d.dropped) for d in library.duplicates)
        if across and across != self._told_across:
            stories = "1 story is" if across == 1 else f"{across} stories are"
            self.tell(
                f"{stories} in more than one folder: each is shown once, its best copy "
                "(press ! to see them).",
            )
        self._told_across = across

    def load_failed(self, reason: str) -> None:
        """The load (or an update) stopped: say why, and keep showing what was loaded."""
        self.indexing = self.updates.running = False
        self.progress = None
        if self.library is None or not len(self.library):
            self.failure = reason
        else:
            reason += " (still showing what was loaded before)"
        self.tell(clean_line(reason), "error", "Loading failed")
        self.publish()

    def known_files(self) -> set[str]:
        """Every file the library in view was read from: stories, problems and the files that
        lost their link to another (safe from any thread: a library never changes)."""
        library = self.library
        if library is None:
            return set()
        known = {story.path for story in library.stories}
        known.update(problem.path for problem in library.problems)
        known.update(duplicate.dropped for duplicate in library.duplicates)
        return known

    def changed(self, names: Iterable[str] = ()) -> Callable[[], LoadStep] | None:
        """Story files appeared, changed or went away: a pure job that reads them (for a
        worker thread; hand its step to `take`), or None while a load or an update is under
        way (the names wait: call again, with no names, after each step taken)."""
        names = set(names)
        gone = [s for s in self.folders.by_source(names) if not s.path.is_dir()]
        if gone:  # a folder went away: keep what is shown, its files waiting too
            where = clean_line(str(gone[0].path))
            self.tell(f"The folder {where} is gone; showing what was loaded.", "warning")
            waiting = self.folders.by_source(self.updates.pending)
            self.updates.pending -= {s.prefix + n for s in gone for n in waiting.get(s, ())}
            self.publish()
            return None
        self.updates.pending |= names
        return self.updates.job(self.library, self.folders)

    def watched(self) -> list[tuple[Path, Callable[[set[str]], set[str]], Callable[[], set[str]]]]:
        """What to watch: each folder, with a function turning its files' paths into the
        library's, and one giving the files of that folder read so far (as `known_files`)."""

        def watch(
            source: Source,
        ) -> tuple[Path, Callable[[set[str]], set[str]], Callable[[], set[str]]]:
            prefix = source.prefix

            def library_paths(names: set[str]) -> set[str]:
                return {prefix + name for name in names}

            def known() -> set[str]:
                if not prefix:  # one folder: the library's paths are its own
                    return self.known_files()
                return {p[len(prefix) :] for p in self.known_files() if p.startswith(prefix)}

            return source.path, library_paths, known

        return [watch(source) for source in self.folders.sources]

    def _folder_of(self, story: Story) -> str:
        """The label of the folder a story is from (`folder:`, the Folders section)."""
        if not self.folders.several:
            return self.folders.first.label
        return story.path.partition("/")[0]

    def restore_position(self) -> None:
        """Go back to the scope, order and story of the last visit (given ones win), unless
        the user has acted since the first screen: then where they are now wins."""
        self.position_restored = True
        if self.acted:
            return
        saved = restored(self.marks, self.library) if self.library is not None else None
        if saved is not None:
            self.scope = saved.scope if self.fixed_scope is None and saved.scope else self.scope
            if self.fixed_order is None and saved.order is not None:
                self.order, self.reverse = saved.order, saved.reverse
            self._focus = saved.story

    def save_position(self) -> None:
        """Remember the scope, order and story for the next visit."""
        warning = save(self.marks, self.scope, self.order, self.reverse, self.cursor_story)
        if warning:
            self.tell(warning, "warning")
            self.publish()

    def close(self) -> str:
        """Save the position (once it was restored: else it would be lost) and close the
        state file. Returns a warning when the position could not be saved (nothing is
        published: the screen may be going away)."""
        warning = ""
        if self.position_restored:
            warning = save(self.marks, self.scope, self.order, self.reverse, self.cursor_story)
        self.marks.close()
        return warning


def _state(folders: Folders) -> State:
    """The reading state of the folders: one folder's file, or every folder's as one (marks
    follow the link), with the position of these folders together in the first one's."""
    if not folders.several:
        return State(folders.first.state_file)
    together = folders_id([source.path for source in folders.sources])
    return State(
        stores=[(source.state_file, source.prefix) for source in folders.sources],
        space=f"position[{together}].",
    )
