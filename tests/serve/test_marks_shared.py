"""Several browser tabs are several reader processes over one folder's state file: what each
one marks is kept, whatever the others do meanwhile. No browser, no server: the state itself."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path

from reader.model.story import Story
from reader.session.state import State

STORIES = 150  # per reader


def _story(name: str) -> Story:
    return Story(path=name, title=name)


def _star_many(file: str, prefix: str, barrier: Barrier) -> None:
    """One reader (a tab's process): open the state, then star its stories one key at a time."""
    state = State(Path(file))
    barrier.wait()  # every reader starts starring at the same moment
    for number in range(STORIES):
        state.toggle_star(_story(f"{prefix}-{number}.md"))
    state.close()


def test_readers_starring_at_once_lose_nothing(tmp_path: Path) -> None:
    file = tmp_path / "state.sqlite3"
    State(file).close()  # the file exists, as after a first run
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    readers = [
        context.Process(target=_star_many, args=(str(file), prefix, barrier))
        for prefix in ("first", "second", "third")
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=120)
        assert reader.exitcode == 0
    after = State(file)  # the next tab to open
    expected = {f"path:{p}-{n}.md" for p in ("first", "second", "third") for n in range(STORIES)}
    assert after.starred == expected
    after.close()


def test_a_mark_made_in_one_tab_survives_another_marking_the_same_story(tmp_path: Path) -> None:
    file = tmp_path / "state.sqlite3"
    first, second = State(file), State(file)  # two tabs open on the same story
    story = _story("a.md")
    first.toggle_star(story)  # one tab stars it
    second.set_read([story])  # the other's read timer marks it read, not knowing of the star
    second.toggle_star(_story("b.md"))
    first.set_read([_story("b.md")])  # and the other way round
    first.close()
    second.close()
    after = State(file)
    assert after.starred == {"path:a.md", "path:b.md"}
    assert after.read == {"path:a.md", "path:b.md"}
    after.close()
