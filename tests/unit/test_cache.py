"""The index cache: a warm start reads what changed and only that, and a bad cache never hurts."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader.feed import load, workers
from reader.feed.cache import IndexCache
from reader.feed.load import scan
from reader.library.build import scan_library
from reader.library.library import LibraryBuilder
from tests.conftest import write_story


def load_titles(folder: Path, cache: Path) -> tuple[dict[str, str], list[str]]:
    """{path: title} and the notices of one scan through the cache."""
    builder = LibraryBuilder(folder)
    notices: list[str] = []
    for step in scan(folder, cache_file=cache):
        notices.extend(step.notices)
        builder.add(step.results)
        builder.add_related_ids(step.related_ids)
    library = builder.build()
    return {s.path: s.title for s in library.stories}, notices


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each scan actually parses (the rest came from the cache)."""
    seen: list[str] = []
    real = workers.read_story

    def spy(folder: Path | str, name: str, **options: bool):  # type: ignore[no-untyped-def]
        seen.append(name)
        return real(folder, name, **options)

    monkeypatch.setattr(workers, "read_story", spy)
    return seen


def touch(path: Path, title: str) -> None:
    """Rewrite a story with a new title and a later mtime."""
    path.write_text(path.read_text().replace("title:", f"title: {title!r}\nold_title:", 1))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def test_warm_start_parses_nothing_and_gives_the_same_stories(
    feed: Path, tmp_path: Path, parsed: list[str]
) -> None:
    for i in range(5):
        write_story(feed, f"s{i}.txt", title=f"Story {i}", quality=i)
    cache = tmp_path / "index.sqlite3"
    cold, _ = load_titles(feed, cache)
    assert len(parsed) == 5
    parsed.clear()
    warm, notices = load_titles(feed, cache)
    assert warm == cold and parsed == [] and notices == []


def test_changed_new_and_removed_files_are_noticed(
    feed: Path, tmp_path: Path, parsed: list[str]
) -> None:
    for i in range(4):
        write_story(feed, f"s{i}.txt", title=f"Story {i}")
    cache = tmp_path / "index.sqlite3"
    load_titles(feed, cache)
    parsed.clear()
    touch(feed / "s1.txt", "Story 1, corrected")
    (feed / "s2.txt").unlink()
    write_story(feed, "s9.txt", title="Story 9")
    titles, _ = load_titles(feed, cache)
    assert titles == {
        "s0.txt": "Story 0",
        "s1.txt": "Story 1, corrected",
        "s3.txt": "Story 3",
        "s9.txt": "Story 9",
    }
    assert sorted(parsed) == ["s1.txt", "s9.txt"]
    with sqlite3.connect(cache) as db:
        assert sorted(p for (p,) in db.execute("SELECT path FROM files")) == [
            "s0.txt", "s1.txt", "s3.txt", "s9.txt"
        ]  # fmt: skip


def test_problems_are_cached_too(feed: Path, tmp_path: Path, parsed: list[str]) -> None:
    (feed / "broken.txt").write_bytes(b"---\n- a list\n---\n")
    cache = tmp_path / "index.sqlite3"
    load_titles(feed, cache)
    parsed.clear()
    builder = LibraryBuilder(feed)
    for step in scan(feed, cache_file=cache):
        builder.add(step.results)
        builder.add_related_ids(step.related_ids)
    assert [p.path for p in builder.build().problems] == ["broken.txt"]
    assert parsed == []


def test_corrupt_cache_is_set_aside_and_rebuilt(feed: Path, tmp_path: Path) -> None:
    write_story(feed, "a.txt", title="Kept")
    cache = tmp_path / "index.sqlite3"
    cache.write_bytes(b"this is not a database at all" * 100)
    titles, notices = load_titles(feed, cache)
    assert titles == {"a.txt": "Kept"}
    assert any("damaged" in n for n in notices)
    assert cache.with_suffix(".corrupt").exists()
    titles, notices = load_titles(feed, cache)
    assert titles == {"a.txt": "Kept"} and notices == []


def test_truncated_cache_is_rebuilt(feed: Path, tmp_path: Path) -> None:
    write_story(feed, "a.txt", title="Kept")
    cache = tmp_path / "index.sqlite3"
    load_titles(feed, cache)
    data = cache.read_bytes()
    for extra in ("-wal", "-shm"):
        Path(str(cache) + extra).unlink(missing_ok=True)
    cache.write_bytes(data[:300])
    titles, _ = load_titles(feed, cache)
    assert titles == {"a.txt": "Kept"}


def test_cache_of_another_version_is_rebuilt(feed: Path, tmp_path: Path) -> None:
    write_story(feed, "a.txt", title="Kept")
    cache = tmp_path / "index.sqlite3"
    with sqlite3.connect(cache) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('schema', 'newsreader-index-0')")
        db.execute("CREATE TABLE files (path TEXT, junk BLOB)")
    titles, notices = load_titles(feed, cache)
    assert titles == {"a.txt": "Kept"}
    assert any("another version" in n for n in notices)


def test_locked_cache_is_skipped_with_a_notice(feed: Path, tmp_path: Path) -> None:
    write_story(feed, "a.txt", title="Kept")
    cache = tmp_path / "index.sqlite3"
    load_titles(feed, cache)
    holder = sqlite3.connect(cache, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        titles, notices = load_titles(feed, cache)
    finally:
        holder.close()
    assert titles == {"a.txt": "Kept"}
    assert notices and all("without it" in n or "could not" in n for n in notices)


def test_unwritable_cache_directory_means_no_cache(feed: Path, tmp_path: Path) -> None:
    write_story(feed, "a.txt", title="Kept")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    titles, notices = load_titles(feed, blocker / "index.sqlite3")
    assert titles == {"a.txt": "Kept"}
    assert any("reading without it" in n for n in notices)


def test_full_disk_while_writing_keeps_the_stories(
    feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_story(feed, "a.txt", title="Kept")

    def full(self: IndexCache, entries: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(IndexCache, "store", full)
    titles, notices = load_titles(feed, tmp_path / "index.sqlite3")
    assert titles == {"a.txt": "Kept"}
    assert any("disk is full" in n for n in notices)


def test_best_cached_stories_come_first(feed: Path, tmp_path: Path) -> None:
    for i in range(3):
        write_story(feed, f"s{i}.txt", title=f"Story {i}", quality=10 * i)
    cache = tmp_path / "index.sqlite3"
    assert load.cached_best(cache) == []  # no cache yet: nothing to show early
    load_titles(feed, cache)
    best = load.cached_best(cache)
    assert [r.story.title for r in best if r.story] == ["Story 2", "Story 1", "Story 0"]


def test_mentioned_by_is_known_after_a_cold_and_a_warm_load(
    feed: Path, tmp_path: Path, parsed: list[str]
) -> None:
    # Related links are read after the heads on a cold load; the cache keeps them, so a warm
    # load knows "Mentioned by" without reading any file.
    write_story(feed, "target.txt", title="Target", webUrl="https://www.port.example/tide/")
    write_story(
        feed,
        "source.txt",
        title="Source",
        webUrl="https://port.example/source",
        related=[
            {"title": "Tide", "webUrl": "http://port.example/tide"},
            {"title": "Elsewhere", "webUrl": "https://far.example/x"},
        ],
    )
    cache = tmp_path / "index.sqlite3"
    for expected_reads in (["source.txt", "target.txt"], []):
        parsed.clear()
        library = scan_library(feed, cache_file=cache)
        target = library.get("target.txt")
        assert target is not None
        assert [s.title for s in library.backlinks(target)] == ["Source"]
        assert sorted(parsed) == expected_reads


def test_a_load_stopped_early_keeps_what_it_read(
    feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    # Quitting while a big folder loads: the next start goes on from where it stopped.
    monkeypatch.setattr(workers, "CHUNK", 2)
    for n in range(10):
        write_story(feed, f"s{n}.txt", title=f"Story {n}")
    cache = tmp_path / "index.sqlite3"
    steps = scan(feed, cache_file=cache, workers=1)
    for step in steps:
        if step.done >= 4:
            break
    steps.close()
    assert len(IndexCache(cache).stamps()) == 4
    parsed.clear()
    titles, _ = load_titles(feed, cache)
    assert len(titles) == 10
    assert sorted(parsed) == [f"s{n}.txt" for n in range(4, 10)]
