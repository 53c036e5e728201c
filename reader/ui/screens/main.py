"""The main screen: it binds a reader session's snapshots to the panes and the panes' messages
to the session. What the reader does is the session's; this module only wires."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Header, Input

from reader.library.search import query_words
from reader.model.order import Order
from reader.model.scope import ALL, Scope
from reader.model.story import Story
from reader.model.text import clean_line, shorten
from reader.platform import memory
from reader.session.session import Session
from reader.session.snapshot import Snapshot
from reader.ui.keys import MAIN_BINDINGS, MAIN_PALETTE
from reader.ui.screens.article_actions import ArticleActions
from reader.ui.screens.session_screen import SessionScreen
from reader.ui.screens.view_actions import ViewActions
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.footer import KeysFooter
from reader.ui.widgets.related import RelatedList
from reader.ui.widgets.search import SearchBox
from reader.ui.widgets.status import StatusBar
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.topics import TopicList

DETAIL_DELAY = 0.03  # seconds the detail pane waits for the list's cursor to settle
CONFIRM_OVER = 50  # marking more stories than this read asks first
NARROW = 110  # below this width the sidebar hides and the panes stack


class MainScreen(SessionScreen, ViewActions, ArticleActions):
    """Topic sidebar, story list and detail pane, with a status line."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_BINDINGS
    COMMANDS = MAIN_PALETTE  # the palette's reader commands are this screen's
    # Each part of a snapshot is drawn by its own widget: no repaint of the whole screen.
    snapshot: reactive[Snapshot | None] = reactive(
        None, always_update=True, init=False, repaint=False
    )

    def __init__(
        self, session: Session, *, open_link: Callable[[str], None], follow_changes: bool = True
    ) -> None:
        super().__init__(session, follow_changes=follow_changes)
        self.open_link = open_link
        self.detail_timer: Timer | None = None
        self.sidebar_hidden = False  # by the user, whatever the width

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="body"):
            yield TopicList(id="topics")
            with Vertical(id="list-column"):  # the search box goes on top of it when asked for
                yield StoryList(id="stories")
            yield DetailPane(id="detail")
        yield StatusBar(id="status-bar")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "newsreader"
        # Served to a browser, the page shows no path of the server's: the folder's name only.
        sources = self.session.snapshot.sources
        where = (label if self.app.is_web else path for label, path in sources)
        self.sub_title = clean_line(" + ".join(where))
        stories = self.query_one(StoryList)
        stories.border_title = "Stories"
        stories.focus()
        self.set_interval(0.25, self.session.tick)
        self.set_interval(0.5, self.group_stories)  # groups once updates pause
        self.session.subscribe(self.receive)
        # Textual lays the screen out and draws it once during its start-up, and throws that
        # drawing away. The panes stay out of it (hidden, empty) and are drawn once, when the
        # app's own messages are taken: after its start-up.
        self.query_one("#body").display = False
        self.app.call_later(self.open_session)

    def open_session(self) -> None:
        """The panes, with the cache's best stories, on the very first screen drawn; the rest
        comes once it is on the terminal."""
        self.query_one("#body").display = True
        self.session.loader.open()
        self.call_after_refresh(self.first_screen_drawn)

    def first_screen_drawn(self) -> None:
        memory.started()  # collecting resumes (reader.platform.memory)
        self.query_one(KeysFooter).show_keys()
        if self.search_box() is None:  # hidden until `/`: there at once then, see action_search
            self.query_one("#list-column").mount(SearchBox(), before=0)
        self.load_feed()  # checking the folder takes the interpreter

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "narrow")
        self.set_class(self.sidebar_hidden, "no-sidebar")

    # -- snapshots to widgets --------------------------------------------------------------------

    def receive(self, snapshot: Snapshot) -> None:
        """The session published: show it."""
        self.snapshot = snapshot

    def watch_snapshot(self, old: Snapshot | None, new: Snapshot | None) -> None:
        if new is None:
            return
        self.show_notices(new.notices)
        topics, stories = self.query_one(TopicList), self.query_one(StoryList)
        if old is None or new.sidebar is not old.sidebar:
            topics.set_entries(new.sidebar)
        # The sidebar's cursor goes to the scope shown when that changes; a library that
        # changes moves it only if the user has not (the first topics to arrive).
        moved_topics = topics.moved and old is not None and new.library is not old.library
        if (
            old is None
            or new.scope != old.scope
            or (new.library is not old.library and not moved_topics)
        ):
            topics.select_scope(new.scope)
        stories.empty_message = Text(new.empty)
        stories.more = self.session.loader.show_more if new.more else None
        stories.show_marks(new.marks, new.coverage, new.kept)
        if old is None or new.view is not old.view or new.focus is not None:
            self.show_stories(old, new, stories)
        self.query_one(StatusBar).show(new.status)
        stories.border_subtitle = new.status.order
        pane = self.query_one(DetailPane)
        before = old.detail if old is not None else None
        if new.detail is None:
            if old is None or before is not None or new.message != old.message:
                pane.clear(new.message)
        elif new.detail is not before or old is None or new.article is not old.article:
            pane.show(new.detail, self.session.now(), new.article)  # a stop keeps its place
            job = self.session.reading.related_job()
            if job is not None:
                self.read_related(*job)

    @staticmethod
    def show_stories(old: Snapshot | None, new: Snapshot, stories: StoryList) -> None:
        """The list's new stories, the cursor where the user left it. Changes the user made
        (scope, order, search, groups shown) keep the story under the cursor if it is still
        listed, else start at the top; changes made under them (more of the folder, an
        update, new groups) keep it wherever it now sits, or its neighbour if it went."""
        if old is None:
            stories.set_stories(new.view, keep=new.focus)
            return
        chosen = (new.scope, new.order, new.reverse, new.query, new.status.collapsed)
        background = chosen == (old.scope, old.order, old.reverse, old.query, old.status.collapsed)
        loading = old.library is None or not old.library.complete
        keep: Story | None = stories.current
        if new.focus is not None and not stories.moved:
            keep = new.focus  # a restored position, unless the user has moved meanwhile
        elif loading and not stories.moved:
            keep = None  # until the user moves, the cursor stays on the best story so far
        stories.set_stories(new.view, keep=keep, background=background)

    def action_run_part(self, target: str, method: str) -> None:
        """A command the table hands to a part of the session (reader.ui.command_table)."""
        session = self.session
        parts = {"reading": session.reading, "navigation": session.navigation, "session": session}
        getattr(parts[target], method)()

    # -- the list, the sidebar and the order ------------------------------------------------------

    @on(TopicList.Chosen)
    def choose_topic(self, event: TopicList.Chosen) -> None:
        self.session.navigation.choose(event.scope)

    def go_to_topic(self, topic: str | None) -> None:
        """Show `topic` (None: All), as if chosen in the sidebar."""
        self.session.navigation.choose(Scope.topic(topic) if topic else ALL)

    def palette_topics(self) -> Sequence[tuple[str, int]]:
        """Every topic with its story count, for the command palette."""
        library = self.session.snapshot.library
        return library.topics if library is not None else ()

    def set_order(self, order: Order, reverse: bool = False) -> None:
        """Sort the list by `order`."""
        self.session.navigation.set_order(order, reverse)

    @on(StoryList.Highlighted)
    def story_highlighted(self, event: StoryList.Highlighted) -> None:
        # The session follows the cursor at once (u, *, o, c act on that story); the detail
        # pane follows when the keys pause, so holding j down never waits on it.
        if not self.session.reading.highlight(event.story, show=False, by_user=event.by_user):
            return
        if self.detail_timer is not None:
            self.detail_timer.stop()
        self.detail_timer = self.set_timer(DETAIL_DELAY, self.session.reading.show)

    @on(StoryList.Chosen)
    def enter_story(self, event: StoryList.Chosen) -> None:
        self.session.reading.chosen(event.story)
        self.query_one(RelatedList).focus()

    def action_toggle_sidebar(self) -> None:
        if self.size.width < NARROW:  # the sidebar hides itself: the key shows it over the list
            self.toggle_class("show-sidebar")
        else:
            self.sidebar_hidden = not self.sidebar_hidden
            self.set_class(self.sidebar_hidden, "no-sidebar")
        topics = self.query_one(TopicList)
        if topics.has_focus and not topics.display:
            self.query_one(StoryList).focus()

    # -- search ----------------------------------------------------------------------------------

    def search_box(self) -> SearchBox | None:
        """The search box, once there is one (put in, hidden, after the first screen)."""
        return next(self.query(SearchBox).results(), None)

    async def action_search(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction  # a `/` typed in the search box is the query's
        box = self.search_box()
        if box is None:  # `/` before the first screen was drawn
            box = SearchBox(shown=True)
            await self.query_one("#list-column").mount(box, before=0)
        box.display = True
        # Focused now, before the keys typed after `/` are handed on (`/` is a priority key):
        # they are the search's, never the list's (`o` would open a story, `r` reload).
        self.set_focus(box)
        job = self.session.search_job()
        if job is not None:
            self.prepare_search(*job)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.query_one(StoryList).highlight = query_words(event.value)
        self.session.navigation.search(event.value)

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.query_one(StoryList).focus()

    def action_collapse(self) -> None:
        if self.session.snapshot.coverage is None:
            self.app.notify("The stories are still being grouped; try again in a moment.")
            return
        self.session.toggle_collapsed()

    def action_clear_search(self) -> None:
        if self.session.articles.cancel(self.session.reading.link()):  # a fetch first
            return
        box = self.search_box()
        if box is None or (not box.display and not self.session.snapshot.query):
            return
        box.value = ""
        box.display = False
        self.query_one(StoryList).highlight = []
        self.session.navigation.search("")
        self.query_one(StoryList).focus()

    # -- the trail -------------------------------------------------------------------------------

    @on(RelatedList.Followed)
    def follow(self, event: RelatedList.Followed) -> None:
        self.session.reading.follow(event.target)
        self.query_one(RelatedList).focus()

    # -- marks -----------------------------------------------------------------------------------

    def action_mark_all_read(self) -> None:
        unread = self.session.unread_in_view()
        if not unread:
            self.notify("Every story here is read already.", timeout=2)
        elif len(self.session.snapshot.view) <= CONFIRM_OVER:
            self.session.mark_read(unread)
            self.session.navigation.refresh()
        else:

            def answer(yes: bool | None) -> None:
                if yes:
                    changed = self.session.mark_read(unread)
                    self.session.navigation.refresh()
                    self.notify(f"Marked {changed:,} stories read.", timeout=3)

            from reader.ui.screens.modal import ConfirmScreen

            question = f"Mark all {len(unread):,} unread stories in this view as read?"
            self.app.push_screen(ConfirmScreen(question), answer)

    # -- links -----------------------------------------------------------------------------------

    def current_link(self) -> tuple[str, str]:
        """(link, what it is) for `o` and `c`: the story in view; a related entry only when
        the user moved the related list's cursor onto it since the pane last changed."""
        related = self.query_one(RelatedList)
        if related.has_focus and related.moved and related.current is not None:
            return related.current_link(), "related story"
        return self.session.reading.link(), "story"

    def link_or_warn(self) -> str:
        """The link `o` and `c` act on; an empty one is said out loud."""
        link, what = self.current_link()
        if not link:
            self.notify(f"This {what} has no link.", severity="warning")
        return link

    def action_open_link(self) -> None:
        if link := self.link_or_warn():
            self.open_link(link)

    def action_copy_link(self) -> None:
        if link := self.link_or_warn():
            self.app.copy_to_clipboard(link)
            self.notify(f"Copied {shorten(link, 80)}", timeout=3, markup=False)
