"""`newsreader list` and `newsreader export`, run in-process as a user runs them: outputs, orders,
limits, several folders, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from reader.cli import main
from reader.cli.listing import cells
from reader.library.build import scan_library
from reader.platform import paths
from reader.session.state import State
from tests.conftest import write_story
from tests.unit.test_export import Bookmarks, markdown_items, markdown_links

Capture = pytest.CaptureFixture[str]

# Invented stories: (name, title, quality, heat, published, topics)
STORIES = (
    (
        "ports/cranes.txt",
        "Harbour cranes learn the tide",
        120,
        30,
        "2023-05-09T07:45:00Z",
        ["Ports"],
    ),
    (
        "ports/ferries.txt",
        "Crewless ferry begins service",
        81,
        95,
        "2023-05-10T09:00:00Z",
        ["Ports"],
    ),
    (
        "space/booster.txt",
        "Starling booster lands at sea",
        110,
        60,
        "2021-07-08T21:14:00Z",
        ["Space"],
    ),
    ("space/probe.txt", "Aldous probe returns samples", 64, -1, "2024-01-02T12:00:00Z", ["Space"]),
    ("ai/quill.txt", "Quill-7 runs on a laptop", 102, 80, "2024-04-18T15:00:00Z", ["AI", "Space"]),
)


def write_feed(folder: Path) -> Path:
    for name, title, quality, heat, published, topics in STORIES:
        slug = name.removesuffix(".txt").replace("/", "-")
        write_story(
            folder,
            name,
            title=title,
            excerpt=f"{title}: what happened, and what comes next.",
            publishedDateTime=published,
            webUrl=f"https://www.atlaswire.com/{slug}/",
            type="article",
            quality=quality,
            heat=heat,
            provider={"name": "Atlas Wire", "domain": "atlaswire.com"},
            topics=topics,
        )
    return folder


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def json_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


# -- list ------------------------------------------------------------------------------------


def test_list_json_prints_one_object_per_story_best_first(feed: Path, capsys: Capture) -> None:
    write_feed(feed)
    code, out, err = run(capsys, "list", str(feed), "--json")
    assert (code, err) == (0, "")
    rows = json_lines(out)
    assert [row["quality"] for row in rows] == [120, 110, 102, 81, 64]
    first = rows[0]
    assert set(first) == {
        "path",
        "folder",
        "title",
        "link",
        "provider",
        "domain",
        "published",
        "quality",
        "heat",
        "type",
        "topics",
        "read",
        "starred",
        "coverage",
        "article",
    }
    assert first["path"] == "ports/cranes.txt"
    assert first["folder"] == str(feed)
    assert first["link"] == "https://www.atlaswire.com/ports-cranes/"
    assert first["published"] == "2023-05-09T07:45:00+00:00"
    assert (first["provider"], first["domain"], first["type"]) == (
        "Atlas Wire",
        "atlaswire.com",
        "article",
    )
    assert rows[4]["heat"] is None
    assert [row["coverage"] for row in rows] == [None] * 5  # five different events
    assert paths.index_cache(feed).is_file()  # the reader's cache, for the next run
    assert not paths.state_file(feed).exists()  # marks are only read, never created


def test_list_shows_the_readers_marks(feed: Path, capsys: Capture) -> None:
    write_feed(feed)
    main(["list", str(feed), "--json"])  # builds the cache
    capsys.readouterr()
    library = scan_library(feed)
    state = State(paths.state_file(feed))
    state.set_read([library.stories[0], library.stories[1]])
    state.toggle_star(library.stories[1])
    state.close()
    rows = json_lines(run(capsys, "list", str(feed), "--json")[1])
    assert [(row["read"], row["starred"]) for row in rows[:3]] == [
        (True, False),
        (True, True),
        (False, False),
    ]
    _, out, _ = run(capsys, "list", str(feed), "--json", "--query=-is:read")
    assert [row["title"] for row in json_lines(out)] == [
        "Quill-7 runs on a laptop",
        "Crewless ferry begins service",
        "Aldous probe returns samples",
    ]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("quality", ["cranes", "booster", "quill", "ferries", "probe"]),
        ("newest", ["quill", "probe", "ferries", "cranes", "booster"]),
        ("heat", ["ferries", "quill", "booster", "cranes", "probe"]),
        ("title", ["probe", "ferries", "cranes", "quill", "booster"]),
    ],
)
def test_list_sort_and_limit(feed: Path, capsys: Capture, order: str, expected: list[str]) -> None:
    write_feed(feed)

    def names(*extra: str) -> list[str]:
        code, out, _ = run(capsys, "list", str(feed), "--json", "--sort", order, *extra)
        assert code == 0
        return [Path(row["path"]).stem for row in json_lines(out)]

    assert names() == expected
    assert names("--limit", "2") == expected[:2]
    assert (
        names("--limit", "2", "--query", "topic:space")
        == [name for name in expected if name in ("booster", "probe", "quill")][:2]
    )


def test_list_table_fits_80_columns_and_strips_control_characters(
    feed: Path, capsys: Capture
) -> None:
    write_feed(feed)
    write_story(
        feed,
        "evil.txt",
        title="Tide \x1b]0;owned\x07 tables \x1b[2J" + " and more words" * 10,
        quality=200,
        provider={"name": "Evil\x9b31m Press \u202eeerf"},
    )
    code, out, err = run(capsys, "list", str(feed))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == len(STORIES) + 3  # heading, stories, count
    assert all(cells(line) <= 80 for line in lines)
    assert not any(c in out for c in "\x1b\x07\x9b\u202e")
    assert "Tide ]0;owned tables [2J and more" in lines[1]
    assert lines[-1] == "6 matching stories"
    assert "●" in lines[1]  # unread


def test_bad_query_exits_two_with_one_line(feed: Path, capsys: Capture) -> None:
    write_feed(feed)
    for query in ('title:"unclosed', "quality>=lots", "(a OR b", "colour:red", "after:yesterday"):
        code, out, err = run(capsys, "list", str(feed), "--query", query)
        assert code == 2, query
        assert out == ""
        assert err.count("\n") == 1 and err.startswith("newsreader: bad query: "), err
        assert "Traceback" not in err


def test_hostile_queries_are_answered_or_refused_in_one_line(feed: Path, capsys: Capture) -> None:
    write_feed(feed)
    for query in ("(" * 1000 + "tide" + ")" * 1000, "tide " * 2000, ".*+?[](){}^$|\\"):
        code, _, err = run(capsys, "list", str(feed), "--json", "--query", query)
        assert code in (0, 2)
        assert err.count("\n") <= 1 and "Traceback" not in err


def test_missing_folder_exits_two_with_one_line(
    feed: Path, tmp_path: Path, capsys: Capture
) -> None:
    write_feed(feed)
    for command in ("list", "export"):
        extra = ["--format", "markdown"] if command == "export" else []
        code, out, err = run(capsys, command, str(feed), str(tmp_path / "nope"), *extra)
        assert (code, out) == (2, "")
        assert err == f"newsreader: no such folder: {tmp_path / 'nope'}\n"
    code, _, err = run(capsys, "list", str(feed / "ports" / "cranes.txt"))
    assert code == 2 and err.startswith("newsreader: not a folder: ")


def test_bad_arguments_are_usage_errors(feed: Path, capsys: Capture) -> None:
    for argv in (
        ["list"],
        ["list", str(feed), "--limit", "0"],
        ["list", str(feed), "--sort", "random"],
        ["export", str(feed)],  # no --format
        ["export", str(feed), "--format", "rss"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2, argv
    assert "Traceback" not in capsys.readouterr().err


def test_files_that_cannot_be_read_do_not_stop_the_listing(feed: Path, capsys: Capture) -> None:
    write_feed(feed)
    (feed / "broken.txt").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    code, out, err = run(capsys, "list", str(feed), "--json")
    assert code == 0
    assert len(json_lines(out)) == len(STORIES)
    assert err == (
        f"newsreader: 1 file in {feed} could not be read (`newsreader check {feed}` says why)\n"
    )


def test_two_folders_list_a_shared_story_once_the_better_copy(
    tmp_path: Path, capsys: Capture
) -> None:
    north = write_feed(tmp_path / "north")
    south = tmp_path / "south"
    write_story(
        south,
        "cranes-copy.txt",
        title="Harbour cranes learn the tide (updated)",
        webUrl="http://atlaswire.com/ports-cranes?utm_source=rss",
        quality=150,
    )
    write_story(south, "locks.txt", title="Locks", webUrl="https://example.org/locks", quality=1)
    code, out, err = run(capsys, "list", str(north), str(south), "--json")
    assert code == 0
    rows = json_lines(out)
    assert [(row["title"], row["folder"]) for row in rows[:2]] == [
        ("Harbour cranes learn the tide (updated)", str(south)),
        ("Starling booster lands at sea", str(north)),
    ]
    assert len(rows) == len(STORIES) + 1
    assert sum("cranes" in row["title"].lower() for row in rows) == 1
    assert (
        err
        == "newsreader: 1 story is in more than one folder: each is listed once, its best copy\n"
    )
    code, out, _ = run(capsys, "list", str(north), str(south), "--json", "--query", "folder:south")
    assert [row["path"] for row in json_lines(out)] == ["cranes-copy.txt", "locks.txt"]


LABELLED = Path(__file__).parent.parent / "fixtures" / "coverage"


def test_list_json_rows_say_which_stories_report_one_event(capsys: Capture) -> None:
    feed = LABELLED / "feed"
    labels = tomllib.loads((LABELLED / "labels.toml").read_text(encoding="utf-8"))
    event = {e["name"]: e["stories"] for e in labels["event"]}
    code, out, err = run(capsys, "list", str(feed), "--json")
    assert (code, err) == (0, "")
    rows = {row["path"]: row["coverage"] for row in json_lines(out)}
    # A press release, its RE-TRANSMISSION copy and other sites' copies and rewrite: one group.
    halden = [rows[path] for path in event["halden-series-c"]]
    assert halden[0] is not None
    assert halden == [{"id": halden[0]["id"], "size": 4}] * 4
    orbitra = [rows[path] for path in event["orbitra-castellan"]]
    assert orbitra[0] is not None and orbitra[0]["id"] != halden[0]["id"]
    assert orbitra == [{"id": orbitra[0]["id"], "size": 3}] * 3
    assert rows["103_a60b138c5ae4f1f7.txt"] is None  # a story no other one reports
    grouped = {path for path, coverage in rows.items() if coverage is not None}

    _, out, _ = run(capsys, "list", str(feed), "--json", "--query", "has:coverage")
    assert {row["path"] for row in json_lines(out)} == grouped
    _, out, _ = run(capsys, "list", str(feed), "--json", "--query", "coverage>=4 Halden")
    assert {row["path"] for row in json_lines(out)} == set(event["halden-series-c"])
    _, out, _ = run(capsys, "export", str(feed), "--query=-has:coverage", "--format", "jsonfeed")
    assert len(json.loads(out)["items"]) == len(rows) - len(grouped)


# -- export ----------------------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script> Tide tables",
    "Ferries ](javascript:alert(1)) resume",
    '"><a href="https://evil.example/">Locks</a>',
)


def write_hostile(folder: Path) -> None:
    for n, title in enumerate(HOSTILE):
        write_story(
            folder,
            f"hostile-{n}.txt",
            title=title,
            excerpt=title,
            webUrl=f"https://example.org/h{n}",
            quality=10 + n,
            topics=["Ports", "<b>Tags</b>"],
            publishedDateTime="2023-05-11T00:00:00Z",
        )
    write_story(folder, "js.txt", title="Tickets", webUrl="javascript:alert(1)")


def test_export_each_format_carries_exactly_the_querys_stories(feed: Path, capsys: Capture) -> None:
    write_feed(feed)
    space = [
        "Starling booster lands at sea",
        "Quill-7 runs on a laptop",
        "Aldous probe returns samples",
    ]
    links = [
        "https://www.atlaswire.com/space-booster/",
        "https://www.atlaswire.com/ai-quill/",
        "https://www.atlaswire.com/space-probe/",
    ]
    query = ["--query", "topic:space"]

    code, out, _ = run(capsys, "export", str(feed), *query, "--format", "markdown")
    assert code == 0
    assert markdown_links(out) == list(zip(links, space, strict=True))

    code, out, _ = run(capsys, "export", str(feed), *query, "--format", "jsonfeed")
    feed_data = json.loads(out)
    assert feed_data["version"] == "https://jsonfeed.org/version/1.1"
    assert feed_data["title"] == "feed (topic:space)"
    assert [item["title"] for item in feed_data["items"]] == space
    assert [item["url"] for item in feed_data["items"]] == links
    assert feed_data["items"][1]["tags"] == ["AI", "Space"]
    assert feed_data["items"][0]["date_published"] == "2021-07-08T21:14:00+00:00"

    code, out, _ = run(capsys, "export", str(feed), *query, "--format", "bookmarks")
    parsed = Bookmarks(out)
    assert [(href, text) for href, _, text in parsed.links] == list(zip(links, space, strict=True))
    assert parsed.links[1][1]["tags"] == "AI,Space"


def test_export_keeps_hostile_titles_as_text(feed: Path, capsys: Capture) -> None:
    write_hostile(feed)
    _, out, _ = run(capsys, "export", str(feed), "--format", "bookmarks")
    parsed = Bookmarks(out)
    assert "script" not in parsed.tags and "b" not in parsed.tags
    assert [text for _, _, text in parsed.links] == list(reversed(HOSTILE))
    assert [href for href, _, _ in parsed.links] == [f"https://example.org/h{n}" for n in (2, 1, 0)]
    assert parsed.entries[-1] == "Tickets"  # no link for javascript:

    _, out, _ = run(capsys, "export", str(feed), "--format", "markdown")
    assert [label for _, label in markdown_links(out)] == list(reversed(HOSTILE))
    assert markdown_items(out)[-1] == "Tickets"

    _, out, _ = run(capsys, "export", str(feed), "--format", "jsonfeed")
    items = json.loads(out)["items"]
    assert [item["title"] for item in items] == [*reversed(HOSTILE), "Tickets"]
    assert "url" not in items[-1]


def test_export_to_a_file_says_where(feed: Path, tmp_path: Path, capsys: Capture) -> None:
    write_feed(feed)
    target = tmp_path / "out" / "picks.html"
    target.parent.mkdir()
    code, out, err = run(
        capsys, "export", str(feed), "--format", "bookmarks", "--limit", "2", "-o", str(target)
    )
    assert (code, out) == (0, "")
    assert err == f"newsreader: 2 stories written to {target} (bookmarks)\n"
    assert len(Bookmarks(target.read_text(encoding="utf-8")).links) == 2
    assert [p.name for p in target.parent.iterdir()] == ["picks.html"]  # no temporary left


def test_export_to_a_place_that_cannot_be_written_says_so(
    feed: Path, tmp_path: Path, capsys: Capture
) -> None:
    write_feed(feed)
    target = tmp_path / "missing" / "picks.md"
    code, out, err = run(capsys, "export", str(feed), "--format", "markdown", "-o", str(target))
    assert (code, out) == (1, "")
    assert err == f"newsreader: could not write {target}: No such file or directory\n"


def test_export_of_two_folders_names_linkless_stories_by_folder(
    tmp_path: Path, capsys: Capture
) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    write_story(north, "note.txt", title="North note", quality=5)
    write_story(south, "note.txt", title="South note", quality=6)
    _, out, _ = run(capsys, "export", str(north), str(south), "--format", "jsonfeed")
    data = json.loads(out)
    assert data["title"] == "north, south"
    assert [item["id"] for item in data["items"]] == ["south/note.txt", "north/note.txt"]


def test_list_and_export_leave_textual_unloaded(feed: Path) -> None:
    write_feed(feed)
    script = (
        "import sys; from reader.cli import main; "
        f"main(['list', {str(feed)!r}, '--json']); "
        f"main(['export', {str(feed)!r}, '--format', 'jsonfeed']); "
        "assert 'textual' not in sys.modules, 'textual was imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
