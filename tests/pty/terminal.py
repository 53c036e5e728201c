"""A program in a pseudo-terminal, its screen's text as it arrives: the one driver of the pty
tests (`Reader`: the pty is the reader's controlling terminal, so closing it hangs the reader up, as
closing a window does) and of the benchmarks; and a look into the index cache and state file."""

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
from collections.abc import Callable, Mapping
from pathlib import Path

from reader.platform import paths

ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")
WIDTH, HEIGHT = 120, 40
ENTER_SCREEN, LEAVE_SCREEN = b"\x1b[?1049h", b"\x1b[?1049l"  # the alternate screen
TEXT_LIMIT, TEXT_KEPT = 4_000_000, 1_000_000  # past the limit, only the kept end of the text
Fact = Callable[[], bool] | str | re.Pattern[str]  # a fact for `wait_for`, or what is on screen


def reader_command(*arguments: str) -> list[str]:
    """`python -m reader ARGUMENTS…` with this interpreter."""
    return [sys.executable, "-m", "reader", *arguments]


def _take_terminal() -> None:  # in the child, after setsid: the pty becomes its terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """One run of `command` in a pty, in a session and process group of its own. `env`: added to
    this environment (TERM=xterm-256color and no BROWSER, unless `env` says otherwise);
    `controlling`: the pty is its controlling terminal (closing it sends SIGHUP); `size`:
    columns, lines; `keep_raw`: keep every byte in `raw` (long runs had better not). `text`: the
    output without escape sequences, 4 MB at most."""

    tick = 0.05  # seconds of each read while waiting for something on screen
    patience = 120.0  # seconds `wait_for` and `wait_until` wait by default

    def __init__(
        self,
        command: list[str],
        *,
        env: Mapping[str, str] | None = None,
        controlling: bool = False,
        size: tuple[int, int] = (WIDTH, HEIGHT),
        keep_raw: bool = False,
    ) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.tty_name = os.ttyname(slave)  # the program's side (the soak asks what it has read)
        environ = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        if "BROWSER" not in (env or {}):
            environ.pop("BROWSER", None)
        self.start = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environ,
            start_new_session=True,
            preexec_fn=_take_terminal if controlling else None,
        )
        os.close(slave)
        self.keep_raw = keep_raw
        self.raw = bytearray()  # everything the program wrote (with `keep_raw`)
        self.text = ""  # the same without escape sequences
        self._pending = b""  # the start of an escape sequence split across reads
        self.arrived = 0.0  # when the last output arrived
        self.peak_rss_mb = 0.0  # the program's peak resident memory as last sampled
        self.closed = False
        self.left_nothing: bool | None = None  # after `end(…, check_processes=True)`

    def read(self, timeout: float) -> bool:
        """Take what the program wrote within `timeout` seconds; False if nothing came."""
        if self.closed:  # the window is gone: nothing more will come
            return False
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 20)
        except OSError:  # the program is gone (EIO)
            return False
        if not chunk:
            return False
        self.arrived = time.perf_counter()  # before this side's own processing of the text
        self.received(chunk)
        if self.keep_raw:
            self.raw += chunk
        data = self._pending + chunk
        cut = data.rfind(b"\x1b")
        if cut >= 0 and not ANSI.match(data, cut):  # an escape sequence split across reads
            data, self._pending = data[:cut], data[cut:]
        else:
            self._pending = b""
        self.text += ANSI.sub(b"", data).decode("utf-8", "replace")
        if len(self.text) > TEXT_LIMIT:
            self.text = self.text[-TEXT_KEPT:]
        self.sample_memory()
        return True

    def received(self, chunk: bytes) -> None:
        """The program's output as it came (a subclass may keep a screen of it)."""

    def sample_memory(self) -> None:
        """Note the program's peak resident memory so far (VmHWM) in `peak_rss_mb`."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            self.peak_rss_mb = max(self.peak_rss_mb, int(found.group(1)) / 1024)

    def wait_for(self, fact: Fact, what: str = "", limit: float | None = None) -> float:
        """Keep reading until `fact()` holds, or the text or pattern `fact` is on screen; the
        seconds since the start. TimeoutError past `limit` seconds or once the program ended."""
        if isinstance(fact, str | re.Pattern):
            what, fact = what or repr(fact), self.shows(fact)
        limit = self.patience if limit is None else limit
        deadline = time.perf_counter() + limit
        while not fact():
            if time.perf_counter() > deadline:
                tail = self.text[-600:]
                raise TimeoutError(f"{what}: not within {limit:.0f}s; screen ends {tail!r}")
            if self.process.poll() is not None and not self.read(0):
                raise TimeoutError(f"{what}: the program ended ({self.process.returncode})")
            self.read(self.tick)
        return time.perf_counter() - self.start

    def wait_until(self, test: Callable[[str], bool], limit: float | None = None) -> float:
        """Keep reading until `test(the screen's text so far)` holds; the seconds since start."""
        return self.wait_for(lambda: test(self.text), "the screen never settled", limit)

    def shows(self, text: str | re.Pattern[str]) -> Callable[[], bool]:
        """A fact for `wait_for`: `text` (or a match of the pattern) is on the screen."""
        if isinstance(text, str):
            return lambda: text in self.text
        return lambda: text.search(self.text) is not None

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

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

    def end(self, how: str, limit: float = 30.0, check_processes: bool = False) -> int:
        """End the program: "q", "SIGTERM", "SIGHUP", "SIGKILL", or "close" (the terminal
        window closes: the pty's other side goes away). Its exit code (-N: killed by signal N);
        killed and TimeoutError if it has not ended within `limit` seconds. `check_processes`:
        then see whether its parsing workers went too (`left_nothing`)."""
        if how == "q":
            self.press(b"q")
        elif how == "close":
            os.close(self.master)
            self.closed = True
        else:
            os.kill(self.process.pid, getattr(signal, how))
        self._outlive(limit)
        while self.read(0):
            pass
        if self.process.poll() is None:
            self.kill()
            raise TimeoutError(f"the program did not end within {limit:.0f}s of {how}")
        if check_processes:
            self.left_nothing = self.leaves_no_process()
        return self.process.returncode

    def quit(self, limit: float = 30.0) -> None:
        """Press q; kill the process group if the program has not gone within `limit` seconds."""
        with contextlib.suppress(OSError):
            os.write(self.master, b"q")
        self._outlive(limit)
        if self.process.poll() is None:
            self.kill()
        elif not self.closed:
            os.close(self.master)
            self.closed = True

    def _outlive(self, limit: float) -> None:
        """Wait up to `limit` seconds for the program to end, reading meanwhile, as a terminal
        does: a program whose output is not read cannot exit."""
        if self.closed:  # no terminal left to read: wait for the process itself
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(limit)
            return
        deadline = time.perf_counter() + limit
        while self.process.poll() is None and time.perf_counter() < deadline:
            self.read(self.tick)

    def leaves_no_process(self, limit: float = 10.0) -> bool:
        """Whether every process of its group (the reader's parsing workers) is gone within
        `limit` seconds of its end."""
        deadline = time.perf_counter() + limit
        while _living_in_group(self.process.pid):
            if time.perf_counter() > deadline:
                return False
            time.sleep(0.05)
        return True

    def kill(self) -> None:
        """Make sure the program and its parsing processes are gone, and the pty closed."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if not self.closed:
            os.close(self.master)
            self.closed = True

    def restored_the_terminal(self) -> bool:
        """Whether the program left the alternate screen as its last act on the screen."""
        assert self.keep_raw, "restored_the_terminal needs keep_raw=True"
        left = self.raw.rfind(LEAVE_SCREEN)
        return left > self.raw.rfind(ENTER_SCREEN) and not ANSI.sub(b"", self.raw[left:]).strip()


class Reader(Terminal):
    """One run of the reader, as the tests drive it. The cache and data folders come from the
    environment (the test suite gives every test its own)."""

    tick = 0.02
    patience = 60.0

    def __init__(
        self, folder: Path, *, controlling: bool = True, arguments: list[str] | None = None
    ) -> None:
        """`controlling`: the pty is the reader's controlling terminal (as a terminal window's
        is); else closing it sends the reader no SIGHUP. `arguments`: the command line's,
        instead of the folder."""
        self.folder = folder
        command = reader_command(*(arguments if arguments is not None else [str(folder)]))
        super().__init__(command, controlling=controlling, keep_raw=True)


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
