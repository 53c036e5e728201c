"""The footer's keys: made again only when the bindings they show change, never kept once gone
(issue 14: every change of focus left ten keys alive for good)."""

from __future__ import annotations

import gc

from tests.ui.conftest import make_app, until, wait_loaded


def live_footer_keys() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing).__name__ == "FooterKey")


async def test_moving_focus_round_the_panes_keeps_one_set_of_footer_keys() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        footer = app.main.query_one("KeysFooter")
        await until(pilot, lambda: len(footer.children) > 0, "the footer never showed its keys")
        shown = len(footer.children)
        for _ in range(60):  # topics -> stories -> related -> topics ...
            await pilot.press("tab")
        # The footer's keys come back to those of the pane focused at the start.
        await until(pilot, lambda: len(footer.children) == shown, "the footer kept other keys")
        assert live_footer_keys() <= 2 * shown  # the keys on screen (and a set on its way out)
