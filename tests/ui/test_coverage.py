"""Coverage on screen: the list's `+N`, the detail pane's Coverage section, `=` to collapse."""

from __future__ import annotations

from textual.widgets import Static

from reader.ui.widgets.related import CoverageRow, Heading, RelatedList
from reader.ui.widgets.stories import StoryList
from tests.conftest import FIXTURES
from tests.ui.conftest import make_app, until, wait_loaded

FEED = FIXTURES / "coverage" / "feed"


async def test_groups_show_in_the_list_and_the_detail_and_collapse_with_equals() -> None:
    app = make_app(FEED, use_cache=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        session = app.session
        assert session is not None
        await until(pilot, lambda: session.grouping.coverage is not None, "never grouped", 3000)
        stories = app.main.query_one(StoryList)
        best = stories.stories[0]
        size = session.grouping.size(best)
        assert size > 1  # the sample's best story has copies elsewhere
        await until(pilot, lambda: f"+{size - 1}" in stories.render_row(0, 100).plain, "no +N")
        related = app.main.query_one(RelatedList)
        await until(
            pilot,
            lambda: any(isinstance(r, CoverageRow) for r in related.rows),
            "no Coverage section in the detail pane",
        )
        headings = [r.label for r in related.rows if isinstance(r, Heading)]
        assert any(h.startswith("Coverage (") and "providers)" in h for h in headings)
        every = len(stories.stories)
        await pilot.press("equals_sign")
        await until(pilot, lambda: len(stories.stories) < every, "= never collapsed the list")
        status = str(app.main.query_one("#status", Static).render())
        assert "grouped (=)" in status
        await pilot.press("equals_sign")
        await until(pilot, lambda: len(stories.stories) == every, "= never showed every story")
