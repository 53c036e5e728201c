"""The reader as a person meets it: every row of the key table, the trail, mouse and links."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from reader.model.scope import ALL, STARRED, UNREAD, Scope
from reader.model.story import Provider, RelatedStory, Story
from reader.platform import paths
from reader.platform.config import Config
from reader.session.snapshot import SidebarEntry
from reader.ui.screens import main as main_screen
from reader.ui.screens.modal import ListScreen
from reader.ui.widgets.related import RelatedList
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.text_list import TextList
from reader.ui.widgets.topics import TopicList
from tests.conftest import write_story
from tests.trail import DROUGHT, A, B, C, D, E
from tests.ui.conftest import BROKEN, RecordingReader, running, until


def shown(app: RecordingReader) -> str:
    """The title of what the detail pane shows."""
    trail = app.session.reading.trail if app.session is not None else None
    assert trail is not None
    return trail.current.title


def detail_text(app: RecordingReader) -> str:
    return str(app.main.query_one("#story-text", Static).render())


async def showing(app: RecordingReader, pilot: Pilot[int], title: str) -> None:
    """Wait until the detail pane shows the story called `title` (it follows the list's
    cursor when the keys pause)."""

    def on_screen() -> bool:
        trail = app.session.reading.trail if app.session is not None else None
        return trail is not None and trail.current.title == title and title in detail_text(app)

    await until(pilot, on_screen, f"the detail pane never showed {title!r}")


def dialog_text(app: RecordingReader) -> str:
    """The rows of the open help or problems dialog, one per line."""
    assert isinstance(app.screen, ListScreen)
    return "\n".join(text.plain for text, _ in app.screen.query_one(TextList).rows)


def titles(app: RecordingReader) -> list[str]:
    return [story.title for story in app.main.query_one(StoryList).stories]


def current(app: RecordingReader) -> Story | RelatedStory:
    """What the detail pane shows: the trail's current stop."""
    assert app.session is not None and app.session.reading.trail is not None
    return app.session.reading.trail.current


def trail_length(app: RecordingReader) -> int:
    assert app.session is not None and app.session.reading.trail is not None
    return len(app.session.reading.trail)


def scope(app: RecordingReader) -> Scope:
    """The scope of the story list (All, Starred, Unread or a topic)."""
    assert app.session is not None
    return app.session.navigation.scope


def highlighted_command(app: RecordingReader) -> str:
    """The prompt of the command palette's highlighted command, or ''."""
    try:
        commands = app.screen.query_one(CommandList)
    except LookupError:
        return ""
    option = commands.highlighted_option
    if option is None:
        return ""
    return getattr(option.prompt, "plain", str(option.prompt))


async def test_starts_on_the_story_list_with_the_best_story_shown() -> None:
    async with running() as (app, _):
        stories = app.main.query_one(StoryList)
        assert app.focused is stories
        assert stories.cursor == 0
        assert titles(app) == [A, B, D, C, E]
        assert shown(app) == A
        assert A in detail_text(app)
        topics = app.main.query_one(TopicList)
        assert [(entry.scope, entry.total) for entry in topics.entries] == [
            (ALL, 5),
            (STARRED, 0),
            (UNREAD, 5),
            (Scope.topic("Water"), 4),
            (Scope.topic("Farming"), 2),
            (Scope.topic("Climate"), 1),
        ]
        assert [entry.label for entry in topics.entries] == [
            "All",
            "★ Starred",
            "● Unread",
            "Water",
            "Farming",
            "Climate",
        ]


async def test_list_keys_move_the_cursor_and_the_detail_follows() -> None:
    async with running() as (app, pilot):
        stories = app.main.query_one(StoryList)
        await pilot.press("down")
        assert stories.cursor == 1
        await showing(app, pilot, B)
        await pilot.press("j", "j")
        assert stories.cursor == 3
        await showing(app, pilot, C)
        await pilot.press("k")
        assert stories.cursor == 2
        await pilot.press("up")
        assert stories.cursor == 1
        await pilot.press("G")
        assert stories.cursor == 4
        await showing(app, pilot, E)
        await pilot.press("g")
        assert stories.cursor == 0
        await showing(app, pilot, A)
        await pilot.press("end")
        assert stories.cursor == 4
        await pilot.press("home")
        assert stories.cursor == 0
        await pilot.press("pagedown")
        assert stories.cursor == 4
        await pilot.press("pageup")
        assert stories.cursor == 0


async def test_tab_and_shift_tab_cycle_the_panes() -> None:
    async with running() as (app, pilot):
        main = app.main
        await pilot.press("tab")
        assert app.focused is main.query_one(RelatedList)
        await pilot.press("tab")
        assert app.focused is main.query_one(TopicList)
        await pilot.press("tab")
        assert app.focused is main.query_one(StoryList)
        await pilot.press("shift+tab")
        assert app.focused is main.query_one(TopicList)
        await pilot.press("shift+tab")
        assert app.focused is main.query_one(RelatedList)


async def test_enter_on_a_topic_shows_its_stories_and_keeps_focus() -> None:
    async with running() as (app, pilot):
        # All, Starred, Unread, Water, Farming
        await pilot.press("shift+tab", "down", "down", "down", "down", "enter")
        assert titles(app) == [B, C]
        assert app.focused is app.main.query_one(TopicList)
        assert "Farming: 2" in str(app.main.query_one("#status", Static).render())
        await pilot.press("g", "enter")
        assert len(titles(app)) == 5


async def test_enter_on_a_story_moves_focus_to_its_related_list() -> None:
    async with running() as (app, pilot):
        await pilot.press("enter")
        related = app.main.query_one(RelatedList)
        assert app.focused is related
        assert related.current_link() == "http://www.fieldnotes.example/farms/drip-irrigation/"


async def test_following_related_stories_builds_a_trail_with_back_and_forward() -> None:
    async with running() as (app, pilot):
        related = app.main.query_one(RelatedList)
        await pilot.press("enter", "enter")  # into A's related list, follow B (a local story)
        assert shown(app) == B and isinstance(current(app), Story)
        assert app.focused is related and related.cursor == 1  # first entry, under its heading
        await pilot.press("enter")  # B -> C
        assert shown(app) == C
        assert "Trail 3 of 3" in str(app.main.query_one("#trail", Static).render())
        await pilot.press("backspace")
        assert shown(app) == B
        await pilot.press("left_square_bracket")
        assert shown(app) == A
        await pilot.press("right_square_bracket")
        assert shown(app) == B
        await pilot.press("alt+left")
        assert shown(app) == A
        await pilot.press("alt+right", "alt+right")
        assert shown(app) == C
        assert app.focused is related
        # A new follow after going back drops the forward entries.
        await pilot.press("backspace", "backspace")
        assert shown(app) == A
        await pilot.press("down", "enter")  # A's second related entry: external
        assert shown(app) == DROUGHT
        assert app.session is not None and app.session.reading.trail is not None
        assert [item.title for item in app.session.reading.trail.items] == [A, DROUGHT]
        await pilot.press("right_square_bracket")
        assert shown(app) == DROUGHT


async def test_external_related_story_is_shown_as_not_in_this_feed() -> None:
    async with running() as (app, pilot):
        await pilot.press("enter", "down", "enter")
        assert isinstance(current(app), RelatedStory)
        text = detail_text(app)
        assert "Not in this feed" in text
        assert "An outside analysis of the drought map." in text
        assert "https://mapdesk.example/drought-belt" in text


async def test_mentioned_by_lists_stories_that_link_here() -> None:
    async with running() as (app, _):
        related = app.main.query_one(RelatedList)
        headings = [getattr(row, "label", "") for row in related.rows]
        assert "Mentioned by (1)" in headings  # C lists A
        mentions = [row.story.title for row in related.rows if hasattr(row, "story")]
        assert mentions == [C]


async def test_moving_in_the_story_list_starts_a_new_trail() -> None:
    async with running() as (app, pilot):
        await pilot.press("enter", "enter")
        assert trail_length(app) == 2
        await pilot.press("tab", "tab", "down")  # back to the story list, next story
        await showing(app, pilot, B)
        assert trail_length(app) == 1


async def test_o_opens_the_story_link_and_in_the_related_list_the_highlighted_entry() -> None:
    opened: list[str] = []
    async with running(opened=opened) as (_, pilot):
        await pilot.press("o")
        assert opened == ["https://valleyherald.example/water/reservoir-low"]
        await pilot.press("enter", "down", "o")
        assert opened[-1] == "https://mapdesk.example/drought-belt"


async def test_o_opens_what_the_detail_pane_shows_until_the_related_cursor_moves() -> None:
    opened: list[str] = []
    async with running(opened=opened) as (app, pilot):
        await pilot.press("enter")  # focus on A's related list; its cursor was put there
        await pilot.press("o")
        assert opened == ["https://valleyherald.example/water/reservoir-low"]  # A, in view
        await pilot.press("down", "enter")  # follow the external entry: the pane shows it
        await showing(app, pilot, DROUGHT)
        await pilot.press("o", "c")
        assert opened[-1] == "https://mapdesk.example/drought-belt"
        assert app.clipboard == "https://mapdesk.example/drought-belt"


async def test_c_copies_the_link() -> None:
    async with running() as (app, pilot):
        await pilot.press("c")
        assert app.clipboard == "https://valleyherald.example/water/reservoir-low"


async def test_links_that_are_not_http_are_refused(feed: Path) -> None:
    write_story(feed, "js.txt", title="Sneaky", webUrl="javascript:alert(1)")
    write_story(feed, "file.txt", title="Local file", quality=5, originalUrl="file:///etc/passwd")
    opened: list[str] = []
    async with running(feed, opened=opened) as (app, pilot):
        await pilot.press("o", "j", "o", "c")
        assert opened == []
        assert any("has no link" in message for message in app.said())
        assert app.clipboard == ""


async def test_refused_scheme_in_a_related_entry_opens_nothing(feed: Path) -> None:
    write_story(
        feed,
        "a.txt",
        title="Has a bad related link",
        related=[{"title": "Bad", "webUrl": "file:///etc/shadow"}],
    )
    opened: list[str] = []
    async with running(feed, opened=opened) as (app, pilot):
        await pilot.press("enter", "enter")  # follow the entry: the pane shows it
        await showing(app, pilot, "Bad")
        await pilot.press("o")
        assert opened == []
        assert any("only http and https" in message for message in app.said())


async def test_s_cycles_the_order_and_shift_s_reverses_it() -> None:
    async with running() as (app, pilot):
        status = app.main.query_one("#status", Static)
        await pilot.press("s")
        assert titles(app) == [C, B, A, D, E]  # newest first
        assert "newest first" in str(status.render())
        await pilot.press("s")
        assert titles(app)[0] == A  # heat (= quality here)
        await pilot.press("s")
        assert titles(app) == [C, B, A, E, D]  # title A–Z
        await pilot.press("S")
        assert titles(app) == [D, E, A, B, C]
        assert "title Z–A" in str(status.render())
        await pilot.press("s")
        assert titles(app) == [A, B, D, C, E]


async def test_order_change_keeps_the_cursor_on_the_same_story() -> None:
    async with running() as (app, pilot):
        await pilot.press("j")
        await showing(app, pilot, B)
        await pilot.press("s")
        assert app.main.query_one(StoryList).current.title == B


async def test_keys_act_on_the_story_under_the_cursor_before_the_detail_follows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    async with running(opened=opened, config=Config(read_mode="manual")) as (app, pilot):
        # A typist faster than the detail pane: it follows the cursor only when keys pause.
        monkeypatch.setattr(main_screen, "DETAIL_DELAY", 60.0)
        await pilot.press("j", "u", "asterisk", "o")
        assert app.session is not None
        marks = app.session.marks
        first, second = app.main.query_one(StoryList).stories[:2]
        assert (first.title, second.title) == (A, B)
        assert opened == ["https://fieldnotes.example/farms/drip-irrigation"]
        assert marks.is_read(second) and marks.is_starred(second)
        assert not marks.is_read(first) and not marks.is_starred(first)


async def test_bang_lists_each_skipped_file_with_its_reason() -> None:
    async with running(BROKEN) as (app, pilot):
        await pilot.press("exclamation_mark")
        joined = dialog_text(app)
        for name in ("empty.txt", "binary.dat", "notes.md", "unclosed.txt", "python-tag.txt"):
            assert name in joined
        assert "empty.txt  empty file" in joined
        await pilot.press("escape")
        assert not isinstance(app.screen, ListScreen)


async def test_question_mark_shows_every_binding_with_its_description() -> None:
    async with running() as (app, pilot):
        await pilot.press("question_mark")
        joined = dialog_text(app)
        for description in (
            "Back along the related-story trail",
            "Forward along the related-story trail",
            "Open the link of the story in view",
            "Cycle the order: quality, newest, heat, title",
            "Reverse the order",
            "Copy that link to the clipboard",
            "Quit newsreader",
            "Follow the related story",
        ):
            assert description in joined
        assert "[ / alt+← " in joined or "[ / alt+left" in joined.lower()
        await pilot.press("q")
        assert not isinstance(app.screen, ListScreen)


async def test_command_palette_goes_to_a_topic() -> None:
    async with running() as (app, pilot):
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Topic: Farming")
        await until(pilot, lambda: "Topic: Farming" in highlighted_command(app), "no command")
        await pilot.press("enter")
        farming = Scope.topic("Farming")
        await until(pilot, lambda: scope(app) == farming, "the palette never went to Farming")
        assert titles(app) == [B, C]


async def test_q_quits() -> None:
    async with running() as (app, pilot):
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "q did not quit")
        assert app.return_code == 0


async def test_clicks_do_what_enter_does() -> None:
    async with running() as (app, pilot):
        main = app.main
        # Topic sidebar: row 5 is Farming (the border takes row 0; All, Starred, Unread, Water).
        await pilot.click("#topics", offset=(4, 5))
        assert scope(app) == Scope.topic("Farming") and titles(app) == [B, C]
        await pilot.click("#topics", offset=(4, 1))
        assert scope(app) == ALL
        # Story list: the second row is B; a click shows it and moves focus to its related list.
        await pilot.click("#stories", offset=(10, 2))
        await showing(app, pilot, B)
        assert app.focused is main.query_one(RelatedList)
        # Related list: row 1 is the heading, row 2 B's only entry (C): a click follows it.
        await pilot.click("#related", offset=(6, 2))
        assert shown(app) == C


async def test_empty_folder_says_what_the_reader_expects(feed: Path) -> None:
    async with running(feed) as (app, _):
        stories = app.main.query_one(StoryList)
        assert stories.row_count == 0
        assert "front-matter" in stories.render_empty().plain
        assert "0 stories" in str(app.main.query_one("#status", Static).render())


async def test_markup_in_story_text_is_shown_literally(feed: Path) -> None:
    write_story(
        feed,
        "evil.txt",
        title="[@click=app.quit]Click me[/] [bold red]loud[/]",
        excerpt="[/bold] [link='file:///etc/passwd']x[/]",
        provider={"name": "[$accent]Provider"},
        topics=["[pdf]"],
    )
    async with running(feed) as (app, pilot):
        assert "[@click=app.quit]Click me[/]" in detail_text(app)
        assert "[/bold] [link='file:///etc/passwd']x[/]" in detail_text(app)
        entry = app.main.query_one(TopicList).entries[3]
        assert (entry.label, entry.total) == ("[pdf]", 1)
        assert entry == SidebarEntry(Scope.topic("[pdf]"), 1, 1)
        await pilot.click("#stories", offset=(10, 1))
        await pilot.click("#story-text", offset=(2, 0))
        assert app.is_running


async def test_narrow_terminal_hides_the_sidebar_and_b_brings_it_back() -> None:
    async with running(size=(80, 24)) as (app, pilot):
        topics = app.main.query_one(TopicList)
        assert not topics.display or topics.region.width == 0
        await pilot.press("b")
        await until(pilot, lambda: topics.region.width > 0, "b did not show the sidebar")
        await pilot.press("b")
        await until(pilot, lambda: topics.region.width == 0, "b did not hide the sidebar again")


async def test_b_hides_the_sidebar_on_a_wide_terminal() -> None:
    async with running() as (app, pilot):
        topics = app.main.query_one(TopicList)
        assert topics.region.width > 0
        await pilot.press("b")
        await until(pilot, lambda: topics.region.width == 0, "b did not hide the sidebar")


async def wait_for_titles(
    app: RecordingReader, pilot: Pilot[int], wanted: set[str], gone: Collection[str] = ()
) -> list[str]:
    """Wait until the list shows every title of `wanted` and none of `gone`."""

    def listed() -> bool:
        now = set(titles(app))
        return wanted <= now and not now.intersection(gone)

    await until(pilot, listed, f"the list never showed {wanted} without {gone}", tries=2000)
    return titles(app)


async def test_r_reloads_the_folder_keeping_the_cursor(feed: Path) -> None:
    write_story(feed, "a.txt", title="First", quality=50)
    write_story(feed, "b.txt", title="Second", quality=40)
    async with running(feed) as (app, pilot):
        await pilot.press("j")
        write_story(feed, "c.txt", title="Brand new", quality=90)
        await pilot.press("r")
        assert await wait_for_titles(app, pilot, {"Brand new"}) == ["Brand new", "First", "Second"]
        assert app.main.query_one(StoryList).current.title == "Second"


async def test_new_files_show_up_while_the_reader_runs(feed: Path) -> None:
    write_story(feed, "a.txt", title="First", quality=50)
    async with running(feed, watch=True) as (app, pilot):
        await watcher_is_live(app, pilot, feed)
        write_story(feed, "b.txt", title="Arrived later", quality=60)
        (feed / "a.txt").unlink()
        found = await wait_for_titles(app, pilot, {"Arrived later"}, gone={"First"})
        assert "Arrived later" in found and "First" not in found


async def watcher_is_live(app: RecordingReader, pilot: Pilot[int], feed: Path) -> None:
    """Wait until the reader follows the folder: a probe story, written again every half
    second (the watcher starts in a thread of its own), shows up in the list."""
    for _ in range(40):
        write_story(feed, "probe.txt", title="Watcher probe", quality=1)
        try:
            await until(pilot, lambda: "Watcher probe" in titles(app), "", tries=50)
            return
        except AssertionError:
            continue
    raise AssertionError("the reader never noticed a new file in the folder")


def big_related_story(feed: Path, count: int) -> None:
    """A story with `count` related entries (about 300 bytes each)."""
    lines = ["---", 'title: "Everything is related"', "quality: 99", "related:"]
    for i in range(count):
        lines += [
            f'  - title: "Follow-up number {i}"',
            f'    webUrl: "https://elsewhere.example/follow-up/{i}"',
            "    provider:",
            "      name: Elsewhere",
            "    quality: 5",
        ]
    lines += ["---", ""]
    (feed / "big.txt").write_text("\n".join(lines))


async def test_story_with_15000_related_entries_opens_without_freezing(feed: Path) -> None:
    big_related_story(feed, 15_000)
    async with running(feed) as (app, pilot):
        related = app.main.query_one(RelatedList)
        first = [getattr(row, "label", "") for row in related.rows]
        assert "  Reading 15,000 related stories…" in first  # read in the background
        await pilot.press("tab")  # the screen answers meanwhile
        assert app.focused is related
        await until(
            pilot, lambda: related.row_count > 15_000, "the related list never came", tries=2000
        )
        headings = [row.label for row in related.rows if hasattr(row, "label")]
        assert headings[0] == "Related stories (15,000)"
        await pilot.press("G")
        last = "Follow-up number 14999"
        await until(pilot, lambda: getattr(related.current, "entry", None) is not None, "no G")
        assert related.current.entry.title == last
        # Whatever comes after (the stories grouped, their Coverage section), G's place stays.
        session = app.session
        assert session is not None
        grouped = lambda: session.grouping.coverage is not None  # noqa: E731
        await until(pilot, lambda: grouped() and app.main.snapshot is session.snapshot, "ungrouped")
        assert related.current.entry.title == last


@pytest.mark.parametrize("width", [80, 110, 130, 160, 200, 240])
async def test_whole_dates_after_the_scrollbar_goes(width: int) -> None:
    """A long list (with a scrollbar), then a short one (without): the rows take the width
    the scrollbar gave back, and nothing is scrolled sideways or cut."""
    app = ListApp()
    async with app.run_test(size=(width, 30)) as pilot:
        stories = app.query_one(StoryList)
        stories.set_stories([dated(n) for n in range(200)])
        await until(pilot, lambda: stories.show_vertical_scrollbar, "no scrollbar on 200 rows")
        stories.set_stories([dated(n) for n in range(4)])
        await until(pilot, lambda: not stories.show_vertical_scrollbar, "the scrollbar stayed")
        content = stories.scrollable_content_region.width
        assert stories.virtual_size.width == content and stories.scroll_offset.x == 0
        for y in range(4):
            row = stories.render_line(y).crop(0, content).text
            assert row.rstrip().endswith("2021-03-09"), row


class ListApp(App[None]):
    """The story list alone, with the reader's style sheet."""

    CSS_PATH = str(paths.styles() / "reader.tcss")

    def compose(self) -> ComposeResult:
        yield StoryList(id="stories")


def dated(n: int) -> Story:
    return Story(
        path=f"{n}.txt",
        title=f"A rather long headline that will not fit the list column, number {n}",
        quality=n,
        published=datetime(2021, 3, 9, tzinfo=UTC),
        provider=Provider("A provider with a long name", "long.example"),
    )
