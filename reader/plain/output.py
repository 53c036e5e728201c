"""Writing the plain reader's lines: appended, never redrawn; wrapped at the terminal's width (or
`COLUMNS`); colour only when asked for, and never with `NO_COLOR` or `TERM=dumb`."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TextIO

Kind = Literal["", "title", "dim", "heading", "warning"]
# Select Graphic Rendition codes, used only when colour was asked for.
_SGR: dict[Kind, str] = {"title": "1", "dim": "2", "heading": "1", "warning": "33"}
MIN_WIDTH = 20


@dataclass(frozen=True, slots=True)
class Line:
    """One line to write (wrapped if longer than the width): its text, what it is (for colour
    only: the words say it all), and how far its continuation lines are indented."""

    text: str
    kind: Kind = ""
    hang: int = 0


def colour_wanted(asked: bool, environ: Mapping[str, str]) -> bool:
    """Whether to colour: asked for, and neither `NO_COLOR` (https://no-color.org) nor a dumb
    terminal says otherwise."""
    return asked and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def terminal_width() -> int:
    """The terminal's width (`COLUMNS` first; 80 when there is no terminal)."""
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


def cells(text: str) -> int:
    """How many terminal cells `text` takes (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, hang: int = 0) -> list[str]:
    """`text` (one paragraph) cut into lines of at most `width` cells at spaces; a word longer
    than a line (a link) stays whole, for the terminal to fold. Continuation lines are
    indented by `hang` spaces, the first keeps its own indentation."""
    indent = " " * min(hang, width // 2)
    current = text[: len(text) - len(text.lstrip(" "))]
    used, fresh = len(current), True  # fresh: nothing but the indentation on the line yet
    lines: list[str] = []
    for word in text.split():
        size = cells(word)
        # A word no line could hold (a link) stays on its line, for the terminal to fold.
        if not fresh and used + 1 + size > width and len(indent) + size <= width:
            lines.append(current)
            current, used, fresh = indent, len(indent), True
        if fresh:
            current, used = current + word, used + size
        else:
            current, used = current + " " + word, used + 1 + size
        fresh = False
    lines.append(current)
    return lines


class Output:
    """Where the plain reader writes: a text stream, a line at a time."""

    def __init__(
        self, stream: TextIO, *, colour: bool = False, width: Callable[[], int] = terminal_width
    ) -> None:
        self.stream = stream
        self.colour = colour
        self.width = width

    def write(self, lines: Iterable[Line | str]) -> None:
        """Write the lines (each wrapped at the width) and flush: a reader at the other end
        of a pipe gets them at once."""
        width = self.width()
        parts: list[str] = []
        for line in lines:
            if isinstance(line, str):
                line = Line(line)
            for paragraph in line.text.split("\n"):
                for row in wrap(paragraph, width, line.hang) if paragraph else [""]:
                    parts.append(self._styled(row, line.kind))
        self.stream.write("".join(part + "\n" for part in parts))
        self.stream.flush()

    def say(self, text: str, kind: Kind = "") -> None:
        """Write one line (wrapped)."""
        self.write([Line(text, kind)])

    def _styled(self, text: str, kind: Kind) -> str:
        code = _SGR.get(kind) if self.colour else None
        return f"\x1b[{code}m{text}\x1b[0m" if code and text else text
