"""However the reader ends while it reads a folder for the first time (`q`, SIGTERM, a SIGHUP,
its terminal closed, kill -9), what it parsed is in the index cache, and the next start parses
only the rest and first shows the cache's best stories. The clean endings also save the position
and restore the terminal.

Each test runs the reader as a process in a pseudo-terminal on a generated folder, ends it as soon
as the cache holds its first committed rows (mid-load: a commit comes about every half second),
and starts it again."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from reader.feed.cache import IndexCache
from reader.feed.walk import walk
from reader.platform import paths
from tests.pty.terminal import (
    Reader,
    best_cached_title,
    cached_rows,
    saved_position,
    unlinked_rows,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

STORIES = 4000  # about a second of parsing on two cores: ended mid-load


def _generate(folder: Path, count: int) -> None:
    file = Path(__file__).parents[2] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("benchmarks_generate", file)
    assert spec is not None and spec.loader is not None
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(folder, count, 7, force=True)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated folder, read by every test with a cache and state of its own (conftest)."""
    stories = tmp_path_factory.mktemp("endings") / "stories"
    _generate(stories, STORIES)
    return stories


def files_in(folder: Path) -> int:
    return sum(1 for _ in walk(folder))


def first_start_ended(folder: Path, how: str) -> tuple[Reader, int, dict[str, int]]:
    """Start the reader on a folder it never read, end it `how` once some of the folder is
    committed to the cache; (the run, its exit code, {path: rowid} committed)."""
    reader = Reader(folder)
    try:
        reader.wait_for(lambda: len(cached_rows(folder)) > 0, "a first commit of the cache")
        code = reader.end(how, check_processes=True)
    finally:
        reader.kill()
    return reader, code, cached_rows(folder)


def second_start(folder: Path, total: int, how: str = "q") -> tuple[Reader, int, dict[str, int]]:
    """Start again; once the whole folder and its links are cached, change the order (`s`)
    and end the reader `how`. (The run, its exit code, {path: rowid} cached afterwards.)"""
    best = best_cached_title(folder)
    reader = Reader(folder)
    try:
        # Before anything is parsed again (the cache's rows are checked against the folder
        # first), the first screen shows the best stories the cache holds.
        reader.wait_for(reader.shows(best[:30]), "the cache's best story on the first screen")
        reader.wait_for(
            lambda: len(cached_rows(folder)) == total and not unlinked_rows(folder),
            "every file and the links of every related list in the cache",
        )
        reader.wait_for(reader.shows(f"{total:,} stories"), "the whole folder listed")
        reader.press(b"s")
        reader.wait_for(reader.shows("newest first"), "the list in the order asked for")
        code = reader.end(how)
    finally:
        reader.kill()
    return reader, code, cached_rows(folder)


def assert_parsed_again_only_the_rest(
    committed: dict[str, int], after: dict[str, int], total: int
) -> None:
    # A file parsed again gets a new row (a new rowid); committed rows kept theirs.
    assert 0 < len(committed) <= total
    assert len(after) == total
    assert {path: after[path] for path in committed} == committed
    assert len([path for path in after if path not in committed]) == total - len(committed)


@pytest.mark.parametrize("how", ["q", "SIGTERM", "SIGHUP", "close"])
def test_a_clean_ending_keeps_the_cache_the_position_and_the_terminal(
    folder: Path, how: str
) -> None:
    # "close": the terminal window closes (the pty's other side goes away), the reader is hung
    # up and can write nothing more: it must neither hang on its way out nor lose its work.
    total = files_in(folder)
    first, code, committed = first_start_ended(folder, how)
    assert code == 0
    assert how == "close" or first.restored_the_terminal()
    assert first.left_nothing  # its parsing workers are gone too
    second, code, after = second_start(folder, total, how)
    assert_parsed_again_only_the_rest(committed, after, total)
    assert code == 0
    assert how == "close" or second.restored_the_terminal()
    position = saved_position(folder)
    assert position["order"] == "newest" and position["story"]


def test_a_terminal_gone_without_a_hangup_signal_still_ends_the_reader(folder: Path) -> None:
    # Not its controlling terminal: closing it sends no SIGHUP, but nobody can use the reader
    # any more, and it would go on spinning on its input unseen.
    total = files_in(folder)
    reader = Reader(folder, controlling=False)
    try:
        reader.wait_for(reader.shows(f"{total:,} stories"), "the whole folder listed")
        assert reader.end("close", limit=10) == 0
    finally:
        reader.kill()
    assert saved_position(folder)["story"]
    assert len(cached_rows(folder)) == total


def test_after_kill_9_the_next_start_goes_on_from_the_last_commit(folder: Path) -> None:
    total = files_in(folder)
    _, code, committed = first_start_ended(folder, "SIGKILL")
    assert code == -9
    cache, notice = IndexCache.open(paths.index_cache(folder))
    assert cache is not None and notice == ""  # usable as it is: not set aside
    cache.close()
    _, _, after = second_start(folder, total)
    assert_parsed_again_only_the_rest(committed, after, total)


def test_after_kill_9_once_all_is_listed_the_next_start_parses_nothing(folder: Path) -> None:
    total = files_in(folder)
    reader = Reader(folder)
    try:
        reader.wait_for(reader.shows(f"{total:,} stories"), "the whole folder listed")
        assert reader.end("SIGKILL") == -9
    finally:
        reader.kill()
    committed = cached_rows(folder)
    assert len(committed) == total
    _, _, after = second_start(folder, total)
    assert after == committed
