"""Reading one story file of a folder: the whole of it, its head, or its related entries on
demand (the reader reads a story's related list when the story is opened)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from reader.feed.parse import ParseResult, parse_story
from reader.feed.walk import os_reason
from reader.model.story import Problem, RelatedStory

MAX_FILE_BYTES = 64 * 1024 * 1024  # larger files are reported, not read


def read_story(
    folder: Path | str, name: str, *, head_only: bool = False, related_links: bool = True
) -> ParseResult:
    """Read and parse the file `name` (relative to `folder`); I/O failures become a problem."""
    try:
        data = read_bytes(folder, name)
    except FileNotFoundError:
        return ParseResult(problem=Problem(name, "file vanished while the folder was read"))
    except NotAFile as error:
        return ParseResult(problem=Problem(name, str(error)))
    except OSError as error:
        return ParseResult(problem=Problem(name, f"cannot read: {os_reason(error)}"))
    return parse_story(data, name, head_only=head_only, related_links=related_links)


def read_related(folder: Path, path: str) -> tuple[RelatedStory, ...]:
    """The related entries of one story file, fully parsed now (raises ValueError if it fails)."""
    result = read_story(folder, path)
    if result.story is None:
        raise ValueError(result.problem.reason if result.problem else "the file is not a story")
    return result.story.related


class NotAFile(OSError):
    """A path that is not a story file to read (its reason is the message)."""


def read_bytes(folder: Path | str, name: str) -> bytes:
    """The bytes of the file `name` (relative to `folder`); raises OSError (NotAFile for one
    that is not a regular file, or too large)."""
    with open(os.path.join(folder, name), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise NotAFile(f"file too large ({info.st_size // (1024 * 1024)} MiB)")
        # Ask for what fstat said (+1 to notice growth): a huge read size costs a huge buffer.
        data = handle.read(info.st_size + 1 if info.st_size else -1)
        if info.st_size and len(data) > info.st_size:  # it grew meanwhile: read the rest
            data += handle.read(MAX_FILE_BYTES - len(data))
    return data
