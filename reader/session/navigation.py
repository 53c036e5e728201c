"""Where the user is in the library: the scope, the order, the query and the story under the
list's cursor, and the position kept for the next visit: saved by itself once it has stood
still for a moment (`save_if_due`), restored when the whole folder is in."""

from __future__ import annotations

from collections.abc import Callable

from reader.library.library import Library
from reader.model.order import Order
from reader.model.scope import ALL, Scope, ScopeKind
from reader.model.story import Story
from reader.session.marks import Marks
from reader.session.position import restored, save
from reader.session.saved_views import SavedViews
from reader.session.snapshot import Place, Tell

POSITION_DELAY = 1.0  # seconds the position stands still before it is saved


class Navigation:
    """The scope, order and query of the list, and the story under its cursor (the position).

    Lists that follow the marks (Starred, Unread, `is:read`) follow them as they were at the
    user's last change of scope, order or query (`marks_seen`: the marks themselves, frozen
    then), so a story read in view stays
    in its list until then.
    """

    def __init__(
        self,
        marks: Marks,
        saved: SavedViews,
        *,
        order: Order,
        scope: Scope | None,
        fixed_order: Order | None,
        labels: tuple[str, ...],
        changed: Callable[[], object],
        tell: Tell,
        monotonic: Callable[[], float],
    ) -> None:
        self.marks = marks
        self.saved = saved  # the saved views (name -> query), written to the config file
        self.scope: Scope = scope or ALL
        self.order = order
        self.reverse = False
        self.query = ""  # the last good query (a bad one leaves it: see `search`)
        self.query_error = ""  # what is wrong with the query typed last, and where
        self.story: Story | None = None  # under the list's cursor
        self.marks_seen = marks.view()  # the marks the lists follow
        # The user chose, searched or moved the cursor: a position restored afterwards (when
        # the whole folder is in) would throw their place away, so it is not.
        self.acted = False
        self.restored = False  # the saved position was looked at (and is saved from now on)
        self._fixed_order = fixed_order  # given on the command line: the saved one does not win
        self._fixed_scope = scope
        self._labels = labels  # the folders' labels, when there are several
        self._changed = changed
        self._tell = tell
        self._monotonic = monotonic
        self._moved_at: float | None = None  # when the position changed, unsaved since

    def piece(self) -> Place:
        """What a snapshot shows of the navigation."""
        return Place(self.scope, self.order, self.reverse, self.query, self.query_error)

    def _view_changed(self) -> None:
        """The user changed what the list shows: it follows the marks as they are now."""
        self.marks_seen = self.marks.view()
        self.acted = True
        self._moved_at = self._monotonic()
        self._changed()

    def choose(self, scope: Scope) -> None:
        """Show another scope (All, a topic, Starred, Unread, a view, a folder)."""
        self.scope = scope
        self._view_changed()

    def set_order(self, order: Order, reverse: bool = False) -> None:
        """Sort the list by `order`."""
        self.order, self.reverse = order, reverse
        self._view_changed()

    def cycle_order(self) -> None:
        """The next order, in its natural direction."""
        self.set_order(self.order.next())

    def reverse_order(self) -> None:
        """The same order the other way round."""
        self.set_order(self.order, not self.reverse)

    def search(self, query: str) -> None:
        """Keep only the stories `query` matches (the query language: reader.library.query;
        '' shows all). A bad query keeps the last good one's stories and says what is wrong,
        and where, in `query_error`."""
        from reader.library.query.compiled import query_problem

        problem = query_problem(query)
        if problem:
            self.query_error = problem
        else:
            self.acted = self.acted or query != self.query
            self.query, self.query_error = query, ""
            self.marks_seen = self.marks.view()
        self._changed()

    def refresh(self) -> None:
        """Show Starred and Unread as the marks are now (after `A`)."""
        self.marks_seen = self.marks.view()
        self._changed()

    def touched(self) -> None:
        """The user did something the saved position must not undo (followed a trail)."""
        self.acted = True

    def at(self, story: Story | None, *, by_user: bool = True) -> None:
        """The list's cursor is on `story` (`by_user`: moved there by the user, not by a
        refill of the list)."""
        if story is not self.story:
            self.story = story
            self._moved_at = self._monotonic()
        self.acted = self.acted or by_user

    # -- saved views -------------------------------------------------------------------------

    def save_view(self, name: str) -> bool:
        """Save the query in the search box as the view `name`, and show it; whether it was
        saved (else a notice says why)."""
        return self._views_changed(self.saved.save(name, self.query), Scope.view(name.strip()))

    def rename_view(self, old: str, new: str) -> bool:
        """Rename a saved view; whether it was renamed (else a notice says why)."""
        shown = Scope.view(new.strip()) if self.scope == Scope.view(old) else self.scope
        return self._views_changed(self.saved.rename(old, new), shown)

    def delete_view(self, name: str) -> bool:
        """Forget a saved view; whether it was deleted (else a notice says why)."""
        shown = ALL if self.scope == Scope.view(name) else self.scope
        return self._views_changed(self.saved.delete(name), shown)

    def _views_changed(self, problem: str, scope: Scope) -> bool:
        if problem:
            self._tell(problem, "warning")
            self._changed()
            return False
        if scope.kind is ScopeKind.VIEW and scope.name in self.saved.views:
            self.query = self.query_error = ""  # the view holds the query now
        self.choose(scope)
        return True

    # -- the library changed -----------------------------------------------------------------

    def library_complete(self, library: Library) -> Story | None:
        """Every story is in: the lists follow the marks; the position of the last visit comes
        back (unless the user has acted since the first screen: then where they are wins), and
        a scope that is gone gives way to All. The restored story, if any."""
        self.marks_seen = self.marks.view()
        story = None if self.restored else self._restore(library)
        scope = self.scope
        gone = (
            (scope.kind is ScopeKind.TOPIC and scope.name not in dict(library.topics))
            or (scope.kind is ScopeKind.VIEW and scope.name not in self.saved.views)
            or (scope.kind is ScopeKind.FOLDER and scope.name not in self._labels)
        )
        if gone:
            self.scope = ALL
        if not len(library):
            self.story = None
        return story

    def _restore(self, library: Library) -> Story | None:
        self.restored = True
        if self.acted:
            return None
        saved = restored(self.marks, library)
        if saved is None:
            return None
        if self._fixed_scope is None and saved.scope:
            self.scope = saved.scope
        if self._fixed_order is None and saved.order is not None:
            self.order, self.reverse = saved.order, saved.reverse
        return saved.story

    # -- saving the position -----------------------------------------------------------------

    def save_if_due(self) -> str:
        """Save the position once it has stood still for `POSITION_DELAY` seconds since it
        changed (not in the middle of keys). A warning when it could not be saved."""
        moved = self._moved_at
        if moved is None or self._monotonic() - moved < POSITION_DELAY:
            return ""
        return self.save()

    def save(self) -> str:
        """Save the position now (once it was restored: else it would be lost). A warning when
        it could not be saved."""
        if not self.restored:
            return ""
        self._moved_at = None
        return save(self.marks, self.scope, self.order, self.reverse, self.story)
