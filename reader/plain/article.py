"""The one hook for "the article's text when it is kept": the plain reader shows it in place of
the excerpt (kept by `t` in the full-screen reader or by `newsreader fetch`; the plain reader
fetches nothing itself)."""

from __future__ import annotations

from functools import cache

from reader.article.model import readable
from reader.article.store import ArticleStore
from reader.model.story import Story
from reader.platform import paths


@cache
def _store() -> ArticleStore:
    return ArticleStore(paths.article_cache())


def article_text(story: Story) -> str | None:
    """The article kept for `story` as text (how many words and when it was fetched, then the
    body with its links numbered, then the links), or None: then its excerpt is shown."""
    article = _store().get(story.url) if story.url else None
    if article is None:
        return None
    return readable(article, title=False)
