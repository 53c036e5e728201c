"""`newsreader list` and `export`: folders loaded for a script, filtered, sorted (no Textual).

    listing = load_listing([Path("feed-a"), Path("feed-b")])   # raises FolderError
    entries, matched = listing.select(compile_query("is:starred"), Order.NEWEST, limit=20)

Each folder is read the reader's way, through its index cache, and several folders become one
library as in the reader (`reader.feed.folders`). The read and starred marks come from the
reader's state files, read only: listing never creates, changes or sets aside a state file.
Which stories report one event (`reader.library.coverage.groups`) is worked out when first asked for
(a coverage row or term): one folder's groups come from, and are kept in, its index cache;
several folders' library is grouped anew, since no one folder's cache holds its groups.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reader.article.model import iso_time
from reader.article.store import ArticleStore, Kept, KeptIndex
from reader.feed.folders import Folders, across_notice
from reader.library.build import scan_library
from reader.library.coverage.cache import coverage_of
from reader.library.coverage.groups import Coverage, Group
from reader.library.library import Library
from reader.library.query.compiled import Query, QueryContext, context_of
from reader.model.dates import short_date
from reader.model.order import Order
from reader.model.story import Story
from reader.model.text import clean_line
from reader.platform import paths
from reader.session.state import State, state_of


def _alone() -> Group | None:
    return None


@dataclass(frozen=True, slots=True)
class Entry:
    """One story of a listing: the folder it was kept from (as given), its marks, and its
    coverage group when asked for."""

    folder: Path
    story: Story  # as that folder's library holds it: `path` is relative to `folder`
    read: bool
    starred: bool
    key: str  # its path among every folder's stories: unique ("label/path" with several)
    # The group, looked up only when wanted: grouping a folder afresh takes seconds.
    group_of: Callable[[], Group | None] = field(default=_alone, repr=False, compare=False)
    article: Kept | None = None  # its kept article (`newsreader fetch`), if any

    @property
    def coverage(self) -> Group | None:
        """The story's coverage group (paths of the library of every folder, not of its own);
        None when no other story reports its event."""
        return self.group_of()


@dataclass(frozen=True)
class Listing:
    """The stories of one or more folders, with their marks. Never changed."""

    sources: Folders  # as given, each once; with several, paths are "label/path"
    library: Library  # every folder's stories, each link once (reader.feed.folders)
    marks: State  # every folder's marks as one, read only (as the reader's `state_of`)
    notices: tuple[str, ...]  # for the user (stderr): files not read, marks not read, duplicates

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders, as given (each once)."""
        return tuple(source.path for source in self.sources.sources)

    def _marks_of(self, story: Story) -> tuple[bool, bool]:
        """(read, starred): a link's in any of the folders, a path's in its own."""
        return self.marks.is_read(story), self.marks.is_starred(story)

    @cached_property
    def coverage(self) -> Coverage:
        """Which stories of the library report one event, worked out on first use (a listing
        without coverage rows or terms does not pay for grouping)."""
        return coverage_of(self.library, self.sources.groups_cache).coverage

    @cached_property
    def articles(self) -> KeptIndex:
        """The kept articles (`newsreader fetch`), for `has:article`, `text:` and the rows."""
        return KeptIndex(ArticleStore(paths.article_cache()))

    def is_read(self, story: Story) -> bool:
        """Whether a story of the library is marked read (in any of the folders)."""
        return self._marks_of(story)[0]

    def is_starred(self, story: Story) -> bool:
        """Whether a story of the library is starred (in any of the folders)."""
        return self._marks_of(story)[1]

    def context(self) -> QueryContext:
        """What a query asks of the marks, mentions and folders (`folder:` compares with the
        folder's label: the last part of its path)."""
        return context_of(
            self.library,
            is_read=self.is_read,
            is_starred=self.is_starred,
            folder_of=lambda story: self.sources.label_of(story.path),
            coverage_of=lambda story: self.coverage.size(story.path),
            has_article=self.articles.has_article,
            article_matches=self.articles.matches,
        )

    def select(
        self, query: Query, order: Order = Order.QUALITY, limit: int | None = None
    ) -> tuple[list[Entry], int]:
        """The stories `query` matches, in `order`, at most `limit` of them; and how many
        matched in all."""
        found = query.filter(self.library.ordered(order), self.context())
        shown = found if limit is None else found[:limit]
        return [self.entry(story) for story in shown], len(found)

    def entry(self, story: Story) -> Entry:
        """A story of the library as an Entry (its path its folder's own)."""
        source, name = self.sources.locate(story.path)
        return Entry(
            source.path,
            replace(story, path=name) if source.prefix else story,
            *self._marks_of(story),
            story.path,
            lambda: self.coverage.group_of(story.path),
            self.articles.of(story),
        )


def load_listing(folders: Sequence[Path], *, workers: int | None = None) -> Listing:
    """Read the folders (through their index caches) and their marks. Raises FolderError
    when a folder cannot be read; files that cannot be read are counted in the notices."""
    sources = Folders.of(folders, cache_file=paths.index_cache, state_file=paths.state_file)
    library = scan_library(sources, workers=workers)
    notices: list[str] = []
    problems = sources.by_source(problem.path for problem in library.problems)
    for source in sources.sources:
        count = len(problems.get(source, ()))
        if count:
            files = "1 file" if count == 1 else f"{count} files"
            given = clean_line(str(source.path))
            notices.append(
                f"{files} in {given} could not be read (`newsreader check {given}` says why)"
            )
    marks = state_of(sources, read_only=True)  # the reader's files, never created or changed
    if marks.notice:
        notices.append(clean_line(marks.notice))
    across = sources.across((d.kept, d.dropped) for d in library.duplicates)
    if across:
        notices.append(across_notice(across, "listed"))
    return Listing(sources, library, marks, tuple(notices))


# -- output ----------------------------------------------------------------------------------


def domain_of(story: Story) -> str:
    """The provider's domain, else the host of the story's link (without `www.`)."""
    if story.provider.domain:
        return story.provider.domain
    try:
        host = urlsplit(story.url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def json_row(entry: Entry) -> dict[str, Any]:
    """One story as `newsreader list --json` prints it."""
    story = entry.story
    group = entry.coverage  # looked up once
    return {
        "path": story.path,
        "folder": str(entry.folder),
        "title": story.title,
        "link": story.url or None,
        "provider": story.provider.name or None,
        "domain": domain_of(story) or None,
        "published": story.published.isoformat() if story.published else None,
        "quality": story.quality,
        "heat": story.heat,
        "type": story.type,
        "topics": list(story.topics),
        "read": entry.read,
        "starred": entry.starred,
        # Stories with the same coverage id report one event; null: no other story does.
        "coverage": None if group is None else {"id": group.id, "size": group.size},
        # Its kept article (`newsreader fetch`): how many words, and when it was fetched.
        "article": None
        if entry.article is None
        else {"words": entry.article.words, "fetched": iso_time(entry.article.fetched)},
    }


def cells(text: str) -> int:
    """How many terminal columns `text` takes (wide characters two, combining marks none)."""
    if text.isascii():
        return len(text)
    return sum(_cell(character) for character in text)


def _cell(character: str) -> int:
    if unicodedata.combining(character) or character == "\u200d":
        return 0
    return 2 if unicodedata.east_asian_width(character) in "WF" else 1


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` columns: cut with an ellipsis, or padded with spaces."""
    if cells(text) <= width:
        return text + " " * (width - cells(text))
    kept: list[str] = []
    used = 0
    for character in text:
        size = _cell(character)
        if used + size > width - 1:
            break
        kept.append(character)
        used += size
    return "".join(kept) + "…" + " " * (width - 1 - used)


PROVIDER_WIDTH = 16
MIN_WIDTH = 50


def format_table(
    entries: Sequence[Entry], matched: int, *, order: Order = Order.QUALITY, width: int = 80
) -> str:
    """The stories as a table for a person, every line at most `width` columns (50 at least):
    marks (`★` starred, `●` unread), quality (heat when sorted by heat), date, title,
    provider; then how many stories matched."""
    width = max(width, MIN_WIDTH)
    heat = order is Order.HEAT
    values = [
        "–" if v is None else str(v)
        for v in (e.story.heat if heat else e.story.quality for e in entries)
    ]
    number_width = max([4, *map(len, values)])
    title_width = width - (2 + 1 + number_width + 2 + 10 + 2 + 2 + PROVIDER_WIDTH)
    header = (
        f"{'heat' if heat else 'qual':>{number_width}}  {'date':<10}  {fit('title', title_width)}"
    )
    lines = [f"   {header}  provider"]
    for entry, value in zip(entries, values, strict=True):
        story = entry.story
        marks = ("★" if entry.starred else " ") + (" " if entry.read else "●")
        title = fit(clean_line(story.title), title_width)
        provider = fit(clean_line(story.provider.name or domain_of(story)), PROVIDER_WIDTH)
        date = short_date(story.published)
        line = f"{marks} {value:>{number_width}}  {date:<10}  {title}  {provider}"
        lines.append(line.rstrip())
    stories = "story" if matched == 1 else "stories"
    if len(entries) < matched:
        lines.append(f"{len(entries)} of {matched} matching {stories}")
    else:
        lines.append(f"{matched} matching {stories}" if matched else "no story matches")
    return "\n".join(lines)
