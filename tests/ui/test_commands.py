"""The palette and the help screen show the keys bound now, after the config's [keys]."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.model.order import Order
from reader.platform.config import Config
from reader.ui.app import NewsReader
from reader.ui.commands import MainCommands, PaletteHost
from reader.ui.keys import MAIN_BINDINGS, MAIN_PALETTE
from reader.ui.screens.main import MainScreen
from reader.ui.screens.modal import ListScreen
from reader.ui.widgets.text_list import TextList
from tests.conftest import FIXTURES
from tests.ui.conftest import until

BACK = "Back along the related-story trail"


def remapped_reader() -> NewsReader:
    return NewsReader(
        FIXTURES / "trail",
        opener=lambda url: None,
        clock=lambda: datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc),
        follow_changes=False,
        config=Config(keys={"main.back": "x"}),
    )


async def hits(provider: MainCommands, query: str) -> list[Hit | DiscoveryHit]:
    return [hit async for hit in provider.search(query)]


def text_of(hit: Hit | DiscoveryHit) -> str:
    return Content.from_markup(hit.help or "").plain


async def test_help_screen_shows_the_remapped_key() -> None:
    app = remapped_reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, MainScreen),
            "the main screen never came up",
        )
        await pilot.press("question_mark")
        await until(
            pilot,
            lambda: isinstance(app.screen, ListScreen),
            "the help screen never opened",
        )
        rows = [text.plain for text, _ in app.screen.query_one(TextList).rows]
        [back] = [row for row in rows if BACK in row]
        assert back.split()[0] == "x"
        assert "⌫" not in back and "[" not in back
        [forward] = [row for row in rows if "Forward along the related-story trail" in row]
        assert forward.split()[0] == "]"  # not remapped: its defaults


async def test_palette_hint_shows_the_remapped_key() -> None:
    app = remapped_reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, MainScreen),
            "the main screen never came up",
        )
        found = await hits(MainCommands(app.screen), "Back along the trail")
        [back] = [hit for hit in found if hit.text == "Back along the trail"]
        assert text_of(back) == "x"
        found = await hits(MainCommands(app.screen), "Forward along the trail")
        [forward] = [hit for hit in found if hit.text == "Forward along the trail"]
        assert text_of(forward) == "] or alt+→"  # "[" and "]" reach the palette as text
        # A hint runs what its key runs: the trail's back, of the session the screen shows.
        called: list[str] = []
        reading = app.main.session.reading
        reading.back = lambda: called.append("back")  # type: ignore[method-assign,assignment,return-value]
        app.call_later(back.command)
        await until(pilot, lambda: called == ["back"], "the command never ran")


async def test_the_main_screens_palette_offers_its_commands_with_their_keys() -> None:
    app = remapped_reader()
    async with app.run_test(size=(160, 48)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, MainScreen),
            "the main screen never came up",
        )
        await pilot.press("ctrl+p")
        await until(
            pilot,
            lambda: isinstance(app.screen, CommandPalette),
            "the palette never opened",
        )
        await pilot.press(*"Back along")

        def prompts() -> list[str]:
            options = app.screen.query_one(CommandList).options
            return [getattr(o.prompt, "plain", str(o.prompt)) for o in options]

        await until(
            pilot,
            lambda: "Back along the trail\nx" in prompts(),
            "the palette never offered Back with its key x",
        )


class Host(Screen[None]):
    """A screen with the main screen's bindings and palette, topics and orders of its own."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_BINDINGS
    COMMANDS = MAIN_PALETTE

    def __init__(self) -> None:
        super().__init__()
        self.went: list[str | None] = []
        self.orders: list[Order] = []
        self.views: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Static("host")
        yield Footer()

    def palette_topics(self) -> Sequence[tuple[str, int]]:
        return [("Water", 2), ("[bold red]Topic[/]", 1), ("Evil\x1b]0;x\x07", 1)]

    def go_to_topic(self, topic: str | None) -> None:
        self.went.append(topic)

    def set_order(self, order: Order, reverse: bool = False) -> None:
        self.orders.append(order)

    def palette_views(self) -> Sequence[str]:
        return ["Top picks", "[bold red]View[/]"]

    def go_to_view(self, name: str) -> None:
        self.views.append(("go", name))

    def rename_view(self, name: str) -> None:
        self.views.append(("rename", name))

    def delete_view(self, name: str) -> None:
        self.views.append(("delete", name))

    def export_view(self, format: str) -> None:
        self.views.append(("export", format))


class HostApp(App[None]):
    def __init__(self, screen: Screen[None]) -> None:
        super().__init__()
        self.host = screen

    def on_mount(self) -> None:
        self.push_screen(self.host)


async def test_topics_and_orders_come_from_a_palette_host_and_stay_text() -> None:
    host = Host()
    app = HostApp(host)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.screen is host, "the host screen never came up")
        assert isinstance(host, PaletteHost)
        provider = MainCommands(host)
        [water] = [h for h in await hits(provider, "Topic: Water") if h.text == "Topic: Water"]
        assert text_of(water) == "2 stories"
        [hostile] = [h for h in await hits(provider, "Topic: [bold") if "bold" in (h.text or "")]
        assert hostile.text == "Topic: [bold red]Topic[/]"
        assert getattr(hostile.prompt, "plain", None) == "Topic: [bold red]Topic[/]"
        [newest] = [
            h for h in await hits(provider, "Order by newest") if h.text == "Order by newest"
        ]
        assert text_of(newest) == "s cycles the orders"
        for hit in (water, hostile, newest):
            app.call_later(hit.command)
        await until(
            pilot,
            lambda: host.went == ["Water", "[bold red]Topic[/]"],
            "the topics were never chosen",
        )
        await until(pilot, lambda: host.orders == [Order.NEWEST], "the order was never set")
        # Saved views: go to, rename, delete each; export the view; names stay text.
        [view] = [
            h for h in await hits(provider, "View: [bold") if h.text == "View: [bold red]View[/]"
        ]
        assert getattr(view.prompt, "plain", None) == "View: [bold red]View[/]"
        [rename] = [
            h
            for h in await hits(provider, "Rename view: Top")
            if h.text == "Rename view: Top picks…"
        ]
        [export] = [
            h
            for h in await hits(provider, "Export view as JSON")
            if h.text == "Export view as JSON Feed"
        ]
        for hit in (view, rename, export):
            app.call_later(hit.command)
        wanted = [("go", "[bold red]View[/]"), ("rename", "Top picks"), ("export", "jsonfeed")]
        await until(pilot, lambda: host.views == wanted, "the view commands never ran")
        # Before a search, the palette lists the commands but not every topic.
        listed = [hit.text async for hit in provider.discover()]
        assert "Topic: All" in listed and "Topic: Water" not in listed
        [evil] = [h.text for h in await hits(provider, "Topic: Evil")]
        assert evil == "Topic: Evil]0;x"  # no escape sequence reaches the terminal


async def test_a_screen_that_is_not_a_host_gets_only_the_key_commands() -> None:
    plain = Screen[None]()
    app = HostApp(plain)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.screen is plain, "the plain screen never came up")
        listed = [hit.text async for hit in MainCommands(plain).discover()]
        assert "Back along the trail" in listed
        assert not any(text and text.startswith(("Topic:", "Order by")) for text in listed)
