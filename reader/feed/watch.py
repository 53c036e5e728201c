"""Watching a feed folder: which story files appeared, changed or went away (no Textual)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from reader.feed.cache import FileStamp
from reader.feed.walk import walk

Changed = Callable[[set[str]], None]
Known = Callable[[], set[str]]
POLL_SECONDS = 2.0


def watch_folder(
    folder: Path, stop: threading.Event, changed: Changed, known: Known | None = None
) -> None:
    """Call `changed` with the folder-relative paths of story files that changed, until `stop`.

    Uses the operating system's file events (watchfiles) when available, else polls every two
    seconds. Raises OSError if the folder goes away. With `known` (the files read so far),
    files that appeared or went away before the watch was in place are reported once it is:
    the load read the folder a while before (seconds, at 100,000 stories).
    """
    try:
        import watchfiles
    except ImportError:  # pragma: no cover - watchfiles is a dependency; this is a safety net
        _poll(folder, stop, changed)
        return
    caught_up = known is None
    root = os.fspath(folder)
    for changes in watchfiles.watch(
        root,
        stop_event=stop,
        debounce=400,
        step=100,
        recursive=True,
        ignore_permission_denied=True,
        raise_interrupt=False,
        # Every two seconds without events the loop comes round anyway: a folder removed
        # before its watch was set up is noticed too.
        rust_timeout=2000,
        yield_on_timeout=True,
    ):
        if not caught_up:  # the watch is in place (its first round came): what came before?
            caught_up = True
            assert known is not None
            missed = _since(folder, known())
            if missed:
                changed(missed)
        names = set()
        for _, path in changes:
            name = Path(os.path.relpath(path, root)).as_posix()
            if not any(part.startswith(".") for part in name.split("/")):
                names.add(name)
                if os.path.isdir(path):  # a folder came: its files may have come before its watch
                    names |= _under(folder, name)
        if names:
            changed(names)
        if not os.path.isdir(root):
            raise FileNotFoundError(f"the folder {folder} is gone")


def _under(folder: Path, name: str) -> set[str]:
    """The story files in the folder `name` of `folder` (moved in whole, or filled before the
    watch on it was in place: no event comes for those files)."""
    try:
        return {f"{name}/{inner}" for inner, _ in walk(folder / name)}
    except OSError:
        return set()


def _since(folder: Path, known: set[str]) -> set[str]:
    """The story files that appeared in `folder`, or went away, compared with `known`."""
    try:
        there = {name for name, _ in walk(folder)}
    except OSError:
        return set()
    return there ^ known


def _poll(
    folder: Path,
    stop: threading.Event,
    changed: Changed,
    before: dict[str, FileStamp] | None = None,
) -> None:
    if before is None:
        before = dict(walk(folder))
    while not stop.wait(POLL_SECONDS):
        started = time.monotonic()
        after = dict(walk(folder))
        names = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
        if names:
            changed(names)
        before = after
        stop.wait(time.monotonic() - started)  # a big folder: poll less often
