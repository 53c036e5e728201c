"""A memory soak: newsreader in a pseudo-terminal, keys sent in bursts, resident memory after each.

A fast reader's keys go to the reader as bursts (`--keys` at a time, `--rounds` times); after
each burst the soak waits until the reader has taken every key from the terminal, its screen has
been quiet for a moment (long enough for the idle garbage collector to have run) and it has
stopped using the processor, then reads VmRSS from /proc/PID/status. Each pattern runs in a
fresh reader on the same folder, whose index cache is warm.

In a burst, keys outrun the screen: Enter on a story and Enter again both reach the story list
before focus has moved to the related list, so a burst of `follow` mostly moves focus about. The
`follow-typed` run sends the same keys one at a time, each once the screen has answered the one
before, so that every Enter follows a related story and every Backspace goes back.

Usage: python benchmarks/soak.py [FOLDER] [--count 10000] [--keys 400] [--rounds 5]
       [--typed 200] [--mixed 5000] [--patterns cursor,follow,topics,follow-typed,mixed]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the benchmarks, and the repository (tests.pty)

from common import BenchTerminal, cpu_seconds, folder_of  # noqa: E402

QUIET = 2.5  # seconds without output after a burst: the idle collector (1 s + its 1 s tick) ran

KEYS = {
    "j": b"j",
    "k": b"k",
    "s": b"s",
    "[": b"[",
    "]": b"]",
    "Enter": b"\r",
    "Backspace": b"\x7f",
    "Tab": b"\t",
    "Shift+Tab": b"\x1b[Z",
    "Down": b"\x1b[B",
    "Up": b"\x1b[A",
}

PATTERNS: dict[str, str] = {
    "cursor": "j j k",
    "follow": "j Enter Enter Backspace Backspace Tab",  # follow a related story, back
    "topics": "Tab Tab Down Enter Tab",  # switch topic
}
TYPED = {"follow-typed": PATTERNS["follow"]}  # one key at a time, each after the screen's answer
FOLLOWED = re.compile(r"Trail [2-9]\d* of")  # the detail pane shows a followed story


@dataclass
class Soak:
    """Resident memory (MB) after loading, then after each burst of keys."""

    name: str
    keys: str
    per_round: int
    loaded_mb: float
    rounds: list[float]
    followed: int = 0  # screens that showed a followed story (at least)

    @property
    def growth_mb(self) -> float:
        """From the end of the first burst to the end of the last (the first is warm-up)."""
        return self.rounds[-1] - self.rounds[0] if self.rounds else 0.0

    def line(self) -> str:
        path = " → ".join(f"{mb:.0f}" for mb in [self.loaded_mb, *self.rounds])
        return (
            f"{self.name:<12} `{self.keys}` ×{self.per_round} keys/round: {path} MB "
            f"(after round 1: {self.growth_mb:+.1f} MB; followed stories on screen: "
            f"{self.followed:,})"
        )


class SoakTerminal(BenchTerminal):
    """The bench's terminal, which can also tell whether the reader has taken every key."""

    def __init__(self, folder: Path, cache_dir: Path, command: list[str] | None = None) -> None:
        super().__init__(folder, cache_dir, command)
        # The reader's side of the terminal, opened again: the bytes it has not read yet.
        self.tty = os.open(self.tty_name, os.O_RDWR | os.O_NOCTTY)
        os.set_blocking(self.master, False)  # a full terminal makes `send` read, not hang

    def unread(self) -> int:
        """Bytes written to the reader that it has not read yet."""
        packed = fcntl.ioctl(self.tty, termios.FIONREAD, struct.pack("i", 0))
        return int(struct.unpack("i", packed)[0])

    def rss_mb(self) -> float:
        """The reader's resident memory now."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        if found is None or self.process.poll() is not None:
            tail = self.text[-2000:]
            raise RuntimeError(f"the reader ended ({self.process.poll()}); its screen:\n{tail}")
        return int(found.group(1)) / 1024

    def send(self, keys: bytes) -> None:
        """Write `keys`, reading the screen meanwhile (a reader whose output is not read stops
        reading its input)."""
        view = memoryview(keys)
        while view:
            self.read(0)
            try:
                written = os.write(self.master, view[:64])
            except BlockingIOError:
                written = 0
            view = view[written:]
            if not written:
                self.read(0.01)

    def type_keys(self, keys: bytes, wait: float = 0.3) -> None:
        """Send `keys` one at a time, each once the screen has answered the one before (or
        `wait` seconds passed without an answer: a key that changes nothing on screen)."""
        for key in re.findall(rb"\x1b\[[A-Z]|.", keys, re.DOTALL):
            self.send(key)
            deadline = time.perf_counter() + 5.0
            while self.unread() and time.perf_counter() < deadline:
                self.read(0.005)
            if self.read(wait):
                while self.read(0.02):  # the rest of the answer
                    pass

    def cpu_seconds(self) -> float:
        """The reader's processor time so far (user and system)."""
        return cpu_seconds(self.process.pid)

    def settle(self, limit: float = 300.0) -> None:
        """Wait until the reader has read every key, its screen has been quiet for `QUIET`
        seconds and it has stopped working (a reader can still be going through a backlog of
        messages that change nothing on screen)."""
        deadline = time.perf_counter() + limit
        while self.unread():
            if time.perf_counter() > deadline:
                raise TimeoutError("the reader stopped reading its keys")
            self.read(0.05)
        quiet_since = time.perf_counter()
        cpu, cpu_at = self.cpu_seconds(), quiet_since
        while True:
            now = time.perf_counter()
            if now > deadline:
                raise TimeoutError("the reader never went quiet")
            if self.read(0.1):
                quiet_since = time.perf_counter()
            if now - cpu_at >= 0.5:  # idle: under a tenth of a processor over half a second
                used, cpu, cpu_at = self.cpu_seconds() - cpu, self.cpu_seconds(), now
                if used > 0.05:
                    quiet_since = now
            if now - quiet_since >= QUIET:
                return

    def quit(self) -> None:
        os.close(self.tty)
        super().quit()


def key_bytes(keys: list[str]) -> bytes:
    return b"".join(KEYS[key] for key in keys)


def bursts(pattern: str, per_round: int, rounds: int) -> Iterator[list[str]]:
    """`rounds` bursts of `per_round` keys, `pattern` repeated (and carried across bursts)."""
    keys = pattern.split()
    at = 0
    for _ in range(rounds):
        burst = [keys[(at + i) % len(keys)] for i in range(per_round)]
        at += per_round
        yield burst


def mixed(total: int, per_round: int, seed: int = 14) -> Iterator[list[str]]:
    """`total` keys, in bursts of `per_round`: the patterns above, order changes and trail steps,
    chosen at random (seeded) a whole pattern at a time."""
    rng = Random(seed)
    pieces = [*(p.split() for p in PATTERNS.values()), ["s"], ["]", "["], ["Shift+Tab"]]
    keys: list[str] = []
    while len(keys) < total:
        keys.extend(rng.choice(pieces))
    for start in range(0, total, per_round):
        yield keys[start : start + per_round]


def run(
    name: str,
    keys: str,
    folder: Path,
    cache: Path,
    plan: list[list[str]],
    command: list[str] | None = None,
    typed: bool = False,
) -> Soak:
    """One reader, loaded, then the bursts of `plan` (or its keys typed one at a time), with
    RSS after each."""
    size = sum(1 for _ in folder.rglob("*.txt"))
    done = re.compile(rf"{size:,} stories · \d[\d,]* skipped")
    term = SoakTerminal(folder, cache, command)
    try:
        term.wait_for(done, limit=600)
        term.wait_until(lambda text: text.rfind("indexing") < text.rfind(f"{size:,} stories"))
        term.settle()
        loaded = term.rss_mb()
        rounds = []
        followed = 0
        for burst in plan:
            start = len(term.text)
            if typed:
                term.type_keys(key_bytes(burst))
            else:
                term.send(key_bytes(burst))
            term.settle()
            rounds.append(term.rss_mb())
            answer = term.text[start:] if start <= len(term.text) else term.text  # cut: all
            followed += len(FOLLOWED.findall(answer))
        per_round = len(plan[0]) if plan else 0
        return Soak(name, keys, per_round, loaded, rounds, followed)
    finally:
        term.quit()


def soak(
    folder: Path,
    *,
    per_round: int = 400,
    rounds: int = 5,
    typed_round: int = 200,
    mixed_total: int = 5000,
    mixed_round: int = 500,
    patterns: list[str] | None = None,
    echo: bool = False,
    command: list[str] | None = None,
) -> list[Soak]:
    """Every pattern (by default the bursts, the typed run and the mixed run) on `folder`."""
    results = []
    names = patterns if patterns is not None else [*PATTERNS, *TYPED, "mixed"]
    with tempfile.TemporaryDirectory() as cache:
        warm = Path(cache)
        with contextlib.suppress(TimeoutError):  # a first run leaves the index cache warm
            run("warm-up", "", folder, warm, [], command)
        for name in names:
            if name == "mixed":
                if not mixed_total:
                    continue
                plan = list(mixed(mixed_total, mixed_round))
                result = run(name, "random mix", folder, warm, plan, command)
            elif name in TYPED:
                if not typed_round:
                    continue
                plan = list(bursts(TYPED[name], typed_round, rounds))
                result = run(name, TYPED[name], folder, warm, plan, command, typed=True)
            else:
                plan = list(bursts(PATTERNS[name], per_round, rounds))
                result = run(name, PATTERNS[name], folder, warm, plan, command)
            results.append(result)
            if echo:
                print(result.line(), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--count", type=int, default=10_000, help="stories, without FOLDER")
    parser.add_argument("--keys", type=int, default=400, help="keys per burst")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--typed", type=int, default=200, help="keys per round, typed (0: none)")
    parser.add_argument("--mixed", type=int, default=5000, help="keys of the mixed run (0: none)")
    parser.add_argument("--patterns", default=",".join([*PATTERNS, *TYPED, "mixed"]))
    parser.add_argument(
        "--script", type=Path, help="run this Python script with FOLDER instead of -m reader"
    )
    args = parser.parse_args()
    folder = args.folder or folder_of(args.count)
    print(f"soak: {folder}; resident memory (VmRSS) after loading, then after each burst")
    soak(
        folder,
        per_round=args.keys,
        rounds=args.rounds,
        typed_round=args.typed,
        mixed_total=args.mixed,
        patterns=args.patterns.split(","),
        echo=True,
        command=[sys.executable, str(args.script), str(folder)] if args.script else None,
    )


if __name__ == "__main__":
    main()
