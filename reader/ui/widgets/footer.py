"""The footer: Textual's, with its keys put in once the first screen is drawn."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's footer (keys from the command table, each one clickable, with its help as a
    tooltip), left empty until `show_keys`: building its keys and their styles costs as much as
    drawing the stories, and the first screen is for the stories (issue 14)."""

    def __init__(self) -> None:
        super().__init__()
        self.keys_shown = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.keys_shown:
            super().bindings_changed(screen)

    def show_keys(self) -> None:
        """Put the keys in now, and follow the bindings from now on."""
        if not self.keys_shown:
            self.keys_shown = True
            # In the footer's own context: its keys are bound to its reactives.
            self.call_later(self.bindings_changed, self.screen)
