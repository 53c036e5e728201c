"""Listing for scripts: folders read through their index caches, marks from the reader's state
files (read only), several folders merged into one list, and the rows `list` prints."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from reader.cli import listing as listing_module
from reader.cli.listing import Entry, cells, fit, format_table, json_row, load_listing
from reader.library.build import load_library
from reader.library.coverage.cache import coverage_of
from reader.library.coverage.groups import for_library
from reader.library.query.compiled import compile_query
from reader.model.order import Order
from reader.model.story import Provider, Story
from reader.platform import paths
from reader.session.state import State
from tests.conftest import write_story


def tide_story(folder: Path, name: str, **fields: Any) -> None:
    """A realistic story file; `fields` override the defaults."""
    values: dict[str, Any] = {
        "title": "Harbour cranes learn the tide",
        "excerpt": "Port operators say the new cranes pause for the swell.",
        "publishedDateTime": "2023-05-09T07:45:00Z",
        "webUrl": f"https://www.atlaswire.com/ports/{name.removesuffix('.txt')}/",
        "type": "article",
        "quality": 50,
        "heat": 40,
        "provider": {"name": "Atlas Wire", "domain": "atlaswire.com"},
        "topics": ["Transport"],
    }
    values.update(fields)
    write_story(folder, name, **values)


def titles(entries: list[Entry]) -> list[str]:
    return [entry.story.title for entry in entries]


def everything(folders: list[Path], query: str = "", order: Order = Order.QUALITY) -> list[Entry]:
    entries, _ = load_listing(folders).select(compile_query(query), order)
    return entries


def test_a_folder_is_read_through_its_index_cache(feed: Path) -> None:
    tide_story(feed, "cranes.txt", title="Cranes", quality=70)
    tide_story(feed, "ferries.txt", title="Ferries", quality=90)
    assert titles(everything([feed])) == ["Ferries", "Cranes"]
    assert paths.index_cache(feed).is_file()
    tide_story(feed, "locks.txt", title="Locks", quality=80)  # a new file since the cache
    (feed / "cranes.txt").unlink()
    assert titles(everything([feed])) == ["Ferries", "Locks"]


def test_marks_come_from_the_readers_state_file_which_is_left_as_it_was(feed: Path) -> None:
    tide_story(feed, "read.txt", title="Already read", quality=90)
    tide_story(feed, "starred.txt", title="Starred", quality=80)
    tide_story(feed, "plain.txt", title="Untouched", quality=70)
    tide_story(feed, "nolink.txt", title="No link", quality=60, webUrl="")
    state_file = paths.state_file(feed)
    assert State(state_file, read_only=True).read == set()
    assert not state_file.exists()  # looking did not create it
    library = load_listing([feed]).library
    state = State(state_file)
    state.set_read([library.stories[0]])
    state.toggle_star(library.stories[1])
    state.toggle_star(library.stories[3])  # known by its path
    state.close()
    saved = state_file.read_bytes()

    entries = everything([feed])
    assert [(e.story.title, e.read, e.starred) for e in entries] == [
        ("Already read", True, False),
        ("Starred", False, True),
        ("Untouched", False, False),
        ("No link", False, True),
    ]
    assert titles(everything([feed], "is:starred")) == ["Starred", "No link"]
    assert titles(everything([feed], "is:unread -is:starred")) == ["Untouched"]
    assert state_file.read_bytes() == saved


def test_a_damaged_state_file_is_reported_and_left_where_it_is(feed: Path) -> None:
    tide_story(feed, "a.txt")
    state_file = paths.state_file(feed)
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_bytes(b"this is not a database" * 100)
    listing = load_listing([feed])
    assert [e.read for e in listing.select(compile_query(""))[0]] == [False]
    [notice] = listing.notices
    assert notice.startswith(f"the read and starred marks in {state_file} could not be read")
    assert state_file.read_bytes() == b"this is not a database" * 100


def test_a_story_in_two_folders_is_listed_once_the_better_copy(tmp_path: Path) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    link = "https://www.atlaswire.com/ports/ferries/"
    tide_story(north, "ferries.txt", title="Ferries (north copy)", quality=40, webUrl=link)
    # The same link spelled another way, and a better quality.
    other_spelling = "http://atlaswire.com/ports/ferries?utm_source=feed#top"
    tide_story(south, "f.txt", title="Ferries (south copy)", quality=90, webUrl=other_spelling)
    tide_story(north, "cranes.txt", title="Cranes", quality=60)
    tide_story(south, "locks.txt", title="Locks", quality=50)

    listing = load_listing([north, south])
    entries, matched = listing.select(compile_query(""))
    assert matched == 3
    assert [(e.story.title, e.folder, e.story.path) for e in entries] == [
        ("Ferries (south copy)", south, "f.txt"),
        ("Cranes", north, "cranes.txt"),
        ("Locks", south, "locks.txt"),
    ]
    [duplicate] = listing.library.duplicates
    assert (duplicate.kept, duplicate.dropped) == ("south/f.txt", "north/ferries.txt")
    assert any("more than one folder" in notice for notice in listing.notices)


def test_on_equal_quality_the_folder_named_first_wins(tmp_path: Path) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    link = "https://www.atlaswire.com/ports/ferries/"
    tide_story(north, "z.txt", title="North", quality=50, webUrl=link)
    tide_story(south, "a.txt", title="South", quality=50, webUrl=link)
    assert titles(everything([north, south])) == ["North"]
    assert titles(everything([south, north])) == ["South"]


def test_folders_merge_without_mixing_up_equal_paths(tmp_path: Path) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    tide_story(north, "today.txt", title="North today", quality=70, webUrl="")
    tide_story(south, "today.txt", title="South today", quality=80, webUrl="")
    state = State(paths.state_file(north))  # starred in north, by its path
    state.toggle_star(load_listing([north]).library.stories[0])
    state.close()
    entries = everything([north, south])
    assert [(e.story.title, e.folder, e.story.path, e.starred) for e in entries] == [
        ("South today", south, "today.txt", False),
        ("North today", north, "today.txt", True),
    ]


def test_marks_follow_the_link_whichever_folder_they_were_given_in(tmp_path: Path) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    link = "https://www.atlaswire.com/ports/ferries/"
    tide_story(north, "ferries.txt", title="Ferries", quality=40, webUrl=link)
    state = State(paths.state_file(north))
    state.toggle_star(load_listing([north]).library.stories[0])
    state.close()
    tide_story(south, "ferries.txt", title="Ferries again", quality=90, webUrl=link + "?utm_x=1")
    [entry] = everything([north, south])
    assert (entry.story.title, entry.folder, entry.starred) == ("Ferries again", south, True)


def test_queries_know_folders_and_mentions_across_folders(tmp_path: Path) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    tide_story(north, "cranes.txt", title="Cranes", quality=60)
    tide_story(
        south,
        "analysis.txt",
        title="Why cranes wait",
        quality=30,
        related=[{"title": "Cranes", "webUrl": "https://atlaswire.com/ports/cranes"}],
    )
    assert titles(everything([north, south], "folder:south")) == ["Why cranes wait"]
    assert titles(everything([north, south], "folder:NORTH")) == ["Cranes"]
    assert titles(everything([north, south], "has:mentions")) == ["Cranes"]
    assert titles(everything([north, south], "has:related")) == ["Why cranes wait"]


def test_a_folder_given_twice_is_read_once(feed: Path) -> None:
    tide_story(feed, "a.txt")
    listing = load_listing([feed, feed / ".." / feed.name])
    assert listing.folders == (feed,)
    assert len(listing.select(compile_query(""))[0]) == 1
    assert listing.notices == ()


def test_files_that_cannot_be_read_are_counted(feed: Path) -> None:
    tide_story(feed, "good.txt")
    (feed / "broken.txt").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (feed / "empty.txt").write_text("", encoding="utf-8")
    listing = load_listing([feed])
    assert len(listing.select(compile_query(""))[0]) == 1
    [notice] = listing.notices
    assert notice.startswith(f"2 files in {feed} could not be read")


def test_json_row_has_every_documented_field(feed: Path) -> None:
    tide_story(feed, "ports/cranes.txt", topics=["Transport", "Robotics"])
    tide_story(
        feed,
        "bare.txt",
        title="Bare",
        quality=1,
        heat=-1,
        webUrl="",
        publishedDateTime=None,
        provider=None,
        topics=[],
        type="video",
    )
    rows = [json_row(e) for e in everything([feed])]
    assert rows == [
        {
            "path": "ports/cranes.txt",
            "folder": str(feed),
            "title": "Harbour cranes learn the tide",
            "link": "https://www.atlaswire.com/ports/ports/cranes/",
            "provider": "Atlas Wire",
            "domain": "atlaswire.com",
            "published": "2023-05-09T07:45:00+00:00",
            "quality": 50,
            "heat": 40,
            "type": "article",
            "topics": ["Transport", "Robotics"],
            "read": False,
            "starred": False,
            "coverage": None,
            "article": None,
        },
        {
            "path": "bare.txt",
            "folder": str(feed),
            "title": "Bare",
            "link": None,
            "provider": None,
            "domain": None,
            "published": None,
            "quality": 1,
            "heat": None,
            "type": "video",
            "topics": [],
            "read": False,
            "starred": False,
            "coverage": None,
            "article": None,
        },
    ]


# -- coverage: the labelled set (tests/fixtures/coverage) --------------------------------------

LABELLED = Path(__file__).parent.parent / "fixtures" / "coverage"
LABELLED_FEED = LABELLED / "feed"
ALONE = "103_a60b138c5ae4f1f7.txt"  # in no labelled event, like no other headline


def labelled_event(name: str) -> list[str]:
    labels = tomllib.loads((LABELLED / "labels.toml").read_text(encoding="utf-8"))
    (event,) = [e for e in labels["event"] if e["name"] == name]
    return list(event["stories"])


def rows_by_path(folders: list[Path], query: str = "") -> dict[str, dict[str, Any]]:
    return {row["path"]: row for row in map(json_row, everything(folders, query))}


def test_json_rows_of_one_event_share_a_coverage_id_and_size() -> None:
    rows = rows_by_path([LABELLED_FEED])
    for name in ("halden-series-c", "orbitra-castellan"):  # wire copies, a rewrite
        event = labelled_event(name)
        ids = {rows[path]["coverage"]["id"] for path in event}
        sizes = {rows[path]["coverage"]["size"] for path in event}
        assert (len(ids), sizes) == (1, {len(event)}), name
    assert rows[ALONE]["coverage"] is None
    # The ids partition the rows as the folder's coverage groups it, and each size is the
    # number of rows sharing the id.
    by_id: dict[str, set[str]] = {}
    for path, row in rows.items():
        if row["coverage"] is not None:
            by_id.setdefault(row["coverage"]["id"], set()).add(path)
            assert row["coverage"]["size"] >= 2
    assert all(rows[min(group)]["coverage"]["size"] == len(group) for group in by_id.values())
    reference = for_library(load_library(LABELLED_FEED, workers=1))
    assert sorted(map(sorted, by_id.values())) == sorted(
        sorted(g.paths) for g in reference.groups()
    )


def test_one_folders_groups_are_kept_in_its_index_cache_and_stay_the_same() -> None:
    first = rows_by_path([LABELLED_FEED])
    listing = load_listing([LABELLED_FEED])
    kept = coverage_of(listing.library, paths.index_cache(LABELLED_FEED.resolve()))
    assert kept.cached
    assert rows_by_path([LABELLED_FEED]) == first


def test_coverage_terms_list_the_grouped_stories() -> None:
    rows = rows_by_path([LABELLED_FEED])
    grouped = {path for path, row in rows.items() if row["coverage"] is not None}
    large = {path for path in grouped if rows[path]["coverage"]["size"] >= 4}
    assert set(rows_by_path([LABELLED_FEED], "has:coverage")) == grouped
    assert set(rows_by_path([LABELLED_FEED], "-has:coverage")) == set(rows) - grouped
    assert set(rows_by_path([LABELLED_FEED], "coverage>=4")) == large
    assert set(labelled_event("halden-series-c")) <= large
    assert set(rows_by_path([LABELLED_FEED], "coverage:1")) == set(rows) - grouped


def test_an_event_spread_over_two_folders_is_one_group(tmp_path: Path) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    wire_copy, retransmission, rewrite = labelled_event("orbitra-castellan")
    for folder, name in ((north, wire_copy), (north, retransmission), (south, rewrite)):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LABELLED_FEED / name, folder / name)
    shutil.copy(LABELLED_FEED / ALONE, south / ALONE)
    entries = everything([north, south])
    rows = {(e.folder, e.story.path): json_row(e)["coverage"] for e in entries}
    assert len(rows) == 4
    assert rows.pop((south, ALONE)) is None
    assert len({row["id"] for row in rows.values()}) == 1
    assert {row["size"] for row in rows.values()} == {3}
    assert titles(everything([north, south], "has:coverage")) == titles(
        [e for e in entries if e.story.path != ALONE]
    )


def test_a_listing_without_coverage_rows_or_terms_does_not_group(
    feed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Grouping a large folder afresh takes seconds: a table or an export does not wait for it.
    tide_story(feed, "a.txt", title="Harbour cranes learn the tide")
    tide_story(feed, "b.txt", title="Harbour cranes learn the tide - Quay News")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("grouped")

    monkeypatch.setattr(listing_module, "coverage_of", refuse)
    listing = load_listing([feed])
    entries, _ = listing.select(compile_query("quality>=10 is:unread"))
    assert "harbour cranes" in format_table(entries, 2).lower()


def entry(title: str, provider: str = "Atlas Wire", quality: int = 50) -> Entry:
    story = Story(path="x.txt", title=title, quality=quality, provider=Provider(name=provider))
    return Entry(Path("feed"), story, read=False, starred=True, key=story.path)


def test_table_fits_the_width_whatever_the_titles() -> None:
    entries = [
        entry("Harbour cranes learn the tide " * 5),
        entry("港口起重机学会了潮汐的节奏，工人们说这改变了一切" * 2, provider="新华社新闻中心"),
        entry("Cafe\u0301 owners cheer the new quay", quality=123456),
        entry("Short"),
    ]
    for width in (50, 80, 120):
        lines = format_table(entries, len(entries), width=width).splitlines()
        assert all(cells(line) <= width for line in lines), width
        assert len(lines) == len(entries) + 2  # a heading and a count
    assert fit("港口起重机", 6) == "港口… "
    assert cells(fit("港口起重机", 6)) == 6


def test_table_says_how_many_matched_when_limited() -> None:
    text = format_table([entry("A")], 7)
    assert text.splitlines()[-1] == "1 of 7 matching stories"
    assert format_table([], 0).splitlines()[-1] == "no story matches"
