"""Walking a feed folder: every candidate story file below it, with its size and mtime."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from reader.feed.cache import FileStamp
from reader.model.story import Problem


class FolderError(OSError):
    """The feed folder itself cannot be read."""


def walk(folder: Path, problems: list[Problem] | None = None) -> Iterator[tuple[str, FileStamp]]:
    """Every candidate story file below `folder`: (path relative to it, size and mtime).

    Sorted by name within each folder. Hidden files and folders are skipped; symlinked folders
    are followed once (loops end). Folders that cannot be listed are added to `problems`.
    Plain strings, not Path objects: this runs once per file of folders of 100,000.
    """
    seen: set[tuple[int, int]] = set()
    pending = [(os.fspath(folder), "")]
    while pending:
        current, prefix = pending.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            if not prefix:
                reason = error.strerror or str(error)
                raise FolderError(f"cannot read folder {folder}: {reason}") from error
            if problems is not None:
                problems.append(Problem(prefix.rstrip("/"), os_reason(error)))
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subfolders.append((entry.path, prefix + name + "/"))
                elif entry.is_file():
                    info = entry.stat()
                    yield prefix + name, FileStamp(info.st_size, info.st_mtime_ns)
            except OSError:
                continue  # vanished or a broken link: nothing to read
        pending.extend(reversed(subfolders))


def os_reason(error: OSError) -> str:
    """Why a file or folder could not be read, in a few words."""
    return error.strerror or error.__class__.__name__
