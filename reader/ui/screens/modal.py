"""Modal screens: help (generated from the bindings, as remapped) and the list of skipped files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from reader.library.library import Duplicate
from reader.model.story import FieldWarning, Problem
from reader.model.text import clean_line
from reader.ui.command_table import bound
from reader.ui.widgets.text_list import TextList

Row = tuple[Text, bool]


class ListScreen(ModalScreen[None]):
    """A titled, scrollable list over the main screen; Escape or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss_screen", "Close", id="modal.close"),
    ]

    def __init__(self, title: str, rows: Sequence[Row], note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="dialog-title")
            yield TextList(self.rows, id="dialog-list")
            yield Static(Text(self.note or "Escape or q: close", style="dim"), id="dialog-note")

    def on_mount(self) -> None:
        self.query_one(TextList).focus()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)


def help_rows(
    groups: Iterable[tuple[str, Sequence[BindingType]]],
    display: Callable[[Binding], str],
    keymap: Mapping[str, str] | None = None,
) -> list[Row]:
    """One row per action (its keys joined), under a heading per group of bindings; the keys
    are those `keymap` (binding id -> keys, as `App.set_keymap` takes) binds."""
    rows: list[Row] = []
    for group, bindings in groups:
        merged: dict[str, tuple[list[str], str]] = {}
        for binding in bound(bindings, keymap or {}):
            described = binding.tooltip or binding.description
            keys, _ = merged.setdefault(binding.action, ([], described))
            shown = display(binding)
            if shown not in keys:
                keys.append(shown)
        if not merged:
            continue
        if rows:
            rows.append((Text(""), True))
        rows.append((Text(group), True))
        for keys, description in merged.values():
            line = Text("  ")
            line.append(" / ".join(keys).ljust(28), style="bold")
            line.append(description)
            rows.append((line, False))
    return rows


def problem_rows(
    problems: Sequence[Problem],
    warnings: Sequence[FieldWarning],
    duplicates: Sequence[Duplicate] = (),
) -> list[Row]:
    """Each skipped file with its reason, each warning, then each story found in two files
    (of one folder, or of two folders: the higher quality is shown)."""
    rows: list[Row] = [(Text(f"Files that could not be read ({len(problems)})"), True)]
    for problem in problems:
        line = Text("  ")
        line.append(clean_line(problem.path), style="bold")
        line.append("  " + clean_line(problem.reason))
        rows.append((line, False))
    if not problems:
        rows.append((Text("  none: every file was loaded"), True))
    rows.append((Text(""), True))
    rows.append((Text(f"Fields that got a default ({len(warnings)})"), True))
    for warning in warnings:
        line = Text("  ")
        line.append(clean_line(warning.path), style="bold")
        line.append(f"  {warning.field}: {clean_line(warning.message)}")
        rows.append((line, False))
    if not warnings:
        rows.append((Text("  none"), True))
    if duplicates:
        rows.append((Text(""), True))
        rows.append((Text(f"Stories in two files, shown once ({len(duplicates)})"), True))
    for duplicate in duplicates:
        line = Text("  ")
        line.append(clean_line(duplicate.kept), style="bold")
        line.append("  shown; the same link in " + clean_line(duplicate.dropped))
        rows.append((line, False))
    return rows


class NameScreen(ModalScreen[str | None]):
    """Asks for a name (of a view): Enter gives it, Escape gives None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="name.cancel"),
    ]

    def __init__(self, question: str, value: str = "", note: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.question, style="bold"))
            yield Input(self.value, id="name", select_on_focus=True)
            yield Static(Text(self.note or "Enter: save · Escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or Enter says yes, n or Escape says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.question, style="bold"))
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
