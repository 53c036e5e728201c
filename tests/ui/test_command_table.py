"""The command table: every binding, footer label, help line and palette entry comes from it."""

from __future__ import annotations

from textual.binding import Binding

from reader.session.navigation import Navigation
from reader.session.reading import Reading
from reader.session.session import Session
from reader.ui.app import NewsReader
from reader.ui.command_table import APP_COMMANDS, MAIN_COMMANDS, bound, command
from reader.ui.keys import APP_BINDINGS, MAIN_BINDINGS
from reader.ui.screens.main import MainScreen
from reader.ui.screens.modal import ListScreen, help_rows
from reader.ui.widgets.virtual_list import VirtualList


def ids(bindings: object) -> list[str | None]:
    return [b.id for b in bindings if isinstance(b, Binding)]  # type: ignore[attr-defined]


def test_binding_ids_are_unique_across_every_table() -> None:
    every = ids(APP_BINDINGS) + ids(MAIN_BINDINGS) + ids(VirtualList.BINDINGS)
    every += ids(ListScreen.BINDINGS)
    assert None not in every
    assert len(every) == len(set(every))


def test_the_bindings_are_the_tables() -> None:
    assert [b.id for b in MAIN_BINDINGS] == [c.id for c in MAIN_COMMANDS]  # type: ignore[union-attr]
    assert NewsReader.BINDINGS == APP_BINDINGS
    assert MainScreen.BINDINGS == MAIN_BINDINGS
    back = command("main.back").binding()
    assert (back.key, back.action, back.tooltip) == (
        "backspace,left_square_bracket,alt+left",
        "run_part('reading', 'back')",  # the trail's, through the screen
        "Back along the related-story trail",
    )


def test_every_command_runs_an_action_that_exists() -> None:
    parts = {"reading": Reading, "navigation": Navigation, "session": Session}
    for entry in MAIN_COMMANDS:
        if entry.target:
            assert hasattr(MainScreen, "action_run_part"), entry
            assert callable(getattr(parts[entry.target], entry.action, None)), entry
        elif entry.action.startswith("app."):
            assert hasattr(NewsReader, "action_" + entry.action.removeprefix("app.")), entry
        else:  # an action of the screen, maybe with arguments: `scroll_text(1, 0)`
            assert hasattr(MainScreen, "action_" + entry.action.split("(")[0]), entry
    for entry in APP_COMMANDS:
        assert hasattr(NewsReader, "action_" + entry.action), entry


def test_palette_titles_are_unique_and_only_where_meant() -> None:
    titles = [c.palette for c in (*APP_COMMANDS, *MAIN_COMMANDS) if c.in_palette]
    assert len(titles) == len(set(titles))
    assert "Back along the trail" in titles
    assert not command("main.next_pane").in_palette


def test_a_remapped_key_replaces_the_defaults_and_takes_the_key_from_another() -> None:
    table = [c.binding() for c in MAIN_COMMANDS]
    keys = {(b.id, b.key) for b in bound(table, {"main.back": "o,x"})}
    assert ("main.back", "o") in keys and ("main.back", "x") in keys
    assert ("main.back", "backspace") not in keys
    assert not any(binding_id == "main.open" for binding_id, _ in keys)  # "o" was its only key
    assert ("main.forward", "right_square_bracket") in keys  # the rest are untouched


def test_help_rows_show_the_remapped_keys() -> None:
    groups = [("Main screen", MAIN_BINDINGS)]
    default = "\n".join(t.plain for t, _ in help_rows(groups, lambda b: b.key))
    remapped = "\n".join(t.plain for t, _ in help_rows(groups, lambda b: b.key, {"main.back": "x"}))
    back = "Back along the related-story trail"
    assert any(line.split()[0] == "backspace" for line in default.splitlines() if back in line)
    [line] = [line for line in remapped.splitlines() if back in line]
    assert line.split()[0] == "x" and "backspace" not in line
    # The row keeps its place in the table, after the pane keys and before Forward.
    assert remapped.index(back) < remapped.index("Forward along")
