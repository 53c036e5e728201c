"""Two folders against one (issue 11, section 3): the same 100,000 stories as one folder, and
split into two folders of 50,000 opened together (`newsreader A B`), each warm started in a
pseudo-terminal, alternately: until the best story is on screen, and until every story is
loaded. The split is made of hard links to the one folder's files (a copy where links fail).

Usage: python benchmarks/folders.py [--size 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the benchmarks, and the repository (tests.pty)

from common import CORPUS, BenchTerminal, best_title, corpus  # noqa: E402


def split(size: int) -> tuple[Path, Path]:
    """The stories of the `size` corpus as two folders, its first and second half of parts."""
    whole = corpus(size)
    marker = (whole / ".generated").read_text(encoding="utf-8")
    root = CORPUS / f"split_{size}"
    halves = (root / "first", root / "second")
    done = root / ".split"
    if done.is_file() and done.read_text(encoding="utf-8") == marker:
        return halves
    print(f"splitting the {size:,} stories into {root} …", flush=True)
    shutil.rmtree(root, ignore_errors=True)
    parts = sorted(p for p in whole.iterdir() if p.is_dir())
    middle = len(parts) // 2
    for number, part in enumerate(parts):
        target = halves[0 if number < middle else 1] / part.name
        target.mkdir(parents=True)
        for file in part.iterdir():
            try:
                os.link(file, target / file.name)
            except OSError:
                shutil.copy2(file, target / file.name)
    done.write_text(marker, encoding="utf-8")
    return halves


def _started(
    folders: list[Path], home: Path, best: str, done: re.Pattern[str]
) -> tuple[float, float]:
    """(best story on screen, every story loaded), in seconds from the process's start."""
    command = [sys.executable, "-m", "reader", *map(str, folders)]
    term = BenchTerminal(folders[0], home, command=command)
    try:
        return term.wait_for(best), term.wait_for(done, limit=300)
    finally:
        term.quit()


def two_against_one(size: int = 100_000, runs: int = 3) -> list[str]:
    """The figures, as lines to print."""
    whole = corpus(size)
    halves = list(split(size))
    best = best_title(whole)[:24]
    done = re.compile(rf"{size:,} stories · \d[\d,]* skipped")
    one: list[tuple[float, float]] = []
    two: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as work:
        home = Path(work)
        for run in range(runs + 1):  # the first round writes the caches: not timed
            first = _started([whole], home, best, done)
            second = _started(halves, home, best, done)
            if run:
                one.append(first)
                two.append(second)
    lines = [
        f"two folders of {size // 2:,} against one of {size:,} (warm starts, {runs} each, "
        "alternately; median, and the range):"
    ]
    for name, times in ((f"one folder of {size:,}", one), (f"two of {size // 2:,}", two)):
        best_s = [t[0] for t in times]
        all_s = [t[1] for t in times]
        lines.append(
            f"  {name}: best story {statistics.median(best_s):.2f} s "
            f"({min(best_s):.2f}–{max(best_s):.2f}), all loaded {statistics.median(all_s):.2f} s "
            f"({min(all_s):.2f}–{max(all_s):.2f})"
        )
    ratio_best = statistics.median(t[0] for t in two) / statistics.median(t[0] for t in one)
    ratio_all = statistics.median(t[1] for t in two) / statistics.median(t[1] for t in one)
    lines.append(
        f"  two / one: best story {ratio_best:.2f}x, all loaded {ratio_all:.2f}x "
        "(issue 11 asks for no slower)"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for line in two_against_one(args.size, args.runs):
        print(line, flush=True)


if __name__ == "__main__":
    main()
