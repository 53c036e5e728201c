"""The main screen's saved-view commands: save (v), go to, rename, delete, and export a view."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from textual.screen import Screen

from reader.model.scope import Scope
from reader.model.text import clean_line
from reader.session.session import Session
from reader.ui.screens.modal import ConfirmScreen, NameScreen


class ViewActions(Screen[None]):
    """Saved views, for a screen that shows a session (mixed into the main screen)."""

    session: Session

    def action_clear_search(self) -> None:  # the main screen's
        raise NotImplementedError

    def action_save_view(self) -> None:
        """Ask for a name and save the query in the search box as a view."""
        query = self.session.snapshot.query
        if not query:
            self.app.notify("Type a query first (/), then press v to save it as a view.")
            return

        def named(name: str | None) -> None:
            if name and self.session.navigation.save_view(name):
                self.action_clear_search()  # the view holds the query now
                self.app.notify(f"Saved the view {clean_line(name)!r}.", markup=False)

        self.app.push_screen(
            NameScreen(f"Save {clean_line(query)!r} as a view named:", clean_line(query)), named
        )

    def palette_views(self) -> Sequence[str]:
        """The saved views' names, for the command palette."""
        return list(self.session.snapshot.views)

    def go_to_view(self, name: str) -> None:
        """Show a saved view."""
        self.session.navigation.choose(Scope.view(name))

    def rename_view(self, name: str) -> None:
        """Ask for a new name of a saved view."""

        def named(new: str | None) -> None:
            if new:
                self.session.navigation.rename_view(name, new)

        self.app.push_screen(NameScreen(f"Rename the view {name!r} to:", name), named)

    def delete_view(self, name: str) -> None:
        """Ask, then forget a saved view."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.session.navigation.delete_view(name)

        self.app.push_screen(ConfirmScreen(f"Delete the view {name!r}?"), answered)

    def export_view(self, format: str) -> None:
        """Write the stories in the list to a file in the user's downloads folder, and say
        where."""
        from reader.library.export import NAMES, SUFFIXES, export
        from reader.platform.paths import export_dir
        from reader.platform.writing import write_whole

        snapshot = self.session.snapshot
        stories = snapshot.view
        kind, suffix = NAMES[format], SUFFIXES[format]
        label = snapshot.scope.label.strip("★● ") or "stories"
        stamp = datetime.now(UTC).strftime("%Y-%m-%d")
        name = _file_name(f"newsreader {label} {stamp}") + "." + suffix
        target = export_dir() / name
        try:
            text = export(list(stories), format, f"{snapshot.folder_name}: {label}")
            target.parent.mkdir(parents=True, exist_ok=True)
            write_whole(target, text)
        except (OSError, ValueError) as error:
            self.app.notify(f"Could not export: {error}", severity="error", markup=False)
            return
        count = len(stories)
        self.app.notify(
            f"Exported {count} {'story' if count == 1 else 'stories'} as {kind} to {target}",
            markup=False,
        )


def _file_name(text: str) -> str:
    """`text` made a safe file name: letters, digits, dashes."""
    kept = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in kept.split("-") if part)[:80] or "stories"
