"""What coverage grouping compares in a story: its headline's words, the markers that tell
look-alike events apart, and the words and names of headline and excerpt together (pure, no I/O).

A headline is normalised before its words are taken: syndication prefixes (`RE-TRANSMISSION:`,
`UPDATE 2:`) and a trailing site name (` - Meridian Daily`, ` | Northern Ledger`) go; case and
accents are folded; possessives, punctuation and function words drop out; a light stemmer makes
`launches`, `launched` and `launching` one word. The result depends on the story alone, never on
the other stories of the folder, so grouping a folder file by file gives the same words.

Markers are the words in which two look-alike headlines of different events differ: years,
months, weekdays, other numbers (`wave 2`, `Q3`, `NV-32`, `third`), and the release stage
(`preview` against `generally available`). Two headlines whose markers of one kind disagree (both
have some, and neither's are among the other's) report different events, whatever else they share.

Names are the words written with a capital inside a sentence of the excerpt (or of the headline,
unless it is in Title Case): the companies, products and people a rewritten headline of the same
event names again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reader.library.query.text import fold
from reader.model.story import Story

_PREFIX = re.compile(
    r"^(?:\s*(?:re-?transmission|update[ds]?(?:\s*\d+)?|breaking(?:\s+news)?|corrected|"
    r"correction|correcting|repeat|press\s+release|urgent|flash)\s*[:|\-–—]+\s*)+",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s+(?:-|\||–|—|::)\s+([^|–—]+)$")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w.&'’]*|&|of|the|and|on|de|la)$")
_SPLIT_JOINS = re.compile(r"(?<=[a-z])-(?=\d)|(?<=\d)-(?=[a-z])")  # NV-32, GPT-3, 3-day
_POSSESSIVE = re.compile(r"['’]s\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+[a-z0-9]*)*")
_SENTENCES = re.compile(r"(?<=[.!?:;])\s+|\s+(?:--|–|—)\s+")
_OPENERS = "\"'“‘(["
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MONEY = re.compile(r"(\d+(?:\.\d+)?)(k|m|mn|b|bn|tn)")
_MONEY_WORDS = dict(
    k="thousand", m="million", mn="million", b="billion", bn="billion", tn="trillion"
)


def _split(words: str) -> list[str]:
    return words.split()


STOPWORDS = frozenset(
    _split(
        """a an the of to in on for with and or at by from as is are was were be been being it its
        this that these those into over about after before up out new how why what when who which
        will can could would should might must may their his her our your we you i they he she
        them us not no than then so via vs just now here there all more most amid also yet still
        off per has have had do does did get gets got s"""
    )
)
_MONTH_NAMES = _split(
    "january february march april may june july august september october november december"
)
MONTHS = {
    **{month: month for month in _MONTH_NAMES},
    **{month[:3]: month for month in _MONTH_NAMES},
    "sept": "september",
}
# Months that are also everyday words count only next to a number ("May 2020", "March 3").
_AMBIGUOUS_MONTHS = frozenset(_split("may march mar jan dec oct sep aug"))
WEEKDAYS = frozenset(_split("monday tuesday wednesday thursday friday saturday sunday"))
_ORDINAL_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
ORDINALS = {word: str(n) for n, word in enumerate(_split(_ORDINAL_WORDS), start=1)}
PREVIEW_WORDS = frozenset({"preview", "beta", "alpha", "insider", "prerelease"})

YEAR, MONTH, WEEKDAY, NUMBER, STAGE = range(5)
Markers = tuple[frozenset[str], ...]  # by kind: YEAR, MONTH, WEEKDAY, NUMBER, STAGE
_NONE: frozenset[str] = frozenset()
_NO_MARKERS: Markers = (_NONE,) * 5
_MARKER_WORDS = frozenset(
    [*MONTHS, *WEEKDAYS, *ORDINALS, *PREVIEW_WORDS, "ga", "generally", "general", "early"]
)


@dataclass(frozen=True, slots=True)
class Headline:
    """A story's headline as grouping compares it."""

    words: frozenset[str]  # stemmed content words
    markers: Markers


def conflicting(one: Markers, two: Markers) -> bool:
    """Whether two headlines' markers name different years, months, days, numbers or stages:
    of some kind both have markers, and neither's are among the other's."""
    if one is two:
        return False
    for mine, theirs in zip(one, two, strict=True):
        if mine and theirs and not (mine <= theirs or theirs <= mine):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Body:
    """A story's headline and excerpt as grouping compares them."""

    words: frozenset[str]  # stemmed content words of both
    names: frozenset[str]  # those written with a capital inside a sentence: companies, people


def body(story: Story, head: Headline) -> Body:
    """The words and names of a story's headline (`head`) and excerpt."""
    found = words(story.excerpt) | head.words
    texts = [story.excerpt]
    if not _title_case(story.title):  # In Title Case every word looks like a name
        texts.append(strip_title(story.title, story.provider.name, story.provider.domain))
    capitalised = [
        word
        for text in texts
        for sentence in _SENTENCES.split(text)
        for word in sentence.split()[1:]
        if word.lstrip(_OPENERS)[:1].isupper()
    ]
    return Body(found, frozenset(_content(tokens(" ".join(capitalised)))) & found)


def _title_case(title: str) -> bool:
    """Whether most of a headline's longer words start with a capital."""
    long = [word for word in title.split()[1:] if len(word) >= 4 and word[0].isalpha()]
    return bool(long) and 2 * sum(word[0].isupper() for word in long) > len(long)


def headline(story: Story) -> Headline:
    """The headline of `story`, normalised (see the module's docstring)."""
    title = strip_title(story.title, story.provider.name, story.provider.domain)
    raw = tokens(title)
    markers = _markers(raw)
    return Headline(frozenset(_content(raw)), markers)


def words(text: str) -> frozenset[str]:
    """The stemmed content words of any text (an excerpt, say)."""
    return frozenset(_content(tokens(text)))


def strip_title(title: str, provider: str = "", domain: str = "") -> str:
    """The headline without syndication prefixes and without a trailing site name."""
    title = _PREFIX.sub("", title.strip())
    found = _SUFFIX.search(title)
    if found is not None:
        head, tail = title[: found.start()], found.group(1).strip()
        if len(head.split()) >= 3 and _is_site_name(tail, provider, domain):
            title = head
    return title


def _is_site_name(tail: str, provider: str, domain: str) -> bool:
    """Whether a headline's last segment names a site: the story's provider, or a short
    capitalised name without digits (`The Verge`, `Yahoo Finance`), or a domain."""
    squeezed = _squeeze(tail)
    if squeezed and squeezed in {_squeeze(provider), _squeeze(domain), _squeeze(domain, True)}:
        return True
    parts = tail.split()
    if len(parts) == 1 and "." in tail and _DIGIT.search(tail) is None:
        return True  # example.com
    return (
        1 <= len(parts) <= 4
        and all(_NAME_WORD.match(part) for part in parts)
        and _DIGIT.search(tail) is None
    )


def _squeeze(name: str, bare_host: bool = False) -> str:
    """A site name with only its letters and digits, lower-cased: `thelattice.io` becomes
    `thelatticeio`, or with `bare_host` `thelattice` (the host without its top-level domain)."""
    if bare_host:
        name = name.removeprefix("www.").rsplit(".", 1)[0]
    return "".join(c for c in fold(name) if c.isalnum())


def tokens(text: str) -> list[str]:
    """The words of `text`, folded, in order: punctuation and possessives dropped, `NV-32` one
    word (`nv32`), `3,900` one number, `$1.2B` a number and a word (`1.2`, `billion`)."""
    text = fold(text)
    if "'" in text or "’" in text:
        text = _POSSESSIVE.sub("", text)
    if "-" in text:
        text = _SPLIT_JOINS.sub("", text)
    found = _TOKEN.findall(text)
    if _DIGIT.search(text) is None:
        return found
    numbers: list[str] = []
    for token in found:
        if not token[0].isdigit():
            numbers.append(token)
            continue
        if "," in token:
            token = token.replace(",", "")
        money = _MONEY.fullmatch(token)
        if money is not None:  # $30M is $30 million
            numbers += (money.group(1), _MONEY_WORDS[money.group(2)])
        else:
            numbers.append(token)
    return numbers


def _content(raw: list[str]) -> list[str]:
    return [word for word in map(_content_word, raw) if word]


@lru_cache(maxsize=1 << 15)
def _content_word(token: str) -> str:
    """The word a token counts as, stemmed; empty for a function word or a lone letter."""
    if token in STOPWORDS or (len(token) == 1 and not token.isdigit()):
        return ""
    return stem(ORDINALS.get(token, token))


def _markers(raw: list[str]) -> Markers:
    if _MARKER_WORDS.isdisjoint(raw) and not any(map(_DIGIT.search, raw)):
        return _NO_MARKERS
    found: tuple[set[str], ...] = (set(), set(), set(), set(), set())
    last = len(raw) - 1
    for n, token in enumerate(raw):
        if token in MONTHS:
            if token in _AMBIGUOUS_MONTHS and not (
                (n > 0 and raw[n - 1][:1].isdigit()) or (n < last and raw[n + 1][:1].isdigit())
            ):
                continue
            found[MONTH].add(MONTHS[token])
        elif token in WEEKDAYS:
            found[WEEKDAY].add(token)
        elif token in ORDINALS:
            found[NUMBER].add(ORDINALS[token])
        elif token in PREVIEW_WORDS:
            found[STAGE].add("preview")
        elif token == "ga" or (
            n < last
            and (token, raw[n + 1]) in {("generally", "available"), ("general", "availability")}
        ):
            found[STAGE].add("ga")
        elif token == "early" and n < last and raw[n + 1] == "access":
            found[STAGE].add("preview")
        else:
            for number in _NUMBER.findall(token):
                is_year = len(number) == 4 and number[:2] in ("19", "20")
                found[YEAR if is_year else NUMBER].add(number)
    return tuple(frozenset(kind) if kind else _NONE for kind in found)


def stem(word: str) -> str:
    """A light English stemmer: plurals and -ed/-ing endings, and a final e, go."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
        if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]  # running -> run
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
        if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]  # planned -> plan
    elif word.endswith("er") and len(word) > 6:
        word = word[:-2]  # recycler -> recycl
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word
