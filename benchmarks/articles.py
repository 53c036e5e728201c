"""The article's text (issue 21), measured against a web server on 127.0.0.1 (tests/article).

1. The labelled pages (tests/fixtures/articles: pages, with their body text written by hand):
   word recall and precision of each extracted body (mean, worst), and the extraction's time
   per page in one process (p50, p95).
2. `newsreader article URL --fresh` as a user runs it, the whole process per page, for each
   labelled page (p50, p95, max): start, fetch, extract, print.
3. `newsreader fetch FOLDER` over 200 stories whose pages the server sends (each page waiting
   `--delay` seconds first, as a distant site does): the whole run, pages a second.
4. The reader in a real pty on 1,000 stories: the cursor's latency (`j` every quarter second,
   timed until the moved cursor row is drawn) at rest, then while articles are fetched and
   extracted in the background: `t` and `j` on 20 stories in turn ask for their articles
   (pages of 390 paragraphs that take 2 s to come), then `j` is timed as before for 9 s while
   the pages come, are extracted and kept, and the list marks their rows.
5. Memory: the reader's peak resident memory on those 1,000 stories with 1,000 articles kept,
   against none kept, and the size of the kept articles' file.

Usage: python benchmarks/articles.py [--no-pty] [--delay 0.05]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the benchmarks, and the repository (tests)

from common import ScreenTerminal, percentile  # noqa: E402

from reader.article.extract import extract  # noqa: E402
from reader.article.model import Article, Block, Span  # noqa: E402
from reader.article.store import ArticleStore  # noqa: E402
from tests.article.server import EXPECTED, PAGES, Site, labelled  # noqa: E402
from tests.conftest import write_story  # noqa: E402

WORD = re.compile(r"\w+")
STORIES = 1_000
FETCHED = 20  # articles asked for before the cursor is timed
PAGE_ROUTE = "/heavy/"


def ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:.0f} / p95 {percentile(values, 0.95) * 1000:.0f}"
        f" / max {max(values) * 1000:.0f} ms"
    )


def overlap(expected: str, got: str) -> tuple[float, float]:
    want = Counter(w.lower() for w in WORD.findall(expected))
    have = Counter(w.lower() for w in WORD.findall(got))
    common = sum((want & have).values())
    return common / max(1, sum(want.values())), common / max(1, sum(have.values()))


def labelled_figures() -> list[str]:
    recalls: dict[str, float] = {}
    precisions: dict[str, float] = {}
    times: list[float] = []
    for slug, meta in labelled():
        content_type = meta.get("content_type", "")
        charset = content_type.split("charset=")[1] if "charset=" in content_type else None
        data = (PAGES / f"{slug}.html").read_bytes()
        began = time.perf_counter()
        article = extract(data, "https://example.org/story", charset=charset)
        times.append(time.perf_counter() - began)
        expected = (EXPECTED / f"{slug}.txt").read_text("utf-8")
        recalls[slug], precisions[slug] = overlap(expected, article.text)
    worst_r = min(recalls, key=recalls.__getitem__)
    worst_p = min(precisions, key=precisions.__getitem__)
    return [
        f"labelled pages: {len(recalls)}; mean word recall {statistics.mean(recalls.values()):.3f}"
        f", precision {statistics.mean(precisions.values()):.3f}",
        f"  worst recall {recalls[worst_r]:.2f} ({worst_r}), worst precision "
        f"{precisions[worst_p]:.2f} ({worst_p})",
        f"  extraction in one process (the first page pays the imports): {ms(times)}",
    ]


def command_line_figures(site: Site, env: dict[str, str]) -> list[str]:
    times = []
    for slug, _ in labelled():
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "reader", "article", "--fresh", site.url(f"/pages/{slug}.html")],
            capture_output=True,
            env=env,
        )
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise RuntimeError(f"{slug}: {done.stderr.decode()}")
    return [f"`newsreader article URL --fresh`, whole process, {len(times)} pages: {ms(times)}"]


def fetch_figures(site: Site, env: dict[str, str], work: Path) -> list[str]:
    folder = work / "fetch200"
    for n in range(200):
        write_story(folder, f"s{n}.md", title=f"Harbour plan {n}", webUrl=site.url(f"/story/{n}"))
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reader", "fetch", str(folder)],
        capture_output=True,
        text=True,
        env=env,
    )
    took = time.perf_counter() - began
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    return [
        f"`newsreader fetch` of 200 stories, each page {site.delay * 1000:.0f} ms away, 4 jobs "
        f"(at most 2 a site): {took:.2f} s, {200 / took:.0f} pages/s ({summary})"
    ]


def heavy_article(url: str, n: int) -> Article:
    words = "The harbour board met again to hear the case for more berths on the quay."
    blocks = tuple(Block("paragraph", (Span(f"{words} Paragraph {i}."),)) for i in range(40))
    return Article(url=url, final_url=url, title=f"Harbour plan {n}", blocks=blocks, fetched=1.0)


def _timed(term: ScreenTerminal, first: bytes, every: float = 0.25) -> float:
    """`first` (`t`: fetch the article of the story in view), a pause of a tenth of a second,
    then `j`, timed until the moved cursor row is drawn; then the rest of `every` seconds."""
    began = time.perf_counter()
    if first:
        os.write(term.master, first)
    while (left := 0.1 - (time.perf_counter() - began)) > 0:
        term.read(left)
    latency = term.move_cursor(b"j") / 1000
    while (left := every - (time.perf_counter() - began)) > 0:
        term.read(left)
    return latency


def pty_figures(site: Site, work: Path, env: dict[str, str]) -> list[str]:
    folder = work / "reader1000"
    for n in range(STORIES):
        write_story(
            folder,
            f"s{n:04}.md",
            title=f"Harbour plan {n}",
            webUrl=site.url(f"{PAGE_ROUTE}{n}"),
            quality=5000 - n,
            topics=["Harbour"],
        )
    lines = []
    peak = {}
    for kept in (False, True):
        run = work / ("kept" if kept else "none")
        if kept:
            store = ArticleStore(run / "cache" / "articles.sqlite3")
            for n in range(STORIES):
                store.put(heavy_article(site.url(f"/kept/{n}"), n))
            store.close()
            size = (run / "cache" / "articles.sqlite3").stat().st_size / 1024 / 1024
        term = ScreenTerminal(folder, run)
        try:
            term.wait_for(f"{STORIES:,} stories", limit=120)
            term.idle()
            peak[kept] = term.peak_rss_mb
        finally:
            term.quit()
    lines.append(
        f"memory, the reader on {STORIES:,} stories: peak {peak[False]:.0f} MB with no article "
        f"kept, {peak[True]:.0f} MB with {STORIES:,} kept ({size:.1f} MB on disk)"
    )
    term = ScreenTerminal(folder, work / "cursor")
    try:
        term.wait_for(f"{STORIES:,} stories", limit=120)
        term.idle()
        term.find_cursor()
        for _ in range(60):  # below the first screen: each `j` from here scrolls the list
            term.move_cursor(b"j")
        rest = [_timed(term, b"") for _ in range(30)]
        # Ask for the articles of the next 20 stories (t, then on to the next), untimed;
        # their pages come 2 s later and are extracted while the cursor is timed.
        asked = time.perf_counter()
        for _ in range(FETCHED):
            os.write(term.master, b"t")
            term.read(0.05)
            term.move_cursor(b"j")
        during = []
        while time.perf_counter() - asked < 9.0 or len(during) < 30:
            during.append(_timed(term, b""))
        fetched = site.requests_matching(PAGE_ROUTE)
    finally:
        term.quit()
    lines.append(f"cursor at rest: {ms(rest)} ({len(rest)} presses)")
    lines.append(
        f"cursor while articles are fetched and extracted in the background ({fetched} pages of "
        f"390 paragraphs asked for, each {site.delay:.0f} s away): {ms(during)} "
        f"({len(during)} presses)"
    )
    return lines


def articles(pty: bool = True, delay: float = 0.05) -> list[str]:
    lines = labelled_figures()
    with tempfile.TemporaryDirectory(prefix="articles-") as name, Site(delay=delay) as site:
        site.start()
        work = Path(name)
        env = {
            **os.environ,
            "NEWSREADER_CACHE_DIR": str(work / "cache"),
            "NEWSREADER_DATA_DIR": str(work / "data"),
            "NEWSREADER_CONFIG": str(work / "none.toml"),
        }
        lines += command_line_figures(site, env)
        lines += fetch_figures(site, env, work)
        if pty:  # pages that take a while: each fetch goes on after the cursor moved on
            with Site(delay=2.0) as slow:
                lines += pty_figures(slow.start(), work, env)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-pty", action="store_true", help="no reader in a pty")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds a page waits")
    args = parser.parse_args()
    for line in articles(not args.no_pty, args.delay):
        print(line, flush=True)


if __name__ == "__main__":
    main()
