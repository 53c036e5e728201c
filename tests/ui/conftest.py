"""Running the reader under Textual's pilot on fixed feeds, with a fake browser and fake clocks.

Tests wait on facts, never on time: `until` checks a condition between short pauses and fails
saying what never happened. The read timer runs on a fake monotonic clock the test moves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.pilot import Pilot

from reader.ui.app import NewsReader
from reader.ui.widgets.stories import StoryList
from tests.conftest import FIXTURES

TRAIL = FIXTURES / "trail"
BROKEN = FIXTURES / "broken"
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)


class FakeClock:
    """A monotonic clock the test moves by hand (the read timer's)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.now += seconds


class RecordingReader(NewsReader):
    """The reader, keeping every notification it shows as (message, title, severity)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.notices: list[tuple[str, str, str]] = []
        super().__init__(*args, **kwargs)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notices.append((message, title, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def said(self) -> list[str]:
        """Every notification's message so far, oldest first."""
        return [message for message, _, _ in self.notices]


def make_app(
    folder: Path = TRAIL,
    opened: list[str] | None = None,
    watch: bool = False,
    **options: Any,
) -> RecordingReader:
    """The reader on `folder` at a fixed time; links 'opened' are recorded in `opened` instead
    of a browser (unless an `opener` is given), and the read timer's clock stands still unless
    a `monotonic` clock is given."""
    record = opened if opened is not None else []
    options.setdefault("opener", record.append)
    options.setdefault("monotonic", FakeClock())
    return RecordingReader(folder, clock=lambda: NOW, follow_changes=watch, **options)


async def until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, tries: int = 500
) -> None:
    """Wait until `condition()` is true, checking between short pauses; else fail with `what`."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    if not condition():
        raise AssertionError(what)


def showing_the_list_story(app: NewsReader) -> bool:
    """Whether the feed is loaded and indexed, and the detail pane shows the story under the
    list's cursor (or the list is empty)."""
    session = app.session
    if session is None or session.loader.library is None or not session.loader.library.complete:
        return False
    if session.loader.indexing:
        return False
    try:
        main = app.main
        current = main.query_one(StoryList).current
    except (LookupError, NoMatches):
        return False
    if main.snapshot is not session.snapshot:
        return False  # the screen has not drawn the latest snapshot yet
    if current is None:
        return True
    detail = session.snapshot.detail
    return detail is not None and getattr(detail.target, "path", None) == current.path


async def wait_loaded(pilot: Pilot[Any]) -> None:
    """Wait until the feed has loaded and the first story is on screen."""
    app = pilot.app
    assert isinstance(app, NewsReader)
    await until(
        pilot, lambda: showing_the_list_story(app), "the feed never finished loading", tries=3000
    )


@asynccontextmanager
async def running(
    folder: Path = TRAIL,
    size: tuple[int, int] = (160, 48),
    opened: list[str] | None = None,
    watch: bool = False,
    **options: Any,
) -> AsyncIterator[tuple[RecordingReader, Pilot[int]]]:
    """The reader, loaded and ready for keys (not watching the folder unless asked)."""
    app = make_app(folder, opened, watch, **options)
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot)
        yield app, pilot
