"""The reader's work off the screen's thread: loading, following the folder, long related
lists and search texts. Each job comes from the session as a pure piece of work, and its
result goes back to the session on the screen's thread (see reader.session.session)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from reader.feed.watch import watch_folder
from reader.model.story import Story
from reader.model.text import clean_line
from reader.session.detail import RelatedRow
from reader.session.loading import LoadStep, Phase
from reader.session.session import Session
from reader.session.snapshot import Notice

if TYPE_CHECKING:  # grouping is imported by its first job, after the first screen
    from reader.library.coverage.cache import Grouped
    from reader.library.library import Library


class SessionScreen(Screen[None]):
    """A screen that drives a reader session's background work."""

    def __init__(self, session: Session, *, follow_changes: bool = True) -> None:
        super().__init__()
        self.session = session
        self.follow_changes = follow_changes  # watch the folder while running
        self.watching = False
        self.stop_watching = threading.Event()

    def show_notices(self, notices: Sequence[Notice]) -> None:
        """What the session told, as notifications (how to see more: the `!` key's list)."""
        for notice in notices:
            text = notice.said("press !")
            self.notify(text, title=notice.title, severity=notice.severity, markup=False)

    def on_unmount(self) -> None:
        self.stop_watching.set()
        self.session.close()

    @dataclass
    class Step(Message):
        """A step of a load or an update, made in a worker thread, for the session."""

        step: LoadStep

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_feed(self, reload: bool = False) -> None:
        """Read the folder off the screen's thread; each step goes to the session."""
        worker = get_current_worker()
        # Messages, not call_from_thread: posting does not wait for the screen to redraw.
        for step in self.session.loader.load_steps(
            reload=reload, cancelled=lambda: worker.is_cancelled
        ):
            self.post_message(self.Step(step))

    @on(Step)
    def take_step(self, event: Step) -> None:
        self.session.loader.take(event.step)
        job = self.session.loader.changed()  # changes that came while a load or an update ran
        if job is not None:
            self.update_feed(job)
        self.group_stories()
        if event.step.phase is Phase.INDEXED and self.follow_changes and not self.watching:
            self.watching = True
            self.watch_folders()

    def watch_folders(self) -> None:
        """Watch each folder until the reader quits; changes arrive as messages."""
        for folder, library_paths, known in self.session.loader.watched():
            self.watch_feed(folder, library_paths, known)

    @work(thread=True, group="watch", exit_on_error=False)
    def watch_feed(
        self,
        folder: Path,
        library_paths: Callable[[set[str]], set[str]],
        known: Callable[[], set[str]],
    ) -> None:
        """Watch one folder (its paths made the library's by `library_paths`)."""

        def changed(names: set[str]) -> None:
            self.post_message(self.Changed(library_paths(names)))

        watch_folder(folder, self.stop_watching, changed, known)

    @dataclass
    class Changed(Message):
        """Story files appeared, changed or went away."""

        names: set[str]

    @on(Changed)
    def folder_changed(self, event: Changed) -> None:
        job = self.session.loader.changed(event.names)
        if job is not None:
            self.update_feed(job)

    @work(thread=True, group="update", exit_on_error=False)
    def update_feed(self, job: Callable[[], LoadStep]) -> None:
        """Re-read the changed files."""
        self.post_message(self.Step(job()))

    def action_reload(self) -> None:
        """Read the folder again (only changed files are parsed)."""
        self.notify("Reloading the folder…", timeout=2)
        self.session.loader.reloading()
        self.load_feed(reload=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        reason = clean_line(str(event.worker.error))
        if event.worker.group == "watch":
            self.notify(
                f"Stopped watching the folder for changes: {reason}",
                severity="warning",
                markup=False,
            )
        elif event.worker.group in ("load", "update"):
            self.session.loader.load_failed(repr(event.worker.error))

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def read_related(
        self, story: Story, job: Callable[[], tuple[tuple[RelatedRow, ...], str]]
    ) -> None:
        """Read a long related list off the screen's thread."""
        rows, note = job()
        self.app.call_from_thread(self.session.reading.take_related, story, rows, note)

    def group_stories(self) -> None:
        """Group the stories that report one event, off the screen's thread, when the
        session has a library to group."""
        job = self.session.coverage_job()
        if job is not None:
            self.run_grouping(*job)

    @work(thread=True, group="coverage", exit_on_error=False)
    def run_grouping(self, library: Library, job: Callable[[], Grouped]) -> None:
        grouped = job()
        self.app.call_from_thread(self.took_groups, library, grouped)

    def took_groups(self, library: Library, grouped: Grouped) -> None:
        self.session.take_coverage(library, grouped)
        self.group_stories()  # updates came meanwhile: group what they changed

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def prepare_search(self, view: tuple[Story, ...], job: Callable[[], list[str]]) -> None:
        """Work out the searchable text of the view while the first word is typed."""
        texts = job()
        self.app.call_from_thread(self.session.take_search, view, texts)
