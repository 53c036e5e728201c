"""The main screen's key bindings: one table, read by the footer, the help screen and the
config file's key remapping (by binding id)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MAIN_BINDINGS: list[BindingType] = [
    Binding(
        "tab",
        "app.focus_next",
        "Next pane",
        show=False,
        id="main.next_pane",
        tooltip="Focus the next pane: topics, stories, related list",
    ),
    Binding(
        "shift+tab",
        "app.focus_previous",
        "Previous pane",
        show=False,
        id="main.prev_pane",
        tooltip="Focus the previous pane",
    ),
    Binding(
        "backspace,left_square_bracket,alt+left",
        "back",
        "Back",
        id="main.back",
        tooltip="Back along the related-story trail",
    ),
    Binding(
        "right_square_bracket,alt+right",
        "forward",
        "Forward",
        id="main.forward",
        tooltip="Forward along the related-story trail",
    ),
    Binding(
        "o",
        "open_link",
        "Open",
        id="main.open",
        tooltip="Open the story's link in the browser (in the related list: the entry's)",
    ),
    Binding(
        "c",
        "copy_link",
        "Copy link",
        show=False,
        id="main.copy",
        tooltip="Copy that link to the clipboard",
    ),
    Binding(
        "s",
        "cycle_order",
        "Order",
        id="main.order",
        tooltip="Cycle the order: quality, newest, heat, title",
    ),
    Binding(
        "S",
        "reverse_order",
        "Reverse",
        show=False,
        id="main.reverse",
        tooltip="Reverse the order",
    ),
    Binding("slash", "search", "Search", id="main.search", tooltip="Search the list"),
    Binding(
        "escape",
        "clear_search",
        "Clear search",
        show=False,
        id="main.clear_search",
        tooltip="Clear the search",
    ),
    Binding(
        "u",
        "toggle_read",
        "Read/unread",
        show=False,
        id="main.read",
        tooltip="Mark the story read or unread",
    ),
    Binding(
        "A",
        "mark_all_read",
        "All read",
        show=False,
        id="main.all_read",
        tooltip="Mark every story in this view read",
    ),
    Binding(
        "asterisk",
        "toggle_star",
        "Star",
        id="main.star",
        tooltip="Star or unstar the story",
    ),
    Binding(
        "r",
        "reload",
        "Reload",
        show=False,
        id="main.reload",
        tooltip="Read the folder again (changes also show up by themselves)",
    ),
    Binding(
        "b",
        "toggle_sidebar",
        "Sidebar",
        show=False,
        id="main.sidebar",
        tooltip="Hide or show the topic sidebar",
    ),
]
