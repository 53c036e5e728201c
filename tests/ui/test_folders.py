"""Several folders on screen: the wiring of the Folders section, the status line, the skipped
files screen and each folder's watcher (the rules themselves: tests/session/test_folders.py)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from reader.ui.screens.modal import ListScreen
from reader.ui.widgets.stories import StoryList
from reader.ui.widgets.text_list import TextList
from reader.ui.widgets.topics import TopicList
from tests.conftest import two_folders, write_story
from tests.ui.conftest import RecordingReader, make_app, until, wait_loaded


def titles(app: RecordingReader) -> list[str]:
    return [story.title for story in app.main.query_one(StoryList).stories]


def status(app: RecordingReader) -> str:
    return str(app.main.query_one("#status", Static).render())


async def test_the_folders_section_lists_each_folder_and_a_click_shows_its_stories(
    tmp_path: Path,
) -> None:
    app = make_app(list(two_folders(tmp_path)))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        assert status(app).startswith("tech + world · 5 stories")
        topics = app.main.query_one(TopicList)
        labels = [e if isinstance(e, str) else e.label for e in topics.entries]
        assert labels[3:7] == ["Folders", "tech", "world", "Topics"]
        assert len(titles(app)) == 5
        await pilot.click(TopicList, offset=(4, 1 + labels.index("world")))  # below the border
        await until(pilot, lambda: len(titles(app)) == 3, "the folder was not shown")
        assert titles(app) == [
            "Port strike ends",
            "Shared, world's copy",
            "Another note without a link",
        ]
        assert "world: 3" in status(app)
        story_text = app.main.query_one("#story-text", Static)
        await until(pilot, lambda: "Folder: world" in str(story_text.render()), "no folder shown")


async def test_the_skipped_files_screen_lists_a_story_found_in_two_folders(tmp_path: Path) -> None:
    app = make_app(list(two_folders(tmp_path)))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        told = "1 story is in more than one folder"
        await until(pilot, lambda: any(told in m for m in app.said()), "the duplicate was not told")
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, ListScreen), "! showed nothing")
        text = "\n".join(str(row) for row, _ in app.screen.query_one(TextList).rows)
        assert "Stories in two files, shown once (1)" in text
        assert "world/shared.md  shown; the same link in tech/shared.md" in text


async def test_a_file_added_to_the_second_folder_appears_in_the_list(tmp_path: Path) -> None:
    tech, world = two_folders(tmp_path)
    app = make_app([tech, world], watch=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        session = app.session
        assert session is not None
        await until(pilot, lambda: app.main.watching, "the folders were never watched")
        write_story(
            world, "harbour.md", title="Harbour reopens", webUrl="https://e.org/h", quality=99
        )
        await until(
            pilot,
            lambda: titles(app)[:1] == ["Harbour reopens"],
            "the new file never came",
            tries=3000,
        )
        assert session.loader.library is not None
        assert session.loader.library.get("world/harbour.md") is not None
