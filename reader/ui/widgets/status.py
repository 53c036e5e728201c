"""The status line: folder, counts, scope, search and order; or the loading progress."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from reader.session.snapshot import Status


class StatusBar(Horizontal):
    """One line of facts from the session's `Status`, with a progress bar while loading (put in
    by the first progress to show: a warm start has none)."""

    def compose(self) -> ComposeResult:
        yield Static(id="status")

    def show(self, status: Status) -> None:
        """Draw `status`."""
        bars = self.query(ProgressBar)
        line = self.query_one("#status", Static)
        if status.loading is not None:
            done, total = status.loading
            if bars:
                bar = bars.first()
            else:
                bar = ProgressBar(id="progress", show_eta=False)
                self.mount(bar)
            bar.display = True
            bar.update(total=max(total, 1), progress=done)
            message = f"Loading {done:,} of {total:,} files…" if total else "Checking the folder…"
            line.update(Text(message), layout=False)
            return
        bars.set(display=False)
        line.update(status_text(status), layout=False)


def status_text(status: Status) -> Text:
    """`news · 5 stories · 0 skipped · All: 5 · order: quality, highest first`."""
    text = Text()
    text.append(status.folder, style="bold")
    text.append(f" · {status.stories:,} stories")
    text.append(f" · {status.skipped:,} skipped", style="bold red" if status.skipped else "")
    if status.skipped:
        text.append(" (press !)")
    text.append(f" · {status.scope}: {status.shown:,}")
    if status.collapsed:  # near the start: the line is cut at 80 columns
        text.append(" grouped (=)", style="bold")
    if status.query_error:  # the list keeps the last good query's stories meanwhile
        text.append(f" · search: {status.query_error}", style="bold red")
    elif status.query:
        matches = f"match{'es' if status.shown != 1 else ''}"
        text.append(f" · search: {status.shown:,} {matches}", style="bold")
    text.append(f" · order: {status.order}")
    if status.indexing:
        text.append(" · indexing links…", style="dim")
    return text
