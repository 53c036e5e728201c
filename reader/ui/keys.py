"""The key bindings of the app and the main screen, generated from the command table, and the
main screen's command palette provider."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import BindingType

from reader.ui.command_table import APP_COMMANDS, MAIN_COMMANDS, bindings

if TYPE_CHECKING:
    from textual.command import Provider

APP_BINDINGS: list[BindingType] = bindings(APP_COMMANDS)
"""The app's bindings (NewsReader.BINDINGS)."""

MAIN_BINDINGS: list[BindingType] = bindings(MAIN_COMMANDS)
"""The main screen's bindings (MainScreen.BINDINGS)."""


def main_commands() -> type[Provider]:
    """The main screen's palette provider, imported when the palette first opens."""
    from reader.ui.commands import MainCommands

    return MainCommands


MAIN_PALETTE: set[type[Provider] | Callable[[], type[Provider]]] = {main_commands}
"""The main screen's palette providers: `COMMANDS = MAIN_PALETTE` scopes them to the screen."""
