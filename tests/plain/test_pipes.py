"""The plain reader over pipes, as a script drives it: `printf 'read 1\\nquit\\n' | newsreader
--plain FOLDER`. Every command, a bad one, a bad query, the end of input, two folders, a folder
that changes while it runs, and no escape byte unless colour is asked for."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from reader.plain.commands import COMMANDS
from reader.platform import paths
from reader.session.session import Session
from tests.conftest import FIXTURES, two_folders, write_story
from tests.plain.conftest import (
    FILLER_TITLES,
    LEAD,
    LEAD_COPY,
    LEAD_URL,
    ORDER,
    OUTSIDE,
    OUTSIDE_URL,
    PORT,
    PORT_URL,
    Piped,
    command,
    environment,
    plain,
)

NUMBERED = re.compile(r"^(\d+)\. (.*?) — ")


def listed(lines: list[str]) -> list[tuple[int, str]]:
    """The numbered story lines among `lines`: (number, title)."""
    return [(int(m.group(1)), m.group(2)) for line in lines if (m := NUMBERED.match(line))]


def after(lines: list[str], first: str) -> list[str]:
    """The lines from the first that begins with `first` on."""
    return lines[next(i for i, line in enumerate(lines) if line.startswith(first)) :]


def test_it_starts_with_the_folder_and_its_counts_then_the_best_page_numbered(news: Path) -> None:
    result = plain(news)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "news: 13 stories, 13 unread, 3 topics. All: 13 stories, quality, highest first."
    )
    assert lines[1] == f"1. {LEAD} — Tidewater Courier, 2021-03-04, quality 95, unread"
    assert listed(lines) == list(enumerate(ORDER[:10], start=1))
    assert lines[11] == "Stories 1 to 10 of 13. Enter or more: the next page."
    assert len(lines) == 12  # the end of input ends it: nothing more is said


def test_enter_and_more_give_the_next_page_and_list_the_page_again(news: Path) -> None:
    lines = plain(news, lines="\nmore\nlist\n").stdout.splitlines()[12:]
    assert listed(lines[:3]) == list(enumerate(ORDER[10:], start=11))
    assert lines[3] == "Stories 11 to 13 of 13, the end of the list."
    assert lines[4] == "No more stories: that was the end of the list (13 stories)."
    assert lines[5] == "All: 13 stories, quality, highest first."
    assert listed(lines[6:]) == list(enumerate(ORDER[10:], start=11))


def test_read_n_shows_the_story_its_link_related_coverage_and_mentions(news: Path) -> None:
    lines = after(plain(news, lines="read 1\n").stdout.splitlines(), LEAD)
    assert lines[:7] == [
        LEAD,
        "Tidewater Courier (tidewatercourier.example), 2021-03-04 09:30 UTC, " + lines[1][-11:],
        "Article, quality 95, heat 80, read.",
        "Topics: Harbours.",
        "",
        "A container terminal lets its cranes adjust to the tide table.",
        "",
    ]
    assert lines[1].endswith("years ago")
    assert lines[7:] == [
        f"Link: {LEAD_URL}",
        "",
        "Related (2):",
        f"R1. {PORT} — Quayside Daily, 2021-03-05, quality 80, unread, in this feed",
        f"R2. {OUTSIDE} — Crane Trade, external",
        "Coverage, the same event from 2 providers:",
        f"C1. {LEAD_COPY} — Harbour Gazette, 2021-03-04, quality 60, unread",
        "Mentioned by (1):",
        f"M1. {PORT} — Quayside Daily, 2021-03-05, quality 80, unread",
        "",
    ]


def test_a_number_alone_reads_that_story_and_the_list_then_says_it_is_read(news: Path) -> None:
    lines = plain(news, lines="2\nlist\n").stdout.splitlines()
    assert after(lines, PORT)[2] == "Article, quality 80, heat unknown, read."
    again = after(lines, "All: 13 stories")
    assert again[2] == f"2. {PORT} — Quayside Daily, 2021-03-05, quality 80"


def test_follow_back_forward_and_trail(news: Path) -> None:
    script = "read 1\nfollow R1\nM1\ntrail\nback\nback\nback\nforward\nforward\nforward\n"
    out = plain(news, lines=script).stdout
    stops = re.findall(r"^Trail: stop (\d) of (\d)(.*)$", out, re.MULTILINE)
    assert stops[:3] == [("2", "2", "; back."), ("3", "3", "; back."), ("3", "3", "; back.")]
    assert "1. " + LEAD + "\n2. " + PORT + "\n3. " + LEAD + " (you are here)\n" in out
    assert stops[3:] == [
        ("2", "3", "; back and forward."),
        ("1", "3", "; forward."),
        ("2", "3", "; back and forward."),
        ("3", "3", "; back."),
    ]
    assert out.count("Already at the start of the trail.") == 1
    assert out.count("Already at the end of the trail.") == 1


def test_reading_a_story_again_shows_it_from_the_start_of_its_trail(news: Path) -> None:
    lines = plain(news, lines="read 1\nR1\nread 1\n").stdout.splitlines()
    last = max(index for index, line in enumerate(lines) if line == LEAD)
    assert lines[last + 4] == "Trail: stop 1 of 2; forward."
    assert lines[last - 2] == "M1. " + LEAD + " — Tidewater Courier, 2021-03-04, quality 95"


def test_coverage_entries_and_external_entries_are_followed_too(news: Path) -> None:
    out = plain(news, lines="read 1\nC1\nback\nfollow R2\n").stdout
    copy = after(out.splitlines(), LEAD_COPY)
    assert copy[1].startswith("Harbour Gazette, 2021-03-04 11:00 UTC")
    outside = after(out.splitlines(), OUTSIDE)
    assert outside[2:4] == ["Article.", "Not in this feed: a related story on another site."]
    assert f"Link: {OUTSIDE_URL}" in outside


def test_open_hands_the_link_to_the_browser(news: Path, tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"
    browser.write_text(
        "import sys\nwith open(sys.argv[1], 'a') as f:\n    f.write(sys.argv[2] + '\\n')\n"
    )
    env = {"BROWSER": f"{sys.executable} {browser} {opened} %s"}
    out = plain(news, lines="open\nopen 2\nread 1\nopen\nopen R2\n", env=env).stdout
    assert "No story is in view." in out
    assert opened.read_text().splitlines() == [PORT_URL, LEAD_URL, OUTSIDE_URL]
    assert f"Opening {PORT_URL}" in out and f"Opening {OUTSIDE_URL}" in out


def test_a_link_that_is_not_a_web_link_is_not_opened(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    write_story(
        folder,
        "a.md",
        title="A story with a bad related link",
        webUrl="https://example.org/a",
        related=[{"title": "Sneaky", "webUrl": "javascript:alert(1)"}],
    )
    out = plain(folder, lines="read 1\nopen R1\n", env={"BROWSER": "false %s"}).stdout
    assert out.splitlines()[-1] == "Not opened: only http and https links open (javascript)."


def test_copy_puts_the_link_on_the_clipboard_or_says_it(news: Path, tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    clipboard = tmp_path / "clipboard.txt"
    xclip = tools / "xclip"
    xclip.write_text(f"#!/bin/sh\ncat > {clipboard}\n")
    xclip.chmod(0o755)
    env = {"DISPLAY": ":99", "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}
    out = plain(news, lines="copy 2\n", env=env).stdout
    assert clipboard.read_text() == PORT_URL
    assert out.splitlines()[-1] == f"Copied {PORT_URL}"
    out = plain(news, lines="copy 2\n", env={"PATH": str(tools)}).stdout  # no display
    assert out.splitlines()[-1].endswith(f"The link: {PORT_URL}")


def test_star_and_unread_are_words_and_kept_in_the_same_state_file(news: Path) -> None:
    script = "star 2\nread 3\nunread 3\nlist\nview starred\n"
    lines = plain(news, lines=script).stdout.splitlines()
    assert f"Starred: {PORT}" in lines
    assert f"Marked unread: {FILLER_TITLES[0]}" in lines
    page = after(lines, "All: 13 stories")
    assert page[2] == f"2. {PORT} — Quayside Daily, 2021-03-05, quality 80, unread, starred"
    assert page[3].endswith("quality 70, unread")
    assert after(lines, "Starred: 1 story")[1].startswith(f"1. {PORT} — ")
    again = plain(news, lines="star 1\n").stdout.splitlines()  # where it was left: Starred
    assert again[0].endswith("Starred: 1 story, quality, highest first.")
    assert again[1].endswith(", unread, starred") and again[-1] == f"Unstarred: {PORT}"
    session = Session(news.resolve(), state_file=paths.state_file(news.resolve()))
    session.loader.load()
    assert not any(session.marks.is_starred(s) for s in session.snapshot.view)


def test_a_story_marked_unread_stays_unread_and_manual_reading_marks_nothing(
    news: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    for read_after, words in (("0", "read"), ('"manual"', "unread")):
        config.write_text(f"read_after = {read_after}\n")
        data = tmp_path / f"data-{words}"  # marks of their own
        env = {"NEWSREADER_CONFIG": str(config), "NEWSREADER_DATA_DIR": str(data)}
        lines = plain(news, lines="read 1\nread 2\nunread\nlist\n", env=env).stdout.splitlines()
        assert f"Article, quality 95, heat 80, {words}." in lines
        page = after(lines, "All: 13 stories")
        assert page[1].endswith("quality 95" if words == "read" else "quality 95, unread")
        assert page[2].endswith("quality 80, unread")  # not read again by the timer


def test_read_all_asks_first_over_fifty_and_no_answer_is_no(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    for number in range(55):
        write_story(folder, f"{number}.md", title=f"Story number {number}", quality=number)
    out = plain(folder, lines="read-all\n").stdout
    assert out.splitlines()[-2:] == [
        "Mark all 55 unread stories in All as read? Type yes or no.",
        "Nothing marked.",
    ]
    out = plain(folder, lines="read-all\nno\nread-all\nyes\nlist\n").stdout
    assert "Nothing marked.\n" in out and "Marked 55 stories read.\n" in out
    assert not any(line.endswith("unread") for line in after(out.splitlines(), "All: 55"))
    assert plain(folder).stdout.startswith("big: 55 stories, 0 unread")


def test_read_all_without_asking_under_fifty(news: Path) -> None:
    out = plain(news, lines="topic trains\nread-all\nread-all\n").stdout
    assert out.splitlines()[-2:] == ["Marked 5 stories read.", "Every story here is read already."]


def test_topics_views_and_folders(news: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[views]\n"Best" = "quality>=80"\n')
    script = "topics\ntopic trains\ntopic nope\nviews\nview best\nview nope\nfolders\nall\n"
    lines = plain(news, lines=script, env={"NEWSREADER_CONFIG": str(config)}).stdout.splitlines()
    assert after(lines, "Topics (3):")[1:4] == [
        "Trains: 5 stories, 5 unread.",
        "Weather: 5 stories, 5 unread.",
        "Harbours: 3 stories, 3 unread.",
    ]
    trains = after(lines, "Trains: 5 stories, quality")
    assert [title for _, title in listed(trains[1:6])] == FILLER_TITLES[0::2]
    assert "No topic called nope. Type topics for the list." in lines
    assert after(lines, "Views (3):")[1:4] == [
        "Starred: 0 stories.",
        "Unread: 13 stories.",
        "Best: 2 stories, 2 unread.",
    ]
    assert listed(after(lines, "Best: 2 stories, quality")[1:3]) == [(1, LEAD), (2, PORT)]
    assert "No view called nope. Type views for the list." in lines
    assert after(lines, "Folders (1):")[1] == f"news: 13 stories, in {news.resolve()}."
    assert lines[-1] == "Stories 1 to 10 of 13. Enter or more: the next page."


def test_search_a_bad_query_and_the_order(news: Path) -> None:
    script = "/cranes\n/title:(\norder newest\nreverse\norder sideways\norder title\n/\n"
    lines = plain(news, lines=script).stdout.splitlines()
    found = after(lines, "All: 2 stories, quality, highest first, search cranes.")
    assert listed(found[1:3]) == [(1, LEAD), (2, LEAD_COPY)]
    bad = next(i for i, line in enumerate(lines) if line.startswith("Bad query"))
    assert lines[bad] == (
        "Bad query: missing value after \"title:\" at character 7 of 'title:('; "
        "the list is as it was."
    )
    assert lines[bad + 1] == "All: 2 stories, newest first, search cranes."  # the next answer
    assert "All: 2 stories, oldest first, search cranes." in lines
    assert (
        "The list is sorted oldest first. Type order and one of: quality, newest, heat, title."
    ) in lines
    everything = after(lines, "All: 13 stories, title A–Z.")
    assert [title for _, title in listed(everything[1:11])] == sorted(ORDER)[:10]


def test_help_lists_every_command_and_an_unknown_one_gets_one_line(news: Path) -> None:
    lines = plain(news, lines="help\nfrobnicate now\n").stdout.splitlines()
    shown = after(lines, "Commands")
    for entry in COMMANDS:
        assert any(line.startswith(f"{entry.usage}: ") for line in shown), entry.usage
    assert lines[-1] == "Unknown command: frobnicate. Type help for the list of commands."
    assert lines[-2].startswith("quit, or end of input: ")


def test_quit_saves_the_place_and_ends_at_once(news: Path) -> None:
    result = plain(news, lines="read 12\nquit\nread 1\n")
    assert result.returncode == 0
    assert LEAD not in result.stdout.split(FILLER_TITLES[8], 1)[1]  # nothing after quit
    again = plain(news).stdout.splitlines()
    assert again[0].startswith("news: 13 stories, 12 unread")
    assert again[-1] == f"Last time you were at story 12: {FILLER_TITLES[8]}."


def test_two_folders_read_as_one(tmp_path: Path) -> None:
    tech, world = two_folders(tmp_path)
    lines = plain(
        tech, world, lines="folders\nfolder world\nread 1\nproblems\n"
    ).stdout.splitlines()
    assert lines[0].startswith("tech + world: 5 stories, 5 unread, 2 topics.")
    assert lines[1] == (
        "1 story is in more than one folder: each is shown once, its best copy "
        "(type problems to see them)."
    )
    assert after(lines, "Stories in two files, shown once (1):")[1] == (
        "world/shared.md: shown; the same link in tech/shared.md"
    )
    assert after(lines, "Folders (2):")[1:4] == [
        f"tech: 2 stories, in {tech.resolve()}.",
        f"world: 3 stories, in {world.resolve()}.",
        "Type folder and a name to see its stories.",
    ]
    shown = after(lines, "world: 3 stories, quality")
    assert [title for _, title in listed(shown[1:4])] == [
        "Port strike ends",
        "Shared, world's copy",
        "Another note without a link",
    ]
    assert "Folder: world." in after(lines, "Port strike ends")


def test_a_folder_that_changes_while_reading_is_announced_in_one_line(news: Path) -> None:
    with Piped(news) as reader:
        reader.wait_for("Stories 1 to 10 of 13")
        reader.send("read 1")
        reader.wait_for("Mentioned by (1):")
        story = write_story(
            news,
            "trains/tram.md",
            title="Tram line extension approved",
            quality=99,
            topics=["Trains"],
        )
        said = reader.wait_for("1 new story in Trains: Tram line extension approved.")
        asked = reader.send("list")
        reader.wait_for("1. Tram line extension approved — ", asked)
        story.write_text(story.read_text().replace("quality: 99", "quality: 98"))
        reader.wait_for("1 story changed.", said + 1)
        story.unlink()
        reader.wait_for("1 story gone.", said + 1)
        assert reader.close() == 0


def test_colour_only_when_asked_and_never_with_no_color_or_a_dumb_terminal(news: Path) -> None:
    assert "\x1b[" in plain(news, "--color", lines="read 1\n").stdout
    for env in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        result = plain(news, "--color", lines="read 1\nhelp\n", env=env)
        assert LEAD in result.stdout and "\x1b" not in result.stdout


def test_hostile_story_text_reaches_the_output_without_a_control_character() -> None:
    folder = FIXTURES / "hostile"
    script = "".join(f"read {n}\nfollow R1\n" for n in range(1, 40)) + "topics\nproblems\n"
    out = plain(folder, "--color", lines=script, env={"NO_COLOR": "1"}).stdout
    assert out.count("\nLink: ") > 10
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)


def test_lines_wrap_at_columns(news: Path) -> None:
    lines = plain(news, lines="read 1\nhelp\n", env={"COLUMNS": "40"}).stdout.splitlines()
    assert after(lines, "1. ")[:3] == [
        f"1. {LEAD}",
        "   — Tidewater Courier, 2021-03-04,",
        "   quality 95, unread",
    ]
    long = [line for line in lines if len(line) > 40]
    assert long == [f"Link: {LEAD_URL}"]  # a link is never cut


def test_term_dumb_chooses_the_plain_reader(news: Path) -> None:
    result = subprocess.run(
        command(str(news)),
        input="quit\n",
        capture_output=True,
        text=True,
        env=environment({"TERM": "dumb"}),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("news: 13 stories, 13 unread, 3 topics.")


def test_the_plain_reader_never_loads_textual(news: Path) -> None:
    check = (
        "import sys\nfrom reader.cli.main import main\n"
        "main(['--plain', sys.argv[1]])\nprint('textual loaded:', 'textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check, str(news)],
        input="read 1\nhelp\n",
        capture_output=True,
        text=True,
        env=environment(),
        timeout=120,
        check=True,
    )
    assert result.stdout.splitlines()[-1] == "textual loaded: False"


def test_help_of_the_command_line_mentions_plain() -> None:
    result = subprocess.run(command("--help"), capture_output=True, text=True, check=True)
    assert "--plain" in result.stdout and "TERM=dumb" in result.stdout


def test_read_n_shows_the_kept_article_in_place_of_the_excerpt(news: Path) -> None:
    from reader.article.model import Article, Block, Link, Span
    from reader.article.store import ArticleStore

    store = ArticleStore(paths.article_cache())
    store.put(
        Article(
            url=LEAD_URL,
            final_url=LEAD_URL,
            blocks=(
                Block("paragraph", (Span("The cranes slow down at low water, says the "),
                                    Span("port authority", 1), Span("."))),
                Block("item", (Span("Fewer stalled lifts"),), level=1),
            ),
            links=(Link("port authority", "https://port.example/authority"),),
            fetched=1_700_000_000.0,
        )
    )  # fmt: skip
    store.close()
    lines = after(plain(news, lines="read 1\n").stdout.splitlines(), LEAD)
    text = "\n".join(lines)
    assert "Full article, 14 words, fetched 2023-11-14T22:13:20Z" in text
    assert "The cranes slow down at low water, says the port authority [1]." in text
    assert "• Fewer stalled lifts" in text
    assert "[1] https://port.example/authority" in text
    assert "A container terminal lets its cranes adjust" not in text  # not the excerpt
