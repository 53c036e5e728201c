"""Making untrusted story text safe to show in a terminal (no Textual here)."""

from __future__ import annotations

import re

# C0 controls except TAB/LF, DEL, C1 controls; invisible format characters (zero-width spaces,
# word joiners, tag characters) and the bidi embedding/override/isolate marks that could reorder
# the text around them in the UI. The zero-width joiner stays: emoji sequences are built with it.
# Everything else is kept as text (right-to-left scripts, wide characters and emoji included).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000e0001\U000e0020-\U000e007f]"
)
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str) -> str:
    """Keep printable text and line breaks; drop terminal control and bidi-override characters.

    CR and CRLF become LF; tabs become spaces.
    """
    if value.isprintable():  # no line breaks, tabs or controls of any kind
        return value.strip()
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    value = value.translate(_LINE_BREAKS)
    value = _UNSAFE.sub("", value)
    return _BLANK_LINES.sub("\n\n", value).strip()


def strip_unsafe(value: str) -> str:
    """`value` without control, invisible-format and bidi-override characters; nothing else
    changed (spaces at the ends kept, for text that is joined to more text)."""
    return value if value.isprintable() else _UNSAFE.sub("", value)


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
