"""Searching stories: every word of the query must appear somewhere in the story (no Textual)."""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress, repeat

from reader.model.story import Story


def query_words(query: str) -> list[str]:
    """The words of a search query, lower-cased."""
    return query.lower().split()


class SearchIndex:
    """Lower-cased text of each story (title, excerpt, provider, topics), built as needed.

    Made for 100,000 stories: the text is looked up and tested by C-level loops (`map`,
    `compress`), and a query that extends the previous one (typing on) filters the previous
    result rather than the whole view. One index serves one library: `reset` it for another.
    """

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}  # id(story) -> its text
        self._stories: list[Story] = []  # keeps those ids taken while they are keys
        self._view: tuple[Sequence[Story], list[str]] = ((), [])  # the texts of the last view
        self._last: tuple[Sequence[Story], list[str], tuple[Story, ...], list[str]] | None = None

    def reset(self) -> None:
        """Forget every story (a new library replaces the old one)."""
        self._texts, self._stories, self._view, self._last = {}, [], ((), []), None

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

    def _view_texts(self, stories: Sequence[Story]) -> list[str]:
        view, texts = self._view
        if not _same(view, stories):
            texts = self._texts_of(stories)
            self._view = (stories, texts)
        return texts

    def filter(self, stories: Sequence[Story], query: str) -> tuple[Story, ...]:
        """The stories in which every word of `query` appears (all of them for an empty one)."""
        words = query_words(query)
        if not words:
            return tuple(stories)
        last = self._last
        if last is not None and _same(last[0], stories) and _narrows(last[1], words):
            # Every story the new query matches, the old one matched: look only at those.
            found: Sequence[Story] = last[2]
            texts = last[3]
        else:
            found, texts = stories, self._view_texts(stories)
        for word in words:
            hits = list(map(operator.contains, texts, repeat(word)))
            found, texts = list(compress(found, hits)), list(compress(texts, hits))
        result = tuple(found)
        self._last = (stories, words, result, texts)
        return result


def story_text(story: Story) -> str:
    """The lower-cased text a search looks in: title, excerpt, provider, topics."""
    parts = (story.title, story.excerpt, story.provider.name, story.provider.domain)
    return "\n".join((*parts, *story.topics)).lower()


def texts_of(stories: Sequence[Story]) -> list[str]:
    """Every story's searchable text (pure: safe in a worker thread, for `SearchIndex.adopt`)."""
    return list(map(story_text, stories))


def _narrows(before: list[str], after: list[str]) -> bool:
    """Whether a story matching the words `after` always matches the words `before` too."""
    if len(after) < len(before):
        return False
    return all(old in new for old, new in zip(before, after[: len(before)], strict=True))


def _same(one: Sequence[Story], other: Sequence[Story]) -> bool:
    """The same stories in the same order (the same objects: compared in C, quickly)."""
    return one is other or (len(one) == len(other) and all(map(operator.is_, one, other)))


@lru_cache(maxsize=8)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # Compiled once per search, not once per row drawn.
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def match_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the words occur in `text` (case-insensitive), for highlighting."""
    if not words:
        return []
    pattern = _pattern(tuple(words))
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: no highlight
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(lowered)]
