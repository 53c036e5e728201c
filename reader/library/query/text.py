"""The text a query looks in: folding (case and accents) and each story's folded text.

A story's text holds its fields in one string, folded once, so that a query tests 100,000 of
them with C-level loops (`map`, `compress`):

    title \\n provider name \\n provider domain \\x1f topic \\x1f topic \\x1f \\n excerpt

The separators never occur in a field (control characters become spaces) nor in a query word
(the tokenizer splits on them), so a word cannot match across two fields, and each field is found
again with `str.find` bounds (see `reader.library.query.evaluate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from reader.model.fold import fold as fold  # re-exported: the query modules fold with it
from reader.model.story import Story

TOPIC_MARK = "\x1f"  # before, between and after the topics: `\x1f{topic}\x1f` is a whole topic
FIELD_MARK = "\n"  # between the other fields

# Control characters and line breaks become spaces in a field: they are the text's separators.
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029], " ")
_HOST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


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
