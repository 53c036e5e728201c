"""The main screen: it owns the selection (topic, order, trail) and hands it to the panes."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from reader import paths
from reader.feed.load import FolderError, cached_best, paused_gc, read_related, scan
from reader.feed.watch import watch_folder
from reader.library.build import update
from reader.library.library import Library, LibraryBuilder
from reader.library.search import SearchIndex, query_words
from reader.model.order import Order
from reader.model.story import Story
from reader.model.text import clean_line, shorten
from reader.model.trail import Trail
from reader.session.state import State, StateError, story_key
from reader.ui.keys import MAIN_BINDINGS
from reader.ui.screens.modal import ConfirmScreen
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.related import RelatedList, RelatedRow, Target
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.topics import LABELS, STARRED, UNREAD, TopicList

if TYPE_CHECKING:
    from reader.ui.app import NewsReader

DETAIL_DELAY = 0.03  # seconds the detail pane waits for the list's cursor to settle
FIRST_PAINT_WAIT = 0.3  # seconds loading waits at most for the first screen to be drawn
POSITION_DELAY = 1.0  # seconds after a topic or order change that the position is saved
CONFIRM_OVER = 50  # marking more stories than this read asks first
READ_RELATED_AT_ONCE = 200  # longer related lists are read in a worker thread
NARROW = 110  # below this width the sidebar hides and the panes stack

ORDER_LABELS: dict[Order, tuple[str, str]] = {
    Order.QUALITY: ("quality, highest first", "quality, lowest first"),
    Order.NEWEST: ("newest first", "oldest first"),
    Order.HEAT: ("heat, hottest first", "heat, coolest first"),
    Order.TITLE: ("title A–Z", "title Z–A"),
}

EMPTY_FEED = (
    "No stories in this folder. newsreader reads every file (any name, sub-folders too) "
    "that begins with a YAML front-matter block between two --- lines, with at least a "
    "title: field. Run `newsreader check FOLDER` to see why files were skipped."
)


def prepare_views(library: Library) -> None:
    """Sort every order and index the topics now (in a worker), so that `s` and choosing a
    topic are instant later."""
    library.topic_index()
    for order in Order:
        library.positions(order)


class MainScreen(Screen[None]):
    """Topic sidebar, story list and detail pane, with a status line."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_BINDINGS

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.library: Library | None = None
        self.topic: str | None = None
        self.order = Order.QUALITY
        self.reverse = False
        self.trail: Trail[Target] | None = None
        self.sidebar_hidden = False  # by the user, whatever the width
        self.watching = False
        self.detail_timer: Timer | None = None
        self.position_timer: Timer | None = None
        self.stop_watching = threading.Event()
        self.first_paint = threading.Event()  # the first screen (with the cached stories) is up
        self.pending_changes: set[str] = set()
        self.state = State(None)
        self.search = SearchIndex()
        self.search_text = ""
        self.unread: Counter[str | None] = Counter()
        self.starred_count = 0
        self.read_candidate: Story | None = None
        self.read_deadline = 0.0
        self.position_restored = False
        self.last_story: Story | None = None  # under the list's cursor, for the next visit
        self.indexing = False  # the load worker is still indexing a complete library
        self.marks_changed = 0  # counts changes of read/starred marks
        self.marked_view: tuple[object, tuple[Story, ...]] = (None, ())  # see `marks_view`

    @property
    def reader(self) -> NewsReader:
        from reader.ui.app import NewsReader

        assert isinstance(self.app, NewsReader)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="body"):
            yield TopicList(id="topics")
            with Vertical(id="list-column"):
                yield Input(id="search", placeholder="Search titles, excerpts, providers, topics…")
                yield StoryList(id="stories")
            yield DetailPane(id="detail")
        with Horizontal(id="status-bar"):
            yield Static(id="status")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "newsreader"
        self.sub_title = clean_line(str(self.folder))
        stories = self.query_one(StoryList)
        stories.border_title = "Stories"
        stories.is_read = self.state_is_read
        stories.is_starred = self.state_is_starred
        stories.focus()
        self.query_one("#search", Input).display = False
        self.order = self.reader.start_order
        self.topic = self.reader.start_topic
        if self.reader.keep_state:
            self.state = State(paths.state_file(self.folder))
            if self.state.notice:
                self.warn(self.state.notice)
        self.set_interval(0.25, self.check_read_timer)
        self.query_one(DetailPane).clear("Loading…")
        self.update_status()
        self.indexing = True
        # The cache's best stories go on the very first screen (a few milliseconds), while
        # the worker checks the folder.
        cache_file = self.reader.cache_file(self.folder)
        best = cached_best(cache_file) if cache_file is not None else []
        if best:
            early = LibraryBuilder(self.folder)
            early.add(best)
            self.set_library(early.build(final=False))
            self.call_after_refresh(self.first_paint.set)
        else:
            self.first_paint.set()
        self.load_feed()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "narrow")
        self.set_class(self.sidebar_hidden, "no-sidebar")

    # -- loading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_feed(self, reload: bool = False) -> Library:
        """Read the folder off the UI thread: cached stories at once, the rest as they parse.

        The list is refreshed with what has arrived (at most every second); the final library
        also knows which stories mention which. A `reload` keeps showing the current library
        until the new one is complete.
        """
        with paused_gc():  # the stories are not garbage: see `scan`
            return self._load(reload)

    def _load(self, reload: bool) -> Library:
        # The cached best stories are drawn first: checking the folder would take the
        # interpreter from the screen meanwhile.
        self.first_paint.wait(FIRST_PAINT_WAIT)
        builder = LibraryBuilder(self.folder)
        library: Library | None = None
        published = shown = 0.0
        started = time.monotonic()
        cache_file = self.reader.cache_file(self.folder)
        worker = get_current_worker()
        steps = scan(self.folder, cache_file=cache_file)
        # Messages, not call_from_thread: posting does not wait for the screen to redraw.
        for step in steps:
            if worker.is_cancelled:  # the reader quits: stop the workers, keep what was read
                steps.close()
                return library or builder.build(final=False)
            if step.related_ids:  # after the heads, for "Mentioned by"
                builder.add_related_ids(step.related_ids)
                continue
            builder.add(step.results)
            for notice in step.notices:
                self.post_message(self.Notice(notice))
            if step.finished:
                library = builder.build(final=True, mentions=False)
                self.post_message(self.Loaded(library, len(library), len(library), replace=True))
                continue  # the scan now writes the cache
            now = time.monotonic()
            # The first stories at once, then refills further and further apart: each one
            # costs the parsing workers some of the CPU.
            due = not published or now - published > max(1.0, (now - started) / 4)
            if step.done < step.total and len(builder) and due and not reload:
                self.post_message(self.Loaded(builder.build(final=False), step.done, step.total))
                published = shown = now
            elif step.done < step.total and now - shown > 0.25:
                self.post_message(self.Progressed(step.done, step.total))
                shown = now
        if library is None:  # no finished step: the scan failed before the end
            library = builder.build(final=True, mentions=False)
        builder.index_mentions(library)
        prepare_views(library)
        return library

    class Loaded(Message):
        """Part of the folder (or all of it) is ready to show."""

        def __init__(self, library: Library, done: int, total: int, replace: bool = False) -> None:
            super().__init__()
            self.library, self.done, self.total = library, done, total
            self.replace = replace  # a complete library, to show even over a complete one

    class Progressed(Message):
        """More files were read."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class Notice(Message):
        """Something about loading the user should know (the cache, mostly)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @on(Loaded)
    def loaded(self, event: Loaded) -> None:
        if event.replace or self.library is None or not self.library.complete:
            self.set_library(event.library, event.done, event.total)

    @on(Progressed)
    def progressed(self, event: Progressed) -> None:
        if self.library is None or not self.library.complete:
            self.show_progress(event.done, event.total)

    @on(Notice)
    def notice(self, event: Notice) -> None:
        self.warn(event.text)

    # -- keeping up with the folder --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_feed(self) -> None:
        """Watch the folder until the reader quits; changes arrive as messages."""

        def changed(names: set[str]) -> None:
            self.post_message(self.Changed(names))

        watch_folder(self.folder, self.stop_watching, changed)

    class Changed(Message):
        """Story files appeared, changed or went away."""

        def __init__(self, names: set[str]) -> None:
            super().__init__()
            self.names = names

    @on(Changed)
    def folder_changed(self, event: Changed) -> None:
        if not self.folder.is_dir():  # the whole folder went away: keep what is on screen
            where = clean_line(str(self.folder))
            self.warn(f"The folder {where} is gone; showing what was loaded.")
            return
        self.pending_changes |= event.names
        if self.library is not None and self.library.complete:
            names, self.pending_changes = self.pending_changes, set()
            self.update_feed(self.library, names)

    @work(thread=True, group="update", exit_on_error=False)
    def update_feed(self, library: Library, names: set[str]) -> None:
        """Re-read the changed files and show the library with them."""
        updated, notices = update(
            library, self.folder, names, cache_file=self.reader.cache_file(self.folder)
        )
        prepare_views(updated)
        for notice in notices:
            self.post_message(self.Notice(notice))
        self.post_message(self.Loaded(updated, len(updated), len(updated), replace=True))

    def action_reload(self) -> None:
        """Read the folder again (only changed files are parsed)."""
        self.reader.notify("Reloading the folder…", timeout=2)
        self.indexing = True
        self.load_feed(reload=True)

    def on_unmount(self) -> None:
        self.stop_watching.set()
        self.save_position()
        self.state.close()

    def warn(self, message: str) -> None:
        """A warning notification with plain (never markup) text."""
        self.reader.notify(message, severity="warning", markup=False)

    def show_progress(self, done: int, total: int) -> None:
        """Loading progress in the status line."""
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        message = f"Loading {done:,} of {total:,} files…" if total else "Checking the folder…"
        self.query_one("#status", Static).update(Text(message), layout=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "watch" and event.state == WorkerState.ERROR:
            reason = clean_line(str(event.worker.error))
            self.warn(f"Stopped watching the folder for changes: {reason}")
            return
        if event.worker.group != "load":
            return
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, Library):
            if event.worker.result is not self.library:
                self.set_library(event.worker.result)
            self.indexing = False
            self.show_current()  # "Mentioned by" is known now
            self.update_status()
            if not self.watching and self.reader.follow_changes:
                self.watching = True
                self.watch_feed()
        elif event.state == WorkerState.ERROR:
            self.indexing = False
            error = event.worker.error
            reason = str(error) if isinstance(error, FolderError) else repr(error)
            self.query_one(ProgressBar).display = False
            if self.library is None or not len(self.library):
                self.query_one(StoryList).empty_message = Text(
                    f"Could not load the folder: {reason}"
                )
                self.query_one(StoryList).set_stories(())
            else:
                reason += " (still showing what was loaded before)"
                self.update_status()
            self.reader.notify(
                clean_line(reason), title="Loading failed", severity="error", markup=False
            )

    def set_library(self, library: Library, done: int = 0, total: int = 0) -> None:
        """Show a (partly or fully) loaded library, keeping the topic, cursor and trail."""
        first = self.library is None
        self.library = library
        if library.complete:
            self.count_marks()
            self.search.reset()  # its stories are new objects
        self.show_topics()
        topics = self.query_one(TopicList)
        if library.complete and self.topic not in (None, STARRED, UNREAD, *dict(library.topics)):
            self.topic = None
        topics.select_topic(self.topic)
        stories = self.query_one(StoryList)
        stories.empty_message = Text(
            EMPTY_FEED if not len(library) else "No stories in this topic."
        )
        self.refresh_stories(loading=True)
        if not library.complete:
            self.show_progress(done, total)
            return
        self.query_one(ProgressBar).display = False
        if not self.position_restored:
            self.restore_position()
        if not len(library):
            self.query_one(DetailPane).clear(EMPTY_FEED)
        elif not first:
            self.show_current()  # mentions are known now
        if library.problems:
            count = len(library.problems)
            self.reader.notify(
                f"{count} file{'s' if count != 1 else ''} could not be read: press ! to see why.",
                severity="warning",
                markup=False,
            )

    # -- the story list ------------------------------------------------------------------------

    def refresh_stories(self, loading: bool = False) -> None:
        """Fill the story list for the current topic and order, keeping the cursor's story.

        While `loading`, a cursor on the first row stays there (on the best story so far).
        """
        if self.library is None:
            return
        stories = self.query_one(StoryList)
        keep = stories.current if stories.cursor > 0 or not loading else None
        stories.set_stories(self.current_view(), keep=keep)
        self.update_status()

    # -- read and starred ----------------------------------------------------------------------

    def state_is_read(self, story: Story) -> bool:
        return self.state.is_read(story)

    def state_is_starred(self, story: Story) -> bool:
        return self.state.is_starred(story)

    def count_marks(self) -> None:
        """Unread counts per topic and the number of starred stories, from scratch.

        Worked out from the marks (usually few), not from every story of a big folder.
        """
        assert self.library is not None
        unread: Counter[str | None] = Counter(dict(self.library.topics))
        unread[None] = len(self.library)
        for story in self.marked_stories(self.state.read):
            unread[None] -= 1
            unread.subtract(story.topics)
        self.unread = unread
        self.starred_count = len(self.marked_stories(self.state.starred))

    def marked_stories(self, keys: set[str]) -> list[Story]:
        """The stories of the library that the state keys (read or starred marks) stand for."""
        assert self.library is not None
        found = []
        for key in keys:
            if key.startswith("path:"):
                story = self.library.get(key.removeprefix("path:"))
            else:
                story = self.library.find_key(key)
            if story is not None and self.state.key(story) == key:
                found.append(story)
        return found

    def show_topics(self) -> None:
        """The sidebar with the current counts."""
        if self.library is None:
            return
        topics = self.query_one(TopicList)
        topics.set_topics(len(self.library), self.library.topics, self.starred_count, self.unread)

    def mark_read(self, stories: Sequence[Story], read: bool = True) -> int:
        """Mark stories read or unread (saved at once); returns how many changed."""
        changing = [s for s in stories if self.state.is_read(s) != read]
        if not changing:
            return 0
        try:
            self.state.set_read(changing, read)
        except StateError as error:
            self.warn(str(error))
        if self.library is not None and self.library.complete:  # else counted when complete
            step = -1 if read else 1
            for story in changing:
                self.unread[None] += step
                for topic in story.topics:
                    self.unread[topic] += step
        self.after_marks()
        return len(changing)

    def after_marks(self) -> None:
        self.marks_changed += 1
        self.show_topics()
        self.query_one(StoryList).clear_cache()
        self.update_status()

    def marked_story(self) -> Story | None:
        """The story `u` and `*` act on: the one in view, else the list's."""
        if self.trail is not None and isinstance(self.trail.current, Story):
            return self.trail.current
        return self.query_one(StoryList).current

    def action_toggle_read(self) -> None:
        story = self.marked_story()
        if story is not None:
            self.read_candidate = None
            self.mark_read([story], not self.state.is_read(story))

    def action_toggle_star(self) -> None:
        story = self.marked_story()
        if story is None:
            return
        try:
            starred = self.state.toggle_star(story)
        except StateError as error:
            self.warn(str(error))
            return
        self.starred_count += 1 if starred else -1
        self.after_marks()

    def action_mark_all_read(self) -> None:
        if self.library is None:
            return
        view = self.current_view()
        unread = [s for s in view if not self.state.is_read(s)]
        if not unread:
            self.reader.notify("Every story here is read already.", timeout=2)
            return
        if len(view) <= CONFIRM_OVER:
            self.mark_read(unread)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                changed = self.mark_read(unread)
                self.reader.notify(f"Marked {changed:,} stories read.", timeout=3)

        question = f"Mark all {len(unread):,} unread stories in this view as read?"
        self.app.push_screen(ConfirmScreen(question), answer)

    def check_read_timer(self) -> None:
        """A story shown long enough in the detail pane becomes read."""
        candidate = self.read_candidate
        if candidate is not None and self.reader.monotonic() >= self.read_deadline:
            self.read_candidate = None
            self.mark_read([candidate])

    def shown_story(self, story: Story) -> None:
        """The detail pane now shows `story`: start its read timer (per the config)."""
        config = self.reader.config
        self.read_candidate = None
        if config.read_mode == "timer" and not self.state.is_read(story):
            self.read_candidate = story
            self.read_deadline = self.reader.monotonic() + config.read_after

    # -- search --------------------------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()
        if self.library is not None and self.library.complete and not self.search_text:
            self.prepare_search(self.current_view())

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def prepare_search(self, view: Sequence[Story]) -> None:
        """Work out the searchable text of the view while the first word is typed."""
        self.search.prepare(view)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        stories = self.query_one(StoryList)
        stories.highlight = query_words(event.value)
        self.refresh_stories()

    @on(Input.Submitted, "#search")
    def search_done(self, event: Input.Submitted) -> None:
        self.query_one(StoryList).focus()

    def action_clear_search(self) -> None:
        box = self.query_one("#search", Input)
        if not box.display and not self.search_text:
            return
        box.value = ""
        box.display = False
        self.search_text = ""
        self.query_one(StoryList).highlight = []
        self.refresh_stories()
        self.query_one(StoryList).focus()

    # -- where the reader was ------------------------------------------------------------------

    def restore_position(self) -> None:
        """Go back to the topic, order and story of the last visit (CLI options win)."""
        self.position_restored = True
        saved = self.state.position()
        if not saved or self.library is None:
            return
        if self.reader.start_topic is None and saved.get("topic"):
            topic = saved["topic"]
            if topic in (STARRED, UNREAD) or topic in dict(self.library.topics):
                self.topic = topic
                self.query_one(TopicList).select_topic(topic)
        if self.reader.sort_from_command_line is None and saved.get("order") in set(Order):
            self.order = Order(saved["order"])
            self.reverse = saved.get("reverse") == "1"
        stories = self.query_one(StoryList)
        view = self.current_view()
        wanted = saved.get("story", "")
        # Found by its key (not by working out every story's key); kept only if in the view.
        keep = next(iter(self.marked_stories({wanted})), None) if wanted else None
        stories.set_stories(view, keep=keep)
        self.update_status()

    def save_position(self) -> None:
        """Remember the topic, order and story for the next visit."""
        story = self.last_story
        try:
            self.state.save_position(
                topic=self.topic or "",
                order=self.order.value,
                reverse="1" if self.reverse else "",
                story=story_key(story) if story else "",
            )
        except StateError as error:
            self.warn(str(error))

    def current_view(self) -> tuple[Story, ...]:
        """The stories the list shows: topic (or Starred, Unread), order, then the search."""
        assert self.library is not None
        if self.topic in (STARRED, UNREAD):
            view = self.marks_view()
        else:
            view = self.library.view(self.topic, self.order, self.reverse)
        return self.search.filter(view, self.search_text) if self.search_text else view

    def marks_view(self) -> tuple[Story, ...]:
        """Starred or Unread, in order: worked out again only when marks, library, topic or
        order change (a pass over 100,000 stories, not to be made at every search keystroke)."""
        assert self.library is not None
        key = (self.library, self.topic, self.order, self.reverse, self.marks_changed)
        if self.marked_view[0] != key:
            ordered = self.library.ordered(self.order, self.reverse)
            if self.topic == STARRED:
                view = tuple(s for s in ordered if self.state.is_starred(s))
            else:
                view = tuple(s for s in ordered if not self.state.is_read(s))
            self.marked_view = (key, view)
        return self.marked_view[1]

    def update_status(self) -> None:
        """Folder, story count, skipped files, order and topic in the status line."""
        if self.library is None:
            return
        library = self.library
        label = ORDER_LABELS[self.order][1 if self.reverse else 0]
        shown = len(self.query_one(StoryList).stories)
        topic = LABELS.get(self.topic, self.topic or "")
        text = Text()
        text.append(shorten(clean_line(self.folder.name or str(self.folder)), 30), style="bold")
        text.append(f" · {len(library):,} stories")
        skipped = len(library.problems)
        text.append(f" · {skipped:,} skipped", style="bold red" if skipped else "")
        if skipped:
            text.append(" (press !)")
        text.append(f" · {topic}: {shown:,}")
        if self.search_text:
            text.append(f" · search: {shown:,} match{'es' if shown != 1 else ''}", style="bold")
        text.append(f" · order: {label}")
        if library.complete and self.indexing:
            text.append(" · indexing links…", style="dim")
        self.query_one("#status", Static).update(text, layout=False)
        self.query_one(StoryList).border_subtitle = label

    @on(TopicList.Chosen)
    def choose_topic(self, event: TopicList.Chosen) -> None:
        self.topic = event.topic
        self.refresh_stories()
        self.position_changed()

    def position_changed(self) -> None:
        """Save the position soon: when the keys pause, not in the middle of answering one."""
        if self.position_timer is not None:
            self.position_timer.stop()
        self.position_timer = self.set_timer(POSITION_DELAY, self.save_position)

    @on(StoryList.Highlighted)
    def start_trail(self, event: StoryList.Highlighted) -> None:
        self.last_story = event.story
        start = self.trail.items[0] if self.trail else None
        if isinstance(start, Story) and start.path == event.story.path:
            return  # the list was refilled (more of the folder loaded): keep the trail
        self.trail = Trail(event.story)
        # The list's cursor moves at once; the detail pane follows when the keys pause, so
        # holding j down through 100,000 stories never waits on it.
        if self.detail_timer is not None:
            self.detail_timer.stop()
        self.detail_timer = self.set_timer(DETAIL_DELAY, self.show_current)

    @on(StoryList.Chosen)
    def enter_story(self, event: StoryList.Chosen) -> None:
        if self.reader.config.read_mode == "enter":
            self.mark_read([event.story])
        self.query_one(RelatedList).focus()

    def action_cycle_order(self) -> None:
        self.order = self.order.next()
        self.reverse = False
        self.refresh_stories()
        self.position_changed()

    def action_reverse_order(self) -> None:
        self.reverse = not self.reverse
        self.refresh_stories()

    def action_toggle_sidebar(self) -> None:
        narrow = self.size.width < NARROW
        if narrow:  # the sidebar hides itself when narrow: the key shows it over the list
            self.toggle_class("show-sidebar")
        else:
            self.sidebar_hidden = not self.sidebar_hidden
            self.set_class(self.sidebar_hidden, "no-sidebar")
        topics = self.query_one(TopicList)
        if topics.has_focus and not topics.display:
            self.query_one(StoryList).focus()

    def go_to_topic(self, topic: str | None) -> None:
        """Show `topic` (None: All), as if chosen in the sidebar."""
        self.query_one(TopicList).select_topic(topic)
        self.topic = topic
        self.refresh_stories()
        self.position_changed()

    def set_order(self, order: Order, reverse: bool = False) -> None:
        """Sort the list by `order`."""
        self.order, self.reverse = order, reverse
        self.refresh_stories()
        self.position_changed()

    # -- the trail -----------------------------------------------------------------------------

    @on(RelatedList.Followed)
    def follow(self, event: RelatedList.Followed) -> None:
        if self.trail is None:
            return
        self.trail.visit(event.target)
        if self.reader.config.read_mode == "enter" and isinstance(event.target, Story):
            self.mark_read([event.target])
        self.show_current()
        self.query_one(RelatedList).focus()

    def action_back(self) -> None:
        if self.trail is not None and self.trail.back() is not None:
            self.show_current()
        elif self.trail is not None:
            self.reader.notify("Already at the start of the trail.", timeout=2)

    def action_forward(self) -> None:
        if self.trail is not None and self.trail.forward() is not None:
            self.show_current()
        elif self.trail is not None:
            self.reader.notify("Already at the end of the trail.", timeout=2)

    def show_current(self) -> None:
        """Show the trail's current item in the detail pane."""
        if self.trail is None or self.library is None:
            return
        library = self.library
        target = self.trail.current
        pane = self.query_one(DetailPane)
        now = self.reader.now()
        if not isinstance(target, Story):
            pane.show(target, [], library.mentions(target), self.trail_text(), now)
            return
        mentions = library.backlinks(target)
        self.shown_story(target)
        if target.related_loaded or target.related_count <= READ_RELATED_AT_ONCE:
            rows, note = self.read_related(library, target)
            pane.show(target, rows, mentions, self.trail_text(), now, note=note)
            return
        note = f"Reading {target.related_count:,} related stories…"
        pane.show(target, [], mentions, self.trail_text(), now, note=note)
        self.load_related(library, target)

    def read_related(self, library: Library, story: Story) -> tuple[list[RelatedRow], str]:
        """A story's related entries with the local story each points at (never the story
        itself), and a note saying why there are none if they could not be read."""
        try:
            entries = (
                story.related if story.related_loaded else read_related(self.folder, story.path)
            )
        except (OSError, ValueError) as error:
            return [], f"Could not read them: {clean_line(str(error))}"
        rows = [RelatedRow(entry, library.resolve(entry)) for entry in entries]
        return [row for row in rows if row.local is None or row.local.path != story.path], ""

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def load_related(self, library: Library, story: Story) -> None:
        """Read a long related list off the UI thread; show it if its story is still in view."""
        rows, note = self.read_related(library, story)
        self.app.call_from_thread(self.fill_related, story, rows, note)

    def fill_related(self, story: Story, rows: list[RelatedRow], note: str) -> None:
        """Put a related list read in the background into the pane."""
        if self.trail is None or self.trail.current is not story or self.library is None:
            return
        mentions = self.library.backlinks(story)
        self.query_one(DetailPane).show(
            story, rows, mentions, self.trail_text(), self.reader.now(), note=note, keep_text=True
        )

    def trail_text(self) -> Text:
        """`Trail 2 of 3: first › second › third`, the current stop in bold."""
        assert self.trail is not None
        trail = self.trail
        text = Text(f"Trail {trail.position} of {len(trail)}", style="bold")
        if len(trail) > 1:
            text.append(": ")
            for number, item in enumerate(trail.items, start=1):
                if number > 1:
                    text.append(" › ", style="dim")
                label = shorten(item.title, 24)
                text.append(label, style="bold underline" if number == trail.position else "dim")
        hints = []
        if trail.can_go_back:
            hints.append("[ back")
        if trail.can_go_forward:
            hints.append("] forward")
        if hints:
            text.append("   (" + ", ".join(hints) + ")", style="dim")
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    # -- links ---------------------------------------------------------------------------------

    def current_link(self) -> tuple[str, str]:
        """(link, what it is) for `o` and `c`: the highlighted related entry when that list
        has focus, else the story in view."""
        related = self.query_one(RelatedList)
        if related.has_focus and related.current is not None:
            return related.current_link(), "related story"
        if self.trail is not None:
            return self.trail.current.url, "story"
        return "", "story"

    def link_or_warn(self) -> str:
        """The link `o` and `c` act on; an empty one is said out loud."""
        link, what = self.current_link()
        if not link:
            self.reader.notify(f"This {what} has no link.", severity="warning")
        return link

    def action_open_link(self) -> None:
        if link := self.link_or_warn():
            self.reader.open_link(link)

    def action_copy_link(self) -> None:
        if not (link := self.link_or_warn()):
            return
        self.reader.copy_to_clipboard(link)
        self.reader.notify(f"Copied {shorten(link, 80)}", timeout=3, markup=False)
