"""Coverage grouping measured (issue 12): how right it is, how fast, how much memory it takes.

1. The labelled set (tests/fixtures/coverage: invented stories, labels.toml): pair precision,
   recall and F1 of the groups against the labelled events, for the whole method and for the
   method without the editors' related links; and whether each look-alike kind stays apart.
2. A generated folder of 100,000 stories (benchmarks/generate.py, seed 1), loaded first (its
   index cache kept beside it in benchmarks/corpus/): the time `for_library` takes to group it
   (every run, and the median), in this process's one thread; the memory grouping adds, as the
   growth of resident memory at its peak (the high-water mark, reset first) and once done, and
   as tracemalloc sees it (peak, and what the coverage keeps); and the time of an update of ten
   changed stories (`Coverage.updated`) against grouping everything again; the memory a
   coverage keeps when every story is grouped (in pairs); and the warm start: `coverage_of` on
   the same library twice, with a copy of its index cache, the second call finding the groups
   the first one kept there.

`make bench` prints the same figures (`figures`) after its burst, in a process of their own.

Usage: python benchmarks/grouping.py [--count 100000] [--repeat 3] [--no-trace] [--no-big]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sqlite3
import statistics
import sys
import tempfile
import time
import tomllib
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate, is_current  # noqa: E402

from reader.library.build import load_library, scan_library  # noqa: E402
from reader.library.coverage.cache import coverage_of  # noqa: E402
from reader.library.coverage.groups import Coverage, for_library, group  # noqa: E402
from reader.library.library import Library  # noqa: E402

LABELLED = HERE.parent / "tests" / "fixtures" / "coverage"
CORPUS = HERE / "corpus"
TARGET_PRECISION, TARGET_RECALL = 0.95, 0.8
TARGET_SECONDS, TARGET_MB = 10.0, 50.0


def labelled() -> None:
    """Pair precision and recall on the labelled set."""
    library = load_library(LABELLED / "feed", workers=1)
    labels = tomllib.loads((LABELLED / "labels.toml").read_text(encoding="utf-8"))
    event = {path: e["name"] for e in labels["event"] for path in e["stories"]}
    truth = _pairs(tuple(e["stories"]) for e in labels["event"])
    print(
        f"labelled set: {len(library)} stories, {len(labels['event'])} labelled events, "
        f"{len(truth)} pairs of stories that report one event"
    )
    methods: list[tuple[str, Callable[[], Coverage]]] = [
        ("headlines, excerpts, dates and related links", lambda: for_library(library)),
        (
            "the same without related links",
            lambda: group(library.stories, related_ids=lambda _: b"", resolve=lambda _: None),
        ),
    ]
    for name, method in methods:
        coverage = method()
        found = _pairs(g.paths for g in coverage.groups())
        right = len(found & truth)
        precision = right / len(found) if found else 1.0
        recall = right / len(truth)
        f1 = 2 * precision * recall / (precision + recall) if right else 0.0
        print(
            f"  {name}: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
            f"({right} of {len(found)} pairs found right; {len(coverage)} groups)"
        )
        if method is methods[0][1]:
            verdict = (
                "meets" if precision >= TARGET_PRECISION and recall >= TARGET_RECALL else "MISSES"
            )
            targets = f"precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}"
            print(f"    {verdict} the targets ({targets})")
            for kind in labels["apart"]:
                names = set(kind["events"])
                mixed = [
                    g for g in coverage.groups() if len({event.get(p) for p in g.paths} & names) > 1
                ]
                state = "apart" if not mixed else f"MIXED in {len(mixed)} groups"
                print(f"    look-alikes, {kind['kind']}: {len(names)} events {state}")


def _pairs(groups: Iterable[Sequence[str]]) -> set[frozenset[str]]:
    return {frozenset(pair) for paths in groups for pair in itertools.combinations(paths, 2)}


def big(count: int, repeat: int, trace: bool) -> None:
    """Time and memory of grouping a generated folder."""
    folder = CORPUS / f"stories_{count}"
    if not is_current(folder, count, 1):
        print(f"generating {count:,} stories into {folder} …", flush=True)
        generate(folder, count, 1, force=True)
    index_cache = CORPUS / f"stories_{count}.coverage-cache.sqlite"
    started = time.perf_counter()
    library = scan_library(folder, cache_file=index_cache)
    print(f"\n{len(library):,} generated stories loaded in {time.perf_counter() - started:.1f} s")
    gc.collect()

    # Resident memory first, while the heap holds nothing freed by earlier runs.
    peak_rss, kept_rss = _rss_growth(lambda: for_library(library))
    seconds = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        coverage = for_library(library)
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    runs = ", ".join(f"{s:.2f}" for s in seconds)
    verdict = "within" if median <= TARGET_SECONDS else "OVER"
    print(
        f"grouping: {runs} s (median {median:.2f} s; {verdict} the {TARGET_SECONDS:.0f} s target)"
    )
    rows = len(coverage.to_rows())
    print(f"  {len(coverage):,} groups of {coverage.grouped:,} stories ({rows:,} rows to cache)")
    if peak_rss is not None and kept_rss is not None:
        verdict = "within" if peak_rss <= TARGET_MB else "OVER"
        print(
            f"  resident memory: +{peak_rss:.1f} MB at the peak, +{kept_rss:.1f} MB kept "
            f"({verdict} the {TARGET_MB:.0f} MB target)"
        )
    if trace:
        del coverage
        gc.collect()
        tracemalloc.start()
        coverage = for_library(library)
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  tracemalloc: {peak / 1e6:.1f} MB at the peak, {kept / 1e6:.1f} MB kept")
    _update(library, coverage)
    _worst_case_kept(library)
    _warm_start(library, index_cache, coverage)


def _warm_start(library: Library, index_cache: Path, coverage: Coverage) -> None:
    """`coverage_of` twice on the same library, with a copy of its index cache (the copy
    starts without groups unless the original has some): the first call works the groups out
    and keeps them, as a first start does; the second, as a warm start, reads them back."""
    calls = []
    with tempfile.TemporaryDirectory() as work:
        cache_file = Path(work) / "index.sqlite3"
        _copy_database(index_cache, cache_file)
        for _ in range(2):
            gc.collect()
            started = time.perf_counter()
            grouped = coverage_of(library, cache_file)
            calls.append((time.perf_counter() - started, grouped))
    (first, cold), (second, warm) = calls
    source = "from the cache" if warm.cached else "NOT from the cache"
    before = "also from the cache" if cold.cached else "grouped and kept them"
    same = cold.coverage == warm.coverage == coverage
    print(
        f"warm start: a second coverage_of on the same {len(library):,} stories took its groups "
        f"{source} in {second:.2f} s (the first {before} in {first:.2f} s; "
        f"{'the same groups' if same else 'DIFFERENT groups'})"
    )
    for notice in dict.fromkeys(filter(None, (cold.notice, warm.notice))):
        print(f"  {notice}")


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite file (with what its write-ahead log holds); none when
    there is no such file. (Read-write: a read-only reader would leave the log behind.)"""
    if not source.is_file():
        return
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def figures(
    count: int = 100_000, repeat: int = 3, trace: bool = False, big_too: bool = True
) -> None:
    """Every figure of this module: the labelled set, then (unless not `big_too`) the
    generated folder of `count` stories, with the tracemalloc run if `trace`."""
    labelled()
    if big_too:
        big(count, repeat, trace)
    sys.stdout.flush()


def _worst_case_kept(library: Library) -> None:
    """What a coverage keeps when every story is grouped (in pairs), built from cache rows."""
    paths = [story.path for story in library.stories]  # the library's own strings, shared
    rows = [(path, f"{n // 2:012x}", n % 2) for n, path in enumerate(paths)]
    gc.collect()
    tracemalloc.start()
    coverage = Coverage.from_rows(rows)
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"every story grouped ({len(coverage):,} groups of two, from cache rows): "
        f"{kept / 1e6:.1f} MB kept, {peak / 1e6:.1f} MB at the peak"
    )


def _update(library: Library, coverage: Coverage) -> None:
    """Ten stories change (new headlines): `updated` against grouping everything again."""
    step = max(1, len(library) // 10)
    changed = [
        replace(story, title=story.title + " (corrected)") for story in library.stories[::step][:10]
    ]
    paths = {story.path for story in changed}
    stories = [s for s in library.stories if s.path not in paths] + changed
    related_ids, resolve = library.related_ids, library._by_url.get
    started = time.perf_counter()
    after = coverage.updated(
        stories, removed=paths, added=changed, related_ids=related_ids, resolve=resolve
    )
    update = time.perf_counter() - started
    started = time.perf_counter()
    whole = group(stories, related_ids=related_ids, resolve=resolve)
    regroup = time.perf_counter() - started
    same = "the same groups" if after == whole else "DIFFERENT groups"
    print(
        f"update of {len(changed)} changed stories: {update:.2f} s "
        f"(grouping all again: {regroup:.2f} s; {same})"
    )


def _rss_growth(work: Callable[[], object]) -> tuple[float | None, float | None]:
    """(peak, kept) growth of resident memory in MB while `work` runs, or Nones where Linux's
    high-water mark cannot be reset."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS
    except OSError:
        return None, None
    before = _status("VmRSS")
    result = work()
    peak, after = _status("VmHWM"), _status("VmRSS")
    del result
    return (peak - before) / 1024, (after - before) / 1024


def _status(field: str) -> int:
    """A field of /proc/self/status, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="generated stories to group")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the grouping")
    parser.add_argument("--no-trace", action="store_true", help="skip the (slow) tracemalloc run")
    parser.add_argument("--no-big", action="store_true", help="only the labelled set")
    args = parser.parse_args()
    figures(args.count, args.repeat, not args.no_trace, not args.no_big)


if __name__ == "__main__":
    main()
