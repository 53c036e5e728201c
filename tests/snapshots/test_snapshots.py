"""Snapshot tests: what the reader looks like on a fixed feed, at a fixed time; and each pane
alone, drawn from fixed data (a change to one widget shows up in that widget's snapshot only).

Update after an intended visual change with: .venv/bin/pytest tests/snapshots --snapshot-update
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget

from reader.model.keys import story_key
from reader.model.scope import ALL, STARRED, UNREAD, Scope
from reader.model.story import Links, Provider, RelatedStory, Story
from reader.session.detail import Detail, RelatedRow, TrailView
from reader.session.marks import MarksView
from reader.session.snapshot import SidebarEntry
from reader.ui.app import NewsReader
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.related import RelatedList
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.topics import TopicList
from tests.ui.conftest import NOW, make_app, wait_loaded

REPO = Path(__file__).resolve().parents[2]
# Relative, so the folder shown in the header is the same in every checkout.
TRAIL = Path("tests/fixtures/trail")


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


Compare = Callable[..., bool]


def loaded() -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait until the feed has loaded and the detail pane shows the first story."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_loaded(pilot)

    return run_before


def test_main_screen_wide(snap_compare: Compare) -> None:
    assert snap_compare(make_app(TRAIL), terminal_size=(160, 48), run_before=loaded())


# -- each widget alone, in an app of its own ---------------------------------------------------


def utc(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=timezone.utc)


RESERVOIR = Story(
    path="water/reservoir.txt",
    title="Reservoir levels hit a ten-year low",
    excerpt="The valley's main reservoir holds less water than at any time since 2016.",
    body="Engineers expect the level to fall further before the autumn rains.",
    published=utc(2025, 12, 20),
    quality=90,
    heat=75,
    provider=Provider(name="Valley Herald", domain="valleyherald.example"),
    topics=("Water", "Climate"),
    links=Links(web="https://valleyherald.example/water/reservoir-low"),
)
DRIP = Story(
    path="farming/drip.txt",
    title="Farmers switch to drip irrigation",
    published=utc(2025, 12, 21),
    quality=70,
    provider=Provider(name="Field Notes"),
    topics=("Water", "Farming"),
    links=Links(web="https://fieldnotes.example/farms/drip-irrigation"),
)
VIDEO = Story(
    path="video/riverbed.txt",
    title="Video: walking the dry riverbed from the dam down to the old mill, all eleven miles",
    published=utc(2025, 11, 2),
    type="video",
    quality=65,
    provider=Provider(domain="riverwatch.example"),
    links=Links(web="https://riverwatch.example/video/dry-riverbed"),
)
COUNCIL = Story(
    path="town/tanks.txt",
    title="Town council approves new rain tanks",
    quality=20,
    provider=Provider(name="A provider with a name far too long for its column"),
)
DROUGHT = RelatedStory(
    title="Drought map shows the dry belt widening",
    excerpt="An outside analysis of the drought map.",
    published=utc(2025, 12, 22),
    links=Links(web="https://mapdesk.example/drought-belt"),
    provider=Provider(name="Map Desk", domain="mapdesk.example"),
    quality=41,
)
DRIP_ENTRY = RelatedStory(
    title="Farmers switch to drip irrigation",
    published=utc(2025, 12, 21),
    links=Links(web="https://fieldnotes.example/farms/drip-irrigation"),
    provider=Provider(name="Elsewhere Post"),
    quality=32,
)
RELATED = (RelatedRow(DRIP_ENTRY, DRIP), RelatedRow(DROUGHT, None))


class WidgetApp(App[None]):
    """One widget alone, with the reader's styles, filled with fixed data once mounted."""

    CSS_PATH = NewsReader.CSS_PATH

    def __init__(self, widget: Widget, fill: Callable[[Any], None]) -> None:
        super().__init__()
        self.widget = widget
        self.fill = fill

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_mount(self) -> None:
        self.fill(self.widget)


def test_story_list(snap_compare: Compare) -> None:
    """Marks (read, starred, unread), the video mark, search words, and columns that give
    way to a long title or provider."""

    def fill(stories: StoryList) -> None:
        stories.border_title = "Stories"
        stories.border_subtitle = "quality, highest first"
        key = story_key
        read, starred = frozenset(map(key, (DRIP, COUNCIL))), frozenset([key(RESERVOIR)])
        stories.show_marks(MarksView(read, starred, key), None)
        stories.highlight = ["dr"]
        stories.set_stories((RESERVOIR, DRIP, VIDEO, COUNCIL), keep=DRIP)

    app = WidgetApp(StoryList(id="stories"), fill)
    assert snap_compare(app, terminal_size=(100, 8))


def test_topic_list(snap_compare: Compare) -> None:
    """All, Starred, Unread and the topics with unread/total counts; the active one marked."""

    def fill(topics: TopicList) -> None:
        topics.set_entries(
            (
                SidebarEntry(ALL, 12, 7),
                SidebarEntry(STARRED, 2),
                SidebarEntry(UNREAD, 7),
                SidebarEntry(Scope.topic("Water"), 5, 3),
                SidebarEntry(Scope.topic("Farming"), 4, 0),
                SidebarEntry(Scope.topic("A topic with a very long name indeed"), 3, 3),
            )
        )
        topics.select_scope(Scope.topic("Water"))

    app = WidgetApp(TopicList(id="topics"), fill)
    assert snap_compare(app, terminal_size=(40, 10))


def test_related_list(snap_compare: Compare) -> None:
    """A local and an external related entry, then the stories that mention this one."""

    def fill(related: RelatedList) -> None:
        related.set_entries(RELATED, (VIDEO, COUNCIL))

    app = WidgetApp(RelatedList(id="related"), fill)
    assert snap_compare(app, terminal_size=(100, 10))


def test_related_list_with_a_note(snap_compare: Compare) -> None:
    """A long related list still being read: a note in its place; no mentions."""

    def fill(related: RelatedList) -> None:
        related.set_entries((), (), "Reading 15,000 related stories…")

    app = WidgetApp(RelatedList(id="related"), fill)
    assert snap_compare(app, terminal_size=(60, 7))


def test_detail_pane_on_a_trail(snap_compare: Compare) -> None:
    """A local story, second stop of a trail of three (back and forward both possible)."""
    trail = TrailView((DROUGHT.title, RESERVOIR.title, DRIP.title), position=2)
    detail = Detail(RESERVOIR, RELATED, (COUNCIL,), trail)
    app = WidgetApp(DetailPane(id="detail"), lambda pane: pane.show(detail, NOW))
    assert snap_compare(app, terminal_size=(130, 28))


def test_detail_pane_on_an_external_story(snap_compare: Compare) -> None:
    """A related story from another site: said to be not in this feed; its mentions listed."""
    trail = TrailView((RESERVOIR.title, DROUGHT.title), position=2)
    detail = Detail(DROUGHT, (), (RESERVOIR,), trail)
    app = WidgetApp(DetailPane(id="detail"), lambda pane: pane.show(detail, NOW))
    assert snap_compare(app, terminal_size=(90, 24))
