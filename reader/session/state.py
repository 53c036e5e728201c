"""What the reader remembers per feed folder: read and starred stories, and where you were.

SQLite in the user data directory, one file per folder (several folders open at once share their
marks: see `State`). Every change is committed at once, so a
crash or `kill -9` right after pressing a key loses nothing. A damaged file is set aside and the
reader starts clean, saying so.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from reader.feed.folders import Folders
from reader.model.keys import StoryKey, behind, own, story_key
from reader.model.story import Story
from reader.platform.paths import folders_id

SCHEMA = "newsreader-state-1"
# One mark of a story at a time: a row's other mark may be another reader's (a browser tab's).
SAVE = {
    mark: "INSERT INTO marks (key, read, starred, changed) VALUES "
    f"(?1, {'?2' if mark == 'read' else 0}, {'?2' if mark == 'starred' else 0}, ?3) "
    f"ON CONFLICT (key) DO UPDATE SET {mark} = excluded.{mark}, changed = excluded.changed"
    for mark in ("read", "starred")
}


class StateError(Exception):
    """The state file cannot be used at all (the reader then keeps state in memory only)."""


POSITION = "position."  # the meta keys a folder's position is kept under


class State:
    """Read/starred marks and the last position of one feed folder, or of several at once.

    With several folders (`stores`: each one's state file and its paths' prefix, see
    reader.feed.folders), marks follow the link: one folder's mark counts in all of them, and
    a change is written to every folder's file, so each folder opened alone later shows it.
    A story without a link is filed under its path, in its own folder's file only. The
    position of several folders at once is kept in the first one's file, under `space`.
    """

    def __init__(
        self,
        file: Path | None = None,
        *,
        stores: Sequence[tuple[Path | None, str]] | None = None,
        space: str = POSITION,
        read_only: bool = False,
    ) -> None:
        """`read_only`: read the marks as they are, never creating, changing or setting aside
        a file (`newsreader list`); changes then last as long as this object."""
        pairs = stores if stores is not None else [(file, "")]
        self._stores = [_Store(store_file, prefix, read_only) for store_file, prefix in pairs]
        for store in self._stores:  # several folders: say whose state a notice is about
            if store.notice and store.prefix:
                store.notice = f"{store.prefix.rstrip('/')}: {store.notice}"
        self.space = space
        self.notice = " ".join(dict.fromkeys(s.notice for s in self._stores if s.notice))
        # The marks of every folder as one; each store's own are not needed once merged.
        self.read: set[str] = set().union(*(s.read for s in self._stores))
        self.starred: set[str] = set().union(*(s.starred for s in self._stores))
        for store in self._stores:
            store.read.clear()
            store.starred.clear()
        self._keys: dict[tuple[str, str], StoryKey] = {}

    # -- marks ---------------------------------------------------------------------------------

    def key(self, story: Story) -> StoryKey:
        """`story_key`, remembered: the list asks for every row it draws."""
        found = self._keys.get((story.path, story.url))
        if found is None:
            found = self._keys[(story.path, story.url)] = story_key(story)
        return found

    def is_read(self, story: Story) -> bool:
        return bool(self.read) and self.key(story) in self.read

    def is_starred(self, story: Story) -> bool:
        return bool(self.starred) and self.key(story) in self.starred

    def set_read(self, stories: Iterable[Story], read: bool = True) -> int:
        """Mark stories read (or unread); returns how many changed. Committed at once."""
        keys = [self.key(s) for s in stories]
        changed = [k for k in keys if (k in self.read) != read]
        for key in changed:
            (self.read.add if read else self.read.discard)(key)
        self._save(changed, "read", read)
        return len(changed)

    def toggle_star(self, story: Story) -> bool:
        """Star or unstar a story; returns whether it is starred now. Committed at once."""
        key = self.key(story)
        if key in self.starred:
            self.starred.discard(key)
        else:
            self.starred.add(key)
        self._save([key], "starred", key in self.starred)
        return key in self.starred

    def _save(self, keys: Sequence[str], mark: str, value: bool) -> None:
        """Write one mark ("read" or "starred") of `keys` to every folder's file it belongs in.
        The other mark is left as it is on disk: another reader of the folder (a second
        browser tab) may have changed it since."""
        errors = []
        for store in self._stores:
            try:
                store.save(keys, mark, value)
            except StateError as error:
                errors.append(error)
        if errors:
            raise errors[0]

    # -- position ------------------------------------------------------------------------------

    def position(self) -> dict[str, str]:
        """The topic, order and story saved by `save_position` (strings; may be empty)."""
        return self._stores[0].position(self.space) if self._stores else {}

    def save_position(self, **values: str) -> None:
        """Remember where the reader was (topic, order, reverse, story)."""
        if self._stores:
            self._stores[0].save_position(self.space, values)

    def close(self) -> None:
        for store in self._stores:
            store.close()


class _Store:
    """One state file: the marks it holds (their keys as the library's paths make them, behind
    `prefix`) and its connection."""

    def __init__(self, file: Path | None, prefix: str = "", read_only: bool = False) -> None:
        self.file = file
        self.prefix = prefix
        self.notice = ""
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self._db: sqlite3.Connection | None = None
        if file is not None and read_only:
            self._look(file)
        elif file is not None:
            self._open(file)

    def _look(self, file: Path) -> None:
        """Read the marks without touching the file (no file: no marks, nothing to say)."""
        if not file.is_file():
            return
        try:
            db = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True, timeout=1.0)
        except sqlite3.Error as error:
            self.notice = _unread(file, str(error))
            return
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is not None and row[0] != SCHEMA:
                self.notice = _unread(file, f"unknown schema {row[0]}")
                return
            self.read, self.starred = self._behind_all(*marked_keys(db))
        except sqlite3.Error as error:
            self.notice = _unread(file, str(error))
        finally:
            db.close()

    def _open(self, file: Path) -> None:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(file)
        except sqlite3.DatabaseError as error:
            if "locked" in str(error) or "busy" in str(error):
                self.notice = _unsaved(f"another reader has it open: {error}")
                return
            aside = file.with_name(file.name + f".damaged-{int(time.time())}")
            try:
                file.replace(aside)
                for extra in ("-wal", "-shm"):
                    Path(str(file) + extra).unlink(missing_ok=True)
                self.read.clear()
                self.starred.clear()
                self._db = self._connect(file)
                self.notice = (
                    f"The reading state was damaged: it was moved to {aside.name} "
                    "and the reader starts clean."
                )
            except (OSError, sqlite3.Error) as again:
                self.notice = _unsaved(str(again))
                self._db = None
        except OSError as error:
            self.notice = _unsaved(error.strerror or str(error))

    def _connect(self, file: Path) -> sqlite3.Connection:
        db = sqlite3.connect(file, timeout=1.0, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a mark survives a power cut, not just a kill
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is not None and row[0] != SCHEMA:
                raise sqlite3.DatabaseError(f"unknown schema {row[0]}")
            db.execute(
                "CREATE TABLE IF NOT EXISTS marks (key TEXT PRIMARY KEY, read INTEGER NOT NULL,"
                " starred INTEGER NOT NULL, changed REAL)"
            )
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA,))
            self.read, self.starred = self._behind_all(*marked_keys(db))
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _behind_all(self, read: set[str], starred: set[str]) -> tuple[set[str], set[str]]:
        """The file's keys as the library files them (a path is the folder's own: the
        library's carries its label)."""
        if not self.prefix:
            return read, starred
        prefix = self.prefix
        return {behind(key, prefix) for key in read}, {behind(key, prefix) for key in starred}

    def save(self, keys: Sequence[str], mark: str, value: bool) -> None:
        """Write one mark of `keys` (the library's): every link's, and the paths of this
        folder's stories without one."""
        if self._db is None:
            return
        mine = [found for key in keys if (found := own(key, self.prefix)) is not None]
        if mine:
            now = time.time()
            self._write(SAVE[mark], [(k, int(value), now) for k in mine], "reading state")

    def _write(self, statement: str, rows: Sequence[tuple[object, ...]], what: str) -> None:
        """Run `statement` for each row in one transaction (one write to disk)."""
        assert self._db is not None
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(statement, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise StateError(f"could not save the {what}: {error}") from error

    def position(self, space: str) -> dict[str, str]:
        if self._db is None:
            return {}
        try:
            rows = self._db.execute(
                "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", (len(space), space)
            )
            return {key[len(space) :]: value for key, value in rows}
        except sqlite3.Error:
            return {}

    def save_position(self, space: str, values: dict[str, str]) -> None:
        if self._db is None:
            return
        rows = [(space + key, value) for key, value in values.items()]
        self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", rows, "position")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def marked_keys(db: sqlite3.Connection) -> tuple[set[str], set[str]]:
    """The keys (`story_key`) of the read and of the starred stories of a state file."""
    read: set[str] = set()
    starred: set[str] = set()
    for key, is_read, is_starred in db.execute("SELECT key, read, starred FROM marks"):
        if is_read:
            read.add(key)
        if is_starred:
            starred.add(key)
    return read, starred


def _unsaved(reason: str) -> str:
    return f"The reading state cannot be saved ({reason}); marks last until you quit."


def _unread(file: Path, reason: str) -> str:
    return f"the read and starred marks in {file} could not be read ({reason}); none are shown"


def state_of(folders: Folders, *, read_only: bool = False) -> State:
    """The reading state of the folders: one folder's file, or every folder's as one (marks
    follow the link), with the position of these folders together in the first one's."""
    if not folders.several:
        return State(folders.first.state_file, read_only=read_only)
    together = folders_id([source.path for source in folders.sources])
    return State(
        stores=[(source.state_file, source.prefix) for source in folders.sources],
        space=f"position[{together}].",
        read_only=read_only,
    )
