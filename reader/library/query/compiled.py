"""Queries: the query language compiled once, then stories filtered with it (no Textual).

    query = compile_query('topic:portals quality>=150 -is:read')   # raises QueryError
    found = query.filter(library.stories, QueryContext(is_read=marks.is_read))

The language (issue 11) in short: words and "phrases" match the title, excerpt, provider or
topics; `title:`, `provider:`, `domain:` match one field; `topic:`, `type:`, `folder:` equal a
value; `quality`/`heat`/`coverage` with `>= > <= < :`; `after:`/`before:` a day or `7d`;
`is:read`, `is:unread`, `is:starred`, `has:related`, `has:mentions`, `has:coverage`,
`has:article`; `text:` words or a phrase in the kept article (asked of the caller); `-term`;
`OR` (binds tighter than the implied AND); parentheses. Text matches ignore case and accents
(`fold`). `coverage` is the size of the story's coverage group (1 when it stands alone), which
the caller gives (`QueryContext.coverage_of`), as it gives marks and mentions.

The syntax is read by `query_parse`, the stories tested by `query_eval` (fast at 100,000
stories), in the folded texts of `query_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import repeat

from reader.library.library import Library
from reader.library.query.evaluate import QueryContext, select
from reader.library.query.parse import (
    And,
    Compare,
    Flag,
    Node,
    Not,
    Or,
    Published,
    QueryError,
    Text,
    parse,
)
from reader.library.query.text import hosts_of
from reader.model.story import Story

__all__ = ["Query", "QueryContext", "QueryError", "compile_query", "mentions_in"]


def mentions_in(library: Library) -> Callable[[Story], bool]:
    """`QueryContext.has_mentions` answered by a library's backlinks (none until indexed)."""
    backlinks = library.backlinks
    return lambda story: bool(backlinks(story))


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled query (`compile_query`): immutable, shared freely between threads."""

    text: str
    root: Node | None  # None: the empty query, which matches every story
    words: tuple[str, ...]  # folded words and phrases to highlight (not those negated)
    uses_context: bool  # the result depends on marks, mentions, folders, coverage or the clock

    @property
    def is_empty(self) -> bool:
        """Whether the query has no terms (it matches every story)."""
        return self.root is None

    def filter(
        self, stories: Sequence[Story], context: QueryContext | None = None
    ) -> tuple[Story, ...]:
        """The stories the query matches, in their order."""
        if self.root is None:
            return tuple(stories)
        return tuple(select(self.root, stories, None, context, hosts_of)[0])

    def select(
        self,
        stories: Sequence[Story],
        texts: Sequence[str],
        context: QueryContext | None = None,
        hosts: Callable[[Sequence[Story]], list[str]] = hosts_of,
    ) -> tuple[list[Story], list[str]]:
        """The stories the query matches and their texts, given each story's text worked out
        before (`texts_of`) and, optionally, a faster way to their link hosts (`hosts_of`)."""
        if self.root is None:
            return list(stories), list(texts)
        found, found_texts = select(self.root, stories, texts, context, hosts)
        assert found_texts is not None
        return found, found_texts

    def narrows(self, earlier: Query) -> bool:
        """Whether every story this query matches, `earlier` matched too, whatever the
        context: then typing on may filter the earlier result rather than every story."""
        if earlier.root is None:
            return True
        if self.root is None or earlier.uses_context:
            return False
        new = _conjuncts(self.root)
        return all(any(map(_implies, new, repeat(old))) for old in _conjuncts(earlier.root))


@lru_cache(maxsize=64)
def context_of(
    library: Library,
    *,
    is_read: Callable[[Story], bool],
    is_starred: Callable[[Story], bool],
    folder_of: Callable[[Story], str],
    coverage_of: Callable[[Story], int],
    has_article: Callable[[Story], bool] | None = None,
    article_matches: Callable[[str], Callable[[Story], bool]] | None = None,
) -> QueryContext:
    """What queries over `library` ask beyond the stories: the marks, the stories mentioned by
    another, each story's folder and the size of its coverage group."""
    context = QueryContext(
        is_read=is_read,
        is_starred=is_starred,
        has_mentions=mentions_in(library),
        coverage_of=coverage_of,
        folder_of=folder_of,
    )
    if has_article is not None:
        context = replace(context, has_article=has_article)
    if article_matches is not None:
        context = replace(context, article_matches=article_matches)
    return context


def query_problem(query: str) -> str:
    """What is wrong with `query`, and where ('' when it is a good query)."""
    try:
        compile_query(query)
    except QueryError as error:
        return str(error)
    return ""


def compile_query(text: str) -> Query:
    """The query written in `text`. Raises QueryError (one line: what and where)."""
    root = parse(text)
    words = tuple(dict.fromkeys(_words(root))) if root is not None else ()
    uses_context = root is not None and _uses_context(root)
    return Query(text, root, words, uses_context)


# -- what a query says about itself ----------------------------------------------------------


def _words(node: Node) -> list[str]:
    """The folded words and phrases that may be highlighted in a title (none negated)."""
    if isinstance(node, Text):
        return [node.value] if node.value and node.field in ("", "title") else []
    if isinstance(node, And | Or):
        return [word for term in node.terms for word in _words(term)]
    return []


def _uses_context(node: Node) -> bool:
    if isinstance(node, Text):
        return node.field in ("folder", "article")
    if isinstance(node, Flag):
        return node.name != "related"
    if isinstance(node, Compare):
        return node.field == "coverage"
    if isinstance(node, Published):
        return node.day is None
    if isinstance(node, Not):
        return _uses_context(node.term)
    if isinstance(node, And | Or):
        return any(map(_uses_context, node.terms))
    return False


def _conjuncts(node: Node) -> tuple[Node, ...]:
    return node.terms if isinstance(node, And) else (node,)


_SUBSTRING_FIELDS = ("", "title", "provider", "domain")


def _implies(new: Node, old: Node) -> bool:
    """Whether a story matching `new` always matches `old` (a cheap, partial answer)."""
    if new == old:
        return True
    if isinstance(new, Text) and isinstance(old, Text):  # `tid` -> `tide`
        return new.field == old.field in _SUBSTRING_FIELDS and old.value in new.value
    if isinstance(new, Not) and isinstance(old, Not):  # `-tide` -> `-tid`
        inner, outer = new.term, old.term
        if isinstance(inner, Text) and isinstance(outer, Text):
            return inner.field == outer.field in _SUBSTRING_FIELDS and inner.value in outer.value
    return False
