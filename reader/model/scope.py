"""Which stories the list shows: all of them, one topic's, the starred or the unread ones."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ScopeKind(StrEnum):
    """The kinds of scope; saved views will join them."""

    ALL = "all"
    TOPIC = "topic"
    STARRED = "starred"
    UNREAD = "unread"


@dataclass(frozen=True, slots=True)
class Scope:
    """A typed choice of stories: `Scope.topic("Windows")`, or one of ALL, STARRED, UNREAD."""

    kind: ScopeKind = ScopeKind.ALL
    name: str = ""  # the topic's name, for a TOPIC scope

    @classmethod
    def topic(cls, name: str) -> Scope:
        """The stories of one topic."""
        return cls(ScopeKind.TOPIC, name)

    @property
    def label(self) -> str:
        """How the sidebar and the status line name it."""
        if self.kind is ScopeKind.TOPIC:
            return self.name
        return _LABELS[self.kind]

    @property
    def is_marks(self) -> bool:
        """Whether the scope follows the read/starred marks (Starred, Unread)."""
        return self.kind in (ScopeKind.STARRED, ScopeKind.UNREAD)

    def saved(self) -> str:
        """The scope as the position file keeps it: '' for All, the topic's name, or a
        control-character-prefixed name (no story topic can contain one)."""
        if self.kind is ScopeKind.TOPIC:
            return self.name
        return "" if self.kind is ScopeKind.ALL else "\x00" + self.kind.value

    @classmethod
    def from_saved(cls, value: str) -> Scope:
        """The scope `saved` wrote."""
        if not value:
            return ALL
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
