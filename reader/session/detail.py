"""The story in view: its related entries (each resolved to a local story if it is one), the
stories that mention it, and where it sits on the trail."""

from __future__ import annotations

from dataclasses import dataclass

from reader.feed.folders import Folders
from reader.library.library import Library
from reader.model.story import RelatedStory, Story, Target
from reader.model.text import clean_line
from reader.model.trail import Trail

READ_RELATED_AT_ONCE = 200  # longer related lists are read off the owner's thread


@dataclass(frozen=True, slots=True)
class RelatedRow:
    """A related entry; `local` is the story of this feed it points at, if any."""

    entry: RelatedStory
    local: Story | None


@dataclass(frozen=True, slots=True)
class TrailView:
    """The trail as it stands: every stop's title, the current one's number (from 1)."""

    titles: tuple[str, ...]
    position: int

    @property
    def can_go_back(self) -> bool:
        """Whether there is a stop before the current one."""
        return self.position > 1

    @property
    def can_go_forward(self) -> bool:
        """Whether there is a stop after the current one."""
        return self.position < len(self.titles)

    @classmethod
    def of(cls, trail: Trail[Target]) -> TrailView:
        """The view of `trail` now."""
        return cls(tuple(item.title for item in trail.items), trail.position)


@dataclass(frozen=True, slots=True)
class Detail:
    """What the detail pane shows. `note` stands in place of the related entries (being read,
    or unreadable); `reading` says they are being read off the owner's thread."""

    target: Target
    related: tuple[RelatedRow, ...]
    mentions: tuple[Story, ...]
    trail: TrailView
    note: str = ""
    reading: bool = False
    coverage: tuple[Story, ...] = ()  # the other stories of the same event, best first
    providers: int = 0  # how many providers report the event (0: the story stands alone)
    folder: str = ""  # the label of the folder the story is from, when several are open


def related_rows(
    library: Library, folders: Folders, story: Story
) -> tuple[tuple[RelatedRow, ...], str]:
    """A story's related entries with the local story each points at (never the story
    itself), and a note saying why there are none if they could not be read.

    Reads the story's file when its entries were not parsed up front; safe in any thread
    (the library never changes)."""
    try:
        entries = story.related if story.related_loaded else folders.read_related(story.path)
    except (OSError, ValueError) as error:
        return (), f"Could not read them: {clean_line(str(error))}"
    rows = (RelatedRow(entry, library.resolve(entry)) for entry in entries)
    return tuple(row for row in rows if row.local is None or row.local.path != story.path), ""


def detail_of(library: Library, folders: Folders, trail: Trail[Target]) -> Detail:
    """The detail of the trail's current stop; a long related list is left to be read later
    (`reading`)."""
    target = trail.current
    view = TrailView.of(trail)
    if not isinstance(target, Story):
        return Detail(target, (), library.mentions(target), view)
    mentions = library.backlinks(target)
    if target.related_loaded or target.related_count <= READ_RELATED_AT_ONCE:
        rows, note = related_rows(library, folders, target)
        return Detail(target, rows, mentions, view, note)
    note = f"Reading {target.related_count:,} related stories…"
    return Detail(target, (), mentions, view, note, reading=True)


def same_stop(before: Detail, after: Detail) -> bool:
    """Whether two details show the same stop of the same trail (made again: its related list
    read, new groups, the folder updated), so that a screen keeps its place in it."""
    if before.trail != after.trail:
        return False
    old, new = before.target, after.target
    if old is new:
        return True
    return isinstance(old, Story) and isinstance(new, Story) and old.path == new.path
