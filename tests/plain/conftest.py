"""The plain reader's fixtures: a small invented feed, and the reader run over pipes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_story

LEAD = "Harbour cranes learn to read the tide"
LEAD_COPY = "Harbour cranes learn to read the tide, port says"
PORT = "Port authority publishes crane trial results"
OUTSIDE = "Crane makers eye tidal software"  # only a related entry: not in the feed
LEAD_URL = "https://tidewatercourier.example/2021/03/04/harbour-cranes-tide"
PORT_URL = "https://quaysidedaily.example/ports/crane-trial-results"
OUTSIDE_URL = "https://cranetrade.example/tidal-software"
FILLERS = [  # (title, topic, quality): the rest of the list, below the three above
    ("Night trains return to the northern line", "Trains", 70),
    ("Snow closes the mountain pass for a week", "Weather", 65),
    ("Sleeper carriages get a new coat of paint", "Trains", 55),
    ("Fog delays the first ferry of the season", "Weather", 50),
    ("Signal upgrade finished ahead of schedule", "Trains", 45),
    ("Record rainfall fills the old reservoir", "Weather", 40),
    ("Station clock restored after forty years", "Trains", 35),
    ("Hailstorm dents cars in the harbour car park", "Weather", 30),
    ("Branch line reopens to weekend walkers", "Trains", 25),
    ("Mild winter leaves the ski lifts idle", "Weather", 20),
]
FILLER_TITLES = [title for title, _, _ in FILLERS]
ORDER = [LEAD, PORT, *FILLER_TITLES[:2], LEAD_COPY, *FILLER_TITLES[2:]]  # best first


def write_feed(folder: Path) -> Path:
    """Thirteen stories: the lead lists the port story (local) and one outside; the port story
    lists the lead back (a mention); a second provider's copy of the lead (coverage); ten
    others in two topics."""
    write_story(
        folder,
        "harbours/lead.md",
        title=LEAD,
        excerpt="A container terminal lets its cranes adjust to the tide table.",
        publishedDateTime="2021-03-04T09:30:00Z",
        webUrl=LEAD_URL,
        quality=95,
        heat=80,
        provider={"name": "Tidewater Courier", "domain": "tidewatercourier.example"},
        topics=["Harbours"],
        related=[
            {"title": PORT, "webUrl": PORT_URL, "provider": {"name": "Quayside Daily"}},
            {"title": OUTSIDE, "webUrl": OUTSIDE_URL, "provider": {"name": "Crane Trade"}},
        ],
    )
    write_story(
        folder,
        "harbours/copy.md",
        title=LEAD_COPY,
        excerpt="The container terminal lets its cranes adjust to the tide table, the port says.",
        publishedDateTime="2021-03-04T11:00:00Z",
        webUrl="https://harbourgazette.example/cranes-tide",
        quality=60,
        provider={"name": "Harbour Gazette"},
        topics=["Harbours"],
    )
    write_story(
        folder,
        "harbours/port.md",
        title=PORT,
        excerpt="The trial ran for six months.",
        publishedDateTime="2021-03-05T11:00:00Z",
        webUrl=PORT_URL,
        quality=80,
        provider={"name": "Quayside Daily"},
        topics=["Harbours"],
        related=[{"title": LEAD, "webUrl": LEAD_URL}],
    )
    for number, (title, topic, quality) in enumerate(FILLERS):
        write_story(
            folder,
            f"{topic.lower()}/{number:02}.md",
            title=title,
            excerpt=f"{title}.",
            publishedDateTime=f"2022-0{1 + number % 9}-1{number % 10}T08:00:00Z",
            webUrl=f"https://localnews.example/{number}",
            quality=quality,
            provider={"name": "Local News"},
            topics=[topic],
        )
    return folder


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """The invented feed, in a folder of its own."""
    return write_feed(tmp_path / "news")


def command(*arguments: str) -> list[str]:
    """`newsreader ARGUMENTS…` with this interpreter."""
    return [sys.executable, "-m", "reader", *arguments]


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment (the test's own cache, data and config folders) for a plain reader:
    wide lines, so that each line of a test's text is one line of output."""
    environ = {**os.environ, "COLUMNS": "400", **(extra or {})}
    for name in ("BROWSER", "NO_COLOR", "DISPLAY", "WAYLAND_DISPLAY"):
        if name not in (extra or {}):
            environ.pop(name, None)
    return environ


def plain(
    *arguments: str | Path, lines: str = "", env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`newsreader --plain ARGUMENTS…` with `lines` on its standard input, to its end."""
    return subprocess.run(
        command("--plain", *map(str, arguments)),
        input=lines,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment(env),
        timeout=120,
        check=False,
    )


class Piped:
    """A plain reader over pipes, kept running: lines sent one at a time, its output read as it
    comes (a thread reads it)."""

    patience = 60.0

    def __init__(self, *arguments: str | Path, env: Mapping[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            command("--plain", *map(str, arguments)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=environment(env),
        )
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    @property
    def text(self) -> str:
        with self.changed:
            return "\n".join(self.lines)

    def wait_for(self, text: str, after: int = 0) -> int:
        """Wait until a line (from line `after` on) holds `text`; its index."""
        deadline = time.monotonic() + self.patience
        with self.changed:
            while True:
                for index in range(after, len(self.lines)):
                    if text in self.lines[index]:
                        return index
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self.reader.is_alive()):
                    tail = "\n".join(self.lines[-15:])
                    raise TimeoutError(f"{text!r} never came; the output ends:\n{tail}")
                self.changed.wait(left)

    def send(self, line: str) -> int:
        """Type a line; the number of output lines before its answer."""
        with self.changed:
            count = len(self.lines)
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return count

    def close(self) -> int:
        """End the input; the exit status."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(self.patience)
        self.reader.join(self.patience)
        return code

    def __enter__(self) -> Piped:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def piped(news: Path) -> Iterator[type[Piped]]:
    """The `Piped` class, for a test that starts one."""
    yield Piped
