"""The query language's syntax: a hand-written tokenizer and recursive-descent parser.

    query   := and
    and     := or*                      (terms side by side must all match)
    or      := unary ("OR" unary)*      (binds tighter than the implied AND, as in Gmail)
    unary   := "-"* primary
    primary := "(" and ")" | term

No user text reaches a regular expression: the tokenizer is one loop over the characters, and
the input's length, its number of terms and its depth of parentheses are bounded, so a hostile
query is answered or refused at once and never exhausts the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, TypeAlias

from reader.library.query.text import fold, is_blank, spaced

MAX_LENGTH = 10_000  # characters
MAX_TERMS = 20  # each is a pass over every story: 20 take 0.3-0.6 s at 100,000 stories
MAX_DEPTH = 100  # parentheses inside one another

TextField = Literal["", "title", "provider", "domain", "topic", "type", "folder", "article"]
FlagName = Literal["read", "unread", "starred", "related", "mentions", "coverage", "article"]
NumberField = Literal["quality", "heat", "coverage"]
Operator = Literal[">=", ">", "<=", "<", "="]

_TEXT_FIELDS: dict[str, TextField] = {
    "title": "title",
    "provider": "provider",
    "domain": "domain",
    "topic": "topic",
    "type": "type",
    "folder": "folder",
    "text": "article",  # the kept article's text (`newsreader fetch`, `t`)
}
_FLAGS: dict[str, dict[str, FlagName]] = {
    "is": {"read": "read", "unread": "unread", "starred": "starred"},
    "has": {
        "related": "related",
        "mentions": "mentions",
        "coverage": "coverage",
        "article": "article",
    },
}
_NUMBER_FIELDS: dict[str, NumberField] = {
    "quality": "quality",
    "heat": "heat",
    "coverage": "coverage",
}
_DATE_FIELDS = ("after", "before")
FIELDS = frozenset((*_TEXT_FIELDS, *_FLAGS, *_NUMBER_FIELDS, *_DATE_FIELDS))
_OPERATORS: dict[str, Operator] = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "=", ":": "="}


class QueryError(ValueError):
    """A query that cannot be read: what is wrong, and where (a 0-based character offset)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} at {self.position}"


@dataclass(frozen=True, slots=True)
class Text:
    """A folded word or phrase: a substring of the story's text (field ""), title, provider
    (name or domain) or link host (domain); or equal to a topic, the type or the folder."""

    field: TextField
    value: str


@dataclass(frozen=True, slots=True)
class Compare:
    """`quality`, `heat` or `coverage` (how many stories report the story's event: 1 when it
    stands alone) compared with a number (an unknown heat matches no comparison)."""

    field: NumberField
    operator: Operator
    number: int


@dataclass(frozen=True, slots=True)
class Published:
    """Published on or after (`after`), or strictly before, a UTC day's start (`day`), or
    `days_ago` days before now when `day` is None. An unknown date matches neither."""

    after: bool
    day: datetime | None
    days_ago: int = 0


@dataclass(frozen=True, slots=True)
class Flag:
    """`is:read`, `is:unread`, `is:starred`, `has:related`, `has:mentions` or `has:coverage`
    (other stories report the same event)."""

    name: FlagName


@dataclass(frozen=True, slots=True)
class Not:
    """The stories the term does not match."""

    term: Node


@dataclass(frozen=True, slots=True)
class And:
    """The stories every term matches (two or more terms)."""

    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """The stories any term matches (two or more terms)."""

    terms: tuple[Node, ...]


Node: TypeAlias = Text | Compare | Published | Flag | Not | And | Or


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Literal["term", "(", ")", "OR", "-"]
    position: int
    term: Node | None = None


def parse(text: str) -> Node | None:
    """The query `text` as a tree of terms; None for an empty query (it matches every story).
    Raises QueryError."""
    return _Parser(_tokens(text)).parse()


def _tokens(text: str) -> list[_Token]:
    if len(text) > MAX_LENGTH:
        raise QueryError(f"query too long (over {MAX_LENGTH:,} characters)", MAX_LENGTH)
    tokens: list[_Token] = []
    terms = 0
    at, size = 0, len(text)
    while at < size:
        char = text[at]
        if is_blank(char):
            at += 1
            continue
        if char == "(" or char == ")":
            tokens.append(_Token("(" if char == "(" else ")", at))
            at += 1
            continue
        if char == "-":
            following = text[at + 1 : at + 2]
            if not following or is_blank(following) or following == ")":
                raise QueryError('dangling "-"', at)
            tokens.append(_Token("-", at))
            at += 1
            continue
        if char == '"':
            value, end = _phrase(text, at)
            term: Node = Text("", fold(value))
        else:
            end = at
            while end < size and not is_blank(text[end]) and text[end] not in '()"':
                end += 1
            if text[at:end] == "OR":
                tokens.append(_Token("OR", at))
                at = end
                continue
            term, end = _term(text, at, end)
        terms += 1
        if terms > MAX_TERMS:
            raise QueryError(f"too many terms (over {MAX_TERMS})", at)
        tokens.append(_Token("term", at, term))
        at = end
    return tokens


def _phrase(text: str, quote: int) -> tuple[str, int]:
    """The phrase opened by the quote at `quote` (blanks made single spaces), and where it ends."""
    close = text.find('"', quote + 1)
    if close < 0:
        raise QueryError("unclosed quote", quote)
    return spaced(text[quote + 1 : close]), close + 1


def _term(text: str, start: int, end: int) -> tuple[Node, int]:
    """The term written from `start` to `end` (a field's quoted value may go on past `end`)."""
    letters = start
    while letters < end and text[letters].isascii() and text[letters].isalpha():
        letters += 1
    sign = text[letters : letters + 1] if letters < end else ""
    name = text[start:letters].lower()
    if letters == start or sign not in (":", "<", ">", "="):
        return Text("", fold(text[start:end])), end
    if sign == ":" and name not in FIELDS:
        raise QueryError(f'unknown field "{_shown(text[start : letters + 1])}"', start)
    if sign != ":" and name not in _NUMBER_FIELDS:
        if name in FIELDS:
            raise QueryError(f'"{name}" takes ":"', letters)
        return Text("", fold(text[start:end])), end  # `a<b`: a word
    operator = sign + "=" if sign in "<>" and text[letters + 1 : letters + 2] == "=" else sign
    value_at = letters + len(operator)
    value = text[value_at:end]
    if not value and operator == ":" and text[end : end + 1] == '"':
        value, end = _phrase(text, end)
    if not value:
        raise QueryError(f'missing value after "{text[start:letters]}{operator}"', value_at)
    return _field_term(name, _OPERATORS[operator], value, value_at), end


def _field_term(name: str, operator: Operator, value: str, at: int) -> Node:
    if name in _TEXT_FIELDS:
        return Text(_TEXT_FIELDS[name], fold(value))
    if name in _FLAGS:
        flag = _FLAGS[name].get(value.lower())
        if flag is None:
            raise QueryError(f'unknown value "{_shown(value)}" for "{name}:"', at)
        return Flag(flag)
    if name in _NUMBER_FIELDS:
        return Compare(_NUMBER_FIELDS[name], operator, _number(value, at))
    return _published(name == "after", value, at)


def _number(value: str, at: int) -> int:
    digits = value[1:] if value[:1] == "-" else value
    if not digits or len(digits) > 18 or not (digits.isascii() and digits.isdigit()):
        raise QueryError(f'bad number "{_shown(value)}"', at)
    return int(value)


def _published(after: bool, value: str, at: int) -> Published:
    count = value[:-1]
    if value[-1:] in ("d", "D") and 0 < len(count) <= 6 and count.isascii() and count.isdigit():
        return Published(after, None, int(count))
    parts = value.split("-")
    digits = "".join(parts)
    if [len(part) for part in parts] == [4, 2, 2] and digits.isascii() and digits.isdigit():
        try:
            year, month, day = map(int, parts)
            return Published(after, datetime(year, month, day, tzinfo=UTC))
        except ValueError:
            pass
    raise QueryError(f'bad date "{_shown(value)}" (YYYY-MM-DD or 7d)', at)


def _shown(value: str) -> str:
    """A value quoted in an error message, cut short: the message stays one short line."""
    return value if len(value) <= 30 else value[:29] + "…"


class _Parser:
    """Recursive descent over the tokens; depth is bounded by MAX_DEPTH parentheses."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def parse(self) -> Node | None:
        node = self.conjunction(0)
        stray = self.peek()
        if stray is not None:  # the conjunction stops only at the end or at a ")"
            raise QueryError('stray ")"', stray.position)
        return node

    def conjunction(self, depth: int) -> Node | None:
        terms = []
        while (token := self.peek()) is not None and token.kind != ")":
            terms.append(self.disjunction(depth))
        return _joined(And, terms)

    def disjunction(self, depth: int) -> Node:
        terms = [self.unary(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.at += 1
            following = self.peek()
            if following is None or following.kind in (")", "OR"):
                raise QueryError("dangling OR", token.position)
            terms.append(self.unary(depth))
        joined = _joined(Or, terms)
        assert joined is not None
        return joined

    def unary(self, depth: int) -> Node:
        minus = None
        token = self.peek()
        while token is not None and token.kind == "-":
            minus = None if minus is not None else token  # `--a` is `a`
            self.at += 1
            token = self.peek()
            if token is None or token.kind in (")", "OR"):
                raise QueryError('dangling "-"', self.tokens[self.at - 1].position)
        if token is None or token.kind == "OR":  # only at the start of a query or group
            raise QueryError("dangling OR", token.position if token else 0)
        node = self.primary(depth)
        if minus is None:
            return node
        return node.term if isinstance(node, Not) else Not(node)

    def primary(self, depth: int) -> Node:
        token = self.tokens[self.at]
        self.at += 1
        if token.term is not None:
            return token.term
        if token.kind != "(":  # a ")" is never reached here: conjunctions stop before one
            raise QueryError(f'unexpected "{token.kind}"', token.position)
        if depth >= MAX_DEPTH:
            raise QueryError(f"too deeply nested (over {MAX_DEPTH} parentheses)", token.position)
        inner = self.conjunction(depth + 1)
        if self.peek() is None:
            raise QueryError("unclosed parenthesis", token.position)
        if inner is None:
            raise QueryError("empty parentheses", token.position)
        self.at += 1
        return inner


def _joined(kind: type[And] | type[Or], terms: list[Node]) -> Node | None:
    """`terms` joined by `kind`, nested joins of the same kind flattened, repeats dropped."""
    flat: dict[Node, None] = {}
    for term in terms:
        if isinstance(term, kind):
            flat.update(dict.fromkeys(term.terms))
        else:
            flat[term] = None
    if len(flat) <= 1:
        return next(iter(flat), None)
    return kind(tuple(flat))
