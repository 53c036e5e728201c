"""The text a query looks in: folding (case and accents) and each story's folded text.

A story's text holds its fields in one string, folded once, so that a query tests 100,000 of
them with C-level loops (`map`, `compress`):

    title \\n provider name \\n provider domain \\x1f topic \\x1f topic \\x1f \\n excerpt

The separators never occur in a field (control characters become spaces) nor in a query word
(the tokenizer splits on them), so a word cannot match across two fields, and each field is found
again with `str.find` bounds (see `reader.library.query.evaluate`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import urlsplit

from reader.model.story import Story

TOPIC_MARK = "\x1f"  # before, between and after the topics: `\x1f{topic}\x1f` is a whole topic
FIELD_MARK = "\n"  # between the other fields

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
# Control characters and line breaks become spaces in a field: they are the text's separators.
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029], " ")
_HOST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


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


def is_blank(character: str) -> bool:
    """Whether a query character separates words: white space and control characters."""
    return character.isspace() or character < " " or "\x7f" <= character <= "\x9f"


def spaced(text: str) -> str:
    """`text` with every run of blanks (see `is_blank`) made one space, and none at the ends."""
    return " ".join(text.translate(_CONTROLS).split())


def story_text(story: Story) -> str:
    """The folded text a query looks in: title, provider name and domain, topics, excerpt."""
    provider = story.provider
    fields = (story.title, provider.name, provider.domain, story.excerpt, *story.topics)
    if not all(map(str.isprintable, fields)):  # a separator may hide in there: make it a space
        fields = tuple(field.translate(_CONTROLS) for field in fields)
    title, name, domain, excerpt, *topics = fields
    topic_list = TOPIC_MARK + TOPIC_MARK.join(topics) + TOPIC_MARK
    return fold(FIELD_MARK.join((title, name, domain + topic_list, excerpt)))


def texts_of(stories: Sequence[Story]) -> list[str]:
    """Every story's folded text (pure: safe in a worker thread)."""
    return list(map(story_text, stories))


def story_host(story: Story) -> str:
    """The folded host of the story's link (`www.` kept), or an empty string."""
    url = story.url  # always http(s)://… or empty
    host = url.partition("://")[2].partition("/")[0].partition("?")[0].partition("#")[0]
    if not _HOST_CHARACTERS.issuperset(host):  # credentials, a port, brackets or non-ASCII
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return ""
    return fold(host)


def hosts_of(stories: Sequence[Story]) -> list[str]:
    """Every story's folded link host (pure: safe in a worker thread)."""
    return list(map(story_host, stories))
