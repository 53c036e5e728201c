"""Running a parsed query over stories, fast at 100,000 of them (no Textual).

Each term is tested over whole columns (the stories' folded texts, their qualities, …) by C-level
loops (`map`, `compress`), never by a Python call per story where it can be helped; the terms of
an AND narrow the rows one after the other, cheapest first, so that the costly ones (marks,
asked of the caller story by story) see few; each term of an OR sees only the rows still
unmatched.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import compress, repeat
from operator import attrgetter
from typing import Any, NamedTuple

from reader.library.query.parse import And, Compare, Flag, Node, Not, Or, Published, Text
from reader.library.query.text import TOPIC_MARK, fold, texts_of
from reader.model.story import Story


def _nobody(story: Story) -> bool:
    return False


def _nowhere(story: Story) -> str:
    return ""


def _alone(story: Story) -> int:
    return 1


def _no_articles(words: str) -> Callable[[Story], bool]:
    return _nobody


@dataclass(frozen=True, slots=True)
class QueryContext:
    """What a query needs from outside the library: marks, mentions, folders, coverage and the
    time.

    Each function is asked once per story still in the running, and only when a term needs
    it. The defaults know nothing: no story read, starred or mentioned, no folder, every story
    standing alone.
    """

    is_read: Callable[[Story], bool] = _nobody
    is_starred: Callable[[Story], bool] = _nobody
    has_mentions: Callable[[Story], bool] = _nobody  # another story lists it as related
    folder_of: Callable[[Story], str] = _nowhere  # the name `folder:` compares with
    # How many stories report the story's event (its coverage group's size), 1 when it stands
    # alone: what `coverage>=N` compares and `has:coverage` (at least 2) asks.
    coverage_of: Callable[[Story], int] = _alone
    has_article: Callable[[Story], bool] = _nobody  # its article's text is kept
    # `text:words`: which stories' kept articles hold the words (a phrase when several),
    # worked out once per query term.
    article_matches: Callable[[str], Callable[[Story], bool]] = _no_articles
    now: datetime | None = None  # for `after:7d`; None: the clock, when the query runs


def select(
    root: Node,
    stories: Sequence[Story],
    texts: Sequence[str] | None,
    context: QueryContext | None,
    hosts: Callable[[Sequence[Story]], list[str]],
) -> tuple[list[Story], list[str] | None]:
    """The stories `root` matches, in order, with their texts when `texts` (each story's
    `texts_of`, worked out before) were given; `hosts` gives the stories' link hosts."""
    columns = {} if texts is None else {"text": list(texts)}
    rows = _select(root, _Rows(list(stories), columns, _env(context, hosts)))
    return rows.stories, None if texts is None else rows.column("text")


class _Env(NamedTuple):
    """What one run of a query works with besides the stories."""

    context: QueryContext
    hosts: Callable[[Sequence[Story]], list[str]]
    now: datetime


def _env(context: QueryContext | None, hosts: Callable[[Sequence[Story]], list[str]]) -> _Env:
    context = context or QueryContext()
    now = context.now or datetime.now(UTC)
    return _Env(context, hosts, now if now.tzinfo else now.replace(tzinfo=UTC))


class _Rows:
    """The stories still in the running, with the columns worked out for them so far."""

    __slots__ = ("columns", "env", "stories")

    def __init__(self, stories: list[Story], columns: dict[str, list[Any]], env: _Env) -> None:
        self.stories = stories
        self.columns = columns
        self.env = env

    def compress(self, mask: list[bool]) -> _Rows:
        """The rows `mask` keeps, with their columns."""
        if all(mask):
            return self
        columns = {name: list(compress(column, mask)) for name, column in self.columns.items()}
        return _Rows(list(compress(self.stories, mask)), columns, self.env)

    def column(self, name: str) -> list[Any]:
        """One value per row (worked out once per set of rows)."""
        found = self.columns.get(name)
        if found is None:
            found = self.columns[name] = _COLUMNS[name](self)
        return found


def _ends(mark: str) -> Callable[[_Rows], list[int]]:
    return lambda rows: list(map(str.find, rows.column("text"), repeat(mark)))


def _asked(name: str) -> Callable[[_Rows], list[Any]]:
    return lambda rows: list(map(getattr(rows.env.context, name), rows.stories))


def _attribute(name: str) -> Callable[[_Rows], list[Any]]:
    return lambda rows: list(map(attrgetter(name), rows.stories))


_COLUMNS: dict[str, Callable[[_Rows], list[Any]]] = {
    "text": lambda rows: texts_of(rows.stories),
    "title_end": _ends("\n"),  # the title is the text's first field
    "provider_end": _ends(TOPIC_MARK),  # provider name and domain come next, then the topics
    "host": lambda rows: rows.env.hosts(rows.stories),
    "quality": _attribute("quality"),
    "heat": _attribute("heat"),
    "published": _attribute("published"),
    "type": _attribute("type"),
    "related": _attribute("related_count"),
    "read": _asked("is_read"),
    "starred": _asked("is_starred"),
    "mentions": _asked("has_mentions"),
    "folder": _asked("folder_of"),
    "coverage": _asked("coverage_of"),
    "article": _asked("has_article"),
}


def _select(root: Node, rows: _Rows) -> _Rows:
    """The rows `root` matches: the terms of an AND narrow them one after the other."""
    terms = root.terms if isinstance(root, And) else (root,)
    texts_known = "text" in rows.columns
    for term in sorted(terms, key=lambda term: _cost(term, texts_known)):
        rows = rows.compress(_mask(term, rows))
        if not rows.stories:
            break
    return rows


def _mask(node: Node, rows: _Rows) -> list[bool]:
    """Whether `node` matches each row."""
    if isinstance(node, Text):
        return _text_mask(node, rows)
    if isinstance(node, Compare):
        return _compare_mask(node, rows)
    if isinstance(node, Published):
        return _published_mask(node, rows)
    if isinstance(node, Flag):
        if node.name == "unread":
            return list(map(operator.not_, rows.column("read")))
        if node.name == "coverage":  # grouped: at least two stories report the event
            return list(map(operator.lt, repeat(1), rows.column("coverage")))
        return list(map(operator.truth, rows.column(node.name)))
    if isinstance(node, Not):
        return list(map(operator.not_, _mask(node.term, rows)))
    return _joined_mask(node, rows)


def _joined_mask(node: And | Or, rows: _Rows) -> list[bool]:
    """Whether an AND or an OR matches each row: each term after the first is tested only
    where it can still change the answer (the rows matched so far, or those not yet matched)."""
    either = isinstance(node, Or)
    texts_known = "text" in rows.columns
    terms = sorted(node.terms, key=lambda term: _cost(term, texts_known))
    mask = _mask(terms[0], rows)
    for term in terms[1:]:
        undecided = list(map(operator.not_, mask)) if either else mask
        if not any(undecided):
            break
        hits = _mask(term, rows.compress(undecided))
        if not either:
            mask = [False] * len(mask)
        for position in compress(compress(range(len(mask)), undecided), hits):
            mask[position] = True
    return mask


def _found(positions: Any) -> list[bool]:
    return list(map(operator.ne, positions, repeat(-1)))


def _text_mask(term: Text, rows: _Rows) -> list[bool]:
    value, field = term.value, term.field
    if field == "":
        return list(map(operator.contains, rows.column("text"), repeat(value)))
    if field == "title":
        texts = rows.column("text")
        return _found(map(str.find, texts, repeat(value), repeat(0), rows.column("title_end")))
    if field == "provider":
        texts, title_ends = rows.column("text"), rows.column("title_end")
        starts = map(operator.add, title_ends, repeat(1))
        return _found(map(str.find, texts, repeat(value), starts, rows.column("provider_end")))
    if field == "domain":
        return list(map(operator.contains, rows.column("host"), repeat(value)))
    if field == "article":
        return list(map(rows.env.context.article_matches(value), rows.stories))
    if field == "topic" and value:
        return list(map(operator.contains, rows.column("text"), repeat(f"\x1f{value}\x1f")))
    if field == "topic":  # a topic that folds to nothing: rare enough to fold one by one
        return [any(not fold(topic) for topic in story.topics) for story in rows.stories]
    names = rows.column(field)  # type or folder: few distinct names, each folded once
    wanted = {name for name in set(names) if fold(name) == value}
    return list(map(wanted.__contains__, names))


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "=": operator.eq,
}
# What an unknown heat is taken as, so that no comparison matches it.
_UNKNOWN = {">=": float("-inf"), ">": float("-inf"), "<=": float("inf"), "<": float("inf")}


def _compare_mask(term: Compare, rows: _Rows) -> list[bool]:
    values = rows.column(term.field)
    if term.field == "heat" and None in values:
        unknown = _UNKNOWN.get(term.operator, float("nan"))  # nan equals nothing
        values = [unknown if value is None else value for value in values]
    return list(map(_COMPARE[term.operator], values, repeat(term.number)))


def _published_mask(term: Published, rows: _Rows) -> list[bool]:
    if term.day is not None:
        cutoff = term.day
    else:
        try:
            cutoff = rows.env.now - timedelta(days=term.days_ago)
        except OverflowError:
            cutoff = datetime.min.replace(tzinfo=UTC)
    dates = rows.column("published")
    try:
        return _dated(dates, cutoff, term.after)
    except TypeError:  # a date without an offset (a story built by hand): take it as UTC
        dates = [d.replace(tzinfo=UTC) if d and d.tzinfo is None else d for d in dates]
        return _dated(dates, cutoff, term.after)


def _dated(dates: list[datetime | None], cutoff: datetime, after: bool) -> list[bool]:
    if after:
        return [date is not None and date >= cutoff for date in dates]
    return [date is not None and date < cutoff for date in dates]


_TEXT_FIELDS = ("", "title", "provider", "topic")  # those looked for in a story's text


def _cost(node: Node, texts_known: bool = True) -> int:
    """How dear a term is to test, roughly: AND tests the cheap ones first. Folding the
    stories' texts (when they were not handed in) is dearer than any other column."""
    if isinstance(node, Text):
        if node.field in _TEXT_FIELDS:
            return 1 if texts_known else 4
        return 3 if node.field in ("folder", "article") else 2
    if isinstance(node, Compare):
        return 3 if node.field == "coverage" else 2  # coverage is asked of the context
    if isinstance(node, Published):
        return 2
    if isinstance(node, Flag):
        return 2 if node.name == "related" else 3
    if isinstance(node, Not):
        return _cost(node.term, texts_known)
    return sum(_cost(term, texts_known) for term in node.terms)
