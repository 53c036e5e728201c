"""How the reader's next start fares after each way a first start can end (issue 14).

A first start reads a generated folder with no index cache and is ended at a moment (every story
listed, or a share of the files read) in one way: its terminal closed (the pseudo-terminal's other
side goes away, so the reader is hung up as a closed terminal window hangs it up), SIGTERM,
`kill -9`, or `q`. The next start, on the same cache, is timed from process start until the
folder's best story is on screen and until every story is listed; the files it parsed again are
counted from the cache (a file parsed again gets a new row).

Usage: python benchmarks/endings.py [--size 100000] [--endings close,kill,term,q]
       [--at listed,45]
Each case is a whole cold load and a warm one: about 25 s per case at 100,000 stories.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the benchmarks, and the repository (tests.pty)

from common import BenchTerminal, best_title, corpus  # noqa: E402

ENDINGS = {"close": "terminal closed", "kill": "kill -9", "term": "SIGTERM", "q": "q"}
HOW = {"close": "close", "kill": "SIGKILL", "term": "SIGTERM", "q": "q"}  # as `Terminal.end` says


def cached_rows(cache_dir: Path) -> dict[str, int]:
    """{path: rowid} of the one index cache under `cache_dir` (a file parsed again gets a
    new rowid)."""
    files = list((cache_dir / "cache").glob("index-*.sqlite3"))
    if not files:
        return {}
    with contextlib.closing(sqlite3.connect(f"file:{files[0]}?mode=ro", uri=True)) as db:
        return dict(db.execute("SELECT path, rowid FROM files"))


def start(folder: Path, cache_dir: Path) -> BenchTerminal:
    """The reader, with the pseudo-terminal as its controlling terminal: closing the terminal
    then hangs it up, as closing a window does."""
    return BenchTerminal(folder, cache_dir, controlling=True)


def end(term: BenchTerminal, how: str) -> None:
    """End the reader `how`, then wait until it and its parsing processes are gone."""
    with contextlib.suppress(TimeoutError):  # not gone within a minute: killed
        term.end(HOW[how], limit=60)
    term.kill()  # anything left of it (none, normally)


def case(folder: Path, size: int, best: str, how: str, at: str) -> str:
    """One first start ended `how` at `at`, and the next start timed: a table row."""
    listed = re.compile(rf"{size:,} stories · \d[\d,]* skipped")
    share = None if at == "listed" else int(at) / 100
    loading = re.compile(r"Loading ([\d,]+) of")
    with tempfile.TemporaryDirectory() as work:
        cache_dir = Path(work)
        first = start(folder, cache_dir)
        try:
            if share is None:
                ended_at = first.wait_for(listed, limit=900)
            else:

                def far_enough(text: str) -> bool:
                    counts = loading.findall(text[-4000:])
                    return bool(counts) and int(counts[-1].replace(",", "")) >= share * size

                first.wait_until(far_enough, limit=900)
                ended_at = time.perf_counter() - first.start
        finally:
            end(first, how)
        committed = cached_rows(cache_dir)
        second = BenchTerminal(folder, cache_dir)
        try:
            shown = second.wait_for(best, limit=900)
            done = second.wait_for(listed, limit=900)
        finally:
            second.quit()
        after = cached_rows(cache_dir)
    again = sum(1 for path, rowid in after.items() if committed.get(path) != rowid)
    moment = "all listed" if share is None else f"{at}% read"
    return (
        f"| {ENDINGS[how]} | {moment} ({ended_at:.1f} s) | {len(committed):,} | {shown:.2f} s "
        f"| {done:.2f} s | {again:,} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--endings", default="close,kill,term,q")
    parser.add_argument("--at", default="listed,45", help="'listed' and/or percentages")
    args = parser.parse_args()
    folder = corpus(args.size)
    best = best_title(folder)[:24]
    print(f"{args.size:,} stories; best story: {best!r}\n")
    print(
        "| first start ended by | at | files in the cache then | next start: best story "
        "| next start: all listed | files parsed again |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for at in args.at.split(","):
        for how in args.endings.split(","):
            print(case(folder, args.size, best, how, at), flush=True)


if __name__ == "__main__":
    main()
