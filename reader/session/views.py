"""The lists a session shows, kept while they hold: scope views, the sidebar, search texts."""

from __future__ import annotations

from reader.library.library import Library
from reader.library.search import SearchIndex
from reader.model.order import Order
from reader.model.scope import STARRED, Scope, ScopeKind
from reader.model.story import Story
from reader.session.marks import Marks
from reader.session.snapshot import SidebarEntry, sidebar_of

KEPT = 8  # scope views kept at once


class Views:
    """Views worked out once and kept until what they depend on changes (owner thread only).

    Starred and Unread are kept until the marks change: a pass over 100,000 stories is not
    to be made at every search keystroke.
    """

    def __init__(self) -> None:
        self.search = SearchIndex()
        self._library: Library | None = None  # the library the kept views are of
        self._scopes: dict[tuple[object, ...], tuple[Story, ...]] = {}
        self._sidebar: tuple[object, tuple[SidebarEntry, ...]] = (None, ())

    def scope(
        self, library: Library, scope: Scope, order: Order, reverse: bool, marks: Marks
    ) -> tuple[Story, ...]:
        """The stories of `scope` in order."""
        if self._library is not library:  # views of an older library would keep it alive
            self._scopes.clear()
            self._library = library
        key = (scope, order, reverse, marks.changes if scope.is_marks else 0)
        view = self._scopes.get(key)
        if view is None:
            if scope.kind is ScopeKind.TOPIC:
                view = library.view(scope.name, order, reverse)
            elif scope.is_marks:
                ordered = library.ordered(order, reverse)
                if scope == STARRED:
                    view = tuple(s for s in ordered if marks.is_starred(s))
                else:
                    view = tuple(s for s in ordered if not marks.is_read(s))
            else:
                view = library.ordered(order, reverse)
            if len(self._scopes) >= KEPT:
                self._scopes.clear()
            self._scopes[key] = view
        return view

    def sidebar(self, library: Library, marks: Marks) -> tuple[SidebarEntry, ...]:
        """All, Starred, Unread and the topics, with counts (the same object until they
        change, so a screen redraws it only then)."""
        key = (library, marks.changes)
        if self._sidebar[0] != key:
            self._sidebar = (key, sidebar_of(library, marks))
        return self._sidebar[1]
