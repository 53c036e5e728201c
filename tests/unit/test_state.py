"""Reading state on disk: marks survive restarts and kills, a damaged file is set aside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from reader.model.keys import story_key
from reader.model.story import Links, Story
from reader.session.state import State


def story(path: str, url: str = "") -> Story:
    return Story(path=path, title=path, links=Links(web=url))


A = story("a.txt", "https://www.example.org/a/")
B = story("b.txt", "https://example.org/b")
NO_LINK = story("sub/c.txt")


def test_marks_are_kept_across_restarts(tmp_path: Path) -> None:
    file = tmp_path / "state.sqlite3"
    state = State(file)
    state.set_read([A, NO_LINK])
    assert state.toggle_star(B)
    state.close()
    again = State(file)
    assert again.is_read(A) and again.is_read(NO_LINK) and not again.is_read(B)
    assert again.is_starred(B) and not again.is_starred(A)
    assert not again.toggle_star(B)
    assert again.set_read([A], read=False) == 1
    again.close()
    third = State(file)
    assert not third.is_starred(B) and not third.is_read(A)


def test_state_follows_the_link_not_the_file(tmp_path: Path) -> None:
    state = State(tmp_path / "s.sqlite3")
    state.set_read([A])
    moved = story("elsewhere/renamed.txt", "http://example.org/a")
    assert state.is_read(moved)
    assert story_key(NO_LINK) == "path:sub/c.txt"


def test_position_is_remembered(tmp_path: Path) -> None:
    file = tmp_path / "s.sqlite3"
    state = State(file)
    state.save_position(topic="Space", order="newest", reverse="1", story="example.org/a")
    state.close()
    assert State(file).position() == {
        "topic": "Space",
        "order": "newest",
        "reverse": "1",
        "story": "example.org/a",
    }


def test_damaged_state_is_set_aside_and_the_reader_starts_clean(tmp_path: Path) -> None:
    file = tmp_path / "s.sqlite3"
    file.write_bytes(b"\x00garbage, not SQLite" * 50)
    state = State(file)
    assert "damaged" in state.notice
    assert [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert not state.is_read(A)
    state.set_read([A])
    state.close()
    assert State(file).is_read(A)


def test_unwritable_place_keeps_marks_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    state = State(blocker / "state.sqlite3")
    assert "cannot be saved" in state.notice
    state.set_read([A])
    assert state.is_read(A)


def test_a_star_survives_kill_9(tmp_path: Path) -> None:
    file = tmp_path / "s.sqlite3"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from reader.session.state import State\n"
        "from reader.model.story import Links, Story\n"
        "state = State(Path(sys.argv[1]))\n"
        "state.toggle_star(Story(path='a.txt', title='A', links=Links(web='https://x.org/a')))\n"
        "print('starred', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(file)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "starred"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert State(file).is_starred(story("a.txt", "https://x.org/a"))


def test_state_held_by_another_reader_works_in_memory_with_a_notice(tmp_path: Path) -> None:
    import sqlite3

    file = tmp_path / "s.sqlite3"
    State(file).close()
    holder = sqlite3.connect(file, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        state = State(file)
        assert "another reader" in state.notice
        state.set_read([A])
        assert state.is_read(A)
    finally:
        holder.close()
