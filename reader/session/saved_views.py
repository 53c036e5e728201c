"""Saved views: named queries, kept in the config file's [views] table so people can write them
by hand too (reader.platform.config reads and writes that table)."""

from __future__ import annotations

from pathlib import Path

from reader.model.text import clean_line
from reader.platform.config import ConfigWriteError, save_views


class SavedViews:
    """The saved views (name -> query, in order) and the config file they are written to."""

    def __init__(
        self, views: dict[str, str], config_file: Path | None, bad: dict[str, str] | None = None
    ) -> None:
        self.views = dict(views)
        self.config_file = config_file  # None: kept for this run only (tests, or no file)
        self.bad = dict(bad or {})  # views whose query is bad: written back as they were

    def save(self, name: str, query: str) -> str:
        """Save `query` as the view `name` (replacing one of that name); '' or why not."""
        name = clean_line(name).strip()
        if not name:
            return "A view needs a name."
        if not query.strip():
            return "Type a query first (/), then save it as a view."
        return self._write({**self.views, name: query})

    def rename(self, old: str, new: str) -> str:
        """Give the view `old` the name `new`, in its place; '' or why not."""
        new = clean_line(new).strip()
        if old not in self.views:
            return f"There is no view {old!r}."
        if not new:
            return "A view needs a name."
        if new != old and new in self.views:
            return f"There is a view {new!r} already."
        return self._write({new if n == old else n: q for n, q in self.views.items()})

    def delete(self, name: str) -> str:
        """Forget the view `name`; '' or why not."""
        if name not in self.views:
            return f"There is no view {name!r}."
        return self._write({n: q for n, q in self.views.items() if n != name})

    def _write(self, views: dict[str, str]) -> str:
        if self.config_file is not None:
            written = {**views, **{n: q for n, q in self.bad.items() if n not in views}}
            try:
                save_views(self.config_file, written)
            except ConfigWriteError as error:
                return f"The view was not saved: {error}"
        self.views = views
        return ""
