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
Last, a memory soak on the 10k folder (benchmarks/soak.py): resident memory after each burst of
keys.

Usage: python benchmarks/bench.py [--sizes 1000,10000,100000] [--keys 40] [--no-newsboat]
       [--no-folders] [--no-burst] [--no-place] [--no-grouping] [--no-soak]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import multiprocessing
import os
import platform
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate, is_current  # noqa: E402

CORPUS = HERE / "corpus"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")
ROW = re.compile(r"│[★ ][● ]\s*-?\d{1,4} (?:▶| ) \S")
WIDTH, HEIGHT = 160, 48


def corpus(count: int) -> Path:
    """The generated folder of `count` stories, made if missing or stale."""
    folder = CORPUS / f"stories_{count}"
    if not is_current(folder, count, 1):
        print(f"generating {count:,} stories into {folder} …", flush=True)
        generate(folder, count, 1, force=True)
    return folder


def best_title(folder: Path) -> str:
    """The title of the story the list shows first (quality order), via the library itself."""
    from reader.library.build import scan_library

    return scan_library(folder).stories[0].title


class Terminal:
    """newsreader running in a pseudo-terminal, with the screen's text as it arrives."""

    def __init__(self, folder: Path, cache_dir: Path, command: list[str] | None = None) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        self.tty_name = os.ttyname(slave)  # the program's side (the soak asks what it has read)
        env = dict(
            os.environ,
            TERM="xterm-256color",
            NEWSREADER_CACHE_DIR=str(cache_dir / "cache"),
            NEWSREADER_DATA_DIR=str(cache_dir / "data"),  # no marks or position of earlier runs
            NEWSREADER_CONFIG=str(cache_dir / "none.toml"),
        )
        env.pop("BROWSER", None)
        self.start = time.perf_counter()
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "reader", str(folder)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.text = ""
        self.pending = b""
        self.peak_rss_mb = 0.0
        self.arrived = 0.0  # when the last output arrived

    def read(self, timeout: float) -> bool:
        """Read what the program wrote within `timeout` seconds; False if nothing came."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 20)
        except OSError:
            return False
        self.arrived = time.perf_counter()  # before this side's own processing of the text
        self.received(chunk)
        raw = self.pending + chunk
        cut = raw.rfind(b"\x1b")
        if cut >= 0 and not ANSI.match(raw, cut):  # an escape sequence split across reads
            raw, self.pending = raw[:cut], raw[cut:]
        else:
            self.pending = b""
        self.text += ANSI.sub(b"", raw).decode("utf-8", "replace")
        if len(self.text) > 4_000_000:
            self.text = self.text[-1_000_000:]
        self.sample_memory()
        return True

    def received(self, chunk: bytes) -> None:
        """The program's output as it came (a subclass may keep a screen of it)."""

    def sample_memory(self) -> None:
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            self.peak_rss_mb = max(self.peak_rss_mb, int(found.group(1)) / 1024)

    def wait_for(self, test: re.Pattern[str] | str, limit: float = 120.0) -> float:
        """Seconds since start until `test` shows up on screen."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            found = test.search(self.text) if isinstance(test, re.Pattern) else test in self.text
            if found:
                return time.perf_counter() - self.start
            self.read(0.05)
        raise TimeoutError(f"{test!r} did not appear within {limit:.0f}s")

    def wait_until(self, test: Callable[[str], bool], limit: float = 120.0) -> None:
        """Read until `test(screen text so far)` holds."""
        deadline = time.perf_counter() + limit
        while not test(self.text):
            if time.perf_counter() > deadline:
                raise TimeoutError("the screen never settled")
            self.read(0.05)

    def latency(self, keys: bytes, settle: float = 0.15) -> float:
        """Milliseconds from writing `keys` to the first screen update after them."""
        while self.read(settle):  # let the screen go quiet first
            pass
        sent = time.perf_counter()
        os.write(self.master, keys)
        if not self.read(5.0):
            raise TimeoutError(f"no answer to {keys!r}")
        return (self.arrived - sent) * 1000

    def latency_until(self, keys: bytes, marker: str) -> float:
        """Milliseconds from writing `keys` until output with `marker` in it arrives."""
        while self.read(0.15):
            pass
        sent = time.perf_counter()
        seen = len(self.text)
        os.write(self.master, keys)
        deadline = sent + 5.0
        while marker not in self.text[seen:]:
            if time.perf_counter() > deadline or not self.read(deadline - time.perf_counter()):
                raise TimeoutError(f"no {marker!r} after {keys!r}")
        return (self.arrived - sent) * 1000

    def quit(self) -> None:
        """Press q; kill the process group if it has not gone in 30 seconds."""
        with contextlib.suppress(OSError):
            os.write(self.master, b"q")
        deadline = time.perf_counter() + 30
        # Keep reading, as a terminal does: a program whose output is not read cannot exit.
        while self.process.poll() is None and time.perf_counter() < deadline:
            self.read(0.05)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(size: int, presses: int) -> Result:
    folder = corpus(size)
    title = best_title(folder)
    best = title[:24]
    # Two words of the best story's title: the search narrows letter by letter to it.
    query = " ".join(sorted(title.lower().split(), key=len, reverse=True)[:2])
    done = re.compile(rf"{size:,} stories · \d[\d,]* skipped")
    result = Result(size)
    with tempfile.TemporaryDirectory() as cache:
        cold = Terminal(folder, Path(cache))
        try:
            result.cold_first = cold.wait_for(ROW)
            result.cold_best = cold.wait_for(best)
            result.cold_done = cold.wait_for(done, limit=600)
        finally:
            cold.quit()
        warm = Terminal(folder, Path(cache))
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
        term = Terminal(folder, Path(work), command=args)
        try:
            term.wait_for(folder.name)  # the feed list
            term.start = time.perf_counter() - term.start  # keep the start-up time so far
            os.write(term.master, b"\r")  # open the feed: its articles
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
        first = Terminal(folder, cache)
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
    term = Terminal(folder, cache)
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
    term = Terminal(folder, work, command=args)
    try:
        listed = term.wait_for(folder.name)  # the feed list
        os.write(term.master, b"\r")  # open the feed: its articles
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
