"""Memory of `newsreader serve` with several browser tabs open (not a test: a measurement).

    .venv/bin/python -m tests.serve.measure_tabs FOLDER [--tabs 10]

Starts `newsreader serve FOLDER --port 0` with a fresh cache and data folder, opens one tab
and waits for the folder to load (that builds the index cache, as a first visit does), closes
it, then opens the tabs at once, as the page does, and waits until each shows the whole folder
loaded. Then it reads the memory of the server and of every process under it (each tab's
reader and what the reader started) from /proc: RSS, and PSS (shared pages divided among the
processes that share them, so the sum is what the machine really spends). Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.serve.tab import Tab, wait_until

WIDTH, HEIGHT = 150, 42  # a browser window of about 1400 x 900 pixels at the page's font size


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                queue += [int(c) for c in (task / "children").read_text().split()]
    return found


def memory(pid: int) -> tuple[int, int, str]:
    """(RSS, PSS) in kB, and the process's command line, shortened."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    rss = int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1))  # type: ignore[union-attr]
    pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))  # type: ignore[union-attr]
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:90]
    return rss, pss, command


def readers(server: int) -> list[int]:
    """The reader processes (one per open tab) under the server."""
    found = []
    for pid in descendants(server):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"\0-m\0reader\0--\0" in command:
            found.append(pid)
    return found


def report(server: int, title: str) -> int:
    print(f"\n{title}")
    total_rss = total_pss = 0
    readers = []
    for pid in descendants(server):
        try:
            rss, pss, command = memory(pid)
        except OSError:
            continue
        total_rss += rss
        total_pss += pss
        if " -m reader -- " in command:
            readers.append(pss)
        print(f"  {pid:>7}  rss {rss / 1024:7.1f} MB  pss {pss / 1024:7.1f} MB  {command}")
    print(f"  all: {len(readers)} readers; RSS {total_rss / 1024:.0f} MB summed;")
    print(f"  PSS {total_pss / 1024:.0f} MB in all", end="")
    if readers:
        print(f", {sum(readers) / len(readers) / 1024:.0f} MB per reader process", end="")
    print()
    return total_pss


async def measure(folder: Path, tabs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(
            os.environ,
            NEWSREADER_CACHE_DIR=f"{scratch}/cache",
            NEWSREADER_DATA_DIR=f"{scratch}/data",
            NEWSREADER_CONFIG=f"{scratch}/none.toml",
        )
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "reader", "serve", str(folder), "--port", "0"),
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        assert process.stdout is not None
        said = b""
        while b"Ctrl+C" not in said:
            said += await process.stdout.readline()
        base = re.search(rb"http://127\.0\.0\.1:\d+", said).group(0).decode()  # type: ignore[union-attr]
        loaded = r"\b10,?000 stories"
        try:
            async with aiohttp.ClientSession() as client:
                started = time.monotonic()
                first = await Tab.open(client, base, WIDTH, HEIGHT)
                await first.wait_text(loaded, deadline=300)
                await first.wait(lambda: "indexing" not in first.text, "indexed", 300)
                print(f"first tab: folder loaded in {time.monotonic() - started:.1f} s (no cache)")
                await first.close()
                await wait_until(lambda: not readers(process.pid), "the first tab's reader ended")
                report(process.pid, "server, no tab open (after the first tab closed)")
                started = time.monotonic()
                opened = await asyncio.gather(
                    *(Tab.open(client, base, WIDTH, HEIGHT) for _ in range(tabs))
                )
                for tab in opened:
                    await tab.wait_text(loaded, deadline=300)
                    await tab.wait(lambda t=tab: "indexing" not in t.text, "indexed", 300)
                elapsed = time.monotonic() - started
                print(f"{tabs} tabs opened at once: all loaded in {elapsed:.1f} s")
                report(process.pid, f"{tabs} tabs, each with the folder loaded")
                for tab in opened:  # some use: the cursor down twenty stories, a search
                    await tab.press(*"j" * 20, "/", "r", "o", "b", "o", "t", "enter")
                for tab in opened:
                    await tab.wait_text(r"\bmatch")
                report(process.pid, f"{tabs} tabs, after 20 moves and a search in each")
                for tab in opened:
                    await tab.close()
        finally:
            process.send_signal(2)
            await process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--tabs", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(measure(args.folder.resolve(), args.tabs))


if __name__ == "__main__":
    main()
