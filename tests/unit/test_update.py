"""Keeping up with a folder: changed files are re-read, the rest of the library is kept."""

from __future__ import annotations

import threading
from pathlib import Path

from reader.feed.folders import Folders
from reader.feed.load import walk
from reader.feed.watch import _poll
from reader.library.build import scan_library, update
from tests.conftest import write_story


def loaded(feed: Path):  # type: ignore[no-untyped-def]
    return scan_library(feed)


def test_update_adds_changes_and_removes_only_the_named_files(feed: Path, tmp_path: Path) -> None:
    write_story(
        feed,
        "a.txt",
        title="A",
        webUrl="https://a.org/1",
        related=[{"title": "B", "webUrl": "https://b.org/2"}],
    )
    write_story(feed, "b.txt", title="B", webUrl="https://b.org/2")
    write_story(feed, "c.txt", title="C")
    library = loaded(feed)
    b = library.get("b.txt")
    assert b is not None and [s.path for s in library.backlinks(b)] == ["a.txt"]
    write_story(feed, "b.txt", title="B, updated", webUrl="https://b.org/2")
    (feed / "c.txt").unlink()
    write_story(feed, "d.txt", title="D")
    (feed / "e.txt").write_bytes(b"not a story")
    folders = Folders.one(feed, cache_file=tmp_path / "c.db")
    updated, notices = update(library, folders, {"b.txt", "c.txt", "d.txt", "e.txt"})
    assert notices == []
    assert sorted(s.title for s in updated.stories) == ["A", "B, updated", "D"]
    assert [p.path for p in updated.problems] == ["e.txt"]
    b = updated.get("b.txt")
    assert b is not None and [s.path for s in updated.backlinks(b)] == ["a.txt"]  # kept from A


def test_polling_watcher_reports_new_changed_and_removed_files(feed: Path) -> None:
    write_story(feed, "a.txt", title="A")
    write_story(feed, "b.txt", title="B")
    stop = threading.Event()
    seen: list[set[str]] = []

    def changed(names: set[str]) -> None:
        seen.append(names)
        stop.set()

    import reader.feed.watch as watch

    watch.POLL_SECONDS, saved = 0.05, watch.POLL_SECONDS
    try:
        before = dict(walk(feed))  # what the watcher starts from, taken before the changes
        thread = threading.Thread(target=_poll, args=(feed, stop, changed, before))
        thread.start()
        write_story(feed, "c.txt", title="C")
        (feed / "a.txt").unlink()
        thread.join(10)
    finally:
        watch.POLL_SECONDS = saved
        stop.set()
    assert seen and seen[0] <= {"a.txt", "c.txt"} and seen[0]


def test_files_that_came_before_the_watch_was_in_place_are_reported(feed: Path) -> None:
    from reader.feed.watch import watch_folder

    write_story(feed, "a.txt", title="A")
    write_story(feed, "b.txt", title="B")  # came after the load read the folder
    stop = threading.Event()
    seen: list[set[str]] = []

    def changed(names: set[str]) -> None:
        seen.append(names)
        stop.set()

    thread = threading.Thread(
        target=watch_folder, args=(feed, stop, changed, lambda: {"a.txt", "gone.txt"})
    )
    thread.start()
    thread.join(timeout=30)
    stop.set()
    assert seen and seen[0] == {"b.txt", "gone.txt"}


def test_a_folder_moved_in_whole_has_each_of_its_story_files_reported(
    feed: Path, tmp_path: Path
) -> None:
    from reader.feed.watch import watch_folder

    write_story(feed, "a.txt", title="A")
    outside = tmp_path / "incoming"
    for n in range(3):
        write_story(outside / "part", f"s{n}.txt", title=f"Moved {n}")
    wanted = {f"incoming/part/s{n}.txt" for n in range(3)}
    stop, watching = threading.Event(), threading.Event()
    seen: set[str] = set()

    def changed(names: set[str]) -> None:
        seen.update(names)
        if "gone.txt" in names:  # the catch-up round: the watch is in place
            watching.set()
        if wanted <= seen:
            stop.set()

    thread = threading.Thread(
        target=watch_folder, args=(feed, stop, changed, lambda: {"a.txt", "gone.txt"})
    )
    thread.start()
    try:
        assert watching.wait(30), "the watch never came up"
        outside.rename(feed / "incoming")  # one event, for the folder: none for its files
        stop.wait(30)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert wanted <= seen
