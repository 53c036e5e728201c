"""The search box over the story list: the query language, hidden until `/`."""

from __future__ import annotations

from textual.widgets import Input

HINT = 'Search: words, "a phrase", title:, topic:, quality>=…, is:unread, -not, OR'


class SearchBox(Input):
    """One line of query; the list below narrows as it is typed (see MainScreen)."""

    def __init__(self, *, shown: bool = False) -> None:
        super().__init__(id="search", placeholder=HINT)
        self.display = shown
