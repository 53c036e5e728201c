"""Several folders' libraries as one (no I/O): a story whose link is in two folders is one story.

    merged = merge_libraries([library_a, library_b])
    merged.library.ordered(Order.NEWEST)      # every folder's stories, each link once
    folder, story = merged.origin(found)      # which folder, and the story as read there

The merged library is built like one folder's (`LibraryBuilder`): the same orders, the same
backlinks (across folders), the same rule for duplicates (higher quality wins; on a tie the
folder named first). Its stories' paths say which folder they come from (`0/a.txt`,
`1/a.txt`): `origin` gives back the folder's number and the story with its own path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from reader.feed.parse import ParseResult
from reader.library.library import Library, LibraryBuilder
from reader.library.query import mentions_in
from reader.model.story import Story


@dataclass(frozen=True, slots=True)
class FolderDuplicate:
    """A story found in two folders (the same normalised link): one copy was kept."""

    kept: tuple[int, str]  # (the folder's number, the path in that folder)
    dropped: tuple[int, str]
    url: str


@dataclass(frozen=True, slots=True)
class MergedLibrary:
    """The stories of several folders' libraries, each story once. Never changed."""

    library: Library  # every folder's stories; with several folders, paths are "<n>/<path>"
    sources: tuple[Library, ...]  # one per folder, in the order given
    duplicates: tuple[FolderDuplicate, ...] = ()  # stories found in two folders
    _origins: dict[str, tuple[int, Story]] | None = field(default=None, repr=False)

    def origin(self, story: Story) -> tuple[int, Story]:
        """The number of the folder `story` (of `library`) was kept from, and the story as that
        folder's library holds it (with its path in that folder)."""
        if self._origins is None:  # one folder: its own library
            return 0, story
        return self._origins[story.path]

    def has_mentions(self) -> Callable[[Story], bool]:
        """Whether another story, of any of the folders, lists a story as related."""
        return mentions_in(self.library)


def merge_libraries(libraries: Sequence[Library]) -> MergedLibrary:
    """The libraries as one (see the module's docstring). One library is used as it is."""
    if not libraries:
        raise ValueError("no library to merge")
    if len(libraries) == 1:
        return MergedLibrary(libraries[0], (libraries[0],))
    width = len(str(len(libraries) - 1))  # "0/", or "00/" … "10/": paths sort by folder
    origins: dict[str, tuple[int, Story]] = {}
    builder = LibraryBuilder()
    for number, source in enumerate(libraries):
        prefix = f"{number:0{width}d}/"
        results = []
        for story in source.stories:
            path = prefix + story.path
            origins[path] = (number, story)
            results.append(
                ParseResult(
                    story=replace(story, path=path), related_ids=source.related_ids(story.path)
                )
            )
        builder.add(results)
    library = builder.build()

    def where(path: str) -> tuple[int, str]:
        number, story = origins[path]
        return number, story.path

    duplicates = tuple(
        FolderDuplicate(where(d.kept), where(d.dropped), d.url) for d in library.duplicates
    )
    return MergedLibrary(library, tuple(libraries), duplicates, origins)
