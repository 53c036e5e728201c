"""Every command with a key, in one table: the bindings, the footer, the help screen and the
command palette are all generated from it, so a key remapped in the config's [keys] (by the
command's id, through `App.set_keymap`) shows correctly everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap, BindingType


@dataclass(frozen=True)
class Command:
    """One command: its binding, its footer label, its help line and its palette entry."""

    id: str  # the binding id, by which the config's [keys] remaps it ("main.back")
    keys: str  # the default keys, comma-separated Textual key names
    action: str  # the action it runs: a method of its `target`, else an action of the screen
    # (or app) whose BINDINGS it is in
    description: str  # short, for the footer
    help: str  # a line, for the help screen and the footer's tooltip
    show: bool = True  # in the footer
    palette: str = ""  # its title in the command palette; empty: not in the palette
    priority: bool = False  # run before the keys after it go anywhere (see main.search)
    target: str = ""  # the part of the session whose method `action` is: reading, navigation…

    @property
    def runs(self) -> str:
        """The Textual action string: a target's method goes through the screen's `run_part`."""
        return f"run_part({self.target!r}, {self.action!r})" if self.target else self.action

    @property
    def in_palette(self) -> bool:
        """Whether the command palette offers the command."""
        return bool(self.palette)

    def binding(self) -> Binding:
        """The Textual binding of the command (every default key, one binding)."""
        return Binding(
            self.keys,
            self.runs,
            self.description,
            show=self.show,
            id=self.id,
            tooltip=self.help,
            priority=self.priority,
        )


APP_COMMANDS: tuple[Command, ...] = (
    Command("app.quit", "q", "quit", "Quit", "Quit newsreader"),
    Command(
        "app.help", "question_mark", "help", "Help", "This list of keys", palette="Help: every key"
    ),
    Command(
        "app.problems",
        "exclamation_mark",
        "problems",
        "Skipped files",
        "Files that could not be read, with the reason, and field warnings",
        palette="Show skipped files",
    ),
    Command(
        "app.commands",
        "ctrl+p",
        "command_palette",
        "Commands",
        "Command palette: go to a topic, change order, open, back, forward, theme",
        show=False,
    ),
)
"""Commands bound everywhere (the app's BINDINGS)."""

MAIN_COMMANDS: tuple[Command, ...] = (
    Command(
        "main.next_pane",
        "tab",
        "app.focus_next",
        "Next pane",
        "Focus the next pane: topics, stories, related list",
        show=False,
    ),
    Command(
        "main.prev_pane",
        "shift+tab",
        "app.focus_previous",
        "Previous pane",
        "Focus the previous pane",
        show=False,
    ),
    Command(
        "main.back",
        "backspace,left_square_bracket,alt+left",
        "back",
        "Back",
        "Back along the related-story trail",
        palette="Back along the trail",
        target="reading",
    ),
    Command(
        "main.forward",
        "right_square_bracket,alt+right",
        "forward",
        "Forward",
        "Forward along the related-story trail",
        palette="Forward along the trail",
        target="reading",
    ),
    Command(
        "main.open",
        "o",
        "open_link",
        "Open",
        "Open the link of the story in view (or of the related entry you moved to)",
        palette="Open link in browser",
    ),
    Command(
        "main.article",
        "t",
        "article",
        "Article",
        "Read the story's article in the pane (t again: the excerpt); fetched once, then kept "
        "for reading offline; Escape stops a fetch",
        palette="Read the article in the pane (or the excerpt again)",
    ),
    Command(
        "main.text_page_down",
        "space",
        "scroll_text(1, 0)",
        "Text page down",
        "Scroll the story's text (or its article) down a page",
        show=False,
    ),
    Command(
        "main.text_page_up",
        "shift+space",
        "scroll_text(-1, 0)",
        "Text page up",
        "Scroll the story's text up a page",
        show=False,
    ),
    Command(
        "main.text_down",
        "J",
        "scroll_text(0, 3)",
        "Text down",
        "Scroll the story's text down a few lines",
        show=False,
    ),
    Command(
        "main.text_up",
        "K",
        "scroll_text(0, -3)",
        "Text up",
        "Scroll the story's text up a few lines",
        show=False,
    ),
    Command(
        "main.copy",
        "c",
        "copy_link",
        "Copy link",
        "Copy that link to the clipboard",
        show=False,
        palette="Copy link",
    ),
    Command(
        "main.order",
        "s",
        "cycle_order",
        "Order",
        "Cycle the order: quality, newest, heat, title",
        target="navigation",
    ),
    Command(
        "main.reverse",
        "S",
        "reverse_order",
        "Reverse",
        "Reverse the order",
        show=False,
        palette="Reverse order",
        target="navigation",
    ),
    # A priority binding: the screen focuses the search box before the letters typed right
    # after `/` are handed to a widget (else they reach the list, where `o` opens a story).
    Command(
        "main.search",
        "slash",
        "search",
        "Search",
        "Search the list",
        palette="Search the stories",
        priority=True,
    ),
    Command(
        "main.save_view",
        "v",
        "save_view",
        "Save view",
        "Save the search as a view in the sidebar",
        show=False,
        palette="Save view…",
    ),
    Command(
        "main.collapse",
        "equals_sign",
        "collapse",
        "Group",
        "Show each event once, as its best story (and every story again)",
        show=False,
        palette="Group stories on one event (or show every story)",
    ),
    Command(
        "main.clear_search",
        "escape",
        "clear_search",
        "Clear search",
        "Clear the search",
        show=False,
    ),
    Command(
        "main.read",
        "u",
        "toggle_read",
        "Read/unread",
        "Mark the story read or unread",
        show=False,
        palette="Mark the story read or unread",
        target="session",
    ),
    Command(
        "main.all_read",
        "A",
        "mark_all_read",
        "All read",
        "Mark every story in this view read",
        show=False,
        palette="Mark every story in the view read",
    ),
    Command(
        "main.star",
        "asterisk",
        "toggle_star",
        "Star",
        "Star or unstar the story",
        palette="Star or unstar the story",
        target="session",
    ),
    Command(
        "main.reload",
        "r",
        "reload",
        "Reload",
        "Read the folder again (changes also show up by themselves)",
        show=False,
        palette="Read the folder again",
    ),
    Command(
        "main.sidebar",
        "b",
        "toggle_sidebar",
        "Sidebar",
        "Hide or show the topic sidebar",
        show=False,
        palette="Toggle topic sidebar",
    ),
)
"""Commands of the main screen (its BINDINGS); actions are the screen's unless `app.`-prefixed."""


LIST_COMMANDS: tuple[Command, ...] = (
    Command("list.up", "up,k", "cursor_up", "Up", "Up", show=False),
    Command("list.down", "down,j", "cursor_down", "Down", "Down", show=False),
    Command("list.page_up", "pageup", "page_up", "Page up", "Page up", show=False),
    Command("list.page_down", "pagedown", "page_down", "Page down", "Page down", show=False),
    Command("list.first", "home,g", "first", "First", "First", show=False),
    Command("list.last", "end,G", "last", "Last", "Last", show=False),
    Command("list.select", "enter", "select", "Select", "Select", show=False),
)
"""Commands of every list (VirtualList's BINDINGS: topics, stories, related)."""

LIST_SELECT: dict[str, str] = {
    "Topics": "Show that topic's stories",
    "Stories": "Move focus to its related list",
    "Related list": "Follow the related story",
}
"""What Enter (the lists' select key, however remapped) does in each list, for the help."""

HELP_GROUPS: tuple[tuple[str, tuple[Command, ...]], ...] = (
    ("Everywhere", APP_COMMANDS),
    ("Main screen", MAIN_COMMANDS),
    ("In any list (topics, stories, related)", LIST_COMMANDS),
)
"""The help screen's groups of commands, in order (then each list's Enter, and the dialogs)."""


def bindings(commands: Iterable[Command]) -> list[BindingType]:
    """The bindings of `commands`, for a BINDINGS class variable."""
    return [command.binding() for command in commands]


def command(command_id: str) -> Command:
    """The command with the id `command_id`."""
    for candidate in (*APP_COMMANDS, *MAIN_COMMANDS, *LIST_COMMANDS):
        if candidate.id == command_id:
            return candidate
    raise KeyError(command_id)


def keymap_of(app: App[Any]) -> Mapping[str, str]:
    """The keymap `app` applies (binding id -> keys, normalised as Textual binds them)."""
    return app._keymap  # Textual has a setter (set_keymap) but no public getter


def bound(bindings: Sequence[BindingType], keymap: Mapping[str, str]) -> list[Binding]:
    """`bindings`, one per key, as Textual binds them under `keymap`: a remapped id gets the
    keymap's keys instead of its own, and a default key taken by a remapped binding is lost.
    In the order of `bindings`."""
    expanded = list(Binding.make_bindings(bindings))
    live = BindingsMap(expanded)
    if keymap:
        live.apply_keymap(keymap)
    rank: dict[tuple[str | None, str], int] = {}
    for index, binding in enumerate(expanded):
        rank.setdefault((binding.id, binding.action), index)
    seen: set[tuple[str, str | None, str]] = set()
    result: list[Binding] = []
    for key, key_bindings in live.key_to_bindings.items():
        for binding in key_bindings:
            if (key, binding.id, binding.action) not in seen:  # apply_keymap may repeat one
                seen.add((key, binding.id, binding.action))
                result.append(binding)
    return sorted(result, key=lambda b: rank.get((b.id, b.action), len(rank)))
