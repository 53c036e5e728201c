"""What a session publishes: immutable snapshots a screen, a script or a browser tab reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from reader.library.library import Library
from reader.model.order import Order
from reader.model.scope import ALL, STARRED, UNREAD, Scope
from reader.model.story import Story
from reader.model.text import clean_line, shorten
from reader.session.detail import Detail
from reader.session.marks import Marks, MarksView

if TYPE_CHECKING:  # grouping is imported by its first job, after the first screen
    from reader.article.store import KeptIndex
    from reader.library.coverage.groups import Coverage
    from reader.session.articles import ArticleView

EMPTY_FEED = (
    "No stories in this folder. newsreader reads every file (any name, sub-folders too) "
    "that begins with a YAML front-matter block between two --- lines, with at least a "
    "title: field. Run `newsreader check FOLDER` to see why files were skipped."
)

ORDER_LABELS: dict[Order, tuple[str, str]] = {
    Order.QUALITY: ("quality, highest first", "quality, lowest first"),
    Order.NEWEST: ("newest first", "oldest first"),
    Order.HEAT: ("heat, hottest first", "heat, coolest first"),
    Order.TITLE: ("title A–Z", "title Z–A"),
}


def order_label(order: Order, reverse: bool) -> str:
    """`newest first`, `title Z–A`…"""
    return ORDER_LABELS[order][1 if reverse else 0]


@dataclass(frozen=True, slots=True)
class SidebarEntry:
    """One row of the sidebar: a scope with its story count and, where shown, unread count."""

    scope: Scope
    total: int
    unread: int | None = None  # None: not shown (Starred, Unread show one number)

    @property
    def label(self) -> str:
        """The scope's name."""
        return self.scope.label


@dataclass(frozen=True, slots=True)
class Status:
    """The facts of the status line; the screen chooses how to draw them."""

    folder: str
    stories: int
    skipped: int
    scope: str  # the scope's label
    shown: int
    query: str
    order: str  # the order's label
    indexing: bool  # every story is in, the links between them are still being read
    collapsed: bool = False  # each group of stories on one event shown as its best story
    loading: tuple[int, int] | None = None  # (files done, files in all) while loading
    query_error: str = ""  # what is wrong with the query typed, and where


Severity = Literal["information", "warning", "error"]


class Tell(Protocol):
    """How a part of the session tells the user something (in the next snapshot's notices)."""

    def __call__(
        self, text: str, severity: Severity = "information", title: str = "", see: str = ""
    ) -> None:
        """Queue a notice."""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should be told once."""

    text: str
    severity: Severity = "information"
    title: str = ""
    # What the list of problems shows more of ("why", "them"): each front end says how to get
    # there in its own words (`!` in the full-screen reader, `problems` in the plain one).
    see: str = ""

    def said(self, how: str) -> str:
        """The notice's text, with how to see more (`press !`) when there is more to see."""
        return f"{self.text} ({how} to see {self.see})." if self.see else self.text


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The session at one moment. Unchanged parts are the same objects as in the previous
    snapshot, so a screen can compare with `is` and redraw only what changed."""

    library: Library | None
    view: tuple[Story, ...]  # the list: scope, order, then the query
    scope: Scope
    order: Order
    reverse: bool
    query: str
    sidebar: tuple[SidebarEntry, ...]
    status: Status
    detail: Detail | None
    marks: MarksView  # the read and starred marks (a new object when one changes)
    empty: str  # what the list says when it has no rows
    message: str  # what the detail pane says when there is no detail
    focus: Story | None = None  # a story the list's cursor should move to (a restored position)
    notices: tuple[Notice, ...] = ()  # new since the previous snapshot
    coverage: Coverage | None = None  # the groups in force (a new object when they change)
    more: bool = False  # the list shows the caches' best while the folder loads: more can come
    sources: tuple[tuple[str, str], ...] = ()  # each folder's (label, path as text)
    views: tuple[str, ...] = ()  # the saved views' names, in order
    article: ArticleView | None = None  # the article in the pane in place of the excerpt
    kept: KeptIndex | None = None  # which stories' articles are kept (a new object on change)

    @property
    def folder_name(self) -> str:
        """The folders' name: the folder's label, or every label joined."""
        return " + ".join(label for label, _ in self.sources)


def sidebar_of(
    library: Library,
    marks: Marks,
    views: Sequence[tuple[str, int, int]] = (),
    folders: Sequence[tuple[str, int, int]] = (),
) -> tuple[SidebarEntry, ...]:
    """All, Starred, Unread, the saved views (name, stories, unread), the folders (label,
    stories, unread: when there are several), then every topic with its counts."""
    unread = marks.unread
    entries = [
        SidebarEntry(ALL, len(library), unread.get(None, 0)),
        SidebarEntry(STARRED, marks.starred_count),
        SidebarEntry(UNREAD, unread.get(None, 0)),
    ]
    entries.extend(SidebarEntry(Scope.view(name), total, fresh) for name, total, fresh in views)
    entries.extend(SidebarEntry(Scope.folder(name), total, fresh) for name, total, fresh in folders)
    entries.extend(
        SidebarEntry(Scope.topic(name), count, unread.get(name, 0))
        for name, count in library.topics
    )
    return tuple(entries)


@dataclass(frozen=True, slots=True)
class LoadState:
    """The loader's piece of a snapshot: the library in view and how its load goes."""

    library: Library | None
    indexing: bool  # a load is under way (until the library is indexed)
    progress: tuple[int, int] | None  # (files done, files in all) while loading
    failure: str  # why the folder could not be loaded, when nothing was


@dataclass(frozen=True, slots=True)
class Place:
    """The navigation's piece of a snapshot: what the list shows, and how."""

    scope: Scope
    order: Order
    reverse: bool
    query: str  # the last good query
    query_error: str  # what is wrong with the query typed last, and where


@dataclass(frozen=True, slots=True)
class Pieces:
    """Everything a snapshot is made of, each part's piece as it stands."""

    sources: tuple[tuple[str, str], ...]  # each folder's (label, path as text)
    load: LoadState
    place: Place
    view: tuple[Story, ...]
    sidebar: tuple[SidebarEntry, ...]
    detail: Detail | None
    marks: MarksView
    coverage: Coverage | None
    collapsed: bool
    more: bool
    views: tuple[str, ...]
    article: ArticleView | None = None
    kept: KeptIndex | None = None


def snapshot_of(
    pieces: Pieces, focus: Story | None = None, notices: tuple[Notice, ...] = ()
) -> Snapshot:
    """The snapshot the pieces make."""
    load, place = pieces.load, pieces.place
    empty, message = placeholders(load.library, load.failure)
    return Snapshot(
        library=load.library,
        view=pieces.view,
        scope=place.scope,
        order=place.order,
        reverse=place.reverse,
        query=place.query,
        sidebar=pieces.sidebar,
        status=status_of(pieces),
        detail=pieces.detail,
        marks=pieces.marks,
        empty=empty,
        message=message,
        focus=focus,
        notices=notices,
        coverage=pieces.coverage,
        more=pieces.more,
        sources=pieces.sources,
        views=pieces.views,
        article=pieces.article,
        kept=pieces.kept,
    )


def status_of(pieces: Pieces) -> Status:
    """The status line's facts."""
    library, place = pieces.load.library, pieces.place
    complete = library is not None and library.complete
    name = " + ".join(label for label, _ in pieces.sources)
    return Status(
        folder=shorten(clean_line(name), 40),
        stories=len(library) if library is not None else 0,
        skipped=len(library.problems) if library is not None else 0,
        scope=place.scope.label,
        shown=len(pieces.view),
        query=place.query,
        order=order_label(place.order, place.reverse),
        indexing=complete and pieces.load.indexing,
        loading=None if complete else pieces.load.progress,
        query_error=place.query_error,
        collapsed=pieces.collapsed and pieces.coverage is not None,
    )


def placeholders(library: Library | None, failure: str) -> tuple[str, str]:
    """What the list says when it has no rows, and the detail pane when it has no story."""
    if failure and (library is None or not len(library)):
        return f"Could not load the folder: {failure}", "Loading…"
    if library is None or not library.complete:
        return "Loading stories…", "Loading…"
    if not len(library):
        return EMPTY_FEED, EMPTY_FEED
    return "No stories in this topic.", "Choose a story to read it here."


REPEAT_AFTER = 5.0  # seconds before the same notice is told again (as long as one is shown)


class Notices:
    """Notices queued for the next snapshot. One told less than `REPEAT_AFTER` seconds ago is
    not queued again: keys held down or typed in a burst (Backspace at the start of a trail)
    would otherwise stack a notice per key on the screen."""

    def __init__(self) -> None:
        self.queued: list[Notice] = []
        self._told: dict[Notice, float] = {}  # notices told lately, with when (monotonic)

    def tell(self, notice: Notice, now: float) -> None:
        """Queue `notice`, told at `now` (a monotonic time), unless it was just told."""
        told = self._told.get(notice)
        if told is not None and now - told < REPEAT_AFTER:
            return
        self._told = {n: t for n, t in self._told.items() if now - t < REPEAT_AFTER}
        self._told[notice] = now
        self.queued.append(notice)
