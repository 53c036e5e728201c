"""What the plain reader holds over its session: the list its numbers stand for, the page
shown, the story in view, and a question waiting for its answer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from reader.model.story import Story, Target
from reader.model.text import clean_line
from reader.plain.article import article_text
from reader.plain.output import Line, Output
from reader.plain.render import detail_lines, page_lines, plural, view_line
from reader.session.detail import RelatedRow
from reader.session.session import Session
from reader.session.snapshot import Notice, Snapshot

PAGE = 10  # stories a page
CONFIRM_OVER = 50  # marking the stories of a longer list read asks first
REFERENCE = re.compile(r"([rcm]?)(\d{1,9})", re.IGNORECASE)
NUMBER_HINT = "Type a story's number (as in read 3), or R1, C1, M1 for the story in view."


class PlainReader:
    """The plain reader over a session (the session's own thread, the one reading commands).

    Numbers stand for the stories of the list as it was last listed (`listed`): a story
    arriving meanwhile does not renumber them; `list` takes the list anew.
    """

    def __init__(
        self,
        session: Session,
        out: Output,
        *,
        opener: Callable[[str], None],
        copier: Callable[[str], str],
        settle: Callable[[], None] = lambda: None,
        article: Callable[[Story], str | None] = article_text,
    ) -> None:
        self.session = session
        self.out = out
        self.opener = opener  # opens a web link in the browser
        self.copier = copier  # puts text on the clipboard; says with what (ClipboardMissing)
        self.settle = settle  # waits for the stories' groups being worked out, if they are
        self.article = article  # the article's text when it is kept (reader.plain.article)
        self.listed: tuple[Story, ...] = ()
        self.start = self.end = 0  # the page shown: listed[start:end]
        self.question: Callable[[str], None] | None = None  # takes the next line, once
        self.done = False
        self.focus: Story | None = None  # the story of the place saved last time, if restored
        self._notices: list[Notice] = []
        session.subscribe(self._published)

    @property
    def snapshot(self) -> Snapshot:
        """The session as it stands (its last snapshot)."""
        return self.session.snapshot

    def _published(self, snapshot: Snapshot) -> None:
        self._notices.extend(snapshot.notices)
        if snapshot.focus is not None:
            self.focus = snapshot.focus

    def tell_notices(self, unasked: bool = False) -> None:
        """Say what the session told since last time, a line each (`unasked`: not after a
        command, and at a terminal: after an empty line, as reader.plain.live says why)."""
        notices, self._notices = self._notices, []
        if notices and unasked:
            self.out.say("")
        for notice in notices:
            text = clean_line(notice.said("type problems"))
            prefix = {"warning": "Warning: ", "error": "Error: "}.get(notice.severity, "")
            title = f"{clean_line(notice.title)}: " if notice.title else ""
            self.out.say(prefix + title + text, "warning" if prefix else "")

    def ask(self, question: str, answer: Callable[[bool], None]) -> None:
        """Ask a yes-or-no question; the next line answers it (end of input: no)."""
        self.out.say(question + " Type yes or no.")
        self.question = lambda line: answer(line.strip().lower() in ("y", "yes"))

    # -- the list ----------------------------------------------------------------------------

    def list_view(self, *, header: bool = True, page: int = 0) -> None:
        """Take the list as it is now and show its page `page` (from 0), with a line saying
        what it is first (`header`)."""
        self.listed = self.snapshot.view
        if header:
            self.out.write([view_line(self.snapshot)])
        self.show_page(min(page * PAGE, max(0, len(self.listed) - 1)))

    def show_page(self, start: int) -> None:
        """Show the listed stories from `start` (0-based), a page of them."""
        start = start - start % PAGE
        self.start, self.end = start, min(start + PAGE, len(self.listed))
        snapshot = self.snapshot
        lines = page_lines(self.listed, self.start, self.end, snapshot.marks, snapshot.empty)
        self.out.write(lines)

    # -- what a number stands for ------------------------------------------------------------

    def story(self, word: str) -> Story | None:
        """The listed story numbered `word`, as the folder has it now; None, said why, if
        there is none."""
        if not word.isdigit():
            self.out.say(f"Not a story's number: {word}. {NUMBER_HINT}")
            return None
        number = int(word)
        if not 1 <= number <= len(self.listed):
            count = plural(len(self.listed), "story", "stories")
            self.out.say(f"There is no story {number} in the list ({count}).")
            return None
        listed = self.listed[number - 1]
        library = self.snapshot.library
        story = library.get(listed.path) if library is not None else None
        if story is None:
            self.out.say(f"Story {number} is gone from the folder.")
        return story

    def target(self, word: str) -> Target | None:
        """What `word` stands for: a listed story's number, R1, C1 or M1 (an entry of the story
        in view), or nothing for the story in view. None, said why, if nothing."""
        if not word:
            detail = self.snapshot.detail
            if detail is None:
                self.out.say("No story is in view. " + NUMBER_HINT)
                return None
            return detail.target
        found = REFERENCE.fullmatch(word.strip())
        if found is None:
            self.out.say(f"Not a story's number: {word}. {NUMBER_HINT}")
            return None
        kind, number = found.group(1).upper(), int(found.group(2))
        return self.story(str(number)) if not kind else self.entry(kind, number)

    def entry(self, kind: str, number: int) -> Target | None:
        """R`number`, C`number` or M`number` of the story in view; None, said why, if none."""
        detail = self.snapshot.detail
        if detail is None:
            self.out.say(f"No story is in view to have a {kind}{number}. Read one first.")
            return None
        entries: Sequence[RelatedRow | Story] = detail.related
        if kind != "R":
            entries = detail.coverage if kind == "C" else detail.mentions
        if not 1 <= number <= len(entries):
            noun, nouns = {
                "R": ("related entry", "related entries"),
                "C": ("coverage entry", "coverage entries"),
                "M": ("mention", "mentions"),
            }[kind]
            has = plural(len(entries), noun, nouns)
            self.out.say(f"There is no {kind}{number}: the story in view has {has}.")
            return None
        found = entries[number - 1]
        return (found.local or found.entry) if isinstance(found, RelatedRow) else found

    # -- the story in view -------------------------------------------------------------------

    def read(self, story: Story) -> None:
        """Show `story`: a new trail starts there (the one starting there is shown from its
        start); it is marked read (unless the config says read_after = "manual")."""
        self.settle()
        self.session.reading.start(story)
        self._mark(story)
        self.show_detail()

    def follow(self, target: Target) -> None:
        """Show `target` next on the trail."""
        if self.session.reading.trail is None:
            if isinstance(target, Story):
                self.read(target)
            return
        self.settle()
        self.session.reading.follow(target)
        if isinstance(target, Story):
            self._mark(target)
        self.show_detail()

    def _mark(self, story: Story) -> None:
        self.session.reading.stop_timer()  # read now, or never by a timer (manual)
        if self.session.config.read_mode != "manual":
            self.session.mark_read([story])

    def show_detail(self) -> None:
        """Write the story in view, its long related list read first if need be."""
        reading = self.session.reading
        job = reading.related_job()
        if job is not None:
            story, read_rows = job
            reading.take_related(story, *read_rows())
        snapshot = self.snapshot
        detail = snapshot.detail
        if detail is None:
            self.out.say(snapshot.message)
            return
        target = detail.target
        text = self.article(target) if isinstance(target, Story) else None
        lines = detail_lines(detail, snapshot.marks, self.session.now(), text)
        self.out.write([*lines, Line("")])
