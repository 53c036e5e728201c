"""`make bench`: how long `newsreader check` takes on generated folders, as whole processes.

Usage: python benchmarks/bench.py [--sizes 1000,10000] [--runs 3]
Folders are generated once into benchmarks/corpus/ (deterministic, reused while current).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate, is_current  # noqa: E402

CORPUS = HERE / "corpus"


def corpus(count: int) -> Path:
    """The generated folder of `count` stories, made if missing or stale."""
    folder = CORPUS / f"stories_{count}"
    if not is_current(folder, count, 1):
        print(f"generating {count:,} stories into {folder} …", flush=True)
        generate(folder, count, 1, force=True)
    return folder


def timed_run(args: list[str]) -> float:
    """Wall-clock seconds of one whole process."""
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    newsreader = [sys.executable, "-m", "reader"]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print()
    print(f"{'stories':>9} | {'check (median s)':>17} | {'min s':>7} | {'peak RSS MB':>11}")
    print(f"{'-' * 9}-+-{'-' * 17}-+-{'-' * 7}-+-{'-' * 11}")
    for size in sizes:
        folder = corpus(size)
        times = [timed_run([*newsreader, "check", str(folder), "--json"]) for _ in range(args.runs)]
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{size:>9,} | {statistics.median(times):>17.2f} | {min(times):>7.2f} | {peak:>11.0f}"
        )


if __name__ == "__main__":
    main()
