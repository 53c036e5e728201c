"""The Textual application: global keys, link opening, and the screens."""

from __future__ import annotations

import asyncio
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import ClassVar, TextIO
from urllib.parse import urlsplit

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.screen import Screen

from reader.feed.folders import Folders
from reader.model.links import is_web_url
from reader.model.order import Order
from reader.model.scope import Scope
from reader.model.text import clean_line, shorten
from reader.platform import memory, paths
from reader.platform.browser import LinkRefused, needs_terminal, open_url
from reader.platform.config import Config
from reader.platform.settings import load_settings, save_settings
from reader.session.session import Session
from reader.ui.command_table import (
    HELP_GROUPS,
    LIST_SELECT,
    bindings,
    keymap_of,
)
from reader.ui.keys import APP_BINDINGS
from reader.ui.screens.main import MainScreen
from reader.ui.screens.modal import ListScreen, help_rows, problem_rows
from reader.ui.widgets.terminal_cursor import TerminalCursor

Opener = Callable[[str], None]
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


# `kill`, a closed terminal: the reader ends as `q` ends it (Windows has no such signals).
ENDINGS = (signal.SIGTERM, signal.SIGHUP) if sys.platform != "win32" else ()
HANGUP_CHECK_SECONDS = 1.0


def terminal_gone() -> bool:
    """Whether the terminal hung up (its window was closed), not just a SIGHUP sent by hand."""
    if sys.__stderr__ is None:
        return False
    try:
        poller = select.poll()
        poller.register(sys.__stderr__.fileno(), select.POLLOUT)
        return any(events & (select.POLLHUP | select.POLLERR) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


def detach_terminal() -> None:
    """Point the standard streams at /dev/null: what is still written on the way out (the
    terminal's restoring, a last flush) must not fail on a terminal that is gone."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            os.dup2(null, fd)
    finally:
        os.close(null)


class TerminalOutput:
    """The stream Textual's writer thread writes the screen to, quiet once the terminal is
    gone. A write to a hung-up terminal fails (EIO); if it killed the writer thread, the
    writes of the reader's way out would wait forever on the thread's full queue."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.stream.write(text)
            except (OSError, ValueError):
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except (OSError, ValueError):
                self.gone = True

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return True


SHOW_CURSOR, HIDE_CURSOR = "\x1b[?25h", "\x1b[?25l"

if sys.platform != "win32":
    from textual.drivers.linux_driver import LinuxDriver

    class TerminalDriver(LinuxDriver):
        """Textual's Linux driver, with output that survives the terminal hanging up, and the
        terminal's cursor shown where the focused list puts it (the app's
        `show_terminal_cursor`): screen readers and braille displays follow it."""

        def __init__(
            self,
            app: App[object],
            *,
            debug: bool = False,
            mouse: bool = True,
            size: tuple[int, int] | None = None,
        ) -> None:
            super().__init__(app, debug=debug, mouse=mouse, size=size)
            if self._file is not None:  # what the writer thread is given (Textual 8.2)
                self._file = TerminalOutput(self._file)  # type: ignore[assignment]
            self.cursor_shown = bool(getattr(app, "show_terminal_cursor", False))

        def write(self, data: str) -> None:
            # Textual hides the cursor when it starts (and after a suspend): shown again after
            # each write, at the place the last update moved it to; hidden while the screen is
            # drawn, so that it never flickers across it.
            if self.cursor_shown and data:
                data = HIDE_CURSOR + data + SHOW_CURSOR
            super().write(data)


def list_select(description: str) -> Binding:
    """What Enter (the list's select key, however remapped) does in one list."""
    return Binding("enter", "select", description, id="list.select")


class NewsReader(App[int]):
    """Browse a folder of news stories."""

    TITLE = "newsreader"
    CSS_PATH = str(paths.styles() / "reader.tcss")
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS
    # The palette's reader commands are the main screen's (MainScreen.COMMANDS), not the app's.

    def __init__(
        self,
        folder: Path | Sequence[Path],
        *,
        opener: Opener | None = None,
        clock: Clock | None = None,
        use_cache: bool = True,
        follow_changes: bool = True,
        config: Config | None = None,
        config_warnings: Sequence[str] = (),
        sort: Order | None = None,
        topic: str | None = None,
        keep_state: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
        end_on_signals: bool = False,
        config_file: Path | None = None,
    ) -> None:
        super().__init__()
        # The folders to show (several are read as one: reader.feed.folders).
        self.folders = [folder] if isinstance(folder, Path) else list(folder)
        self.config_file = config_file  # where saved views are written (None: not kept)
        self.use_cache = use_cache
        self.follow_changes = follow_changes  # watch the folder while running
        self.opener = opener  # tests pass a fake browser; None means the real one
        self.now: Clock = clock or _utc_now
        self.monotonic = monotonic  # the read timer's clock (tests pass a fake one)
        self.collector = memory.IdleCollector()
        self.config = config or Config()
        self.config_warnings = list(config_warnings)
        self.sort_from_command_line = sort
        self.start_topic = topic
        self.keep_state = keep_state  # read/starred marks and position on disk
        # The terminal's cursor on the focused list's highlighted row (TerminalDriver).
        self.show_terminal_cursor = self.config.terminal_cursor
        self.session: Session | None = None  # made when the app starts (it opens files)
        if self.config.keys:
            self.set_keymap(self.config.keys)
        # SIGTERM and SIGHUP end the reader as `q` does (the command line asks for it; Textual
        # leaves them at their default, which kills the reader with the terminal unrestored).
        self.end_on_signals = end_on_signals and bool(ENDINGS)
        self.ending: int | None = None  # the signal that ends the reader
        if self.end_on_signals:
            self._note_endings()

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if sys.platform != "win32" and driver is LinuxDriver:
            return TerminalDriver
        return driver

    # -- SIGTERM, SIGHUP: ended like `q` ---------------------------------------------------------

    def _note_endings(self) -> None:
        """Until the reader runs, a signal is only noted: it ends the reader once mounted."""

        def note(signum: int, frame: FrameType | None) -> None:
            self.ending = self.ending or signum

        try:
            for signum in ENDINGS:
                signal.signal(signum, note)
        except ValueError:  # not the main thread: signals are not ours to take
            self.end_on_signals = False

    def _end_on_signals(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            for signum in ENDINGS:
                loop.add_signal_handler(signum, self.end_by_signal, signum)
        except (ValueError, RuntimeError, NotImplementedError):  # not the main thread
            return
        noted, self.ending = self.ending, None
        if noted is not None:
            self.end_by_signal(noted)
        # A terminal can also go away without a SIGHUP (when it is not the reader's controlling
        # terminal): the reader would then spin on its input, unseen, until killed.
        self.set_interval(HANGUP_CHECK_SECONDS, self._check_terminal)

    def _check_terminal(self) -> None:
        if self.ending is None and terminal_gone():
            self.end_by_signal(signal.SIGHUP)

    def end_by_signal(self, signum: int) -> None:
        """End the reader as `q` does: the session saves the position and closes (the main
        screen's unmount), the load worker stops and keeps what it read, the terminal is
        restored. A terminal that hung up gets nothing more written to it."""
        if self.ending is not None:
            return
        self.ending = signum
        if signum == signal.SIGHUP and terminal_gone():
            detach_terminal()
        self.exit()

    def on_mount(self) -> None:
        self.restore_theme()
        self.session = Session(
            Folders.of(
                self.folders,
                cache_file=self.cache_file,
                state_file=paths.state_file if self.keep_state else lambda folder: None,
            ),
            config=self.config,
            order=self.sort_from_command_line,
            scope=Scope.topic(self.start_topic) if self.start_topic else None,
            clock=self.now,
            monotonic=self.monotonic,
            config_file=self.config_file,
        )
        screen = MainScreen(
            self.session, open_link=self.open_link, follow_changes=self.follow_changes
        )
        self.push_screen(screen)
        self.set_interval(memory.IDLE_SECONDS, self.collector.tick)
        self.screen_change_signal.subscribe(self, self.place_terminal_cursor)
        if self.end_on_signals:
            self._end_on_signals()
        for warning in self.config_warnings:
            self.notify(warning, title="Config", severity="warning", timeout=10, markup=False)

    def place_terminal_cursor(self, screen: Screen[object]) -> None:
        """Another screen is shown (a dialog opened or closed): the terminal's cursor goes to
        the highlighted row of its focused list, which may have kept the focus meanwhile."""
        focused = screen.focused
        if isinstance(focused, TerminalCursor):
            focused.place_terminal_cursor()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown):
            self.collector.input()  # garbage waits for a pause in the keys: reader.platform.memory
        await super().on_event(event)

    # -- theme: the config's, or the one last picked in the palette ------------------------------

    def restore_theme(self) -> None:
        remembered = load_settings(paths.settings_file()).get("theme") if self.keep_state else None
        for name in (remembered, self.config.theme):
            if isinstance(name, str) and name:
                if name in self.available_themes:
                    self.theme = name
                    break
                self.config_warnings.append(f"theme: no theme called {name!r}; using the default")
        self.theme_remembered = True

    def watch_theme(self, theme: str) -> None:
        if getattr(self, "theme_remembered", False) and self.keep_state:
            try:
                save_settings(paths.settings_file(), theme=theme)
            except OSError as error:
                self.notify(
                    f"Could not remember the theme: {error}", severity="warning", markup=False
                )

    def cache_file(self, folder: Path) -> Path | None:
        """The index cache of `folder`, or None when caching is off."""
        return paths.index_cache(folder) if self.use_cache else None

    @property
    def main(self) -> MainScreen:
        """The main screen (always at the bottom of the stack once mounted)."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("the main screen is not mounted")

    def action_help(self) -> None:
        if isinstance(self.screen, ListScreen):
            return
        groups: list[tuple[str, Sequence[BindingType]]] = [
            (title, bindings(commands)) for title, commands in HELP_GROUPS
        ]
        groups += [(title, [list_select(does)]) for title, does in LIST_SELECT.items()]
        groups.append(("Dialogs", ListScreen.BINDINGS))
        rows = help_rows(groups, self.get_key_display, keymap_of(self))
        note = "Mouse: click a topic, story or related story to do what Enter does. Escape: close"
        self.push_screen(ListScreen("Keys", rows, note))

    def action_problems(self) -> None:
        if isinstance(self.screen, ListScreen):
            return
        library = self.session.snapshot.library if self.session is not None else None
        if library is None:
            self.notify("The folder is still loading.", timeout=2)
            return
        rows = problem_rows(library.problems, library.warnings, library.duplicates)
        self.push_screen(ListScreen("Skipped files and warnings", rows))

    def open_link(self, url: str) -> None:
        """Open `url` in the browser if it is an http(s) link; say what happened."""
        if not is_web_url(url):
            scheme = urlsplit(url).scheme or "no scheme"
            self.notify(
                f"Not opened: only http and https links open ({shorten(clean_line(scheme), 20)}).",
                severity="warning",
                markup=False,
            )
            return
        shown = shorten(url, 80)
        try:
            if self.is_web:  # served (`newsreader serve`): the user's browser opens it, in a tab
                self.open_url(url, new_tab=True)
            elif self.opener is not None:
                self.opener(url)
            elif needs_terminal(self.config.browser):
                with self.suspend():  # a text browser gets the terminal while it runs
                    open_url(url, self.config.browser)
            else:
                self.run_worker(
                    lambda: open_url(url, self.config.browser), thread=True, exit_on_error=False
                )
        except LinkRefused:
            self.notify("Not opened: not an http(s) link.", severity="warning", markup=False)
            return
        except Exception as error:  # a browser that fails must not take the reader down
            reason = clean_line(str(error)) or error.__class__.__name__
            self.notify(f"Could not open {shown}: {reason}", severity="error", markup=False)
            return
        self.notify(f"Opening {shown}", timeout=3, markup=False)
