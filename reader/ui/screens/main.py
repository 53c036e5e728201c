"""The main screen: it owns the selection (topic, order, trail) and hands it to the panes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static
from textual.worker import Worker, WorkerState

from reader.history import Trail
from reader.library import Library, Order
from reader.load import FolderError, iter_results
from reader.story import FieldWarning, Problem, Story
from reader.text import clean_line, shorten
from reader.ui.detail import DetailPane
from reader.ui.related import RelatedList, RelatedRow, Target
from reader.ui.stories import StoryList
from reader.ui.topics import TopicList

if TYPE_CHECKING:
    from reader.ui.app import NewsReader

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


class MainScreen(Screen[None]):
    """Topic sidebar, story list and detail pane, with a status line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "app.focus_next",
            "Next pane",
            show=False,
            id="main.next_pane",
            tooltip="Focus the next pane: topics, stories, related list",
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous pane",
            show=False,
            id="main.prev_pane",
            tooltip="Focus the previous pane",
        ),
        Binding(
            "backspace,left_square_bracket,alt+left",
            "back",
            "Back",
            id="main.back",
            tooltip="Back along the related-story trail",
        ),
        Binding(
            "right_square_bracket,alt+right",
            "forward",
            "Forward",
            id="main.forward",
            tooltip="Forward along the related-story trail",
        ),
        Binding(
            "o",
            "open_link",
            "Open",
            id="main.open",
            tooltip="Open the story's link in the browser (in the related list: the entry's)",
        ),
        Binding(
            "c",
            "copy_link",
            "Copy link",
            show=False,
            id="main.copy",
            tooltip="Copy that link to the clipboard",
        ),
        Binding(
            "s",
            "cycle_order",
            "Order",
            id="main.order",
            tooltip="Cycle the order: quality, newest, heat, title",
        ),
        Binding(
            "S",
            "reverse_order",
            "Reverse",
            show=False,
            id="main.reverse",
            tooltip="Reverse the order",
        ),
        Binding(
            "b",
            "toggle_sidebar",
            "Sidebar",
            show=False,
            id="main.sidebar",
            tooltip="Hide or show the topic sidebar",
        ),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.library: Library | None = None
        self.topic: str | None = None
        self.order = Order.QUALITY
        self.reverse = False
        self.trail: Trail[Target] | None = None
        self.sidebar_hidden = False  # by the user, whatever the width

    @property
    def reader(self) -> NewsReader:
        from reader.ui.app import NewsReader

        assert isinstance(self.app, NewsReader)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="body"):
            yield TopicList(id="topics")
            yield StoryList(id="stories")
            yield DetailPane(id="detail")
        with Horizontal(id="status-bar"):
            yield Static(id="status")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "newsreader"
        self.sub_title = clean_line(str(self.folder))
        self.query_one(StoryList).border_title = "Stories"
        self.query_one(StoryList).focus()
        self.query_one(DetailPane).clear("Loading…")
        self.update_status()
        self.load_feed()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "narrow")
        self.set_class(self.sidebar_hidden, "no-sidebar")

    # -- loading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_feed(self) -> Library:
        """Parse the folder off the UI thread, reporting progress as batches arrive."""
        stories: list[Story] = []
        problems: list[Problem] = []
        warnings: list[FieldWarning] = []
        done = 0
        for batch, total in iter_results(self.folder):
            for result in batch:
                if result.story is not None:
                    stories.append(result.story)
                if result.problem is not None:
                    problems.append(result.problem)
                warnings.extend(result.warnings)
            done += len(batch)
            self.app.call_from_thread(self.show_progress, done, total)
        return Library(stories, problems, warnings)

    def show_progress(self, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#status", Static).update(Text(f"Loading {done:,} of {total:,} files…"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "load":
            return
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, Library):
            self.set_library(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            reason = str(error) if isinstance(error, FolderError) else repr(error)
            self.query_one(ProgressBar).display = False
            self.query_one(StoryList).empty_message = Text(f"Could not load the folder: {reason}")
            self.query_one(StoryList).set_stories(())
            self.reader.notify(
                clean_line(reason), title="Loading failed", severity="error", markup=False
            )

    def set_library(self, library: Library) -> None:
        """Show a freshly loaded library."""
        self.library = library
        self.query_one(ProgressBar).display = False
        topics = self.query_one(TopicList)
        topics.set_topics(len(library), library.topics)
        if self.topic is not None and self.topic not in dict(library.topics):
            self.topic = None
        topics.select_topic(self.topic)
        stories = self.query_one(StoryList)
        stories.empty_message = Text(
            EMPTY_FEED if not len(library) else "No stories in this topic."
        )
        self.refresh_stories()
        if not len(library):
            self.query_one(DetailPane).clear(EMPTY_FEED)
        if library.problems:
            count = len(library.problems)
            self.reader.notify(
                f"{count} file{'s' if count != 1 else ''} could not be read: press ! to see why.",
                severity="warning",
                markup=False,
            )

    # -- the story list ------------------------------------------------------------------------

    def refresh_stories(self) -> None:
        """Fill the story list for the current topic and order, keeping the cursor's story."""
        if self.library is None:
            return
        stories = self.query_one(StoryList)
        keep = stories.current
        stories.set_stories(self.library.view(self.topic, self.order, self.reverse), keep=keep)
        self.update_status()

    def update_status(self) -> None:
        """Folder, story count, skipped files, order and topic in the status line."""
        if self.library is None:
            return
        library = self.library
        label = ORDER_LABELS[self.order][1 if self.reverse else 0]
        shown = len(self.query_one(StoryList).stories)
        topic = "All" if self.topic is None else self.topic
        text = Text()
        text.append(shorten(clean_line(self.folder.name or str(self.folder)), 30), style="bold")
        text.append(f" · {len(library):,} stories")
        skipped = len(library.problems)
        text.append(f" · {skipped:,} skipped", style="bold red" if skipped else "")
        if skipped:
            text.append(" (press !)")
        text.append(f" · {topic}: {shown:,}")
        text.append(f" · order: {label}")
        self.query_one("#status", Static).update(text)
        self.query_one(StoryList).border_subtitle = label

    @on(TopicList.Chosen)
    def choose_topic(self, event: TopicList.Chosen) -> None:
        self.topic = event.topic
        self.refresh_stories()

    @on(StoryList.Highlighted)
    def start_trail(self, event: StoryList.Highlighted) -> None:
        self.trail = Trail(event.story)
        self.show_current()

    @on(StoryList.Chosen)
    def enter_story(self, event: StoryList.Chosen) -> None:
        self.query_one(RelatedList).focus()

    def action_cycle_order(self) -> None:
        self.order = self.order.next()
        self.reverse = False
        self.refresh_stories()

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

    def set_order(self, order: Order, reverse: bool = False) -> None:
        """Sort the list by `order`."""
        self.order, self.reverse = order, reverse
        self.refresh_stories()

    # -- the trail -----------------------------------------------------------------------------

    @on(RelatedList.Followed)
    def follow(self, event: RelatedList.Followed) -> None:
        if self.trail is None:
            return
        self.trail.visit(event.target)
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
        target = self.trail.current
        related: list[RelatedRow] = []
        mentions: tuple[Story, ...] = ()
        if isinstance(target, Story):
            related = [RelatedRow(entry, self.library.resolve(entry)) for entry in target.related]
            related = [row for row in related if row.local is None or row.local.path != target.path]
            mentions = self.library.backlinks(target)
        else:
            mentions = self.library.mentions(target)
        self.query_one(DetailPane).show(
            target, related, mentions, self.trail_text(), self.reader.now()
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

    def action_open_link(self) -> None:
        link, what = self.current_link()
        if not link:
            self.reader.notify(f"This {what} has no link.", severity="warning")
            return
        self.reader.open_link(link)

    def action_copy_link(self) -> None:
        link, what = self.current_link()
        if not link:
            self.reader.notify(f"This {what} has no link.", severity="warning")
            return
        self.reader.copy_to_clipboard(link)
        self.reader.notify(f"Copied {shorten(link, 80)}", timeout=3, markup=False)
