"""The on-disk index cache: each file's parsed head, keyed by path, size and mtime (SQLite).

A cache of another version, a corrupt or locked one, or an unwritable directory never stops the
reader: it rebuilds the cache or runs without it, and says so in `notice`.

A load writes it in small transactions as it goes (see reader.feed.load), so whatever ends the
reader, what was committed is kept: SQLite's write-ahead log keeps every committed transaction
when the process is killed, even in the middle of the next one.
"""

from __future__ import annotations

import contextlib
import marshal
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from sys import intern
from typing import NamedTuple

from reader.feed.parse import ParseResult
from reader.model.story import FieldWarning, Links, Problem, Provider, Story

SCHEMA = "newsreader-index-6"  # 6: keys NULL until the related links are read; 16 KiB pages
# Rows are about 750 bytes: 16 KiB pages make writing them a quarter cheaper than SQLite's
# 4 KiB (fewer pages to split and log), and reading them all back a fifth.
PAGE_SIZE = 16384
_STORY, _PROBLEM = 0, 1

# A file's row: (path, kind, record, related link ids or None when not read yet, quality,
# published), as parsing workers make it (reader.feed.workers) and `IndexCache.store_rows` keeps.
CacheRow = tuple[str, int, bytes, bytes | None, int | None, float | None]


class FileStamp(NamedTuple):
    """What identifies one version of a file: its size and modification time."""

    size: int
    mtime_ns: int


def _encode_time(moment: datetime | None) -> tuple[float, int] | None:
    if moment is None:
        return None
    offset = moment.utcoffset()
    return moment.timestamp(), int(offset.total_seconds()) if offset else 0


_ZONES: dict[int, timezone] = {}  # one object per UTC offset seen


def _decode_time(value: tuple[float, int] | None) -> datetime | None:
    if value is None:
        return None
    stamp, offset = value
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(timedelta(seconds=offset))
    return datetime.fromtimestamp(stamp, zone)


def encode(result: ParseResult) -> tuple[int, bytes, bytes, int | None, float | None]:
    """A parsed file as (kind, record, related link ids, quality, date) for the cache."""
    warnings = [(w.field, w.message) for w in result.warnings]
    if result.story is None:
        reason = result.problem.reason if result.problem else "unknown problem"
        return _PROBLEM, marshal.dumps((reason, warnings)), b"", None, None
    s = result.story
    record = (
        s.title, s.excerpt, s.body, _encode_time(s.published), s.type, s.quality, s.heat,
        s.is_published, s.category, s.provider.name, s.provider.domain, s.topics,
        s.links.web, s.links.original, s.links.amp, s.links.cdn_amp, s.secured,
        s.related_count, warnings, result.link_ids,
    )  # fmt: skip
    published = s.published.timestamp() if s.published else None
    return _STORY, marshal.dumps(record), result.related_ids, s.quality, published


def decode(
    path: str,
    kind: int,
    record: bytes,
    keys: bytes | None,
    providers: dict[tuple[str, str], Provider],
) -> ParseResult:
    """Rebuild a parse result from a cache row; raises ValueError on a malformed row.

    `providers` is shared by the rows of one load: one Provider object per publisher keeps big
    folders small. This runs once per story of a warm folder of 100,000: it builds the objects
    directly. The story is a head: its related entries are counted, not read.
    """
    try:
        data = marshal.loads(record)
        if kind == _PROBLEM:
            reason, warnings = data
            return ParseResult(
                problem=Problem(path, reason),
                warnings=tuple(FieldWarning(path, f, m) for f, m in warnings),
            )
        (
            title, excerpt, body, published, type_, quality, heat, is_published, category,
            provider_name, provider_domain, topics, web, original, amp, cdn_amp, secured,
            related_count, warnings, link_ids,
        ) = data  # fmt: skip
        provider = providers.get((provider_name, provider_domain))
        if provider is None:
            provider = providers[(provider_name, provider_domain)] = Provider(
                provider_name, provider_domain
            )
        story = Story(
            path=path, title=title, excerpt=excerpt, body=body,
            published=_decode_time(published), type=intern(type_), quality=quality, heat=heat,
            is_published=is_published, category=intern(category), provider=provider,
            topics=tuple(map(intern, topics)), links=Links(web, original, amp, cdn_amp),
            secured=secured, related_count=related_count,
        )  # fmt: skip  # words every story repeats are kept once (interned)
    except (ValueError, TypeError, EOFError) as error:
        raise ValueError(f"malformed cache row for {path}") from error
    return ParseResult(
        story,
        None,
        tuple(FieldWarning(path, f, m) for f, m in warnings) if warnings else (),
        keys or b"",
        link_ids,
    )


def _repage(db: sqlite3.Connection) -> None:
    """Give an (emptied) cache of an older version the page size of this one."""
    db.execute("PRAGMA journal_mode=DELETE")  # the page size cannot change in WAL mode
    db.execute(f"PRAGMA page_size={PAGE_SIZE}")
    db.execute("VACUUM")
    db.execute("PRAGMA journal_mode=WAL")


class IndexCache:
    """One feed folder's cache file. Every method may raise sqlite3.Error; callers degrade."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.notice = ""
        file.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.file, timeout=0.5, isolation_level=None, check_same_thread=False)
        try:
            db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file's; else a no-op
            # A commit then costs no sync of its own and survives the reader being killed; a
            # power cut may lose the last commits, never the cache (they are parsed again).
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            # Stories that report one event (reader.library.coverage.groups), with the signature of
            # the stories they were worked out for (meta 'groups').
            db.execute("CREATE TABLE IF NOT EXISTS groups (path TEXT, grp TEXT, rank INTEGER)")
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None or row[0] != SCHEMA:
                if row is not None:
                    self.notice = "The index cache was from another version; rebuilding it."
                db.execute("DROP TABLE IF EXISTS files")
                if db.execute("PRAGMA page_size").fetchone()[0] != PAGE_SIZE:
                    _repage(db)
                db.execute(
                    "CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,"
                    " kind INTEGER, record BLOB, keys BLOB, quality INTEGER, published REAL)"
                )
                db.execute("CREATE INDEX best ON files (quality DESC, published DESC)")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA,))
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    @classmethod
    def open(cls, file: Path) -> tuple[IndexCache | None, str]:
        """Open (or create) the cache; a corrupt file is set aside and rebuilt.

        Returns (cache or None, a notice for the user or "").
        """
        try:
            cache = cls(file)
            return cache, cache.notice
        except sqlite3.DatabaseError as error:
            if "locked" in str(error) or "busy" in str(error):
                return None, f"The index cache is in use ({error}); reading without it."
            if not isinstance(error, sqlite3.OperationalError) or "not a database" in str(error):
                try:
                    file.replace(file.with_suffix(".corrupt"))
                    for extra in ("-wal", "-shm"):
                        Path(str(file) + extra).unlink(missing_ok=True)
                    cache = cls(file)
                    return cache, "The index cache was damaged; it was set aside and rebuilt."
                except (OSError, sqlite3.Error) as again:
                    return None, f"The index cache is unusable ({again}); reading without it."
            return None, f"The index cache is unusable ({error}); reading without it."
        except OSError as error:
            reason = error.strerror or str(error)
            return None, f"No index cache ({reason}: {file.parent}); reading without it."

    def groups(self) -> tuple[str, list[tuple[str, str, int]]]:
        """The groups kept (path, group id, rank) and the signature they were kept under
        ('' when none were)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'groups'").fetchone()
        if row is None:
            return "", []
        return str(row[0]), self._db.execute("SELECT path, grp, rank FROM groups").fetchall()

    def store_groups(self, signature: str, rows: Iterable[tuple[str, str, int]]) -> None:
        """Keep the groups (replacing those kept before) under `signature`, in one transaction."""
        with self._transaction():
            self._db.execute("DELETE FROM groups")
            self._db.executemany("INSERT INTO groups VALUES (?, ?, ?)", rows)
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('groups', ?)", (signature,))

    def stamps(self) -> dict[str, FileStamp]:
        """The size and mtime recorded for every cached file."""
        rows = self._db.execute("SELECT path, size, mtime FROM files")
        return {path: FileStamp(size, mtime) for path, size, mtime in rows}

    def rows(
        self, paths: set[str] | None = None, unlinked: list[str] | None = None, prefix: str = ""
    ) -> Iterator[ParseResult]:
        """Cached results (of `paths` only, when given), their paths behind `prefix` (the
        folder's, among several: see reader.feed.folders). The paths of those whose related
        links are not read yet are added to `unlinked` (without the prefix), when given."""
        providers: dict[tuple[str, str], Provider] = {}
        query = "SELECT path, kind, record, keys FROM files"
        for path, kind, record, keys in self._db.execute(query):
            if paths is None or path in paths:
                if keys is None and unlinked is not None:
                    unlinked.append(path)
                yield decode(prefix + path, kind, record, keys, providers)

    def best(self, count: int, prefix: str = "", skip: int = 0) -> list[ParseResult]:
        """The `count` best cached stories after the `skip` best, as they were when cached (not
        checked against disk), their paths behind `prefix`."""
        providers: dict[tuple[str, str], Provider] = {}
        query = "SELECT path, kind, record, keys FROM files WHERE kind = ?"
        query += " ORDER BY quality DESC, published DESC, rowid LIMIT ? OFFSET ?"
        rows = self._db.execute(query, (_STORY, count, skip))
        return [
            decode(prefix + path, kind, record, keys, providers)
            for path, kind, record, keys in rows
        ]

    def store(self, entries: Iterable[tuple[str, FileStamp, ParseResult]]) -> None:
        """Record parsed files, in one transaction."""
        rows = [
            (path, stamp.size, stamp.mtime_ns, *encode(result)) for path, stamp, result in entries
        ]
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def store_rows(self, rows: Iterable[CacheRow], stamps: Mapping[str, FileStamp]) -> None:
        """Record files as parsing workers made their rows (each file's stamp from `stamps`),
        in one transaction."""
        values = (
            (path, *stamps[path], kind, record, keys, quality, published)
            for path, kind, record, keys, quality, published in rows
        )
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values
            )

    def store_related_ids(self, related_ids: Mapping[str, bytes]) -> None:
        """Add the related links' ids to files recorded without them (b"" for none: they are
        read once)."""
        rows = [(ids, path) for path, ids in related_ids.items()]
        with self._transaction():
            self._db.executemany("UPDATE files SET keys = ? WHERE path = ?", rows)

    def forget(self, paths: Iterable[str]) -> None:
        """Drop files that no longer exist."""
        with self._transaction():
            self._db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in paths])

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def defer_checkpoints(self, deferred: bool = True) -> None:
        """While a load writes batch after batch, let the write-ahead log grow: its pages are
        copied into the database once, at `defer_checkpoints(False)` (or when the cache is
        closed), not every 4 MB meanwhile."""
        if deferred:
            self._db.execute("PRAGMA wal_autocheckpoint=0")
        else:
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self._db.execute("PRAGMA wal_autocheckpoint=1000")

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def close_quietly(cache: IndexCache) -> None:
    """Close a cache whose errors no longer matter."""
    with contextlib.suppress(sqlite3.Error):
        cache.close()
