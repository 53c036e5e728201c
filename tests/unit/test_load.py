"""Reading a folder: walking it, parsing every file, and never losing a story to a bad one."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from reader.feed import load, workers
from reader.feed.load import FolderError, walk
from reader.library.build import load_library
from tests.conftest import FIXTURES, write_story

BROKEN = FIXTURES / "broken"


def test_broken_folder_loads_every_good_story_and_lists_every_bad_file() -> None:
    library = load_library(BROKEN, workers=1)
    assert sorted(s.path for s in library.stories) == [
        "good/harbour-cranes.txt",
        "good/night-ferries.txt",
        "good/odd-fields.txt",
    ]
    reasons = {p.path: p.reason for p in library.problems}
    assert set(reasons) == {
        "bad-yaml.txt",
        "binary.dat",
        "empty.txt",
        "list-front.txt",
        "notes.md",
        "python-tag.txt",
        "unclosed.txt",
    }
    assert "constructor" in reasons["python-tag.txt"]
    assert [d.dropped for d in library.duplicates] == ["good/copy-of-night-ferries.txt"]


def test_hidden_files_and_folders_are_skipped() -> None:
    names = [name.rsplit("/", 1)[-1] for name, _ in walk(BROKEN)]
    assert ".hidden-draft.txt" not in names and "also-hidden.txt" not in names


def test_sub_folders_are_walked_and_any_extension_is_read(feed: Path) -> None:
    write_story(feed, "a/b/c/deep.news", title="Deep in the tree")
    write_story(feed, "top.txt", title="At the top")
    library = load_library(feed)
    assert sorted(s.title for s in library.stories) == ["At the top", "Deep in the tree"]
    assert library.get("a/b/c/deep.news") is not None


def test_symlink_loop_does_not_hang_the_walk(feed: Path) -> None:
    write_story(feed, "inner/story.txt", title="Looped")
    os.symlink(feed, feed / "inner" / "loop")
    os.symlink(feed / "inner", feed / "inner" / "self")
    library = load_library(feed)
    assert [s.title for s in library.stories] == ["Looped"]


def test_unreadable_file_is_a_problem_with_its_reason(
    feed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_story(feed, "fine.txt", title="Fine")
    locked = write_story(feed, "locked.txt", title="Locked")
    real_open = builtins.open

    def guarded_open(file: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", guarded_open)
    library = load_library(feed, workers=1)
    assert [s.title for s in library.stories] == ["Fine"]
    assert [(p.path, p.reason) for p in library.problems] == [
        ("locked.txt", "cannot read: Permission denied")
    ]


def test_file_that_vanishes_after_listing_is_a_problem(feed: Path) -> None:
    gone = write_story(feed, "gone.txt", title="Gone")
    gone.unlink()
    result = load.read_story(feed, gone.name)
    assert result.problem is not None and "vanished" in result.problem.reason


def test_missing_folder_raises_folder_error(tmp_path: Path) -> None:
    with pytest.raises(FolderError):
        load_library(tmp_path / "nope")


def test_parallel_load_matches_serial_load(feed: Path) -> None:
    for i in range(workers.PARALLEL_FROM + 30):
        write_story(feed, f"s{i:04d}.txt", title=f"Story {i}", quality=i % 17, topics=["T"])
    (feed / "broken.txt").write_bytes(b"---\n- x\n---\n")
    serial = load_library(feed, workers=1)
    parallel = load_library(feed, workers=2)
    assert parallel.stories == serial.stories
    assert parallel.problems == serial.problems
    assert len(parallel) == workers.PARALLEL_FROM + 30


def test_progress_reports_reach_the_total(feed: Path) -> None:
    for i in range(5):
        write_story(feed, f"{i}.txt", title=str(i))
    seen: list[tuple[int, int]] = []
    load_library(feed, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5)
