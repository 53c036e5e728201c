"""Kept articles: one SQLite file in the cache folder, keyed by the story's normalised link,
with the page's validators and a full-text index of the body for `text:` queries."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.model.links import fast_key

if TYPE_CHECKING:  # the articles' values are made on first use (not on a start)
    from reader.article.model import Article
    from reader.model.story import Story

SCHEMA_VERSION = 2  # a file of another version is set aside and started afresh
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    fetched REAL NOT NULL,
    words INTEGER NOT NULL,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    doc TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS article_text USING fts5(
    key UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2'
);
"""
_TERM = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Kept:
    """What the lists need to know of a kept article."""

    words: int
    fetched: float


def key_of(url: str) -> str | None:
    """The key an article is kept under: its link, normalised (None for non-web links)."""
    return fast_key(url) if url else None


class ArticleStore:
    """The kept articles. Safe to share between threads (one connection, one lock); opened
    on first use; a damaged or newer file is set aside and started afresh."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.OperationalError:
                raise  # busy, locked, read-only: the file is fine, try again another time
            except sqlite3.DatabaseError:  # not a database, malformed, another version
                self.path.replace(self.path.with_suffix(".damaged"))
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"article cache version {version}")
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- reading: never raises (a file that cannot be read keeps nothing, for now) -----------

    def _rows(self, sql: str, arguments: tuple[object, ...] = ()) -> list[Any]:
        if not self.path.exists():
            return []
        try:
            with self._lock:
                return self._connect().execute(sql, arguments).fetchall()
        except (sqlite3.Error, OSError):
            return []

    def get(self, url: str) -> Article | None:
        """The kept article of `url`, or None."""
        key = key_of(url)
        if key is None:
            return None
        sql = "SELECT url, final_url, fetched, words, doc FROM articles WHERE key = ?"
        rows = self._rows(sql, (key,))
        try:
            return _article(*rows[0]) if rows else None
        except (ValueError, KeyError, TypeError):  # a record this version cannot read
            return None

    def validators(self, url: str) -> tuple[str, str]:
        """The ETag and Last-Modified the page was kept with ("" when none)."""
        key = key_of(url)
        sql = "SELECT etag, last_modified FROM articles WHERE key = ?"
        rows = self._rows(sql, (key,)) if key else []
        return (rows[0][0], rows[0][1]) if rows else ("", "")

    def kept(self) -> dict[str, Kept]:
        """Every kept article's key with its words and fetch time."""
        rows = self._rows("SELECT key, words, fetched FROM articles")
        return {key: Kept(words, fetched) for key, words, fetched in rows}

    def search(self, words: str) -> frozenset[str]:
        """Keys of the articles whose text holds every word of `words`, as a phrase when it
        has several (case and accents do not matter: both sides are folded alike, `ß` as
        `ss`). A run of Chinese or Japanese text without spaces is one word to the index."""
        from reader.model.fold import fold

        terms = _TERM.findall(fold(words))
        if not terms:
            return frozenset()
        phrase = '"' + " ".join(terms) + '"'
        rows = self._rows("SELECT key FROM article_text WHERE article_text MATCH ?", (phrase,))
        return frozenset(row[0] for row in rows)

    # -- writing -----------------------------------------------------------------------------

    def put(self, article: Article, etag: str = "", last_modified: str = "") -> None:
        """Keep `article` under its link's key (replacing what was kept)."""
        key = key_of(article.url)
        if key is None:
            return
        from reader.model.fold import fold

        doc = json.dumps(_record(article), ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            db = self._connect()
            with db:
                db.execute(
                    "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        article.url,
                        article.final_url,
                        article.fetched,
                        article.words,
                        etag,
                        last_modified,
                        doc,
                    ),
                )
                db.execute("DELETE FROM article_text WHERE key = ?", (key,))
                text = fold(" ".join(filter(None, (article.title, article.text))))
                db.execute("INSERT INTO article_text VALUES (?, ?)", (key, text))

    def touch(self, url: str, when: float | None = None) -> None:
        """The page was fetched again and had not changed (a 304)."""
        key = key_of(url)
        if key is None:
            return
        with self._lock:
            db = self._connect()
            with db:
                db.execute(
                    "UPDATE articles SET fetched = ? WHERE key = ?", (when or time.time(), key)
                )

    def forget(self, urls: Iterable[str]) -> None:
        keys = [(k,) for k in map(key_of, urls) if k]
        with self._lock:
            db = self._connect()
            with db:
                db.executemany("DELETE FROM articles WHERE key = ?", keys)
                db.executemany("DELETE FROM article_text WHERE key = ?", keys)


class KeptIndex:
    """The kept articles as queries and lists ask of them: which stories have one (`has:`,
    the list's glyph, `list --json`) and which hold some words (`text:`). Taken from the store
    once; made again after a fetch."""

    def __init__(self, store: ArticleStore | None, kept: dict[str, Kept] | None = None) -> None:
        self.store = store
        self.kept = kept if kept is not None else (store.kept() if store else {})

    def adding(self, article: Article) -> KeptIndex:
        """A new index: this one and `article`, just kept (no read of the store)."""
        key = key_of(article.url)
        if key is None:
            return self
        return KeptIndex(self.store, {**self.kept, key: Kept(article.words, article.fetched)})

    def of(self, story: Story) -> Kept | None:
        key = key_of(story.url)
        return self.kept.get(key) if key else None

    def has_article(self, story: Story) -> bool:
        return self.of(story) is not None

    def matches(self, words: str) -> Callable[[Story], bool]:
        keys = self.store.search(words) if self.store is not None and self.kept else frozenset()
        if not keys:
            return lambda story: False
        return lambda story: key_of(story.url) in keys


def _record(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "byline": article.byline,
        "published": article.published,
        "site": article.site,
        "blocks": [
            [b.kind, b.level, [[s.text, s.link] for s in b.spans], list(b.cells)]
            for b in article.blocks
        ],
        "links": [[link.text, link.url] for link in article.links],
    }


def _article(url: str, final_url: str, fetched: float, words: int, doc: str) -> Article:
    from reader.article.model import Article, Block, Link, Span

    data = json.loads(doc)
    return Article(
        url=url,
        final_url=final_url,
        title=data["title"],
        byline=data["byline"],
        published=data["published"],
        site=data["site"],
        blocks=tuple(
            Block(kind, tuple(Span(t, n) for t, n in spans), level, tuple(cells))
            for kind, level, spans, cells in data["blocks"]
        ),
        links=tuple(Link(text, link) for text, link in data["links"]),
        fetched=fetched,
        words=words,
    )
