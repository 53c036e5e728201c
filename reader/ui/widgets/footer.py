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
        self.composed: tuple[object, ...] | None = None  # `shown()` when the keys were made

    def shown(self) -> tuple[object, ...]:
        """What the keys show of the screen's bindings now."""
        app = self.app
        return tuple(
            (key, app.get_key_display(binding), binding.action, binding.description, on, tip)
            for key, (_, binding, on, tip) in self.screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        )

    async def recompose(self) -> None:
        """Make the keys again, only if what they show changed. Textual's footer recomposes at
        every change of focus: ten new keys each time, hundreds at once in a burst of keys,
        though the bindings shown here are the same in every pane."""
        shown = self.shown()
        if shown == self.composed:
            return
        await super().recompose()
        self.composed = shown
        # Each key is bound to the footer's `compact` (data_bind in Footer.compose): the footer
        # keeps a watcher per key, dropped only once `compact` changes, which it never does
        # here; every key ever made stayed alive (Textual issue #6666). Setting it again drops
        # the watchers of the keys just removed.
        self.mutate_reactive(Footer.compact)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.keys_shown:
            super().bindings_changed(screen)

    def show_keys(self) -> None:
        """Put the keys in now, and follow the bindings from now on."""
        if not self.keys_shown:
            self.keys_shown = True
            # In the footer's own context: its keys are bound to its reactives.
            self.call_later(self.bindings_changed, self.screen)
