"""The reader's commands in the command palette (Ctrl+P)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reader.model.order import Order

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen


def highlighted(text: str, positions: Iterable[int]) -> Content:
    """`text` as plain content (never markup) with the matched characters emphasised."""
    content = Content(text)
    for offset in positions:
        if 0 <= offset < len(text) and not text[offset].isspace():
            content = content.stylize("bold reverse", offset, offset + 1)
    return content


class ReaderCommands(Provider):
    """Go to a topic, change the order, open or copy the link, move along the trail."""

    def _main(self) -> MainScreen | None:
        from reader.ui.screens.main import MainScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        main = self._main()
        if main is None:
            return []
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("Back along the trail", main.action_back, "Backspace, [ or Alt+Left"),
            ("Forward along the trail", main.action_forward, "] or Alt+Right"),
            ("Open link in browser", main.action_open_link, "o"),
            ("Copy link", main.action_copy_link, "c"),
            ("Reverse order", main.action_reverse_order, "S"),
            ("Toggle topic sidebar", main.action_toggle_sidebar, "b"),
            ("Show skipped files", self.app.action_problems, "!"),  # type: ignore[attr-defined]
            ("Topic: All", partial(main.go_to_topic, None), "every story"),
        ]
        for order in Order:
            commands.append((f"Order by {order.value}", partial(main.set_order, order), "s"))
        if main.library is not None:
            for topic, count in main.library.topics:
                commands.append(
                    (
                        f"Topic: {topic}",
                        partial(main.go_to_topic, topic),
                        f"{count} {'story' if count == 1 else 'stories'}",
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for name, command, hint in self._commands()[:12]:
            yield DiscoveryHit(Content(name), command, text=name, help=hint_text(hint))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, hint in self._commands():
            score = matcher.match(name)
            if score > 0:
                _, offsets = matcher.fuzzy_search.match(query, name)
                yield Hit(
                    score, highlighted(name, offsets), command, text=name, help=hint_text(hint)
                )


def hint_text(hint: str) -> str:
    """Help text for a command; the palette reads it as markup, so square brackets are escaped."""
    return hint.replace("[", r"\[")
