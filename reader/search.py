"""Searching stories: every word of the query must appear somewhere in the story (no Textual)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from reader.story import Story


def query_words(query: str) -> list[str]:
    """The words of a search query, lower-cased."""
    return query.lower().split()


class SearchIndex:
    """Lower-cased text of each story (title, excerpt, provider, topics), built as needed."""

    def __init__(self) -> None:
        self._text: dict[str, str] = {}

    def text(self, story: Story) -> str:
        found = self._text.get(story.path)
        if found is None:
            parts = (story.title, story.excerpt, story.provider.name, story.provider.domain)
            found = self._text[story.path] = "\n".join((*parts, *story.topics)).lower()
        return found

    def filter(self, stories: Sequence[Story], query: str) -> tuple[Story, ...]:
        """The stories in which every word of `query` appears (all of them for an empty one)."""
        words = query_words(query)
        if not words:
            return tuple(stories)
        text = self.text
        return tuple(s for s in stories if all(word in text(s) for word in words))


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
