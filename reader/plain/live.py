"""What the plain reader waits on, in one queue (lines typed, folder changes, finished jobs), and
the folder followed while it runs: changes read off its thread, each said in one line between
commands, never by redrawing anything."""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from reader.feed.watch import watch_folder
from reader.library.library import Library
from reader.model.story import Story
from reader.model.text import clean_line
from reader.plain.output import Output
from reader.plain.render import plural
from reader.session.loading import LoadStep
from reader.session.session import Session

Event = tuple[str, Any]  # (kind, value): "line", "end", "changed", "step", "grouped", "failed"
BEAT = 0.25  # seconds between the session's ticks while nothing happens


class Inbox:
    """One queue for everything the plain reader's thread acts on, in the order it came."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Event] = queue.Queue()
        self._kept: deque[Event] = deque()  # set aside by `wait_for`, taken first by `get`

    def put(self, kind: str, value: object = None) -> None:
        """Hand something to the reader's thread (from any thread)."""
        self._queue.put((kind, value))

    def get(self, timeout: float = BEAT) -> Event:
        """The next thing to act on; ("tick", None) when nothing came within `timeout`."""
        if self._kept:
            return self._kept.popleft()
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return "tick", None

    def wait_for(self, wanted: Callable[[Event], bool]) -> Event:
        """Wait for the event `wanted` accepts; the others wait their turn."""
        while True:
            event = self._queue.get()
            if wanted(event):
                return event
            self._kept.append(event)

    def read_lines(self, stream: TextIO) -> None:
        """Read `stream` a line at a time in a thread of its own; "end" at its end."""

        def read() -> None:
            try:
                for line in stream:
                    self.put("line", line.rstrip("\r\n"))
            except (OSError, ValueError, UnicodeDecodeError) as error:
                self.put("failed", ("input", error))
            self.put("end")

        threading.Thread(target=read, name="plain-input", daemon=True).start()

    def run(self, kind: str, job: Callable[[], object]) -> None:
        """Run `job` in a thread; its result comes as (`kind`, result), a failure as
        ("failed", (`kind`, error))."""

        def work() -> None:
            try:
                result = job()
            except Exception as error:  # told by the reader's thread, never lost
                self.put("failed", (kind, error))
            else:
                self.put(kind, result)

        threading.Thread(target=work, name=f"plain-{kind}", daemon=True).start()


class Live:
    """The folders followed: updates read and stories grouped in threads, taken back on the
    reader's thread, each change said in one line."""

    def __init__(self, session: Session, inbox: Inbox, out: Output, *, typing: bool) -> None:
        self.session = session
        self.inbox = inbox
        self.out = out
        self.typing = typing  # someone types at a terminal: a line may be half typed
        self.stop = threading.Event()  # the watchers end
        self.grouping = False  # a grouping job is out

    def say(self, text: str) -> None:
        """Say something that was not asked for, between commands. At a terminal it comes
        after an empty line: the end of whatever line was being typed (which the terminal
        keeps: Enter still sends it whole), so it starts a line of its own."""
        self.out.write(["", text] if self.typing else [text])

    def watch(self) -> None:
        """Watch each folder until `stop`; changes come as "changed" events."""
        for folder, library_paths, known in self.session.loader.watched():
            self._watch(folder, library_paths, known)

    def _watch(
        self,
        folder: Path,
        library_paths: Callable[[set[str]], set[str]],
        known: Callable[[], set[str]],
    ) -> None:
        def changed(names: set[str]) -> None:
            self.inbox.put("changed", library_paths(names))

        def watch() -> None:
            try:
                watch_folder(folder, self.stop, changed, known)
            except Exception as error:  # the folder went away, no more watches: said once
                self.inbox.put("failed", ("watch", error))

        threading.Thread(target=watch, name="plain-watch", daemon=True).start()

    def take(self, kind: str, value: Any) -> bool:
        """Act on an event of the folder's (whether it was one)."""
        if kind == "changed":
            self._update(value)
        elif kind == "step":
            self._took(value)
        elif kind == "grouped":
            self._grouped(value)
        elif kind == "failed" and value[0] != "input":
            self._failed(*value)
        elif kind == "tick":
            self.group()  # updates paused: group what they changed
        else:
            return False
        return True

    def _update(self, names: set[str]) -> None:
        job = self.session.loader.changed(names)
        if job is not None:
            self.inbox.run("step", job)

    def _took(self, step: LoadStep) -> None:
        loader = self.session.loader
        loader.take(step)
        if step.base is not None and loader.library is step.library:
            words = change_words(step.base, step.library, step.names)
            if words:
                self.say(words)
        self._update(set())  # changes that came meanwhile
        self.group()

    def group(self) -> None:
        """Group the stories reporting one event, in a thread, when there is something to."""
        job = self.session.coverage_job()
        if job is None:
            return
        library, work = job
        self.grouping = True
        self.inbox.run("grouped", lambda: (library, work()))

    def _grouped(self, value: Any) -> None:
        self.grouping = False
        library, grouped = value
        self.session.take_coverage(library, grouped)

    def settle(self) -> None:
        """Wait for the groups being worked out, if they are: a story shown next has its
        Coverage entries."""
        while self.grouping:
            kind, value = self.inbox.wait_for(
                lambda e: e[0] == "grouped" or (e[0] == "failed" and e[1][0] == "grouped")
            )
            self.take(kind, value)

    def _failed(self, kind: str, error: Exception) -> None:
        reason = clean_line(str(error)) or error.__class__.__name__
        if kind == "watch":
            self.say(f"Stopped watching the folder for changes: {reason}")
        elif kind == "grouped":
            self.grouping = False
            self.say(f"Could not group the stories that report one event: {reason}")
        else:
            self.session.loader.load_failed(repr(error))


def change_words(before: Library | None, after: Library | None, names: frozenset[str]) -> str:
    """One line saying what an update changed: `3 new stories in Robotics.`, with the stories
    that changed or went away; "" when no story did."""
    if before is None or after is None:
        return ""
    added: list[Story] = []
    changed = gone = 0
    for name in sorted(names):
        old, new = before.get(name), after.get(name)
        if new is not None and old is None:
            added.append(new)
        elif new is None and old is not None:
            gone += 1
        elif new is not None and new != old:  # read again, and not the same
            changed += 1
    parts = []
    if added:
        parts.append(_added_words(added))
    if changed:
        parts.append(plural(changed, "story", "stories") + " changed")
    if gone:
        parts.append(plural(gone, "story", "stories") + " gone")
    return "; ".join(parts) + "." if parts else ""


def _added_words(added: list[Story]) -> str:
    words = plural(len(added), "new story", "new stories")
    shared = set(added[0].topics).intersection(*(story.topics for story in added[1:]))
    topic = next((t for t in added[0].topics if t in shared), None)
    if topic is not None:
        words += f" in {clean_line(topic)}"
    if len(added) == 1:
        words += f": {clean_line(added[0].title)}"
    return words
