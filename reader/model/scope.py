"""Which stories the list shows: all of them, one topic's, one folder's (of several), or a
view's (a saved query; Starred and Unread are the built-in views)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ScopeKind(StrEnum):
    """The kinds of scope."""

    ALL = "all"
    TOPIC = "topic"
    STARRED = "starred"  # the built-in view `is:starred`
    UNREAD = "unread"  # the built-in view `is:unread`
    VIEW = "view"  # a saved view, by name
    FOLDER = "folder"  # one of several folders, by its label


# The built-in views' queries (the query language: reader.library.query).
BUILT_IN_QUERIES = {ScopeKind.STARRED: "is:starred", ScopeKind.UNREAD: "is:unread"}


@dataclass(frozen=True, slots=True)
class Scope:
    """A typed choice of stories: `Scope.topic("Windows")`, `Scope.view("Top picks")`,
    `Scope.folder("world")`, or one of ALL, STARRED, UNREAD."""

    kind: ScopeKind = ScopeKind.ALL
    name: str = ""  # the topic's name, for a TOPIC scope; the view's, for a VIEW; the folder's

    @classmethod
    def topic(cls, name: str) -> Scope:
        """The stories of one topic."""
        return cls(ScopeKind.TOPIC, name)

    @classmethod
    def view(cls, name: str) -> Scope:
        """The stories of a saved view."""
        return cls(ScopeKind.VIEW, name)

    @classmethod
    def folder(cls, label: str) -> Scope:
        """The stories of one of several folders."""
        return cls(ScopeKind.FOLDER, label)

    @property
    def label(self) -> str:
        """How the sidebar and the status line name it."""
        if self.kind in (ScopeKind.TOPIC, ScopeKind.VIEW, ScopeKind.FOLDER):
            return self.name
        return _LABELS[self.kind]

    @property
    def is_view(self) -> bool:
        """Whether the scope is a view: a query (Starred, Unread, or a saved one)."""
        return self.kind in (ScopeKind.STARRED, ScopeKind.UNREAD, ScopeKind.VIEW)

    def saved(self) -> str:
        """The scope as the position file keeps it: '' for All, the topic's name, or a
        control-character-prefixed name (no story topic can contain one)."""
        if self.kind is ScopeKind.TOPIC:
            return self.name
        if self.kind in (ScopeKind.VIEW, ScopeKind.FOLDER):
            return f"\x00{self.kind.value}:" + self.name
        return "" if self.kind is ScopeKind.ALL else "\x00" + self.kind.value

    @classmethod
    def from_saved(cls, value: str) -> Scope:
        """The scope `saved` wrote."""
        if not value:
            return ALL
        if value.startswith("\x00view:"):
            return cls.view(value.removeprefix("\x00view:"))
        if value.startswith("\x00folder:"):
            return cls.folder(value.removeprefix("\x00folder:"))
        if value.startswith("\x00"):
            try:
                return cls(ScopeKind(value[1:]))
            except ValueError:
                return ALL
        return cls.topic(value)


_LABELS = {ScopeKind.ALL: "All", ScopeKind.STARRED: "★ Starred", ScopeKind.UNREAD: "● Unread"}
ALL = Scope(ScopeKind.ALL)
STARRED = Scope(ScopeKind.STARRED)
UNREAD = Scope(ScopeKind.UNREAD)
