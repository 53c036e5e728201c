"""The lists a session shows, kept while they hold: scope views, the sidebar, search texts."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.library.library import Library
from reader.library.search import SearchIndex
from reader.model.order import Order
from reader.model.scope import BUILT_IN_QUERIES, Scope, ScopeKind
from reader.model.story import Story
from reader.session.grouping import Grouping
from reader.session.marks import Marks, MarksView
from reader.session.snapshot import SidebarEntry, sidebar_of

if TYPE_CHECKING:  # the query modules are imported when first used (a warm start needs none)
    from reader.article.store import KeptIndex
    from reader.library.query.compiled import QueryContext

KEPT = 8  # scope views kept at once


class Views:
    """Views worked out once and kept until what they depend on changes (owner thread only).

    Starred and Unread are kept until the marks change: a pass over 100,000 stories is not
    to be made at every search keystroke.
    """

    def __init__(
        self,
        grouping: Grouping,
        labels: tuple[str, ...] = (),
        folder_of: Callable[[Story], str] = lambda story: "",
    ) -> None:
        self.search = SearchIndex()
        self.articles: KeptIndex | None = None  # kept articles, for `has:article`, `text:`
        self._library: Library | None = None  # the library the kept views are of
        self._scopes: dict[tuple[object, ...], tuple[Story, ...]] = {}
        self._sidebar: tuple[object, tuple[SidebarEntry, ...]] = (None, ())
        self._topics: dict[str, array[int]] | None = None  # of an unindexed library
        self._positions: dict[Order, array[int]] = {}
        self._found: tuple[object, tuple[object, ...], tuple[Story, ...]] = ((), (), ())
        self._members: dict[tuple[object, ...], frozenset[int]] = {}  # saved views' stories
        self._read: tuple[object, list[Story], frozenset[int]] = (None, [], frozenset())
        self.grouping = grouping  # the session's: `has:coverage` and `coverage>=N` ask it
        self.labels = labels  # the folders' labels, when there are several
        self.folder_of = folder_of  # a story's folder's label
        self._folders: tuple[object, Counter[str]] = (None, Counter())  # stories per folder

    def _follows(self, query: str, seen: MarksView) -> object:
        """What a query's stories depend on beyond the library: the marks (as `seen`) and the
        groups, for a query that asks about them; nothing for another."""
        if not query:
            return 0
        from reader.library.query.compiled import compile_query

        return (seen, self.grouping.version) if compile_query(query).uses_context else 0

    def filtered(
        self, base: tuple[Story, ...], query: str, library: Library, seen: MarksView
    ) -> tuple[Story, ...]:
        """`base` narrowed by `query`: the same tuple until either changes. A query about
        marks (`is:unread`) follows them as they were at `seen` (the list's last refresh), as
        the Starred and Unread views do: a story read in view stays in its list."""
        from reader.library.query.compiled import compile_query

        compiled = compile_query(query)
        # Kept articles count only for a query that asks about them (`text:`, `has:article`):
        # a fetch that ends does not make every other search run again.
        articles = self.articles if "article" in query or "text:" in query else None
        key = (query, self._follows(query, seen), library, articles)
        if self._found[0] is not base or self._found[1] != key:
            context = self._context(library, seen)
            self._found = (base, key, self.search.filter(base, compiled, context))
        return self._found[2]

    def scope(
        self,
        library: Library,
        scope: Scope,
        order: Order,
        reverse: bool,
        seen: MarksView,
        saved: dict[str, str] | None = None,
    ) -> tuple[Story, ...]:
        """The stories of `scope` in order. Views (Starred, Unread and the `saved` ones, name
        -> query) follow the marks as they were at `seen` (the list's last refresh), so a
        story read in view stays in its list."""
        if self._library is not library:  # views of an older library would keep it alive
            self._scopes.clear()
            self._library = library
            self._topics, self._positions = None, {}
        query = view_query(scope, saved or {})
        key = (scope, query, order, reverse, self._follows(query, seen))
        view = self._scopes.get(key)
        if view is None:
            if scope.kind is ScopeKind.TOPIC and not library.is_indexed:
                # Not indexed yet (a partial library, or a complete one being indexed): work
                # the topic index and the order's positions out once for this library.
                if self._topics is None:
                    self._topics = library.topic_index()
                if order not in self._positions:
                    self._positions[order] = library.positions(order)
                view = library.view(
                    scope.name,
                    order,
                    reverse,
                    topics=self._topics,
                    positions=self._positions[order],
                )
            elif scope.kind is ScopeKind.TOPIC:
                view = library.view(scope.name, order, reverse)
            elif scope.kind is ScopeKind.FOLDER:
                prefix = scope.name + "/"
                view = tuple(
                    s for s in library.ordered(order, reverse) if s.path.startswith(prefix)
                )
            elif scope.is_view:
                ordered = library.ordered(order, reverse)
                view = self.matching(library, ordered, query, seen) if query else ()
            else:
                view = library.ordered(order, reverse)
            if len(self._scopes) >= KEPT:
                self._scopes.clear()
            self._scopes[key] = view
        return view

    def matching(
        self, library: Library, stories: tuple[Story, ...], query: str, marks: MarksView
    ) -> tuple[Story, ...]:
        """The stories of `stories` that `query` (a good one) matches, in their order."""
        from reader.library.query.compiled import compile_query

        compiled = compile_query(query)
        context = self._context(library, marks)
        texts = self.search.known_texts(stories)
        if texts is None:
            return compiled.filter(stories, context)
        return tuple(compiled.select(stories, texts, context)[0])

    def _context(self, library: Library, marks: MarksView) -> QueryContext:
        """What a query asks of the session: the marks, the backlinks and the groups."""
        from reader.library.query.compiled import context_of

        return context_of(
            library,
            is_read=marks.is_read,
            is_starred=marks.is_starred,
            folder_of=self.folder_of,
            coverage_of=self.grouping.size,
            has_article=self.articles.has_article if self.articles else None,
            article_matches=self.articles.matches if self.articles else None,
        )

    def sidebar(
        self, library: Library, marks: Marks, saved: dict[str, str] | None = None
    ) -> tuple[SidebarEntry, ...]:
        """All, Starred, Unread, the saved views and the topics, with counts (the same object
        until they change, so a screen redraws it only then)."""
        saved = saved or {}
        key = (library, marks.changes, tuple(saved.items()), self.grouping.version)
        if self._sidebar[0] != key:
            counts = [(name, *self._counts(library, query, marks)) for name, query in saved.items()]
            folders = self._folder_counts(library, marks)
            self._sidebar = (key, sidebar_of(library, marks, counts, folders))
        return self._sidebar[1]

    def _folder_counts(self, library: Library, marks: Marks) -> list[tuple[str, int, int]]:
        """(label, stories, unread stories) of each folder, when there are several: the
        stories counted once per library, the unread from the read marks."""
        if not self.labels:
            return []
        # Counted once per set of stories (an indexed library keeps the complete one's).
        if self._folders[0] is not library.stories:
            counts = {label: library.count_under(label + "/") for label in self.labels}
            self._folders = (library.stories, Counter(counts))
        totals = self._folders[1]
        read = Counter(map(self.folder_of, self._read_stories(library, marks)[0]))
        return [(label, totals[label], totals[label] - read[label]) for label in self.labels]

    def _counts(self, library: Library, query: str, marks: Marks) -> tuple[int, int]:
        """(stories, unread stories) of a saved view. Its stories are kept for the library
        while the view does not depend on the marks; the unread are counted from the read
        marks (usually few), never by asking 100,000 stories."""

        key = (library, query, self._follows(query, marks.view()))
        members = self._members.get(key)
        if members is None:
            if len(self._members) >= KEPT * 4:
                self._members.clear()
            found = self.matching(library, library.stories, query, marks.view())
            members = self._members[key] = frozenset(map(id, found))
        read = self._read_stories(library, marks)[1]
        return len(members), len(members) - len(members & read)

    def _read_stories(self, library: Library, marks: Marks) -> tuple[list[Story], frozenset[int]]:
        """The stories marked read (and their ids), found once per change of the marks."""
        key = (library, marks.changes)
        if self._read[0] != key:
            stories = marks.stories(library, marks.state.read)
            self._read = (key, stories, frozenset(map(id, stories)))
        return self._read[1], self._read[2]


def view_query(scope: Scope, saved: dict[str, str]) -> str:
    """The query behind a view scope ('' for another scope, or a saved view gone)."""
    if scope.kind is ScopeKind.VIEW:
        return saved.get(scope.name, "")
    return BUILT_IN_QUERIES.get(scope.kind, "")
