"""Searching stories with the query language (`reader.library.query.compiled`) at keystroke speed.

No Textual here. The folded texts of the stories (see `reader.library.query.text`) are worked out
once, kept by story, and tested by C-level loops.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from itertools import compress
from typing import TYPE_CHECKING

from reader.model.story import Story

if TYPE_CHECKING:
    from reader.library.query.compiled import Query, QueryContext

# The query modules are imported when first used: a tenth of the reader's start went to them
# (their folding tables), and the first screen searches nothing.

__all__ = ["SearchIndex", "match_spans", "query_words", "story_text", "texts_of"]


def story_text(story: Story) -> str:
    """The folded text a query looks in (see `reader.library.query.text`)."""
    from reader.library.query.text import story_text

    return story_text(story)


def texts_of(stories: Sequence[Story]) -> list[str]:
    """Every story's folded text (pure: safe in a worker thread, for `SearchIndex.adopt`)."""
    from reader.library.query.text import texts_of

    return texts_of(stories)


def query_words(query: str) -> list[str]:
    """The folded words and phrases of a query that a title may show highlighted (not the
    negated ones; none while the query is bad)."""
    from reader.library.query.compiled import QueryError, compile_query

    try:
        return list(compile_query(query).words)
    except QueryError:
        return []


class SearchIndex:
    """The folded text (and, once asked, the link host) of each story, kept by story.

    Made for 100,000 stories: the texts are looked up and tested by C-level loops (`map`,
    `compress`), and a query that narrows the previous one (typing on: `tid` -> `tide`)
    filters the previous result rather than the whole view. One index serves one library:
    `reset` it for another. Owner thread only; `texts_of` may run in a worker for `adopt`.
    """

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}  # id(story) -> its text
        self._hosts: dict[int, str] = {}  # id(story) -> its link's host, for `domain:`
        self._stories: list[Story] = []  # keeps those ids taken while they are keys
        self._view: tuple[Sequence[Story], list[str]] = ((), [])  # the texts of the last view
        self._last: tuple[Sequence[Story], Query, tuple[Story, ...], list[str]] | None = None

    def reset(self) -> None:
        """Forget every story (a new library replaces the old one)."""
        self._texts, self._hosts, self._stories = {}, {}, []
        self._view, self._last = ((), []), None

    def known_texts(self, stories: Sequence[Story]) -> list[str] | None:
        """The texts of `stories` if every one is known already (else None: working them out
        for 100,000 stories is a job for a worker thread)."""
        try:
            return list(map(self._texts.__getitem__, map(id, stories)))
        except KeyError:
            return None

    def adopt(self, stories: Sequence[Story], texts: list[str]) -> None:
        """Take the texts of `stories` worked out elsewhere (`texts_of`, in a worker thread)."""
        if len(stories) != len(texts):
            return
        ids = list(map(id, stories))
        new = map(operator.not_, map(self._texts.__contains__, ids))
        self._stories.extend(compress(stories, new))  # each `/` hands its whole view over again
        self._texts.update(zip(ids, texts, strict=True))
        self._view = (stories, texts)

    def _texts_of(self, stories: Sequence[Story]) -> list[str]:
        try:
            return list(map(self._texts.__getitem__, map(id, stories)))
        except KeyError:
            pass
        texts = []
        for story in stories:
            text = self._texts.get(id(story))
            if text is None:
                text = self._texts[id(story)] = story_text(story)
                self._stories.append(story)
            texts.append(text)
        return texts

    def _hosts_of(self, stories: Sequence[Story]) -> list[str]:
        from reader.library.query.text import hosts_of

        try:
            return list(map(self._hosts.__getitem__, map(id, stories)))
        except KeyError:
            pass
        hosts = hosts_of(stories)
        # Only stories with a text are kept alive by the index: only their ids are safe keys.
        pairs = zip(map(id, stories), hosts, strict=True)
        self._hosts.update((key, host) for key, host in pairs if key in self._texts)
        return hosts

    def _view_texts(self, stories: Sequence[Story]) -> list[str]:
        view, texts = self._view
        if not _same(view, stories):
            texts = self._texts_of(stories)
            self._view = (stories, texts)
        return texts

    def filter(
        self,
        stories: Sequence[Story],
        query: str | Query,
        context: QueryContext | None = None,
    ) -> tuple[Story, ...]:
        """The stories `query` matches, in their order (all of them for an empty query).

        A query given as text that is not a valid query (a quote still open as one types)
        leaves the last result of these stories as it was: compile it with `compile_query`
        first to show why.
        """
        from reader.library.query.compiled import QueryError, compile_query

        last = self._last
        if isinstance(query, str):
            try:
                query = compile_query(query)
            except QueryError:
                return last[2] if last is not None and _same(last[0], stories) else tuple(stories)
        if query.is_empty:
            return tuple(stories)
        if last is not None and _same(last[0], stories) and query.narrows(last[1]):
            # Every story the new query matches, the old one matched: look only at those.
            found: Sequence[Story] = last[2]
            texts = last[3]
        else:
            found, texts = stories, self._view_texts(stories)
        kept, kept_texts = query.select(found, texts, context, self._hosts_of)
        result = tuple(kept)
        self._last = (stories, query, result, kept_texts)
        return result


def _same(one: Sequence[Story], other: Sequence[Story]) -> bool:
    """The same stories in the same order (the same objects: compared in C, quickly)."""
    return one is other or (len(one) == len(other) and all(map(operator.is_, one, other)))


def match_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the words occur in `text`, ignoring case and accents as a query does, for
    highlighting: (start, end) offsets into `text`, in order, overlapping ones joined."""
    if not words or not text:
        return []
    from reader.library.query.text import fold

    wanted = {fold(word) for word in words} - {""}
    if not wanted:
        return []
    if text.isascii():
        folded, origin = text.lower(), None
    else:  # one character may fold to none or several: remember where each folded one came from
        pieces = list(map(fold, text))
        folded = "".join(pieces)
        origin = [at for at, piece in enumerate(pieces) for _ in piece]
    covered = bytearray(len(folded))
    for word in wanted:  # str.find, never a regular expression of the user's words
        at = folded.find(word)
        while at >= 0:
            covered[at : at + len(word)] = b"\x01" * len(word)
            at = folded.find(word, at + 1)
    spans: list[tuple[int, int]] = []
    end = 0
    while (start := covered.find(1, end)) >= 0:
        end = covered.find(0, start)
        end = len(covered) if end < 0 else end
        span = (start, end) if origin is None else (origin[start], origin[end - 1] + 1)
        if spans and span[0] < spans[-1][1]:  # two runs within one character's folding
            span = (spans.pop()[0], span[1])
        spans.append(span)
    return spans
