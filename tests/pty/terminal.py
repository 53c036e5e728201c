"""The reader run as `python -m reader FOLDER` in a pseudo-terminal that is its controlling
terminal (so closing it hangs the reader up, as closing a terminal window does), with the screen's
text as it arrives, and a look into the index cache and the state file from outside."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

from reader.platform import paths

ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")
WIDTH, HEIGHT = 120, 40
ENTER_SCREEN, LEAVE_SCREEN = b"\x1b[?1049h", b"\x1b[?1049l"  # the alternate screen


def _take_terminal() -> None:  # in the child, after setsid: the pty becomes its terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Reader:
    """One run of the reader. The cache and data folders come from the environment (the test
    suite gives every test its own)."""

    def __init__(
        self, folder: Path, *, controlling: bool = True, arguments: list[str] | None = None
    ) -> None:
        """`controlling`: the pty is the reader's controlling terminal (as a terminal window's
        is); else closing it sends the reader no SIGHUP. `arguments`: the command line's,
        instead of the folder."""
        self.folder = folder
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        env.pop("BROWSER", None)
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reader",
                *(arguments if arguments is not None else [str(folder)]),
            ],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=_take_terminal if controlling else None,
        )
        os.close(slave)
        self.raw = bytearray()  # everything the reader wrote
        self.text = ""  # the same without escape sequences
        self._pending = b""
        self.closed = False
        self.left_nothing: bool | None = None  # after `end(…, check_processes=True)`

    def read(self, timeout: float) -> bool:
        """Take what the reader wrote within `timeout` seconds; False if nothing came."""
        if self.closed:  # the window is gone: nothing more will come
            return False
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 20)
        except OSError:  # the reader is gone (EIO)
            return False
        if not chunk:
            return False
        self.raw += chunk
        data = self._pending + chunk
        cut = data.rfind(b"\x1b")
        if cut >= 0 and not ANSI.match(data, cut):  # an escape sequence split across reads
            data, self._pending = data[:cut], data[cut:]
        else:
            self._pending = b""
        self.text += ANSI.sub(b"", data).decode("utf-8", "replace")
        return True

    def wait_for(self, fact: Callable[[], bool], what: str, limit: float = 60.0) -> float:
        """Keep reading the screen until `fact()` holds; the seconds since the start."""
        deadline = time.monotonic() + limit
        while not fact():
            if time.monotonic() > deadline:
                tail = self.text[-600:]
                raise AssertionError(f"{what}: not within {limit:.0f}s; screen ends {tail!r}")
            if self.process.poll() is not None and not self.read(0):
                raise AssertionError(f"{what}: the reader ended ({self.process.returncode})")
            self.read(0.02)
        return time.monotonic() - self.started

    def shows(self, text: str) -> Callable[[], bool]:
        """A fact for `wait_for`: `text` is on the screen."""
        return lambda: text in self.text

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def end(self, how: str, limit: float = 30.0, check_processes: bool = False) -> int:
        """End the reader: "q", "SIGTERM", "SIGHUP", "SIGKILL", or "close" (the terminal
        window closes: the pty's other side goes away). Its exit code (-N: killed by signal N).
        `check_processes`: then see whether its parsing workers went too (`left_nothing`)."""
        if how == "q":
            self.press(b"q")
        elif how == "close":
            os.close(self.master)
            self.closed = True
        else:
            os.kill(self.process.pid, getattr(signal, how))
        deadline = time.monotonic() + limit
        if self.closed:  # no terminal left to read: wait for the process itself
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(limit)
        # Keep reading, as a terminal does: a program whose output is not read cannot exit.
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.02)
        while self.read(0):
            pass
        if self.process.poll() is None:
            self.kill()
            raise AssertionError(f"the reader did not end within {limit:.0f}s of {how}")
        if check_processes:
            self.left_nothing = self.leaves_no_process()
        return self.process.returncode

    def leaves_no_process(self, limit: float = 10.0) -> bool:
        """Whether every process the reader started (its parsing workers: they share its
        process group) is gone within `limit` seconds of its end."""
        deadline = time.monotonic() + limit
        while _living_in_group(self.process.pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def kill(self) -> None:
        """Make sure the reader and its parsing processes are gone."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if not self.closed:
            os.close(self.master)
            self.closed = True

    def restored_the_terminal(self) -> bool:
        """Whether the reader left the alternate screen as its last act on the screen."""
        left = self.raw.rfind(LEAVE_SCREEN)
        return left > self.raw.rfind(ENTER_SCREEN) and not ANSI.sub(b"", self.raw[left:]).strip()


def _living_in_group(group: int) -> list[int]:
    """The processes of a process group that are not zombies (Linux: from /proc)."""
    living = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (command) "
        if int(fields[2]) == group and fields[0] != "Z":
            living.append(int(entry.name))
    return living


def _read_only(file: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=1.0)


def cached_rows(folder: Path) -> dict[str, int]:
    """{path: rowid} of the folder's index cache as committed now (empty if there is none yet).
    A file parsed again gets a new rowid (its row is replaced)."""
    file = paths.index_cache(folder)
    if not file.exists():
        return {}
    try:
        with contextlib.closing(_read_only(file)) as db:
            return dict(db.execute("SELECT path, rowid FROM files"))
    except sqlite3.Error:  # not made yet, or being made
        return {}


def unlinked_rows(folder: Path) -> set[str]:
    """Cached stories whose related links are not read yet."""
    with contextlib.closing(_read_only(paths.index_cache(folder))) as db:
        return {path for (path,) in db.execute("SELECT path FROM files WHERE keys IS NULL")}


def best_cached_title(folder: Path) -> str:
    """The title of the best story in the folder's index cache."""
    from reader.feed.load import cached_best

    best = cached_best(paths.index_cache(folder))
    assert best and best[0].story is not None
    return best[0].story.title


def saved_position(folder: Path) -> dict[str, str]:
    """The position the reader saved for the folder (topic, order, reverse, story)."""
    file = paths.state_file(folder)
    if not file.exists():
        return {}
    with contextlib.closing(_read_only(file)) as db:
        rows = db.execute("SELECT key, value FROM meta WHERE key LIKE 'position.%'")
        return {key.removeprefix("position."): value for key, value in rows}
