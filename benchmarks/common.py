"""What the benchmarks share: the generated folders, the bench's terminal (the one pty driver of
tests/pty/terminal.py, with the bench's window and an environment of its own), the screen's story
rows, percentiles, and a terminal that follows where the story list's cursor row is drawn.

Imported by the benchmarks, which put their own folder and the repository's on sys.path."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from generate import generate, is_current

from tests.pty.terminal import ANSI, Terminal, reader_command

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
SHARED_CORPUS = Path("/tmp/bench-after/benchmarks/corpus")  # made by an earlier `make bench`
ROW = re.compile(r"[│┃][★ ][● ]\s*-?\d{1,4} [▶≡ ] \S")
WIDTH, HEIGHT = 160, 48


def corpus(count: int) -> Path:
    """The generated folder of `count` stories, made if missing or stale."""
    folder = CORPUS / f"stories_{count}"
    if not is_current(folder, count, 1):
        print(f"generating {count:,} stories into {folder} …", flush=True)
        generate(folder, count, 1, force=True)
    return folder


def folder_of(count: int) -> Path:
    """A generated folder of `count` stories: an earlier bench's if current, else ours."""
    for base in (SHARED_CORPUS, CORPUS):
        folder = base / f"stories_{count}"
        if is_current(folder, count, 1):
            return folder
    folder = CORPUS / f"stories_{count}"
    print(f"generating {count:,} stories into {folder} …", flush=True)
    generate(folder, count, 1, force=True)
    return folder


def best_title(folder: Path) -> str:
    """The title of the story the list shows first (quality order), via the library itself."""
    from reader.library.build import scan_library

    return scan_library(folder).stories[0].title


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float:
    """A process's processor time so far (user and system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class BenchTerminal(Terminal):
    """newsreader (or `command`) in a WIDTHxHEIGHT pseudo-terminal, with the screen's text as it
    arrives; its cache, data and config under `cache_dir` (no marks or position of earlier runs
    unless that folder had them)."""

    def __init__(
        self,
        folder: Path,
        cache_dir: Path,
        command: list[str] | None = None,
        *,
        controlling: bool = False,
    ) -> None:
        env = {
            "NEWSREADER_CACHE_DIR": str(cache_dir / "cache"),
            "NEWSREADER_DATA_DIR": str(cache_dir / "data"),
            "NEWSREADER_CONFIG": str(cache_dir / "none.toml"),
        }
        super().__init__(
            command or reader_command(str(folder)),
            env=env,
            controlling=controlling,
            size=(WIDTH, HEIGHT),
        )


POSITION = re.compile(rb"\x1b\[(\d+);(\d+)H")
BACKGROUND = re.compile(rb"48;5;(\d+)m")


class ScreenTerminal(BenchTerminal):
    """The bench's terminal, which also follows where the story list's cursor row is drawn.

    Textual draws each line of a widget after a cursor-position sequence; a story row drawn
    with the background no other story row has is the cursor row. (A terminal emulator in
    Python reads the screen too slowly to time a key in milliseconds.)
    """

    def __init__(self, folder: Path, cache_dir: Path) -> None:
        self.undrawn = b""  # output not yet split into drawn lines
        self.backgrounds: dict[int, frozenset[int]] = {}  # line -> colours of its last drawing
        self.cursor_colour: int | None = None
        self.cursor: tuple[int, str] | None = None  # the last cursor row drawn: line, text
        super().__init__(folder, cache_dir)

    def received(self, chunk: bytes) -> None:
        self.undrawn += chunk
        parts = POSITION.split(self.undrawn)  # text, line, column, text, line, column, text, ...
        if len(parts) < 4:
            return
        cut = self.undrawn.rindex(b"\x1b[", 0, len(self.undrawn) - len(parts[-1]))
        self.undrawn = self.undrawn[cut:]
        for at in range(1, len(parts) - 3, 3):
            line, drawn = int(parts[at]), parts[at + 2]
            text = ANSI.sub(b"", drawn).decode("utf-8", "replace")
            if ROW.match(text):
                colours = frozenset(map(int, BACKGROUND.findall(drawn)))
                self.backgrounds[line] = colours
                if self.cursor_colour is not None and self.cursor_colour in colours:
                    self.cursor = (line, text)

    def find_cursor(self) -> None:
        """Learn the cursor row's colour: the one colour of a single story row on screen."""
        rows = list(self.backgrounds.values())
        alone = {c for colours in rows for c in colours if sum(c in o for o in rows) == 1}
        if len(alone) != 1:
            raise RuntimeError(f"no single cursor colour among the story rows: {alone}")
        self.cursor_colour = alone.pop()

    def idle(self, limit: float = 300.0) -> None:
        """Wait until the screen is quiet and the reader uses under a tenth of a processor."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            before = cpu_seconds(self.process.pid)
            quiet = not self.read(1.0)
            while self.read(0.05):
                quiet = False
            if quiet and cpu_seconds(self.process.pid) - before < 0.1:
                return
        raise TimeoutError("the reader never went idle")

    def move_cursor(self, keys: bytes, limit: float = 3.0) -> float:
        """Milliseconds from writing `keys` until the cursor row is drawn somewhere else (or
        with another story in it, once the list scrolls)."""
        before = self.cursor
        sent = time.perf_counter()
        os.write(self.master, keys)
        deadline = sent + limit
        while time.perf_counter() < deadline:
            if self.read(deadline - time.perf_counter()) and self.cursor != before:
                return (self.arrived - sent) * 1000
        raise TimeoutError(f"the cursor did not move after {keys!r} within {limit:.0f} s")
