"""Reading workflow as a person meets it: search, read and starred marks, restarts, settings."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from reader.model.order import Order
from reader.model.scope import STARRED, UNREAD, Scope
from reader.model.story import Story
from reader.platform import memory
from reader.platform.config import Config
from reader.session.session import Session
from reader.session.snapshot import SidebarEntry
from reader.session.state import State
from reader.ui import app as app_module
from reader.ui.screens.modal import ConfirmScreen
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.topics import TopicList
from tests.conftest import write_story
from tests.trail import A, B, C, D, E
from tests.ui.conftest import TRAIL, FakeClock, RecordingReader, make_app, until, wait_loaded


def reader(folder: Path = TRAIL, **options: Any) -> RecordingReader:
    """The reader on `folder`, not watching it, its read timer on a clock that stands still
    unless a `monotonic` clock is given."""
    options.setdefault("opener", lambda url: None)
    return make_app(folder, **options)


def session(app: RecordingReader) -> Session:
    assert app.session is not None
    return app.session


def titles(app: RecordingReader) -> list[str]:
    return [story.title for story in app.main.query_one(StoryList).stories]


def status(app: RecordingReader) -> str:
    return str(app.main.query_one("#status", Static).render())


def current(app: RecordingReader) -> Story:
    """The story under the list's cursor."""
    story = app.main.query_one(StoryList).current
    assert story is not None
    return story


def unread_in_sidebar(app: RecordingReader) -> int | None:
    """The unread count the sidebar shows beside All."""
    return app.main.query_one(TopicList).entries[0].unread


@dataclass
class Ticks:
    """How many times the read timer has run."""

    count: int = 0


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> Ticks:
    """Counts the runs of the read timer (`Session.tick`, run by the screen's interval)."""
    counter = Ticks()
    tick = Session.tick

    def counted(self: Session) -> None:
        counter.count += 1
        tick(self)

    monkeypatch.setattr(Session, "tick", counted)
    return counter


async def next_tick(pilot: Pilot[int], ticks: Ticks) -> None:
    """Wait until the read timer has run once more (it then sees the clock as it is now)."""
    before = ticks.count
    await until(pilot, lambda: ticks.count > before, "the read timer never ran")


async def test_search_filters_live_across_every_field_and_escape_clears_it() -> None:
    app = reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"drip")
        assert titles(app) == [B, C]  # titles
        assert "search: 2 matches" in status(app)
        assert app.main.query_one(StoryList).highlight == ["drip"]
        await pilot.press(*" kitworks")  # provider name: every word must match
        assert titles(app) == [C]
        await pilot.press("enter")
        assert app.focused is app.main.query_one(StoryList)
        assert titles(app) == [C]  # the filter stays
        await pilot.press("escape")
        assert titles(app) == [A, B, D, C, E]
        assert not app.main.query_one("#search", Input).display


async def test_search_reads_excerpts_and_topics_and_combines_with_the_topic() -> None:
    app = reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"summary of town")  # excerpt words
        assert titles(app) == [E]
        await pilot.press("escape", "slash", *"farming")  # a topic name
        assert titles(app) == [B, C]
        await pilot.press("enter")
        app.main.go_to_topic("Water")  # Water and the search together
        assert titles(app) == [B]


async def test_a_bad_query_is_explained_on_the_status_line_while_the_list_stays() -> None:
    app = reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"drip (title:kit")
        assert titles(app) == [B, C]  # what "drip" found
        assert "search: unclosed parenthesis at 5" in status(app)
        await pilot.press("right_parenthesis")
        assert titles(app) == [C] and "search: 1 match" in status(app)


async def test_letters_typed_right_after_slash_are_the_searchs_not_the_lists_keys() -> None:
    opened: list[str] = []
    app = make_app(TRAIL, opened)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        # As a fast typist's keys arrive: all waiting before the first is handled.
        for key, character in [
            ("slash", "/"),
            *((c, c) for c in "drop"),
            ("slash", "/"),
            ("x", "x"),
        ]:
            app.post_message(events.Key(key, character))
        box = app.main.search_box()
        assert box is not None
        await until(pilot, lambda: box.value == "drop/x", f"the search got {box.value!r}")
        assert opened == []  # `o` did not open the story under the cursor
        assert not any("Reloading" in message for message in app.said())  # nor `r` reload


async def test_v_saves_the_search_as_a_view_in_the_sidebar_and_the_config(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    app = reader(config_file=file)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"drip", "enter", "v")
        asked = lambda: isinstance(app.focused, Input) and app.focused.id == "name"  # noqa: E731
        await until(pilot, asked, "no name was asked for")
        await pilot.press(*"Irrigation", "enter")  # the suggested name is selected: replaced
        topics = app.main.query_one(TopicList)
        await until(pilot, lambda: "Views" in topics.entries, "no Views section came")
        labels = [e if isinstance(e, str) else e.label for e in topics.entries]
        assert labels[3:6] == ["Views", "Irrigation", "Topics"]
        assert titles(app) == [B, C] and "Irrigation: 2" in status(app)
        assert '"Irrigation" = "drip"' in file.read_text()


async def test_a_story_becomes_read_after_two_seconds_in_the_detail_pane(ticks: Ticks) -> None:
    clock = FakeClock()
    app = reader(monotonic=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        marks = session(app).marks
        first = current(app)
        assert not marks.is_read(first)
        clock.advance(1.5)
        await next_tick(pilot, ticks)
        assert not marks.is_read(first)
        assert unread_in_sidebar(app) == 5
        clock.advance(1.0)
        await until(pilot, lambda: marks.is_read(first), "two seconds in view did not read it")
        assert unread_in_sidebar(app) == 4
        assert marks.unread[None] == 4


async def test_read_on_enter_and_manual_modes(ticks: Ticks) -> None:
    clock = FakeClock()
    app = reader(monotonic=clock, config=Config(read_mode="enter"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        clock.advance(60)
        await next_tick(pilot, ticks)
        first = current(app)
        assert not session(app).marks.is_read(first)
        await pilot.press("enter")
        assert session(app).marks.is_read(first)
    manual = reader(monotonic=clock, config=Config(read_mode="manual"))
    async with manual.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        # A was read by Enter above: same folder, same state.
        before = session(manual).marks.unread[None]
        clock.advance(60)
        await pilot.press("enter", "enter")  # follow a related story too
        await next_tick(pilot, ticks)
        assert session(manual).marks.unread[None] == before == 4
        assert unread_in_sidebar(manual) == 4


async def test_u_toggles_read_and_star_toggles_the_star() -> None:
    app = reader(config=Config(read_mode="manual"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        story = current(app)
        marks = session(app).marks
        await pilot.press("u")
        assert marks.is_read(story)
        await pilot.press("u")
        assert not marks.is_read(story)
        await pilot.press("asterisk")
        assert marks.is_starred(story)
        topics = app.main.query_one(TopicList)
        assert SidebarEntry(STARRED, 1) in topics.entries
        session(app).navigation.choose(STARRED)
        assert titles(app) == [A]
        app.main.go_to_topic(None)
        await pilot.press("asterisk")
        assert not marks.is_starred(story)
        assert SidebarEntry(STARRED, 0) in topics.entries


async def test_unread_entry_lists_only_unread_stories() -> None:
    app = reader(config=Config(read_mode="manual"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("u", "j", "u")  # A and B read
        session(app).navigation.choose(UNREAD)
        assert titles(app) == [D, C, E]
        assert SidebarEntry(UNREAD, 3) in app.main.query_one(TopicList).entries


async def test_mark_all_read_marks_the_view(feed: Path) -> None:
    for i in range(3):
        write_story(feed, f"{i}.txt", title=f"Story {i}", topics=["Small"])
    app = reader(feed, config=Config(read_mode="manual"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("A")
        assert session(app).marks.unread[None] == 0
        assert unread_in_sidebar(app) == 0


async def test_mark_all_read_asks_first_when_over_fifty(feed: Path) -> None:
    for i in range(60):
        write_story(feed, f"{i:02}.txt", title=f"Story {i}")
    app = reader(feed, config=Config(read_mode="manual"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert session(app).marks.unread[None] == 60
        await pilot.press("A")
        await pilot.press("y")
        await until(pilot, lambda: session(app).marks.unread[None] == 0, "y did not mark them")
        assert unread_in_sidebar(app) == 0


async def test_restart_restores_marks_topic_order_and_story() -> None:
    first = reader(config=Config(read_mode="manual"))
    async with first.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("asterisk", "u")
        first.main.go_to_topic("Water")
        await pilot.press("s")  # newest first
        await pilot.press("j")
        remembered = current(first)
        await pilot.press("q")
    again = reader(config=Config(read_mode="manual"))
    async with again.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        reading = session(again)
        place = reading.navigation
        assert place.scope == Scope.topic("Water") and place.order is Order.NEWEST
        assert current(again) == remembered
        assert reading.loader.library is not None
        a_story = next(s for s in reading.loader.library.stories if s.title == A)
        assert reading.marks.is_starred(a_story) and reading.marks.is_read(a_story)


async def test_command_line_sort_and_topic_win_over_the_remembered_position() -> None:
    first = reader()
    async with first.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        first.main.go_to_topic("Water")
        await pilot.press("q")
    again = reader(sort=Order.TITLE, topic="Farming")
    async with again.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        assert session(again).navigation.scope == Scope.topic("Farming")
        assert session(again).navigation.order is Order.TITLE
        assert titles(again) == [C, B]


async def test_damaged_state_file_is_set_aside_with_a_notice() -> None:
    from reader.platform import paths

    file = paths.state_file(TRAIL)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(b"not a database" * 100)
    app = reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        assert any("damaged" in message for message in app.said())
        assert len(titles(app)) == 5


async def test_configured_browser_command_gets_the_link(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(
        app_module, "open_url", lambda url, command=None: calls.append((url, command))
    )
    monkeypatch.setattr(app_module, "needs_terminal", lambda command=None: False)
    app = reader(opener=None, config=Config(browser=["my-browser", "--tab", "{url}"]))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
    assert calls == [
        ("https://valleyherald.example/water/reservoir-low", ["my-browser", "--tab", "{url}"])
    ]


async def test_theme_picked_is_remembered() -> None:
    app = reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        app.theme = "nord"
    again = reader()
    async with again.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        assert again.theme == "nord"


async def test_remapped_key_works() -> None:
    opened: list[str] = []
    app = reader(opener=opened.append, config=Config(keys={"main.open": "x"}))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("x")
        assert opened == ["https://valleyherald.example/water/reservoir-low"]


def test_state_file_is_per_folder(tmp_path: Path) -> None:
    from reader.platform import paths

    assert paths.state_file(TRAIL) != paths.state_file(tmp_path)
    assert State(None).notice == ""


def test_a_star_survives_kill_9_of_the_running_reader(tmp_path: Path) -> None:
    """The real program in a terminal: press *, then SIGKILL it; the star is on disk."""
    import os
    import pty
    import select
    import signal
    import subprocess
    import sys
    import time

    from reader.platform import paths

    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="30")
    child = subprocess.Popen(
        [sys.executable, "-m", "reader", str(TRAIL)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    screen = b""

    def read_until(text: bytes, limit: float = 30.0) -> None:
        nonlocal screen
        deadline = time.monotonic() + limit
        while text not in screen:
            assert time.monotonic() < deadline, f"{text!r} never appeared"
            if select.select([master], [], [], 0.1)[0]:
                screen += os.read(master, 65536)

    wanted = {"valleyherald.example/water/reservoir-low"}
    file = paths.state_file(TRAIL)
    try:
        read_until(b"Reservoir levels")
        read_until(b"Trail 1 of 1")  # the detail pane follows the list: `*` has a story
        os.write(master, b"*")
        # "A kill -9 soon after pressing * loses nothing": the running reader writes the star
        # at once (not on a timer, not on quitting); kill it as soon as the file holds it.
        deadline = time.monotonic() + 10
        while starred_on_disk(file) != wanted:
            assert time.monotonic() < deadline, "the star never reached the state file"
            assert child.poll() is None, "the reader ended"
            if select.select([master], [], [], 0.05)[0]:
                screen += os.read(master, 65536)  # keep the terminal drained
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        os.close(master)
    state = State(file)
    assert state.starred == wanted
    state.close()


def on_disk(file: Path, query: str) -> list[tuple[str, ...]]:
    """Rows of a state file as a running reader has written them, read with sqlite alone
    (opening it with State would write to it); none while there is no file or table yet."""
    if not file.exists():
        return []
    try:
        with closing(sqlite3.connect(file, timeout=1)) as db:
            return db.execute(query).fetchall()
    except sqlite3.Error:
        return []


def starred_on_disk(file: Path) -> set[str]:
    """The keys of the stories starred in the state file."""
    return {key for (key,) in on_disk(file, "SELECT key FROM marks WHERE starred")}


async def test_position_is_saved_soon_after_a_change_without_quitting() -> None:
    # A crash (no quit) a moment after choosing a topic still finds the topic next time.
    from reader.platform import paths

    clock = FakeClock()
    app = reader(monotonic=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        app.main.go_to_topic("Water")
        await pilot.press("s")
        file = paths.state_file(TRAIL)
        wanted = {"topic": "Water", "order": Order.NEWEST.value}
        clock.advance(1.5)  # the position stands still a moment: it saves itself
        # Saved by the session's beat a moment after the change: wait for it (no quit, no close).
        await until(pilot, lambda: saved_position(file, wanted), "the position was never saved")
        saved = State(file)
        assert saved.position()["topic"] == "Water"
        assert saved.position()["order"] == Order.NEWEST.value
        saved.close()


def saved_position(file: Path, wanted: dict[str, str]) -> bool:
    """Whether the state file holds a position with the `wanted` fields."""
    rows = on_disk(file, "SELECT key, value FROM meta WHERE key LIKE 'position.%'")
    position = {key.removeprefix("position."): value for key, value in rows}
    return all(position.get(key) == value for key, value in wanted.items())


async def test_config_warnings_are_shown_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(memory, "IDLE_SECONDS", 0.1)  # the once-a-second chores, sooner
    runs: list[int] = []
    chores = memory.IdleCollector.tick

    def counted(self: memory.IdleCollector) -> bool:
        runs.append(1)
        return chores(self)

    monkeypatch.setattr(memory.IdleCollector, "tick", counted)
    app = reader(config_warnings=["unknown key 'colour' in [keys]"])
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await until(pilot, lambda: len(runs) >= 3, "the idle chores never ran")
        shown = [message for message, title, _ in app.notices if title == "Config"]
        assert shown == ["unknown key 'colour' in [keys]"]


async def test_a_mark_moves_neither_the_topic_cursor_nor_the_story_in_view() -> None:
    clock = FakeClock()
    app = make_app(config=Config(read_mode="timer", read_after=2.0), monotonic=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        assert app.session is not None
        app.session.navigation.choose(UNREAD)
        await pilot.press("j", "j")
        stories = app.main.query_one(StoryList)
        await until(
            pilot,
            lambda: (
                app.session.snapshot.detail is not None  # type: ignore[union-attr]
                and app.session.snapshot.detail.target is stories.current
            ),  # type: ignore[union-attr]
            "the detail never followed the cursor",
        )
        reading, cursor = stories.current, stories.cursor
        topics = app.main.query_one(TopicList)
        topics.focus()
        await pilot.press("j", "j", "j")
        topic_cursor = topics.cursor
        clock.advance(3)
        assert reading is not None
        await until(pilot, lambda: app.session.marks.is_read(reading), "never marked read")  # type: ignore[union-attr]
        assert app.session.snapshot.detail.target is reading  # type: ignore[union-attr]
        assert stories.cursor == cursor and topics.cursor == topic_cursor
