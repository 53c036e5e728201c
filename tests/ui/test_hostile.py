"""Hostile folders: nothing runs, nothing reaches the terminal, nothing freezes, nothing is lost.

The fixture folder `tests/fixtures/hostile` has one file per kind of attack or breakage; these
tests open every story in it, follow every related entry and press `o` on each.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from reader.model.story import Provider, RelatedStory, Story
from reader.model.text import clean_line, clean_text
from reader.ui.screens.modal import ListScreen
from reader.ui.widgets.detail import describe
from reader.ui.widgets.related import RelatedList
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.text_list import TextList
from reader.ui.widgets.topics import TopicList
from tests.conftest import FIXTURES
from tests.ui.conftest import NOW, RecordingReader, running, showing_the_list_story, until

HOSTILE = FIXTURES / "hostile"
MARKUP = [
    "[bold red]x[/]",
    "[/bold]",
    "[@click=app.quit]x[/]",
    "[ @click=app.quit]x[/]",
    "[link='file:///etc/passwd']x[/]",
    "[$accent]x[/]",
    "[pdf]",
]


def control_characters(text: str) -> set[str]:
    return {c for c in text if (ord(c) < 32 and c not in "\n\r\t") or 0x7F <= ord(c) <= 0x9F}


def screen_has_no_control_characters(app: RecordingReader) -> None:
    assert not control_characters(app.export_screenshot())


async def detail_follows_the_list(app: RecordingReader, pilot: Pilot[int]) -> None:
    """Wait until the detail pane shows the story under the list's cursor."""
    await until(pilot, lambda: showing_the_list_story(app), "the detail pane never followed")


async def test_every_story_opens_and_every_link_is_checked() -> None:
    opened: list[str] = []
    async with running(HOSTILE, opened=opened) as (app, pilot):
        stories = app.main.query_one(StoryList)
        related = app.main.query_one(RelatedList)
        said: set[str] = set()
        assert stories.row_count == 9
        for index in range(stories.row_count):
            stories.focus()
            stories.cursor = index
            stories.action_first()
            for _ in range(index):
                await pilot.press("j")
            await detail_follows_the_list(app, pilot)
            detail = str(app.main.query_one("#story-text", Static).render())
            assert not control_characters(detail)
            screen_has_no_control_characters(app)
            await pilot.press("o")  # the story's own link
            await pilot.press("enter")  # into its related list
            entries = sum(1 for row in related.rows if hasattr(row, "entry"))
            for position in range(entries):
                await pilot.press("g", *["j"] * position, "o")
                said.update(app.said())
                await pilot.press("enter")  # follow it
                await pilot.pause()
                screen_has_no_control_characters(app)
                await pilot.press("backspace")
        assert all(url.startswith(("https://", "http://")) for url in opened)
        shell = "https://hostile.example/a b?q=$(touch /tmp/newsreader-pwned)&r=`id`;'\"x"
        assert shell in opened  # intact, as one argument
        assert not any(u.startswith(("javascript:", "file:", "data:", "gopher:")) for u in opened)
        refused = [message for message in said if "only http and https" in message]
        assert len(refused) >= 3  # file:, data:, gopher: each said out loud
        assert not Path("/tmp/newsreader-pwned").exists()


async def test_markup_is_shown_literally_everywhere() -> None:
    async with running(HOSTILE) as (app, pilot):
        stories = app.main.query_one(StoryList)
        titles = [s.title for s in stories.stories]
        markup_story = next(s for s in stories.stories if s.path == "markup.txt")
        stories.cursor = titles.index(markup_story.title)
        await detail_follows_the_list(app, pilot)
        detail = str(app.main.query_one("#story-text", Static).render())
        for text in MARKUP:
            assert text in detail
        assert "[$accent]Provider[/] [ @click=app.quit]x[/]" in detail
        assert "Body with [@click=app.quit]markup[/]" in detail
        row = stories.render_row(stories.cursor, 200).plain
        assert "[@click=app.quit]Click me[/] [bold red]loud[/] [/bold] [pdf]" in row
        topics = [entry.label for entry in app.main.query_one(TopicList).entries]
        assert {"[pdf]", "[bold red]Topic[/]", "[/bold]"} <= set(topics)
        rows = [getattr(r, "entry", None) for r in app.main.query_one(RelatedList).rows]
        assert "[link='file:///etc/passwd']Related[/]" in [e.title for e in rows if e]
        # Clicking on the hostile text runs nothing.
        await pilot.click("#story-text", offset=(2, 0))
        await pilot.click("#stories", offset=(20, stories.cursor + 1))
        await pilot.click("#topics", offset=(4, topics.index("[pdf]") + 1))
        assert app.is_running
        screen_has_no_control_characters(app)


async def test_markup_in_the_palette_the_help_and_the_problems_screen() -> None:
    async with running(HOSTILE) as (app, pilot):
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Topic: [bold")

        def prompts() -> list[str]:
            found = app.screen.query_one(CommandList).options
            return [getattr(option.prompt, "plain", str(option.prompt)) for option in found]

        wanted = "Topic: [bold red]Topic[/]"
        await until(pilot, lambda: any(wanted in p for p in prompts()), f"no {wanted!r} offered")
        await pilot.press("escape")
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ListScreen)
        joined = "\n".join(t.plain for t, _ in app.screen.query_one(TextList).rows)
        for name in ("empty.txt", "binary.bin", "no-front-matter.txt", "list-front.txt"):
            assert name in joined
        assert "scalar-front.txt  front matter is a string, not a mapping" in joined
        assert "python-tag.txt  YAML error" in joined
        assert "evil]0;name.txt" not in joined or "\x1b" not in joined
        screen_has_no_control_characters(app)


async def test_resizing_down_to_40x12_and_back_never_crashes() -> None:
    async with running(HOSTILE, size=(40, 12)) as (app, pilot):
        for size in [(160, 48), (40, 12), (80, 24), (41, 13), (40, 12), (200, 60)]:
            await pilot.resize_terminal(*size)
            await pilot.press("j", "enter", "enter", "backspace", "tab")
            await pilot.pause()
            screen_has_no_control_characters(app)
        assert app.is_running


async def test_a_folder_deleted_while_the_reader_runs(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    shutil.copytree(HOSTILE, folder)
    async with running(folder, watch=True) as (app, pilot):
        shutil.rmtree(folder)

        def said(text: str) -> bool:
            return any(text in message for message in app.said())

        await until(pilot, lambda: said("watching"), "no word that watching stopped", tries=1000)
        await pilot.press("j", "enter", "r")
        await until(pilot, lambda: said("still showing what was loaded"), "no word on the reload")
        assert app.is_running
        assert app.main.query_one(StoryList).row_count == 9  # what was loaded stays


async def test_state_that_cannot_be_written_keeps_marks_for_the_session(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.session.state import StateError, _Store

    def full(self: _Store, statement: str, rows: object, what: str) -> None:
        raise StateError(f"could not save the {what}: database or disk is full")

    monkeypatch.setattr(_Store, "_write", full)  # the disk is full from the first write
    async with running(HOSTILE) as (app, pilot):
        await pilot.press("asterisk", "u")
        story = app.main.query_one(StoryList).current
        assert story is not None and app.session is not None
        assert app.session.marks.is_starred(story)
        assert app.session.marks.is_read(story)
        assert any("could not save" in message for message in app.said())
        assert app.is_running


@settings(max_examples=200, deadline=None)
@given(title=st.text(), excerpt=st.text(), name=st.text(), related=st.text())
def test_the_detail_text_never_interprets_markup(
    title: str, excerpt: str, name: str, related: str
) -> None:
    story = Story(
        path="x.txt",
        title=clean_line(title) or "t",
        excerpt=clean_text(excerpt),
        provider=Provider(name=clean_line(name)),
        related=(RelatedStory(title=clean_line(related) or "r"),),
    )
    text = describe(story, NOW)
    assert story.title in text.plain and story.excerpt in text.plain
    assert story.provider.label in text.plain
    assert not control_characters(text.plain)
    assert all(not isinstance(span.style, str) or "@" not in span.style for span in text.spans)


async def test_wide_characters_emoji_and_long_titles_keep_the_columns_aligned() -> None:
    async with running(HOSTILE, size=(160, 40)) as (app, _):
        stories = app.main.query_one(StoryList)
        width = stories.scrollable_content_region.width
        date_ends = set()
        for y in range(stories.row_count):
            strip = stories.render_line(y)
            assert strip.cell_length == width
            text = strip.text
            if "2024-02-02" in text:
                date_ends.add(cell_len(text[: text.index("2024-02-02") + 10]))
        assert len(date_ends) == 1  # every date ends in the same column
