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
POLL_SECONDS = 2.0


def watch_folder(folder: Path, stop: threading.Event, changed: Changed) -> None:
    """Call `changed` with the folder-relative paths of story files that changed, until `stop`.

    Uses the operating system's file events (watchfiles) when available, else polls every two
    seconds. Raises OSError if the folder goes away.
    """
    try:
        import watchfiles
    except ImportError:  # pragma: no cover - watchfiles is a dependency; this is a safety net
        _poll(folder, stop, changed)
        return
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
        names = set()
        for _, path in changes:
            name = Path(os.path.relpath(path, root)).as_posix()
            if not any(part.startswith(".") for part in name.split("/")):
                names.add(name)
        if names:
            changed(names)
        if not os.path.isdir(root):
            raise FileNotFoundError(f"the folder {folder} is gone")


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
