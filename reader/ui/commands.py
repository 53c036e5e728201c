"""The main screen's commands in the command palette (Ctrl+P), from the command table.

Scoped to the screen (`MainScreen.COMMANDS`): the palette offers them only over the main screen.
Beside each command it shows the keys bound to it now, after the config's [keys] remapping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import NamedTuple, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reader.model.order import Order
from reader.model.text import clean_line
from reader.ui.command_table import APP_COMMANDS, MAIN_COMMANDS, Command, bound, command, keymap_of


@runtime_checkable
class PaletteHost(Protocol):
    """What a screen offers the palette beyond its key commands: topics and orders."""

    def palette_topics(self) -> Sequence[tuple[str, int]]:
        """Each topic's name with its number of stories, in the sidebar's order."""
        ...

    def go_to_topic(self, topic: str | None) -> None:
        """Show the stories of `topic` (None: every story)."""
        ...

    def set_order(self, order: Order, reverse: bool = False) -> None:
        """Sort the stories by `order`."""
        ...

    def palette_views(self) -> Sequence[str]:
        """The saved views' names."""
        ...

    def go_to_view(self, name: str) -> None:
        """Show a saved view."""
        ...

    def rename_view(self, name: str) -> None:
        """Ask for a new name of a saved view."""
        ...

    def delete_view(self, name: str) -> None:
        """Ask, then delete a saved view."""
        ...

    def export_view(self, format: str) -> None:
        """Write the list's stories to a file in `format`, and say where."""
        ...


class Entry(NamedTuple):
    """One line of the palette: its title, what it runs and its help (plain text)."""

    title: str
    run: Callable[[], object]
    help: str
    topic: bool = False  # a topic's entry: searched, not listed before a search


def highlighted(text: str, positions: Iterable[int]) -> Content:
    """`text` as plain content (never markup) with the matched characters emphasised."""
    content = Content(text)
    for offset in positions:
        if 0 <= offset < len(text) and not text[offset].isspace():
            content = content.stylize("bold reverse", offset, offset + 1)
    return content


def hint_text(hint: str) -> str:
    """Help text for a command; the palette reads it as markup, so square brackets are escaped."""
    return hint.replace("[", r"\[")


def spoken(keys: Sequence[str]) -> str:
    """Keys as a phrase: "a", "a or b", "a, b or c"."""
    if len(keys) < 2:
        return "".join(keys)
    return f"{', '.join(keys[:-1])} or {keys[-1]}"


class MainCommands(Provider):
    """Move along the trail, open or copy the link, marks, sidebar; go to a topic, change the
    order (when the screen is a `PaletteHost`)."""

    _entries: list[Entry] | None = None

    def keys(self, command: Command) -> list[str]:
        """How the keys bound to `command` now are shown: the screen's live bindings (after the
        keymap, less keys a focused widget takes), else those the keymap gives it."""
        live = [
            active.binding
            for active in self.screen.active_bindings.values()
            if active.binding.id == command.id
        ]
        if not live:
            live = bound([command.binding()], keymap_of(self.app))
        shown: list[str] = []
        for binding in live:
            key = self.app.get_key_display(binding)
            if key not in shown:
                shown.append(key)
        return shown

    def entries(self) -> list[Entry]:
        """Every entry, built once per opening of the palette."""
        if self._entries is None:
            self._entries = self._build()
        return self._entries

    def _build(self) -> list[Entry]:
        screen = self.screen
        entries: list[Entry] = [
            Entry(c.palette, partial(screen.run_action, c.runs), spoken(self.keys(c)))
            for c in MAIN_COMMANDS
            if c.in_palette
        ]
        entries += [
            Entry(c.palette, partial(self.app.run_action, c.runs), spoken(self.keys(c)))
            for c in APP_COMMANDS
            if c.in_palette
        ]
        if not isinstance(screen, PaletteHost):
            return entries
        cycle = spoken(self.keys(command("main.order")))
        cycle_hint = f"{cycle} cycles the orders" if cycle else ""
        for order in Order:
            entries.append(
                Entry(f"Order by {order.value}", partial(screen.set_order, order), cycle_hint)
            )
        from reader.library.export import NAMES

        for format, kind in NAMES.items():
            entries.append(
                Entry(f"Export view as {kind}", partial(screen.export_view, format), "to a file")
            )
        for name in screen.palette_views():
            shown = clean_line(name)
            entries.append(Entry(f"View: {shown}", partial(screen.go_to_view, name), "saved"))
            entries.append(Entry(f"Rename view: {shown}…", partial(screen.rename_view, name), ""))
            entries.append(Entry(f"Delete view: {shown}…", partial(screen.delete_view, name), ""))
        entries.append(Entry("Topic: All", partial(screen.go_to_topic, None), "every story"))
        for topic, count in screen.palette_topics():
            stories = f"{count} {'story' if count == 1 else 'stories'}"
            entries.append(
                Entry(
                    f"Topic: {clean_line(topic)}", partial(screen.go_to_topic, topic), stories, True
                )
            )
        return entries

    async def discover(self) -> Hits:
        for entry in self.entries():
            if not entry.topic:
                yield DiscoveryHit(
                    Content(entry.title), entry.run, text=entry.title, help=hint_text(entry.help)
                )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self.entries():
            score = matcher.match(entry.title)
            if score > 0:
                _, offsets = matcher.fuzzy_search.match(query, entry.title)
                yield Hit(
                    score,
                    highlighted(entry.title, offsets),
                    entry.run,
                    text=entry.title,
                    help=hint_text(entry.help),
                )
