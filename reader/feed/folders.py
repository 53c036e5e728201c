"""Several feed folders read as one: each story's path says which folder it is from.

    folders = Folders.of([Path("tech"), Path("world")], cache_file=paths.index_cache)
    for step in scan_folders(folders):        # as `scan` does for one folder
        ...
    source, name = folders.locate("world/2024/a.md")   # the folder, and the file's own path

With one folder, paths are the folder's own (`a.md`), exactly as `scan` gives them. With
several, each folder's paths come behind its label (`tech/a.md`, `world/a.md`): the folder's
name, made unique (`news`, `news-2`). The prefix is put on as a file's result is decoded or
parsed, so one builder takes every folder's stories and deduplicates them across folders (the
higher quality wins: reader.library.library). Each folder keeps its own index cache and its
own reading state.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.feed.load import FolderError, Progress, cached_best, read_related, scan
from reader.feed.parse import ParseResult
from reader.model.story import RelatedStory
from reader.model.text import clean_line


@dataclass(frozen=True, slots=True)
class Source:
    """One folder of a reader's: where it is, what it is called, and its files on the side."""

    path: Path
    label: str  # the folder's name, unique among the folders (`folder:` and the sidebar)
    prefix: str  # put before its files' paths: "" for a folder alone, else "label/"
    cache_file: Path | None = None  # its index cache
    state_file: Path | None = None  # its read and starred marks


def _label(folder: Path) -> str:
    # A name is text to show: undecodable bytes replaced, control characters dropped.
    name = folder.resolve().name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return clean_line(name).replace("/", "_") or "folder"


def _name_key(label: str) -> str:
    """What two labels must not share: the same name but for case and accents (as `folder:`
    compares them)."""
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class NestedFolders(ValueError):
    """One folder given lies inside another (its stories would be read twice)."""


@dataclass(frozen=True, slots=True)
class Folders:
    """The folders a reader shows, in the order given (each once). Never changed."""

    sources: tuple[Source, ...]

    @classmethod
    def of(
        cls,
        folders: Sequence[Path],
        *,
        cache_file: Callable[[Path], Path | None] = lambda folder: None,
        state_file: Callable[[Path], Path | None] = lambda folder: None,
    ) -> Folders:
        """The folders (a folder given twice is read once), each with its cache and state
        files as the functions say. Raises NestedFolders when one lies inside another."""
        unique: dict[Path, Path] = {}
        for folder in folders:
            unique.setdefault(folder.resolve(), folder)
        if not unique:
            raise ValueError("no folder")
        for inner in unique:
            for outer in unique:
                if inner != outer and inner.is_relative_to(outer):
                    raise NestedFolders(f"{unique[inner]} is inside {unique[outer]}")
        taken: set[str] = set()
        sources = []
        for folder in unique.values():
            label = base = _label(folder)
            number = 1
            while _name_key(label) in taken:
                number += 1
                label = f"{base}-{number}"
            taken.add(_name_key(label))
            prefix = f"{label}/" if len(unique) > 1 else ""
            sources.append(Source(folder, label, prefix, cache_file(folder), state_file(folder)))
        return cls(tuple(sources))

    @classmethod
    def one(
        cls, folder: Path, cache_file: Path | None = None, state_file: Path | None = None
    ) -> Folders:
        """One folder, with its cache and state files."""
        return cls((Source(folder, _label(folder), "", cache_file, state_file),))

    @property
    def first(self) -> Source:
        """The folder named first."""
        return self.sources[0]

    @property
    def several(self) -> bool:
        """Whether there is more than one folder (then paths carry their folder's label)."""
        return len(self.sources) > 1

    @property
    def groups_cache(self) -> Path | None:
        """Where the coverage groups are kept: one folder's index cache. Several folders'
        groups are kept nowhere: no one folder's cache holds them."""
        return None if self.several else self.first.cache_file

    @property
    def name(self) -> str:
        """How the status line names them: the folder's name, or every label."""
        return " + ".join(source.label for source in self.sources)

    def source_of(self, path: str) -> Source:
        """The folder a library path belongs to."""
        if self.several:
            for source in self.sources:
                if path.startswith(source.prefix):
                    return source
            raise KeyError(path)
        return self.sources[0]

    def locate(self, path: str) -> tuple[Source, str]:
        """The folder a library path belongs to, and the file's path in it."""
        source = self.source_of(path)
        return source, path[len(source.prefix) :]

    def label_of(self, path: str) -> str:
        """The label of the folder a library path belongs to."""
        return self.source_of(path).label

    def read_related(self, path: str) -> tuple[RelatedStory, ...]:
        """The related entries of the story file at a library path (see `read_related`)."""
        source, name = self.locate(path)
        return read_related(source.path, name)

    def across(self, pairs: Iterable[tuple[str, str]]) -> int:
        """How many stories were found in more than one folder, from a library's duplicates
        (kept, dropped: library paths, in the order they were found): a story counts once,
        however many copies it had."""
        if not self.several:
            return 0
        kept_for = dict((dropped, kept) for kept, dropped in pairs)  # a copy -> what beat it
        folders: dict[str, set[str]] = {}
        for copy in kept_for:
            shown, seen = copy, {copy}
            while shown in kept_for and kept_for[shown] not in seen:  # beaten in turn
                shown = kept_for[shown]
                seen.add(shown)
            folders.setdefault(shown, {self.label_of(shown)}).add(self.label_of(copy))
        return sum(1 for labels in folders.values() if len(labels) > 1)

    @property
    def tie(self) -> Callable[[str], object] | None:
        """How library paths rank when two copies of a story are equally good: the folder
        named first, then the path (None for one folder: by path)."""
        if not self.several:
            return None
        rank = {source.prefix: number for number, source in enumerate(self.sources)}
        return lambda path: (rank[path[: path.index("/") + 1]], path)

    def by_source(self, paths: Iterable[str]) -> dict[Source, set[str]]:
        """Library paths grouped by folder, as each folder's own paths."""
        grouped: dict[Source, set[str]] = {}
        for path in paths:
            with contextlib.suppress(KeyError):
                source, name = self.locate(path)
                grouped.setdefault(source, set()).add(name)
        return grouped


def across_notice(count: int, shown: str) -> str:
    """What to say of `count` stories found in more than one folder, each `shown` once."""
    if not count:
        return ""
    stories = "1 story is" if count == 1 else f"{count} stories are"
    return f"{stories} in more than one folder: each is {shown} once, its best copy"


def best_of(folders: Folders, count: int, skip: int = 0) -> list[list[ParseResult]]:
    """Each folder's `count` best cached stories after its `skip` best, for the first screen
    and the pages after it while the folders load (see `cached_best`)."""
    return [
        cached_best(source.cache_file, source.prefix, count, skip)
        for source in folders.sources
        if source.cache_file is not None
    ]


def scan_folders(
    folders: Folders, *, workers: int | None = None, strict: bool = False
) -> Generator[Progress, None, None]:
    """`scan` of every folder as one: each folder's files in turn, then one step saying every
    file is read, then each folder's related links. A folder that cannot be read, among
    several, is told in a notice and the others load; when none can (or, `strict`, when any
    cannot), FolderError."""
    if not folders.several:
        source = folders.first
        yield from scan(source.path, cache_file=source.cache_file, workers=workers)
        return
    scans = [
        scan(source.path, cache_file=source.cache_file, workers=workers, prefix=source.prefix)
        for source in folders.sources
    ]
    totals = [0] * len(scans)
    read = 0  # files of the folders read whole so far
    failed: list[str] = []
    try:
        for number, steps in enumerate(scans):
            try:
                for step in steps:
                    if step.finished:  # the rest of this folder's steps come last
                        if step.notices:
                            yield Progress([], read + step.done, sum(totals), step.notices)
                        break
                    totals[number] = step.total
                    yield Progress(step.results, read + step.done, sum(totals), step.notices)
            except FolderError as error:
                if strict:
                    raise
                failed.append(str(error))
                steps.close()
                scans[number] = _nothing()
                yield Progress([], read, sum(totals), [f"{error}; the other folders are shown."])
            read += totals[number]
        if len(failed) == len(scans):
            raise FolderError("; ".join(failed))
        yield Progress([], read, read, finished=True)
        for steps in scans:
            yield from steps
    finally:
        for steps in scans:
            steps.close()


def _nothing() -> Generator[Progress, None, None]:
    yield from ()
