"""`make bench`: newsreader measured as a whole process in a pseudo-terminal.

For generated folders of 1k / 10k / 100k stories it times: cold start (no index cache) and warm
start (cache present) until the best story is on screen, when the first stories appear, and when
the whole folder is loaded; the latency of a cursor move, a topic switch, an order change (from
the key's bytes to the screen's answer) and a search keystroke (until the list is filtered and its
match count drawn); the peak memory of the process. With `newsboat`
installed, the same stories go through it as one Atom file for comparison, and the 10k warm
start is timed side by side with newsboat's warm open (median of five). Then the 100k stories
as two folders of 50k against one folder, warm started alternately (benchmarks/folders.py,
issue 11). Then 2,000 new files
copied into the watched 100k folder while the cursor moves (benchmarks/burst.py). Then Down
pressed 5 and 200 times on the first list of a warm start at 100k, while the folder loads, and
where the cursor ends (benchmarks/place.py, issue 19). Then coverage
grouping (benchmarks/grouping.py, issue 12): pair precision and recall on the labelled set, the
time and memory of grouping 100,000 stories, and a warm start's groups read from the index cache.
Then the article's text (benchmarks/articles.py, issue 21): recall and precision on the labelled
pages, extraction and `newsreader article` times, `newsreader fetch` of 200 stories, the cursor
while articles are fetched, and memory with 1,000 kept. Last, a memory soak on the 10k folder
(benchmarks/soak.py): resident memory after each burst of keys.

Usage: python benchmarks/bench.py [--sizes 1000,10000,100000] [--keys 40] [--no-newsboat]
       [--no-folders] [--no-burst] [--no-place] [--no-grouping] [--no-articles] [--no-soak]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the benchmarks, and the repository (tests.pty)

from common import HEIGHT, ROW, WIDTH, BenchTerminal, best_title, corpus, percentile  # noqa: E402


@dataclass
class Result:
    size: int
    cold_first: float = 0.0
    cold_best: float = 0.0
    cold_done: float = 0.0
    warm_best: float = 0.0
    warm_done: float = 0.0
    cursor_p50: float = 0.0
    cursor_p95: float = 0.0
    topic_p95: float = 0.0
    order_p95: float = 0.0
    search_p95: float = 0.0
    peak_mb: float = 0.0
    notes: list[str] = field(default_factory=list)


def measure(size: int, presses: int) -> Result:
    folder = corpus(size)
    title = best_title(folder)
    best = title[:24]
    # Two words of the best story's title: the search narrows letter by letter to it.
    query = " ".join(sorted(title.lower().split(), key=len, reverse=True)[:2])
    done = re.compile(rf"{size:,} stories · \d[\d,]* skipped")
    result = Result(size)
    with tempfile.TemporaryDirectory() as cache:
        cold = BenchTerminal(folder, Path(cache))
        try:
            result.cold_first = cold.wait_for(ROW)
            result.cold_best = cold.wait_for(best)
            result.cold_done = cold.wait_for(done, limit=600)
        finally:
            cold.quit()
        warm = BenchTerminal(folder, Path(cache))
        try:
            result.warm_best = warm.wait_for(best)
            result.warm_done = warm.wait_for(done)
            # Keys are timed with the folder loaded and indexed ("indexing links…" gone).
            warm.wait_until(lambda text: text.rfind("indexing") < text.rfind(f"{size:,} stories"))
            time.sleep(0.5)
            cursor = [warm.latency(b"j") for _ in range(presses)]
            result.cursor_p50 = statistics.median(cursor)
            result.cursor_p95 = percentile(cursor, 0.95)
            warm.latency(b"\x1b[Z")  # Shift+Tab: focus the topic sidebar
            topics = []
            for _ in range(min(presses, 12)):
                warm.latency(b"j")
                topics.append(warm.latency(b"\r"))
            result.topic_p95 = percentile(topics, 0.95)
            warm.latency(b"\t")
            orders = [warm.latency(b"s") for _ in range(8)]
            result.order_p95 = percentile(orders, 0.95)
            # Search keystrokes, letter by letter, until the list and its count are redrawn.
            warm.latency(b"/")
            searches = [warm.latency_until(letter.encode(), "search: ") for letter in query]
            result.search_p95 = percentile(searches, 0.95)
            warm.latency(b"\x1b")
            warm.sample_memory()
            result.peak_mb = max(cold.peak_rss_mb, warm.peak_rss_mb)
        finally:
            warm.quit()
    return result


def newsboat(size: int) -> tuple[float, float] | None:
    """(reload s, warm open s) for the same stories in newsboat, or None without it.

    Reload is `newsboat -x reload` on one Atom file of the stories; warm open is the time from
    starting newsboat in the same pseudo-terminal to its article list of that feed on screen.
    """
    binary = shutil.which("newsboat")
    if binary is None:
        return None
    from atom import write_atom

    folder = corpus(size)
    with tempfile.TemporaryDirectory() as work:
        feed = Path(work) / "feed.xml"
        write_atom(folder, feed)
        urls = Path(work) / "urls"
        urls.write_text(f'"exec:cat {feed}"\n')
        config = Path(work) / "config"
        config.write_text("max-items 0\nshow-read-feeds yes\nauto-reload no\n")
        cache = Path(work) / "cache.db"
        args = [binary, "-u", str(urls), "-c", str(cache), "-C", str(config)]
        start = time.perf_counter()
        subprocess.run([*args, "-x", "reload"], capture_output=True, check=False, timeout=900)
        reload_s = time.perf_counter() - start
        term = BenchTerminal(folder, Path(work), command=args)
        try:
            term.wait_for(folder.name)  # the feed list
            term.start = time.perf_counter() - term.start  # keep the start-up time so far
            term.press(b"\r")  # open the feed: its articles
            shown = time.perf_counter()
            term.wait_for("Articles in feed")
            open_s = term.start + (time.perf_counter() - shown)
        finally:
            term.quit()
    return reload_s, open_s


WARM_SIZE = 10_000  # issue 14: newsreader's warm start against newsboat's warm open


def warm_start_against_newsboat(size: int = WARM_SIZE, runs: int = 5) -> None:
    """newsreader's warm start (process start to the folder's best story on screen) and
    newsboat's warm open of the same stories (process start to its article list on screen),
    `runs` times each, alternately, in this one run; prints both medians and their ratio.

    Both have their cache written first (newsreader's first start, newsboat's ingest) and one
    untimed start each before the timed ones."""
    if shutil.which("newsboat") is None:
        print("newsboat is not installed (apt-get install newsboat): no warm-start comparison.")
        return
    folder = corpus(size)
    best = best_title(folder)[:24]
    done = re.compile(rf"{size:,} stories · \d[\d,]* skipped")
    with tempfile.TemporaryDirectory() as work:
        cache = Path(work) / "newsreader"
        first = BenchTerminal(folder, cache)
        try:
            first.wait_for(done, limit=600)
            first.wait_until(lambda text: text.rfind("indexing") < text.rfind(f"{size:,} stories"))
        finally:
            first.quit()
        boat = _newsboat_ingested(folder, Path(work) / "newsboat")
        ours: list[float] = []
        theirs: list[float] = []
        for run in range(runs + 1):  # the first round is not timed
            reader_s, boat_s = _reader_warm_start(folder, cache, best), _newsboat_open(*boat)
            if run:
                ours.append(reader_s)
                theirs.append(boat_s)
    load = os.getloadavg()[0]
    mine, boats = statistics.median(ours), statistics.median(theirs)
    print(
        f"\nwarm start, {size:,} stories, {runs} runs each, alternately "
        f"(1-minute load average at the end: {load:.2f}):\n"
        f"  newsreader, best story on screen: median {mine:.3f} s "
        f"({' '.join(f'{t:.3f}' for t in ours)})\n"
        f"  newsboat, article list on screen: median {boats:.3f} s "
        f"({' '.join(f'{t:.3f}' for t in theirs)})\n"
        f"  newsreader / newsboat: {mine / boats:.2f}x (issue 14 asks for at most 1.2x)",
        flush=True,
    )


def _reader_warm_start(folder: Path, cache: Path, best: str) -> float:
    """Seconds from starting newsreader (its index cache present) to `best` on screen."""
    term = BenchTerminal(folder, cache)
    try:
        return term.wait_for(best)
    finally:
        term.quit()


def _newsboat_ingested(folder: Path, work: Path) -> tuple[list[str], Path, Path]:
    """newsboat's command line for the stories of `folder` as one Atom feed, its cache
    written (`-x reload`); with the folder and a working folder, for `_newsboat_open`."""
    from atom import write_atom

    work.mkdir(parents=True, exist_ok=True)
    feed = work / "feed.xml"
    write_atom(folder, feed)
    urls = work / "urls"
    urls.write_text(f'"exec:cat {feed}"\n')
    config = work / "config"
    config.write_text("max-items 0\nshow-read-feeds yes\nauto-reload no\n")
    binary = shutil.which("newsboat") or "newsboat"
    args = [binary, "-u", str(urls), "-c", str(work / "cache.db"), "-C", str(config)]
    subprocess.run([*args, "-x", "reload"], capture_output=True, check=False, timeout=900)
    return args, folder, work


def _newsboat_open(args: list[str], folder: Path, work: Path) -> float:
    """Seconds from starting newsboat to its article list of the feed on screen (as `newsboat`
    times it: the feed list, Enter, the article list; without the harness's own reaction)."""
    term = BenchTerminal(folder, work, command=args)
    try:
        listed = term.wait_for(folder.name)  # the feed list
        term.press(b"\r")  # open the feed: its articles
        shown = time.perf_counter()
        term.wait_for("Articles in feed")
        return listed + (time.perf_counter() - shown)
    finally:
        term.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--keys", type=int, default=40, help="cursor presses to time")
    parser.add_argument("--no-newsboat", action="store_true")
    parser.add_argument(
        "--warm-runs", type=int, default=5, help="warm starts timed against newsboat's, each"
    )
    parser.add_argument("--no-soak", action="store_true", help="no memory soak")
    parser.add_argument("--no-burst", action="store_true", help="no burst of new files")
    parser.add_argument(
        "--no-place", action="store_true", help="no keys pressed while the folder loads"
    )
    parser.add_argument("--no-grouping", action="store_true", help="no coverage grouping figures")
    parser.add_argument("--no-articles", action="store_true", help="no article text figures")
    parser.add_argument(
        "--no-folders", action="store_true", help="no two folders against one (warm start)"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    cpu = platform.processor() or platform.machine()
    print(f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"terminal: {WIDTH}x{HEIGHT} pty; times in seconds from process start, keys in ms\n")
    header = (
        "| stories | cold: first rows | cold: best story | cold: all loaded | warm: best story "
        "| warm: all loaded | cursor p50/p95 | topic p95 | order p95 | search p95 | peak RSS |"
    )
    print(header)
    print("|---:" * 11 + "|")
    rows = []
    for size in sizes:
        r = measure(size, args.keys)
        rows.append(r)
        print(
            f"| {r.size:,} | {r.cold_first:.2f} | {r.cold_best:.2f} | {r.cold_done:.2f} "
            f"| {r.warm_best:.2f} | {r.warm_done:.2f} | {r.cursor_p50:.0f}/{r.cursor_p95:.0f} "
            f"| {r.topic_p95:.0f} | {r.order_p95:.0f} | {r.search_p95:.0f} | {r.peak_mb:.0f} MB |",
            flush=True,
        )
    if not args.no_newsboat:
        print()
        for r in rows:
            measured = newsboat(r.size)
            if measured is None:
                print("newsboat is not installed (apt-get install newsboat): no comparison.")
                break
            reload_s, open_s = measured
            print(
                f"newsboat, {r.size:,} stories: reload (ingest) {reload_s:.2f} s, open warm to "
                f"the article list {open_s:.2f} s | newsreader: cold all loaded "
                f"{r.cold_done:.2f} s ({reload_s / r.cold_done:.1f}x), warm best story "
                f"{r.warm_best:.2f} s ({open_s / r.warm_best:.1f}x)"
            )
    if not args.no_newsboat:
        warm_start_against_newsboat(WARM_SIZE, args.warm_runs)
    if not args.no_folders:
        from folders import two_against_one

        print()
        for line in two_against_one(FOLDERS_SIZE, runs=FOLDERS_RUNS):
            print(line, flush=True)
    if not args.no_burst:
        from burst import burst

        print()
        for line in burst().lines():
            print(line, flush=True)
    if not args.no_place:
        from place import place

        print()
        for line in place():
            print(line, flush=True)
    if not args.no_grouping:
        grouping_figures()
    if not args.no_articles:
        from articles import articles

        print()
        for line in articles():
            print(line, flush=True)
    if not args.no_soak:
        memory_soak()


FOLDERS_SIZE, FOLDERS_RUNS = 100_000, 7  # issue 11 section 3: two folders of 50,000 against one
GROUPING_SIZE = 100_000  # issue 12 section 5


def grouping_figures(size: int = GROUPING_SIZE) -> None:
    """Coverage grouping measured (benchmarks/grouping.py): pair precision and recall on the
    labelled set; the time to group `size` stories and the memory it adds; a warm start's
    groups read back from the index cache. In a fresh process of their own: this one has loaded
    big libraries already, and memory it freed would hide the growth that grouping causes."""
    import grouping

    print(f"\ncoverage grouping (issue 12), in a process of its own, {size:,} stories:", flush=True)
    worker = multiprocessing.get_context("spawn").Process(
        target=grouping.figures, kwargs={"count": size, "repeat": 3, "trace": False}
    )
    worker.start()
    worker.join()
    if worker.exitcode != 0:
        print(f"  the grouping figures failed (exit status {worker.exitcode})", flush=True)


SOAK_SIZE = 10_000  # issue 14 section 6
SOAK_LIMIT_MB = 10.0  # growth allowed after the first round of keys


def memory_soak(size: int = SOAK_SIZE) -> None:
    """Resident memory under bursts of keys (benchmarks/soak.py): after loading, then after
    each round; the growth after the first round is what issue 14 asks to stay flat."""
    from soak import soak

    folder = corpus(size)
    print(f"\nmemory soak, {size:,} stories: resident memory (VmRSS) after loading, then after")
    print("each round of keys (sent in one burst, or typed one at a time: follow-typed)")
    results = soak(folder, echo=True)
    worst = max(results, key=lambda result: result.growth_mb)
    verdict = "flat" if worst.growth_mb <= SOAK_LIMIT_MB else "GROWS"
    print(
        f"  largest growth after the first round: {worst.growth_mb:+.1f} MB ({worst.name}); "
        f"{verdict} (issue 14 asks for at most {SOAK_LIMIT_MB:.0f} MB)",
        flush=True,
    )


if __name__ == "__main__":
    main()
