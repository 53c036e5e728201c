"""Snapshot tests: what the reader looks like on a fixed feed, at a fixed time.

Update after an intended visual change with: .venv/bin/pytest tests/snapshots --snapshot-update
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import make_app, wait_loaded

REPO = Path(__file__).resolve().parents[2]
# Relative, so the folder shown in the header is the same in every checkout.
TRAIL = Path("tests/fixtures/trail")


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


Compare = Callable[..., bool]


def after(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the feed to load, then press `keys`."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.1)

    return run_before


def test_main_screen_wide(snap_compare: Compare) -> None:
    assert snap_compare(make_app(TRAIL), terminal_size=(160, 48), run_before=after())


def test_main_screen_80x24(snap_compare: Compare) -> None:
    assert snap_compare(make_app(TRAIL), terminal_size=(80, 24), run_before=after())


def test_detail_pane_after_following_a_related_story(snap_compare: Compare) -> None:
    run_before = after("enter", "enter")
    assert snap_compare(make_app(TRAIL), terminal_size=(160, 48), run_before=run_before)


def test_external_related_story(snap_compare: Compare) -> None:
    run_before = after("enter", "down", "enter")
    assert snap_compare(make_app(TRAIL), terminal_size=(160, 48), run_before=run_before)


def test_help_screen(snap_compare: Compare) -> None:
    run_before = after("question_mark")
    assert snap_compare(make_app(TRAIL), terminal_size=(120, 40), run_before=run_before)
