"""Folding text for matching: compatibility forms split (NFKD), accents dropped, case folded
(no Textual, no I/O). The query language folds stories and queries with it, and the kept
articles' full-text index folds the articles and `text:` words with it too, so that both sides
match alike."""

from __future__ import annotations

import re
import unicodedata

# Combining marks (accents), dropped after NFKD splits them off their letters: every one lies
# below U+20000. Fixed patterns made of code points, never of user text; built once at import.
_MARKS = [code for code in range(0x20000) if unicodedata.combining(chr(code))]


def _character_class(codes: list[int]) -> str:
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(chr(low) if low == high else f"{chr(low)}-{chr(high)}" for low, high in ranges)


# Marks of the first plane in one class, which `re` tests with a bitmap (several times faster
# than `str.translate`); those beyond are rare, looked for only in text that reaches past it.
_PLANE_MARKS = re.compile(f"[{_character_class([c for c in _MARKS if c < 0x10000])}]+")
_BEYOND_PLANE = re.compile("[\U00010000-\U0010ffff]")
_BEYOND_MARKS = dict.fromkeys(c for c in _MARKS if c >= 0x10000)


def fold(text: str) -> str:
    """`text` for matching: compatibility forms split (NFKD), accents dropped, case folded.

    `fold("Café") == fold("CAFE") == "cafe"`.
    """
    if text.isascii():  # most story text: lower() is casefold() there, and NFKD changes nothing
        return text.lower()
    try:  # western text (accents, curly quotes, dashes): one byte per character, by table
        folded = text.encode("cp1252").translate(_WESTERN)
    except UnicodeEncodeError:
        return _fold_any(text)
    return _fold_any(text) if b"\0" in folded else folded.decode("cp1252")


def _fold_any(text: str) -> str:
    text = _PLANE_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if _BEYOND_PLANE.search(text):
        text = text.translate(_BEYOND_MARKS)
    return text.casefold()


def _western_table() -> bytes:
    """For each Windows-1252 byte, the byte of its character's folding; 0 where that is not
    one character of the code page (`…` -> `...`, `ß` -> `ss`, `µ` -> `μ`)."""
    table = bytearray(256)
    for byte in range(1, 256):
        try:
            folded = _fold_any(bytes([byte]).decode("cp1252")).encode("cp1252")
        except UnicodeError:  # a byte the code page leaves undefined, or a folding outside it
            continue
        if len(folded) == 1 and folded != b"\0":
            table[byte] = folded[0]
    return bytes(table)


_WESTERN = _western_table()
