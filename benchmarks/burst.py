"""A `git pull` while the reader runs: 2,000 new story files copied into a watched big folder.

The reader runs in a pseudo-terminal on a copy of the generated 100,000-story folder (hard
links: the stories themselves are not copied), its index cache warm. Then, while a thread copies
2,000 new story files into the folder, `j` is pressed every 0.2 s and each press is timed until
the moved cursor row is drawn (found in the screen's output as it is drawn, not the first bytes
written). The same presses are timed at rest first, once the reader is idle (the folder read
and grouped). Reported: when every story of the folder is listed (the status line counts them;
a new file whose link an older story has is one story with it), from the start of the copy;
and the cursor's latency at rest and during the burst (p50, p95, max).

Usage: python benchmarks/burst.py [--count 100000] [--new 2000] [--every 0.2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the benchmarks, and the repository (tests.pty)

from common import ScreenTerminal, folder_of, percentile  # noqa: E402
from generate import generate  # noqa: E402

from reader.library.build import scan_library  # noqa: E402

TARGET_LISTED_S = 3.0  # issue 14 section 5
STORIES = re.compile(r"([\d,]+) stories · ")
TARGET_CURSOR_P95_MS = 20.0


@dataclass
class Burst:
    count: int
    new: int
    copy_s: float
    listed_s: float
    rest: list[float]
    during: list[float]

    def lines(self) -> list[str]:
        def figures(values: list[float]) -> str:
            return (
                f"p50 {statistics.median(values):.0f} / p95 {percentile(values, 0.95):.0f} / "
                f"max {max(values):.0f} ms ({len(values)} presses)"
            )

        return [
            f"burst: {self.new:,} new files copied into a watched {self.count:,}-story folder "
            f"(the copy took {self.copy_s:.2f} s):",
            f"  the new stories listed {self.listed_s:.2f} s after the copy began "
            f"(issue 14 asks within {TARGET_LISTED_S:.0f} s)",
            f"  cursor (j), moved row on screen: at rest {figures(self.rest)}",
            f"  cursor (j) every 0.2 s during the burst: {figures(self.during)} "
            f"(issue 14 asks p95 <= {TARGET_CURSOR_P95_MS:.0f} ms)",
        ]


def burst(count: int = 100_000, new: int = 2_000, every: float = 0.2) -> Burst:
    source = folder_of(count).resolve()
    with tempfile.TemporaryDirectory(dir=source.parent, prefix="burst-") as work:
        folder = Path(work) / "stories"
        shutil.copytree(source, folder, copy_function=os.link)  # hard links: no data copied
        incoming = Path(work) / "incoming"
        generate(incoming, new, seed=2, force=True)
        term = ScreenTerminal(folder, Path(work))
        try:
            listed = re.compile(rf"{count:,} stories · \d[\d,]* skipped")
            term.wait_for(listed, limit=900)
            term.wait_until(lambda t: t.rfind("indexing") < t.rfind(f"{count:,} stories"), 900)
            term.idle()  # at rest: the folder's groups worked out, nothing left running
            term.find_cursor()
            rest = [_timed(term, every) for _ in range(20)]
            copied = threading.Event()
            copy_s = [0.0]

            def copy() -> None:
                began = time.perf_counter()
                shutil.copytree(incoming, folder / "incoming", ignore=shutil.ignore_patterns(".*"))
                copy_s[0] = time.perf_counter() - began
                copied.set()

            began = time.perf_counter()
            seen = len(term.text)
            threading.Thread(target=copy, daemon=True).start()
            during: list[float] = []
            counts: list[tuple[float, float, int]] = []  # (seconds after, when seen, stories)
            while time.perf_counter() - began < 60:
                during.append(_timed(term, every))
                shown = STORIES.findall(term.text[seen:])
                stories = int(shown[-1].replace(",", "")) if shown else count
                if stories != (counts[-1][2] if counts else count):
                    counts.append((term.arrived - began, time.perf_counter(), stories))
                if copied.is_set() and counts and time.perf_counter() - counts[-1][1] > 2.0:
                    break  # the count has stood still for two seconds since the copy ended
        finally:
            term.quit()
        # Every story of the folder now, as a whole load reads it: a new file whose link an
        # older story has already is one story (the count is then under count + new).
        expected = len(scan_library(folder))
    listed = [after for after, _, stories in counts if stories == expected]
    if not listed:
        raise TimeoutError(f"{expected:,} stories never showed within 60 s (seen: {counts})")
    return Burst(count, new, copy_s[0], listed[0], rest, during)


def _timed(term: ScreenTerminal, every: float) -> float:
    """One press of `j`, timed; then wait out the rest of `every` seconds, reading."""
    began = time.perf_counter()
    latency = term.move_cursor(b"j")
    while (left := every - (time.perf_counter() - began)) > 0:
        term.read(left)
    return latency


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=2_000)
    parser.add_argument("--every", type=float, default=0.2)
    args = parser.parse_args()
    for line in burst(args.count, args.new, args.every).lines():
        print(line, flush=True)


if __name__ == "__main__":
    main()
