"""Making untrusted story text safe to show in a terminal (no Textual here)."""

from __future__ import annotations

import re

# C0 controls except TAB/LF, DEL, C1 controls, and bidi embedding/override/isolate
# marks that could reorder surrounding UI text. Everything else is kept as text.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str) -> str:
    """Keep printable text and line breaks; drop terminal control and bidi-override characters.

    CR and CRLF become LF; tabs become spaces.
    """
    if value.isprintable():  # no line breaks, tabs or controls of any kind
        return value.strip()
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    value = _UNSAFE.sub("", value)
    return _BLANK_LINES.sub("\n\n", value).strip()


def clean_line(value: str) -> str:
    """One line of safe text: control characters dropped, all whitespace runs folded to a space."""
    if value.isprintable() and "  " not in value:  # the common case, at C speed
        return value.strip()
    return _SPACES.sub(" ", _UNSAFE.sub("", value.replace("\r", " "))).strip()


def shorten(value: str, width: int) -> str:
    """Cut a line to at most `width` characters, marking the cut with an ellipsis."""
    if len(value) <= width:
        return value
    return value[: max(0, width - 1)] + "…"
