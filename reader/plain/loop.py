"""The plain reader's run: the folder loaded, its first page said, then one command a line from
standard input until `quit` or the end of input, with the folder's changes said between them.
Marks are saved as they are made, the place in the list at the end (and once it stands still)."""

from __future__ import annotations

import io
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TextIO

from reader.feed.folders import Folders
from reader.model.order import Order
from reader.model.scope import Scope
from reader.model.text import clean_line
from reader.plain.commands import run_line
from reader.plain.live import Inbox, Live
from reader.plain.output import Output, colour_wanted
from reader.plain.render import folder_line
from reader.plain.state import PlainReader
from reader.platform import paths
from reader.platform.browser import open_url
from reader.platform.clipboard import copy_text
from reader.platform.config import Config
from reader.session.session import Session

PROGRESS_EVERY = 5.0  # seconds between lines saying how a long first load goes
ENDINGS = (signal.SIGTERM, signal.SIGHUP) if sys.platform != "win32" else ()


def run_plain(
    folders: Sequence[Path],
    *,
    config: Config,
    config_file: Path | None = None,
    order: Order | None = None,
    topic: str | None = None,
    colour: bool = False,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    environ: Mapping[str, str] = os.environ,
    follow_changes: bool = True,
) -> int:
    """Read `folders` (several as one) with the plain reader; the exit status."""
    stdin, stdout = _tolerant(stdin or sys.stdin), _tolerant(stdout or sys.stdout)
    out = Output(stdout, colour=colour_wanted(colour, environ))
    session = Session(
        Folders.of(list(folders), cache_file=paths.index_cache, state_file=paths.state_file),
        config=config,
        order=order,
        scope=Scope.topic(topic) if topic else None,
        config_file=config_file,
    )
    inbox = Inbox()
    live = Live(session, inbox, out, typing=_is_terminal(stdin))
    reader = PlainReader(
        session,
        out,
        opener=lambda url: open_url(url, config.browser),
        copier=copy_text,
        settle=live.settle,
    )
    try:
        with _ended_by_signals() as ended:
            load(session, out)
            start(reader)
            if follow_changes:
                live.watch()
            live.group()
            inbox.read_lines(stdin)
            serve(reader, live, inbox, ended)
    finally:
        live.stop.set()
        warning = session.close()
        if warning:
            out.say(f"Warning: {clean_line(warning)}", "warning")
    return 0


def load(session: Session, out: Output, monotonic: Callable[[], float] = time.monotonic) -> None:
    """Read the whole folder in this thread (a long first read says how it goes, now and
    then)."""
    loader = session.loader
    loader.open()  # the index caches' best, and the load is under way
    said = monotonic()
    for step in loader.load_steps():
        loader.take(step)
        if step.total and not step.reload and monotonic() - said > PROGRESS_EVERY:
            out.say(f"Reading the folder: {step.done:,} of {step.total:,} files.")
            said = monotonic()


def start(reader: PlainReader) -> None:
    """The first lines: the folder and its counts, what the session had to say, the first
    page, and where the reader was last time."""
    reader.out.write([folder_line(reader.snapshot)])
    reader.tell_notices()
    reader.list_view(header=False)
    focus = reader.focus
    if focus is not None and focus in reader.listed:
        number = reader.listed.index(focus) + 1
        reader.out.say(f"Last time you were at story {number}: {clean_line(focus.title)}.")
    if reader.listed:  # the place saved at the end, until a story is read
        reader.session.navigation.at(focus or reader.listed[0], by_user=False)


def serve(
    reader: PlainReader, live: Live, inbox: Inbox, ended: Callable[[], bool] = lambda: False
) -> None:
    """Take commands and the folder's changes, one at a time, until `quit` or the end of
    input (or a signal that ends the reader)."""
    while not reader.done and not ended():
        kind, value = inbox.get()
        asked = kind == "line"
        if asked:
            run_line(reader, value)
        elif kind == "end" or (kind == "failed" and value[0] == "input"):
            if reader.question is not None:
                run_line(reader, "")  # no answer is a no
            reader.done = True
        else:
            live.take(kind, value)
        reader.session.tick()
        reader.tell_notices(unasked=live.typing and not asked)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _tolerant(stream: TextIO) -> TextIO:
    """The stream, with characters it cannot carry replaced rather than failing."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")
    return stream


@contextmanager
def _ended_by_signals() -> Iterator[Callable[[], bool]]:
    """SIGTERM and SIGHUP end the reader as `quit` does (marks and place saved): the signal
    only sets a flag the loop looks at (between commands, at least four times a second)."""
    caught: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    try:
        before = {signum: signal.signal(signum, note) for signum in ENDINGS}
    except ValueError:  # not the main thread: the signals are not ours to take
        before = {}
    try:
        yield lambda: bool(caught)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
