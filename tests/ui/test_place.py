"""The user's place is theirs: work in the background (the rest of the folder arriving, a watched
update, coverage groups, a related list read in a worker, the read timer, a reload) never moves
the list's cursor, the related list's cursor, the sidebar's cursor or the search box's text.

Each test presses keys between two publishes: the second is held back (a load or a grouping that
waits for the test to let it go) or caused by the test (a file written into the watched folder),
and every wait is on a fact."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from reader.feed.folders import Folders
from reader.model.order import Order
from reader.model.scope import ALL, UNREAD, Scope
from reader.model.story import Story
from reader.platform import paths
from reader.platform.config import Config
from reader.session.loader import Loader
from reader.session.session import Session
from reader.ui.widgets.related import RelatedList
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.topics import TopicList
from tests.conftest import write_story
from tests.session.test_place import many_stories
from tests.ui.conftest import FakeClock, RecordingReader, make_app, until, wait_loaded
from tests.ui.test_reader import big_related_story

HELD_AT_MOST = 60.0  # seconds a held load or grouping waits, should a test fail before it lets go


def hold(monkeypatch: pytest.MonkeyPatch, method: str) -> threading.Event:
    """Make the session's job `method` (load_steps, coverage_job) wait in its worker thread
    until the returned event is set."""
    go = threading.Event()
    owner: Any = Loader if method == "load_steps" else Session
    original = getattr(owner, method)

    if method == "load_steps":

        def held_steps(self: Loader, **options: Any) -> Iterator[Any]:
            steps = original(self, **options)

            def waiting() -> Iterator[Any]:
                go.wait(HELD_AT_MOST)
                yield from steps

            return waiting()

        monkeypatch.setattr(Loader, method, held_steps)
    else:

        def held_job(self: Session) -> Any:
            job = original(self)
            if job is None:
                return None
            library, work = job

            def waiting() -> Any:
                go.wait(HELD_AT_MOST)
                return work()

            return library, waiting

        monkeypatch.setattr(Session, method, held_job)
    return go


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], threading.Event]]:
    """`held(method)`: from now on the session's job `method` waits until the test sets the
    event returned (a load: the first screen comes first). Let go at the end in any case."""
    events: list[threading.Event] = []

    def holding(method: str) -> threading.Event:
        events.append(hold(monkeypatch, method))
        return events[-1]

    yield holding
    for event in events:
        event.set()


def visited(feed: Path, act: Callable[[Session], None] | None = None) -> None:
    """A visit before the test's, as the reader makes it: the index cache written (the next
    start is a warm one) and, after `act`, the position saved."""
    folders = Folders.of([feed], cache_file=paths.index_cache, state_file=paths.state_file)
    session = Session(folders, workers=1)
    session.loader.open()
    session.loader.load()
    if act is not None:
        act(session)
    session.close()


def stories_of(app: RecordingReader) -> StoryList:
    return app.main.query_one(StoryList)


def at(app: RecordingReader) -> Story:
    """The story under the list's cursor."""
    story = stories_of(app).current
    assert story is not None
    return story


def drawn(app: RecordingReader) -> bool:
    """The screen shows the session's latest snapshot."""
    session = app.session
    return session is not None and app.main.snapshot is session.snapshot


async def first_list(pilot: Pilot[Any], app: RecordingReader, rows: int) -> None:
    """Wait for the first screen: the cache's best `rows` stories, the folder still loading."""

    def shown() -> bool:
        session = app.session
        return (
            session is not None
            and session.loader.library is not None
            and not session.loader.library.complete
            and stories_of(app).row_count == rows
        )

    await until(pilot, shown, "the first list never came", tries=3000)


async def whole_folder(pilot: Pilot[Any], app: RecordingReader, count: int) -> None:
    """Wait until the whole folder is in, indexed and drawn."""

    def done() -> bool:
        session = app.session
        library = session.loader.library if session is not None else None
        return (
            library is not None
            and library.complete
            and len(library) == count
            and session is not None
            and not session.loader.indexing
            and drawn(app)
        )

    await until(pilot, done, "the whole folder never came", tries=3000)


async def moved_to(pilot: Pilot[Any], app: RecordingReader, row: int) -> None:
    await until(pilot, lambda: stories_of(app).cursor == row, f"the cursor never reached {row}")


# -- keys while the folder loads ----------------------------------------------------------------


@asynccontextmanager
async def held_start(
    feed: Path,
    held: Callable[[str], threading.Event],
    stories: int,
    act: Callable[[Session], None] | None = None,
) -> AsyncIterator[tuple[RecordingReader, Pilot[Any], threading.Event]]:
    """A warm start of `stories` stories (after a visit that did `act`) whose load waits until
    the event yielded is set, from its first list (the cache's best 100) on."""
    visited(many_stories(feed, stories), act)
    go = held("load_steps")
    app = make_app(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await first_list(pilot, app, 100)
        yield app, pilot, go


async def test_five_downs_on_the_first_list_stay_on_their_story(
    feed: Path, held: Callable[[str], threading.Event]
) -> None:
    async with held_start(feed, held, 300) as (app, pilot, held_load):
        await pilot.press(*["down"] * 5)
        await moved_to(pilot, app, 5)
        chosen = at(app)
        held_load.set()
        await whole_folder(pilot, app, 300)
        assert at(app).path == chosen.path and stories_of(app).cursor == 5
        assert app.session is not None and app.session.reading.trail is not None
        assert app.session.reading.trail.current.path == chosen.path  # the detail pane's story too


async def test_200_downs_while_the_folder_loads_end_on_row_200(
    feed: Path, held: Callable[[str], threading.Event]
) -> None:
    async with held_start(feed, held, 300) as (app, pilot, held_load):
        await pilot.press(*["j"] * 200)  # past the first list's 100: it goes on as they come
        await moved_to(pilot, app, 200)
        assert at(app).title == "Story 200"
        held_load.set()
        await whole_folder(pilot, app, 300)
        assert stories_of(app).cursor == 200 and at(app).title == "Story 200"


async def test_keys_while_loading_win_over_the_saved_position(
    feed: Path, held: Callable[[str], threading.Event]
) -> None:
    def left_in_harbours(session: Session) -> None:
        session.navigation.choose(Scope.topic("Harbours"))
        session.navigation.set_order(Order.NEWEST)
        session.reading.highlight(next(s for s in session.snapshot.view if s.title == "Story 042"))

    async with held_start(feed, held, 150, left_in_harbours) as (app, pilot, held_load):
        await pilot.press(*["down"] * 5)
        await moved_to(pilot, app, 5)
        held_load.set()
        await whole_folder(pilot, app, 150)
        assert at(app).title == "Story 005" and stories_of(app).cursor == 5
        assert app.session is not None and app.session.navigation.scope == ALL


async def test_the_saved_position_comes_back_when_no_key_was_pressed(
    feed: Path, held: Callable[[str], threading.Event]
) -> None:
    def left_on_42(session: Session) -> None:
        session.reading.highlight(session.snapshot.view[42])

    async with held_start(feed, held, 150, left_on_42) as (app, pilot, held_load):
        held_load.set()
        await whole_folder(pilot, app, 150)
        await until(pilot, lambda: at(app).title == "Story 042", "the position never came back")


# -- updates, groups, reloads and the read timer after the load ---------------------------------


def watched(feed: Path, **options: Any) -> RecordingReader:
    return make_app(feed, watch=True, **options)


async def watching(pilot: Pilot[Any], app: RecordingReader) -> None:
    await wait_loaded(pilot)
    await until(pilot, lambda: app.main.watching, "the folder was never watched")


async def arrived(pilot: Pilot[Any], app: RecordingReader, path: str, there: bool = True) -> None:
    """Wait until the file `path` is in the library (or gone from it) and drawn."""

    def fact() -> bool:
        library = app.session.loader.library if app.session is not None else None
        return library is not None and (library.get(path) is not None) == there and drawn(app)

    await until(pilot, fact, f"{path} never {'came' if there else 'went'}", tries=3000)


async def test_a_better_story_arriving_leaves_the_cursor_and_the_scroll_alone(feed: Path) -> None:
    many_stories(feed, 120)
    app = watched(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await watching(pilot, app)
        stories = stories_of(app)
        await pilot.press(*["j"] * 60, *["k"] * 10)  # row 50, in the middle of the screen
        await moved_to(pilot, app, 50)
        chosen, offset = at(app), stories.scroll_offset.y
        assert 0 < offset < 50 < offset + stories.scrollable_content_region.height - 1
        write_story(feed, "best.md", title="Breaking: the best story", quality=5000)
        await arrived(pilot, app, "best.md")
        assert stories.stories[0].title == "Breaking: the best story"
        assert at(app) is chosen and stories.cursor == 51  # the same story, one row down
        assert stories.scroll_offset.y == offset  # the cursor was in view: no scroll


async def test_the_story_under_the_cursor_going_leaves_it_on_its_neighbour(feed: Path) -> None:
    many_stories(feed, 40)
    app = watched(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await watching(pilot, app)
        await pilot.press(*["j"] * 10)
        await moved_to(pilot, app, 10)
        assert at(app).title == "Story 010"
        (feed / "s010.md").unlink()
        await arrived(pilot, app, "s010.md", there=False)
        assert at(app).title == "Story 011" and stories_of(app).cursor == 10


async def test_the_related_cursor_stays_when_the_same_story_is_shown_again(feed: Path) -> None:
    big_related_story(feed, 15_000)
    app = watched(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await watching(pilot, app)
        related = app.main.query_one(RelatedList)
        await pilot.press("tab")
        await until(pilot, lambda: related.row_count > 15_000, "no related list", tries=3000)
        await pilot.press("G")
        last = "Follow-up number 14999"
        await until(pilot, lambda: getattr(related.current, "entry", None) is not None, "no G")
        assert related.current.entry.title == last  # type: ignore[union-attr]
        # A new file: the same story's detail is made again, its 15,000 entries read again.
        write_story(feed, "other.md", title="Another story", quality=1)
        await arrived(pilot, app, "other.md")
        detail = lambda: app.session.snapshot.detail  # type: ignore[union-attr]  # noqa: E731
        await until(pilot, lambda: not detail().reading and drawn(app), "never read again")
        assert related.current.entry.title == last  # type: ignore[union-attr]
        assert app.focused is related


async def test_the_sidebar_cursor_and_the_search_box_stay_through_an_update(feed: Path) -> None:
    many_stories(feed, 30)
    app = watched(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await watching(pilot, app)
        topics = app.main.query_one(TopicList)
        await pilot.press("shift+tab")  # the sidebar
        assert app.focused is topics
        await pilot.press("j", "j")  # onto Unread, not chosen
        assert topics.current_scope == UNREAD
        write_story(feed, "one.md", title="One more", quality=7, topics=["Lighthouses"])
        await arrived(pilot, app, "one.md")
        assert "Lighthouses" in [e.label for e in topics.entries if not isinstance(e, str)]
        assert topics.current_scope == UNREAD and app.focused is topics
        await pilot.press("slash", *"story", "left", "left")
        box = app.main.search_box()
        assert isinstance(box, Input) and box.cursor_position == 3
        write_story(feed, "two.md", title="Two more stories", quality=8)
        await arrived(pilot, app, "two.md")
        assert box.value == "story" and box.cursor_position == 3 and app.focused is box


async def test_groups_arriving_leave_the_cursor_on_its_story(
    feed: Path, held: Callable[[str], threading.Event]
) -> None:
    many_stories(feed, 60)
    held_grouping = held("coverage_job")
    app = make_app(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        session = app.session
        assert session is not None and session.grouping.coverage is None
        await pilot.press(*["j"] * 7)
        await moved_to(pilot, app, 7)
        chosen = at(app)
        held_grouping.set()
        await until(
            pilot,
            lambda: session.grouping.coverage is not None and drawn(app),
            "the stories were never grouped",
        )
        assert at(app) is chosen and stories_of(app).cursor == 7


async def test_a_reload_and_the_read_timer_leave_the_cursor_on_its_story(feed: Path) -> None:
    many_stories(feed, 60)
    clock = FakeClock()
    app = make_app(feed, monotonic=clock, config=Config(read_mode="timer", read_after=2.0))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        session = app.session
        assert session is not None
        await pilot.press(*["j"] * 4)
        await moved_to(pilot, app, 4)
        chosen = at(app)
        before = session.loader.library
        await pilot.press("r")
        await until(
            pilot,
            lambda: (
                session.snapshot.library is not before
                and not session.loader.indexing
                and drawn(app)
            ),
            "the reload never ended",
        )
        assert at(app).path == chosen.path and stories_of(app).cursor == 4
        timing = lambda: session.reading.read_candidate is not None  # noqa: E731
        await until(pilot, timing, "no read timer started")
        clock.advance(3)
        await until(pilot, lambda: session.marks.is_read(at(app)), "never read by the timer")
        await until(pilot, lambda: drawn(app), "the mark was never drawn")
        assert at(app).path == chosen.path and stories_of(app).cursor == 4
