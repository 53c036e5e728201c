"""The index cache: a warm start reads what changed and only that, and a bad cache never hurts."""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reader.feed import load, workers
from reader.feed.cache import PAGE_SIZE, CacheRow, FileStamp, IndexCache
from reader.feed.load import scan
from reader.library.build import scan_library
from reader.library.builder import LibraryBuilder
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
    with contextlib.closing(sqlite3.connect(cache)) as db:  # and laid out as this version's
        assert db.execute("PRAGMA page_size").fetchone() == (PAGE_SIZE,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


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

    def full(self: IndexCache, *entries: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(IndexCache, "store", full)
    monkeypatch.setattr(IndexCache, "store_rows", full)
    titles, notices = load_titles(feed, tmp_path / "index.sqlite3")
    assert titles == {"a.txt": "Kept"}
    assert [n for n in notices if "disk is full" in n] != []


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


# -- kept as it is read: whatever ends the reader, the next start goes on from the last commit --


def cached_paths(cache: Path) -> list[str]:
    """The paths the cache holds as committed (read as another process would)."""
    with contextlib.closing(sqlite3.connect(f"file:{cache}?mode=ro", uri=True)) as db:
        return sorted(path for (path,) in db.execute("SELECT path FROM files"))


def test_parsed_files_are_committed_while_the_scan_goes_on(
    feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "CHUNK", 2)
    monkeypatch.setattr(load, "COMMIT_SECONDS", 0.0)  # every batch in its own transaction
    for n in range(6):
        write_story(feed, f"s{n}.txt", title=f"Story {n}")
    cache = tmp_path / "index.sqlite3"
    steps = scan(feed, cache_file=cache, workers=1)
    seen = []
    for step in steps:
        if step.results and step.done < step.total:
            # Committed (by the cache's own thread) while the scan waits here, not at its end.
            deadline = time.monotonic() + 10
            while len(cached_paths(cache)) < step.done and time.monotonic() < deadline:
                time.sleep(0.01)
            seen.append((step.done, len(cached_paths(cache))))
    assert seen == [(2, 2), (4, 4)]
    assert len(cached_paths(cache)) == 6


def test_commits_come_about_every_half_second_not_every_batch(tmp_path: Path) -> None:
    cache, _ = IndexCache.open(tmp_path / "index.sqlite3")
    assert cache is not None
    now = [100.0]
    stamps = {f"s{n}.txt": FileStamp(10, n) for n in range(4)}
    keeper = load.Keeper(cache, stamps, clock=lambda: now[0])

    def row(path: str) -> CacheRow:
        return (path, 0, marshal.dumps(("problem", [])), None, None, None)

    try:
        keeper.add_heads([row("s0.txt"), row("s1.txt")])
        now[0] += load.COMMIT_SECONDS / 2
        keeper.add_heads([row("s2.txt")])
        keeper.wait()
        assert cached_paths(tmp_path / "index.sqlite3") == []  # pending: one transaction later
        now[0] += load.COMMIT_SECONDS / 2
        keeper.add_heads([row("s3.txt")])
        keeper.wait()
        assert cached_paths(tmp_path / "index.sqlite3") == sorted(stamps)
    finally:
        keeper.stop()
        cache.close()


def test_a_kill_in_the_middle_of_a_commit_leaves_the_last_commit(tmp_path: Path) -> None:
    # A power cut or kill -9 while a batch is written: that batch is lost, never the cache.
    cache = tmp_path / "index.sqlite3"
    writer = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from reader.feed.cache import FileStamp, IndexCache

        cache = IndexCache(Path({str(cache)!r}))
        record = bytes(range(256)) * 8
        def rows(first, count, then=None):
            for n in range(first, first + count):
                if n == then:
                    print("in the middle of a commit", flush=True)
                    sys.stdin.read()  # until killed
                yield (f"s{{n}}.txt", 1, record, b"", 0, 0.0)
        stamps = {{f"s{{n}}.txt": FileStamp(1, n) for n in range(20000)}}
        cache.store_rows(rows(0, 1000), stamps)
        cache.store_rows(rows(1000, 19000, then=15000), stamps)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", writer], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "in the middle of a commit\n"
    assert Path(f"{cache}-wal").stat().st_size > 8_000_000  # the batch was being written
    process.kill()
    process.wait()
    opened, notice = IndexCache.open(cache)
    assert opened is not None and notice == ""
    assert len(opened.stamps()) == 1000
    opened.close()


def related_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose related links are read (after the heads), as they are read."""
    seen: list[str] = []
    real = workers.read_bytes

    def spy(folder: Path | str, name: str) -> bytes:
        seen.append(name)
        return real(folder, name)

    monkeypatch.setattr(workers, "read_bytes", spy)
    return seen


def with_related(feed: Path, count: int) -> None:
    for n in range(count):
        write_story(
            feed,
            f"s{n}.txt",
            title=f"Story {n}",
            webUrl=f"https://port.example/{n}",
            related=[{"title": "Next", "webUrl": f"https://port.example/{n + 1}"}],
        )


def test_the_links_index_goes_on_where_it_stopped(
    feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "CHUNK", 2)
    with_related(feed, 6)
    read = related_reads(monkeypatch)
    cache = tmp_path / "index.sqlite3"
    steps = scan(feed, cache_file=cache, workers=1)
    for step in steps:
        if step.related_ids:
            break  # quit once the links of the first two stories are read
    steps.close()
    assert read == ["s0.txt", "s1.txt"]
    read.clear()
    library = scan_library(feed, cache_file=cache)
    assert read == ["s2.txt", "s3.txt", "s4.txt", "s5.txt"]  # the rest, and only the rest
    read.clear()
    library = scan_library(feed, cache_file=cache)
    assert read == []
    story = library.get("s3.txt")
    assert story is not None
    assert [s.path for s in library.backlinks(story)] == ["s2.txt"]


def test_related_entries_without_a_usable_link_are_read_once(
    feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_story(feed, "a.txt", title="A", related=[{"title": "Linkless"}])
    read = related_reads(monkeypatch)
    cache = tmp_path / "index.sqlite3"
    scan_library(feed, cache_file=cache)
    assert read == ["a.txt"]
    read.clear()
    scan_library(feed, cache_file=cache)
    assert read == []


def test_files_gone_leave_the_cache_before_anything_is_parsed(feed: Path, tmp_path: Path) -> None:
    for n in range(3):
        write_story(feed, f"s{n}.txt", title=f"Story {n}", quality=n)
    cache = tmp_path / "index.sqlite3"
    load_titles(feed, cache)
    (feed / "s2.txt").unlink()
    write_story(feed, "new.txt", title="New")
    steps = scan(feed, cache_file=cache, workers=1)
    next(steps)  # the cached stories: nothing parsed yet
    best = load.cached_best(cache)  # what the next start would show first
    assert [r.story.title for r in best if r.story] == ["Story 1", "Story 0"]
    steps.close()
