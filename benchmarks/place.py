"""Keys pressed while a big folder loads (issue 19): the user's place is theirs.

The generated 100,000-story folder, its index cache warm and the position of the last visit
saved on row 42. Then two warm starts in a pseudo-terminal: in each, as soon as the first list
(the cache's best stories) is on screen, Down is pressed 5 times (then 200 times, in a second
start) in one burst, while the rest of the folder loads. Reported: where the list's cursor is
once the whole folder is in and the reader is idle, against the row the keys went to, and
whether the keys were in before the folder was.

Usage: python benchmarks/place.py [--count 100000]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the benchmarks, and the repository (tests.pty)

from common import ROW, ScreenTerminal, corpus  # noqa: E402

from reader.library.build import scan_library  # noqa: E402

DOWN = b"\x1b[B"
SAVED_ROW = 42


def quiet(term: ScreenTerminal) -> None:
    """Read until the screen has been still for a fifth of a second."""
    while term.read(0.2):
        pass


def on_row(term: ScreenTerminal, titles: list[str], limit: float = 60.0) -> int | None:
    """The row of the full list whose story the cursor row shows (by its title's start)."""
    deadline = time.perf_counter() + limit
    while term.cursor is None and time.perf_counter() < deadline:
        term.read(0.1)
    if term.cursor is None:
        return None
    text = term.cursor[1]
    found = [row for row, title in enumerate(titles[:1000]) if title[:20] in text]
    return found[0] if found else None


def saved_visit(folder: Path, cache: Path, titles: list[str], count: int) -> None:
    """The first start: the cache written, then the cursor taken to row 42 and the reader quit
    (the position is saved there)."""
    term = ScreenTerminal(folder, cache)
    try:
        term.wait_for(re.compile(rf"{count:,} stories · \d[\d,]* skipped"), limit=900)
        term.wait_until(lambda t: t.rfind("indexing") < t.rfind(f"{count:,} stories"), 900)
        term.idle()
        term.find_cursor()
        term.move_cursor(DOWN * SAVED_ROW)
        deadline = time.perf_counter() + 30
        while on_row(term, titles) != SAVED_ROW and time.perf_counter() < deadline:
            term.read(0.1)
    finally:
        term.quit()


def downs_while_loading(
    folder: Path, cache: Path, titles: list[str], count: int, presses: int
) -> str:
    """One warm start with `presses` Down keys sent in one burst on the first list."""
    term = ScreenTerminal(folder, cache)
    try:
        first = term.wait_for(ROW)
        quiet(term)
        term.find_cursor()
        sent = time.perf_counter() - term.start
        term.move_cursor(DOWN * presses)
        done = term.wait_for(re.compile(rf"{count:,} stories · \d[\d,]* skipped"), limit=900)
        term.wait_until(lambda t: t.rfind("indexing") < t.rfind(f"{count:,} stories"), 900)
        term.idle()
        row = on_row(term, titles)
    finally:
        term.quit()
    verdict = "kept" if row == presses else f"LOST (the saved row is {SAVED_ROW})"
    return (
        f"  {presses} Down presses sent at {sent:.2f} s (first list at {first:.2f} s, the whole "
        f"folder in at {done:.2f} s): the cursor ends on row {row} of the whole list; {verdict}"
    )


def place(count: int = 100_000) -> list[str]:
    folder = corpus(count)
    titles = [story.title for story in scan_library(folder).stories[:1000]]
    lines = [
        f"keys while the folder loads (issue 19), {count:,} stories, warm start, the last "
        f"visit's position on row {SAVED_ROW}:"
    ]
    with tempfile.TemporaryDirectory() as work:
        cache = Path(work)
        saved_visit(folder, cache, titles, count)
        for presses in (5, 200):
            lines.append(downs_while_loading(folder, cache, titles, count, presses))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    for line in place(args.count):
        print(line, flush=True)


if __name__ == "__main__":
    main()
