"""Reading workflow as a person meets it: search, read and starred marks, restarts, settings."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from reader.config import Config
from reader.model.order import Order
from reader.session.state import State
from reader.ui import app as app_module
from reader.ui.app import NewsReader
from reader.ui.screens.modal import ConfirmScreen
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.topics import STARRED, UNREAD, TopicList
from tests.conftest import write_story
from tests.ui.conftest import NOW, TRAIL, wait_loaded

A = "Reservoir levels hit a ten-year low"
B = "Farmers switch to drip irrigation"
C = "Drip kit maker doubles output"
D = "Video: walking the dry riverbed"
E = "Town council approves new rain tanks"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def reader(folder: Path = TRAIL, **options: object) -> NewsReader:
    options.setdefault("opener", lambda url: None)
    return NewsReader(folder, clock=lambda: NOW, follow_changes=False, **options)  # type: ignore[arg-type]


def titles(app: NewsReader) -> list[str]:
    return [story.title for story in app.main.query_one(StoryList).stories]


def status(app: NewsReader) -> str:
    return str(app.main.query_one("#status", Static).render())


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
        await pilot.pause()
        assert titles(app) == [B]


async def test_a_story_becomes_read_after_two_seconds_in_the_detail_pane() -> None:
    clock = FakeClock()
    app = reader(monotonic=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        state = app.main.state
        first = app.main.query_one(StoryList).current
        assert first is not None and not state.is_read(first)
        clock.now += 1.5
        await pilot.pause(0.4)
        assert not state.is_read(first)
        clock.now += 1.0
        await pilot.pause(0.4)
        assert state.is_read(first)
        assert app.main.query_one(TopicList).unread[None] == 4


async def test_read_on_enter_and_manual_modes() -> None:
    clock = FakeClock()
    app = reader(monotonic=clock, config=Config(read_mode="enter"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        clock.now += 60
        await pilot.pause(0.4)
        first = app.main.query_one(StoryList).current
        assert first is not None and not app.main.state.is_read(first)
        await pilot.press("enter")
        assert app.main.state.is_read(first)
    manual = reader(monotonic=clock, config=Config(read_mode="manual"))
    async with manual.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        before = manual.main.unread[None]  # A was read by Enter above: same folder, same state
        clock.now += 60
        await pilot.press("enter", "enter")  # follow a related story too
        await pilot.pause(0.4)
        assert manual.main.unread[None] == before == 4


async def test_u_toggles_read_and_star_toggles_the_star() -> None:
    app = reader(config=Config(read_mode="manual"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        story = app.main.query_one(StoryList).current
        assert story is not None
        await pilot.press("u")
        assert app.main.state.is_read(story)
        await pilot.press("u")
        assert not app.main.state.is_read(story)
        await pilot.press("asterisk")
        assert app.main.state.is_starred(story)
        topics = app.main.query_one(TopicList)
        assert (STARRED, 1) in topics.entries
        app.main.go_to_topic(STARRED)
        await pilot.pause()
        assert titles(app) == [A]
        app.main.go_to_topic(None)
        await pilot.press("asterisk")
        assert not app.main.state.is_starred(story)


async def test_unread_entry_lists_only_unread_stories() -> None:
    app = reader(config=Config(read_mode="manual"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("u", "j", "u")  # A and B read
        app.main.go_to_topic(UNREAD)
        await pilot.pause()
        assert titles(app) == [D, C, E]
        assert (UNREAD, 3) in app.main.query_one(TopicList).entries


async def test_mark_all_read_marks_the_view(feed: Path) -> None:
    for i in range(3):
        write_story(feed, f"{i}.txt", title=f"Story {i}", topics=["Small"])
    app = reader(feed, config=Config(read_mode="manual"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("A")
        assert app.main.unread[None] == 0


async def test_mark_all_read_asks_first_when_over_fifty(feed: Path) -> None:
    for i in range(60):
        write_story(feed, f"{i:02}.txt", title=f"Story {i}")
    app = reader(feed, config=Config(read_mode="manual"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.main.unread[None] == 60
        await pilot.press("A")
        await pilot.press("y")
        await pilot.pause()
        assert app.main.unread[None] == 0


async def test_restart_restores_marks_topic_order_and_story() -> None:
    first = reader(config=Config(read_mode="manual"))
    async with first.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("asterisk", "u")
        first.main.go_to_topic("Water")
        await pilot.press("s")  # newest first
        await pilot.press("j")
        remembered = first.main.query_one(StoryList).current
        assert remembered is not None
        await pilot.press("q")
    again = reader(config=Config(read_mode="manual"))
    async with again.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.pause(0.2)
        main = again.main
        assert main.topic == "Water" and main.order is Order.NEWEST
        assert main.query_one(StoryList).current == remembered
        a_story = next(s for s in main.library.stories if s.title == A)
        assert main.state.is_starred(a_story) and main.state.is_read(a_story)


async def test_command_line_sort_and_topic_win_over_the_remembered_position() -> None:
    first = reader()
    async with first.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        first.main.go_to_topic("Water")
        await pilot.press("q")
    again = reader(sort=Order.TITLE, topic="Farming")
    async with again.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        assert again.main.topic == "Farming" and again.main.order is Order.TITLE
        assert titles(again) == [C, B]


async def test_damaged_state_file_is_set_aside_with_a_notice() -> None:
    from reader import paths

    file = paths.state_file(TRAIL)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(b"not a database" * 100)
    app = reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        assert any("damaged" in n.message for n in app._notifications)
        assert len(titles(app)) == 5


async def test_configured_browser_command_gets_the_link(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(
        app_module, "open_url", lambda url, command=None: calls.append((url, command))
    )
    monkeypatch.setattr(app_module, "needs_terminal", lambda command=None: False)
    app = NewsReader(
        TRAIL,
        clock=lambda: NOW,
        follow_changes=False,
        config=Config(browser=["my-browser", "--tab", "{url}"]),
    )
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
        await pilot.pause()
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
    from reader import paths

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

    from reader import paths

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

    try:
        read_until(b"Reservoir levels")
        time.sleep(0.5)
        os.write(master, b"*")
        time.sleep(1.0)  # "a kill -9 a second after pressing * loses nothing"
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        os.close(master)
    state = State(paths.state_file(TRAIL))
    assert state.starred == {"valleyherald.example/water/reservoir-low"}


async def test_position_is_saved_soon_after_a_change_without_quitting() -> None:
    # A crash (no quit) a moment after choosing a topic still finds the topic next time.
    from reader import paths

    app = reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        app.main.go_to_topic("Water")
        await pilot.press("s")
        await pilot.pause(1.3)
        saved = State(paths.state_file(TRAIL))
        assert saved.position()["topic"] == "Water"
        assert saved.position()["order"] == Order.NEWEST.value
        saved.close()


async def test_config_warnings_are_shown_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(app_module, "IDLE_COLLECT", 0.1)  # the once-a-second chores, sooner
    app = reader(config_warnings=["unknown key 'colour' in [keys]"])
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.pause(0.6)
        shown = [n for n in app._notifications if n.title == "Config"]
        assert [n.message for n in shown] == ["unknown key 'colour' in [keys]"]
