"""The plain reader in a terminal (a pseudo-terminal, as a screen reader's user has it): every
command answered, chosen by TERM=dumb alone, no escape byte with TERM=dumb or NO_COLOR, the
folder's changes announced, two folders, Ctrl+D and quit."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import two_folders, write_story
from tests.plain.conftest import LEAD_URL
from tests.pty.terminal import Terminal, reader_command

FIRST_PAGE = "Stories 1 to "


@contextmanager
def terminal(*arguments: str | Path, env: Mapping[str, str]) -> Iterator[Terminal]:
    """The reader in a pty, once its first page is there; killed if the test fails."""
    term = Terminal(reader_command(*map(str, arguments)), env=dict(env), keep_raw=True)
    try:
        term.wait_for(FIRST_PAGE, limit=20)
        yield term
    finally:
        term.kill()


def answer(term: Terminal, line: str, expected: str) -> None:
    """Type `line` and Enter; wait until `expected` is written after it."""
    mark = len(term.text)
    term.press(line.encode() + b"\n")
    term.wait_for(lambda: expected in term.text[mark:], f"{expected!r} after {line!r}", 60)


def ended(term: Terminal) -> int:
    """Wait for the reader to end (reading what it writes meanwhile); its exit status."""
    deadline = time.monotonic() + 60
    while term.process.poll() is None:  # reading meanwhile: a terminal's reader must
        assert time.monotonic() < deadline, "the reader did not end"
        term.read(term.tick)
    while term.read(0):
        pass
    return term.process.returncode


COMMANDS = [  # (typed, what its answer holds), in one run
    ("read 1", "Mentioned by (1):"),
    ("R1", "Trail: stop 2 of 2; back."),
    ("trail", "(you are here)"),
    ("back", "Trail: stop 1 of 2; forward."),
    ("forward", "Trail: stop 2 of 2; back."),
    ("", "Stories 11 to 13 of 13"),
    ("more", "No more stories"),
    ("list", "Stories 11 to 13 of 13"),
    ("open 1", f"Opening {LEAD_URL}"),
    ("copy 1", "No clipboard program here"),
    ("star 2", "Starred: Port authority"),
    ("unread 1", "Marked unread: Harbour cranes"),
    ("read-all", "Marked 12 stories read."),
    ("topics", "Harbours: 3 stories."),
    ("topic weather", "Weather: 5 stories, quality"),
    ("views", "Starred: 1 story."),
    ("view starred", "1. Port authority"),
    ("all", "All: 13 stories"),
    ("folders", "Folders (1):"),
    ("/cranes", "search cranes."),
    ("/title:(", "Bad query: missing value"),
    ("order newest", "newest first, search cranes."),
    ("reverse", "oldest first, search cranes."),
    ("help", "quit, or end of input:"),
    ("bogus", "Unknown command: bogus. Type help"),
]


def test_term_dumb_gives_the_plain_reader_every_command_answers_and_no_escape_byte(
    news: Path, tmp_path: Path
) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"
    browser.write_text("import sys\nopen(sys.argv[1], 'a').write(sys.argv[2] + '\\n')\n")
    env = {"TERM": "dumb", "BROWSER": f"{sys.executable} {browser} {opened} %s", "PATH": ""}
    with terminal(news, env=env) as term:
        assert "news: 13 stories, 13 unread, 3 topics." in term.text
        for typed, expected in COMMANDS:
            answer(term, typed, expected)
        term.press(b"\x04")  # Ctrl+D: the end of input
        assert ended(term) == 0
        assert opened.read_text() == LEAD_URL + "\n"
        assert b"\x1b" not in term.raw


def test_no_color_wins_over_color_and_a_changed_folder_is_announced(news: Path) -> None:
    with terminal("--plain", "--color", news, env={"NO_COLOR": "1"}) as term:
        answer(term, "read 2", "Mentioned by (1):")
        term.press(b"topi")  # half a command typed: the line said comes on a line of its own
        term.wait_for(lambda: term.text.endswith("\r\n\r\ntopi"), "the echo of what was typed")
        late = {"title": "Late frost nips the orchards", "topics": ["Weather"], "quality": 99}
        write_story(news, "weather/late.md", **late)
        said = "1 new story in Weather: Late frost nips the orchards."
        term.wait_for(said, limit=60)
        assert f"topi\r\n{said}" in term.text  # not "topi1 new story…"
        answer(term, "cs", "Weather: 6 stories, 6 unread.")
        answer(term, "list", "1. Late frost nips the orchards — ")
        term.press(b"quit\n")
        assert ended(term) == 0
        assert b"\x1b" not in term.raw


def test_two_folders_in_a_terminal(tmp_path: Path) -> None:
    tech, world = two_folders(tmp_path)
    with terminal("--plain", tech, world, env={"TERM": "dumb"}) as term:
        assert "tech + world: 5 stories" in term.text
        answer(term, "folders", "world: 3 stories, in ")
        answer(term, "folder world", "world: 3 stories, quality")
        answer(term, "read 1", "Folder: world.")
        term.press(b"quit\n")
        assert ended(term) == 0
        assert b"\x1b" not in term.raw
