"""The plain reader's commands, in one table: each one's words, what it takes and what it does
(the `help` line), and the function that runs it. A line typed is read here: a number reads
that story, R2 (C1, M1) follows that entry, `/QUERY` searches, an empty line is `more`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reader.model.text import clean_line, shorten
from reader.plain import list_commands as lists
from reader.plain import story_commands as stories
from reader.plain.output import Line
from reader.plain.state import CONFIRM_OVER, REFERENCE, PlainReader

Run = Callable[[PlainReader, str], None]


@dataclass(frozen=True, slots=True)
class Command:
    """One command: typed as `name` (or an alias), with `usage`, doing what `does` says."""

    name: str
    usage: str
    does: str
    run: Run
    aliases: tuple[str, ...] = ()


def _help(reader: PlainReader, argument: str) -> None:
    """`help`: every command, a line each."""
    lines = [
        Line("Commands (a story's number alone reads it; R1, C1, M1 alone follow):", "heading")
    ]
    for command in COMMANDS:
        lines.append(Line(f"{command.usage}: {command.does}", hang=2))
    reader.out.write(lines)


def _quit(reader: PlainReader, argument: str) -> None:
    """`quit`: save the marks and the place in the list, and end."""
    reader.done = True


COMMANDS: tuple[Command, ...] = (
    Command("more", "more, or Enter", "the next page of the list", lists.more),
    Command(
        "list", "list", "the page again, with any stories that came meanwhile", lists.list_again
    ),
    Command(
        "read",
        "read N, or N",
        "the story numbered N: its text, link, related stories (R1…), coverage (C1…) and the "
        "stories that mention it (M1…)",
        stories.read,
    ),
    Command("follow", "follow R1 (C1, M1), or R1", "the next stop on the trail", stories.follow),
    Command("back", "back", "the stop before on the trail", stories.back),
    Command("forward", "forward", "the stop after on the trail", stories.forward),
    Command("trail", "trail", "every stop of the trail, and where you are", stories.trail),
    Command(
        "open", "open N, or open", "the link in your browser (the story in view)", stories.open_link
    ),
    Command("copy", "copy N, or copy", "the link to the clipboard", stories.copy),
    Command("star", "star N, or star", "star the story, or unstar it", stories.star),
    Command("unread", "unread N, or unread", "mark the story unread again", stories.unread),
    Command(
        "read-all",
        "read-all",
        f"mark every story of the list read (asks first over {CONFIRM_OVER})",
        lists.read_all,
        ("readall",),
    ),
    Command("topics", "topics", "every topic, with its counts", lists.topics),
    Command("topic", "topic NAME", "that topic's stories", lists.topic),
    Command("all", "all", "every story", lists.every_story),
    Command("views", "views", "Starred, Unread and the saved views", lists.views),
    Command("view", "view NAME", "a view's stories (starred, unread, a saved one)", lists.view),
    Command("folders", "folders", "the folders read, with their counts", lists.folders),
    Command("folder", "folder NAME", "one folder's stories (with several)", lists.folder),
    Command(
        "/",
        "/QUERY",
        "the stories the query matches (as / in the full-screen reader); / alone: all again",
        lists.search,
    ),
    Command("order", "order quality|newest|heat|title", "sort the list that way", lists.order),
    Command("reverse", "reverse", "the same order the other way round", lists.reverse),
    Command("problems", "problems", "the files that could not be read, and why", lists.problems),
    Command("help", "help", "this list", _help, ("?",)),
    Command(
        "quit", "quit, or end of input", "save your marks and place, and end", _quit, ("exit", "q")
    ),
)
_BY_WORD = {word: c for c in COMMANDS for word in (c.name, *c.aliases)}


def parse(line: str) -> tuple[Command | None, str]:
    """The command a line asks for and the words after it; None when it is no command."""
    text = line.strip()
    if not text:
        return _BY_WORD["more"], ""
    if text.startswith("/"):
        return _BY_WORD["/"], text[1:].strip()
    if REFERENCE.fullmatch(text):
        return _BY_WORD["read"], text
    word, _, rest = text.partition(" ")
    return _BY_WORD.get(word.lower()), rest.strip()


def run_line(reader: PlainReader, line: str) -> None:
    """Do what a line typed asks (or answer a question asked), or say it is no command."""
    if reader.question is not None:
        answer, reader.question = reader.question, None
        answer(line)
        return
    command, argument = parse(line)
    if command is None:
        word = shorten(clean_line(line.strip().split(" ")[0]), 40)
        reader.out.say(f"Unknown command: {word}. Type help for the list of commands.")
        return
    command.run(reader, argument)
