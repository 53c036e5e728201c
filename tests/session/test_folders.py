"""Several folders in one reader: one library, a Folders section, marks that follow the link,
each folder with its own cache and state. Driven through the session alone (no Textual)."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.feed.cache import IndexCache
from reader.feed.folders import Folders
from reader.model.scope import ALL, Scope, ScopeKind
from reader.model.story import Story
from reader.platform import paths
from reader.session.session import Session
from tests.conftest import two_folders, write_story

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    return two_folders(tmp_path)


def session_of(*folders: Path, told: list[str] | None = None) -> Session:
    """A loaded session of `folders`, with their caches and state files where the reader
    keeps them (the notices it publishes go to `told`)."""
    session = Session(
        Folders.of(folders, cache_file=paths.index_cache, state_file=paths.state_file),
        clock=lambda: NOW,
        workers=1,
    )
    if told is not None:
        session.subscribe(lambda snapshot: told.extend(n.said("press !") for n in snapshot.notices))
    session.loader.open()
    session.loader.load()
    return session


def titles(stories: tuple[Story, ...] | list[Story]) -> list[str]:
    return [story.title for story in stories]


def story(session: Session, title: str) -> Story:
    assert session.loader.library is not None
    return next(s for s in session.loader.library.stories if s.title == title)


def test_two_folders_are_one_list_each_link_once_the_better_copy_shown(
    two: tuple[Path, Path],
) -> None:
    told: list[str] = []
    session = session_of(*two, told=told)
    assert titles(session.snapshot.view) == [
        "Chip plant opens",
        "Port strike ends",
        "Shared, world's copy",  # quality 60 beats tech's 40
        "A note without a link",
        "Another note without a link",
    ]
    assert session.loader.library is not None
    [duplicate] = session.loader.library.duplicates
    assert (duplicate.kept, duplicate.dropped) == ("world/shared.md", "tech/shared.md")
    assert session.snapshot.status.folder == "tech + world"
    assert [t for t in told if "more than one folder" in t] == [
        "1 story is in more than one folder: each is shown once, its best copy "
        "(press ! to see them)."
    ]


def test_the_sidebar_has_a_folders_section_and_a_folder_shows_its_own_stories(
    two: tuple[Path, Path],
) -> None:
    session = session_of(*two)
    folders = [e for e in session.snapshot.sidebar if e.scope.kind is ScopeKind.FOLDER]
    assert [(e.label, e.total, e.unread) for e in folders] == [("tech", 2, 2), ("world", 3, 3)]
    session.mark_read([story(session, "Chip plant opens")])
    folders = [e for e in session.snapshot.sidebar if e.scope.kind is ScopeKind.FOLDER]
    assert [(e.label, e.unread) for e in folders] == [("tech", 1), ("world", 3)]
    session.navigation.choose(Scope.folder("world"))
    assert titles(session.snapshot.view) == [
        "Port strike ends",
        "Shared, world's copy",
        "Another note without a link",
    ]
    assert session.snapshot.status.scope == "world"


def test_folder_terms_in_the_query_match_the_folder_of_the_shown_copy(
    two: tuple[Path, Path],
) -> None:
    session = session_of(*two)
    session.navigation.search("folder:tech")
    assert titles(session.snapshot.view) == ["Chip plant opens", "A note without a link"]
    session.navigation.search("-folder:tech shared")
    assert titles(session.snapshot.view) == ["Shared, world's copy"]


def test_related_stories_resolve_across_folders_and_are_read_from_their_own_folder(
    two: tuple[Path, Path],
) -> None:
    session = session_of(*two)
    session.reading.highlight(story(session, "Port strike ends"))
    detail = session.snapshot.detail
    assert detail is not None
    [row] = detail.related
    assert row.local is not None and row.local.path == "tech/chips.md"
    assert titles(detail.mentions) == ["Chip plant opens"]  # the backlink crosses folders too
    assert detail.folder == "world"
    session.reading.follow(row.local)
    followed = session.snapshot.detail
    assert followed is not None
    assert (followed.target.title, followed.folder) == ("Chip plant opens", "tech")
    alone = session_of(two[0])
    alone.reading.highlight(story(alone, "Chip plant opens"))
    assert alone.snapshot.detail is not None and alone.snapshot.detail.folder == ""


def test_marks_follow_the_link_into_each_folder_opened_alone(two: tuple[Path, Path]) -> None:
    tech, world = two
    session = session_of(tech, world)
    session.reading.highlight(story(session, "Shared, world's copy"))
    session.toggle_star()
    session.mark_read([story(session, "A note without a link")])  # no link: filed by path
    session.close()

    alone = session_of(tech)  # tech's copy of the shared story, in tech alone
    assert alone.marks.is_starred(story(alone, "Shared, tech's copy"))
    assert alone.marks.is_read(story(alone, "A note without a link"))
    alone.close()
    other = session_of(world)
    assert other.marks.is_starred(story(other, "Shared, world's copy"))
    assert not other.marks.is_read(story(other, "Another note without a link"))
    other.close()

    again = session_of(tech, world)  # and together again: the marks are there, once
    assert again.marks.starred_count == 1
    assert again.marks.is_read(story(again, "A note without a link"))
    assert not again.marks.is_read(story(again, "Another note without a link"))
    again.close()


def test_unmarking_in_two_folders_unmarks_in_each(two: tuple[Path, Path]) -> None:
    tech, world = two
    for folder in (tech, world):  # each folder alone starred its own copy
        alone = session_of(folder)
        alone.reading.highlight(next(s for s in alone.snapshot.view if "Shared" in s.title))
        alone.toggle_star()
        alone.close()
    together = session_of(tech, world)
    together.reading.highlight(story(together, "Shared, world's copy"))
    together.toggle_star()  # unstarred
    together.close()
    for folder in (tech, world):
        alone = session_of(folder)
        assert alone.marks.starred_count == 0
        alone.close()


def test_each_folder_keeps_its_own_index_cache_and_the_first_screen_uses_both(
    two: tuple[Path, Path],
) -> None:
    tech, world = two
    session_of(tech, world).close()
    for folder, files in ((tech, 3), (world, 3)):
        cache, _ = IndexCache.open(paths.index_cache(folder))
        assert cache is not None
        assert sorted(cache.stamps()) == sorted(
            p.relative_to(folder).as_posix() for p in folder.rglob("*.md")
        )
        assert len(cache.stamps()) == files
        cache.close()
    early = Session(
        Folders.of([tech, world], cache_file=paths.index_cache), clock=lambda: NOW, workers=1
    )
    early.loader.open()  # the caches' best stories, before the folders are read
    assert titles(early.snapshot.view)[:2] == ["Chip plant opens", "Port strike ends"]
    assert early.snapshot.view[1].path == "world/port.md"


def test_a_changed_file_is_read_into_its_own_folder(two: tuple[Path, Path]) -> None:
    tech, world = two
    session = session_of(tech, world)
    write_story(
        world, "new.md", title="Harbour reopens", webUrl="https://example.org/h", quality=80
    )
    (tech / "chips.md").unlink()
    job = session.loader.changed({"world/new.md", "tech/chips.md"})
    assert job is not None
    session.loader.take(job())
    assert titles(session.snapshot.view)[:2] == ["Harbour reopens", "Port strike ends"]
    assert story(session, "Harbour reopens").path == "world/new.md"
    assert "Chip plant opens" not in titles(session.snapshot.view)
    cache, _ = IndexCache.open(paths.index_cache(world))
    assert cache is not None and "new.md" in cache.stamps()
    cache.close()


def test_what_to_watch_maps_each_folders_files_to_the_librarys(two: tuple[Path, Path]) -> None:
    tech, world = two
    session = session_of(tech, world)
    watched = {folder: (paths_of, known) for folder, paths_of, known in session.loader.watched()}
    paths_of, known = watched[world]
    assert paths_of({"port.md"}) == {"world/port.md"}
    assert known() == {"port.md", "shared.md", "notes/no-link.md"}


def test_a_folder_that_cannot_be_read_leaves_the_others_shown(two: tuple[Path, Path]) -> None:
    tech, world = two
    session = session_of(tech, world.with_name("gone"))
    assert titles(session.snapshot.view)[0] == "Chip plant opens"
    assert session.loader.failure == ""


def test_the_position_of_folders_together_is_kept_apart_from_each_alone(
    two: tuple[Path, Path],
) -> None:
    tech, world = two
    together = session_of(tech, world)
    together.navigation.choose(Scope.folder("world"))
    together.close()
    alone = session_of(tech)
    assert alone.navigation.scope == ALL  # tech alone has no folder "world"
    alone.close()
    again = session_of(tech, world)
    assert again.navigation.scope == Scope.folder("world")
    again.close()


def test_folders_with_one_name_get_labels_of_their_own(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "news", tmp_path / "b" / "news"
    write_story(first, "x.md", title="First", webUrl="https://example.org/1")
    write_story(second, "x.md", title="Second", webUrl="https://example.org/2")
    session = session_of(first, second, first)  # a folder given twice is read once
    labels = [e.label for e in session.snapshot.sidebar if e.scope.kind is ScopeKind.FOLDER]
    assert labels == ["news", "news-2"]
    assert sorted(s.path for s in session.snapshot.view) == ["news-2/x.md", "news/x.md"]


def test_on_equal_quality_the_copy_in_the_folder_named_first_is_shown(tmp_path: Path) -> None:
    first, second = tmp_path / "zeta", tmp_path / "alpha"
    write_story(first, "z.md", title="Zeta's copy", webUrl="https://example.org/same", quality=50)
    write_story(second, "a.md", title="Alpha's copy", webUrl="https://example.org/same", quality=50)
    assert titles(session_of(first, second).snapshot.view) == ["Zeta's copy"]
    assert titles(session_of(second, first).snapshot.view) == ["Alpha's copy"]


def test_one_story_in_three_folders_is_told_as_one(tmp_path: Path) -> None:
    folders = [tmp_path / name for name in ("a", "b", "c")]
    for quality, folder in enumerate(folders):
        write_story(
            folder, "s.md", title=f"Copy {quality}", webUrl="https://e.org/s", quality=quality
        )
    told: list[str] = []
    session = session_of(*folders, told=told)
    assert titles(session.snapshot.view) == ["Copy 2"]
    assert next(t for t in told if "more than one folder" in t).startswith("1 story is")


def test_a_folder_whose_name_is_not_utf8_opens_with_another_and_keeps_its_place(
    two: tuple[Path, Path],
) -> None:
    tech, _ = two
    odd = tech.parent / os.fsdecode(b"caf\xe9")
    write_story(odd, "x.md", title="A story in an oddly named folder", quality=95)
    session = session_of(tech, odd)
    labels = [e.label for e in session.snapshot.sidebar if e.scope.kind is ScopeKind.FOLDER]
    assert labels == ["tech", "caf\ufffd"]
    session.navigation.choose(Scope.folder("caf\ufffd"))
    session.reading.highlight(session.snapshot.view[0])
    session.toggle_star()  # a story without a link: filed by its path, in its own folder
    assert session.close() == ""
    again = session_of(tech, odd)
    assert again.navigation.scope == Scope.folder("caf\ufffd")
    assert again.marks.starred_count == 1


def test_the_files_of_a_folder_that_went_away_are_not_read_as_deleted(
    two: tuple[Path, Path],
) -> None:
    tech, world = two
    session = session_of(tech, world)
    write_story(tech, "new.md", title="Fab expands", webUrl="https://example.org/fab", quality=1)
    running = session.loader.changed({"tech/new.md"})
    assert running is not None
    assert session.loader.changed({"world/port.md"}) is None  # waits for the update under way
    shutil.rmtree(world)
    assert session.loader.changed({"world/shared.md"}) is None  # the folder is gone: none read
    session.loader.take(running())
    assert session.loader.changed() is None  # world's files were not left waiting
    assert "Port strike ends" in titles(session.snapshot.view)
