"""The story in view: the trail from the list's story through the entries followed from it, the
detail shown for its current stop (related stories, coverage, mentions), and the read timer
that marks a story read once it has been in view long enough."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reader.feed.folders import Folders
from reader.library.library import Library
from reader.model.story import Story, Target
from reader.model.trail import Trail
from reader.platform.config import Config
from reader.session.detail import Detail, RelatedRow, TrailView, detail_of, related_rows
from reader.session.grouping import Grouping
from reader.session.marks import Marks
from reader.session.navigation import Navigation
from reader.session.snapshot import Tell

RelatedJob = tuple[Story, Callable[[], tuple[tuple[RelatedRow, ...], str]]]


class Reading:
    """The trail, the detail of its current stop, and the read timer (owner's thread)."""

    def __init__(
        self,
        *,
        library: Callable[[], Library | None],
        folders: Folders,
        marks: Marks,
        config: Config,
        grouping: Grouping,
        navigation: Navigation,
        changed: Callable[[], object],
        tell: Tell,
        monotonic: Callable[[], float],
    ) -> None:
        self.trail: Trail[Target] | None = None
        self.detail: Detail | None = None  # what the detail pane shows
        self.read_candidate: Story | None = None  # in view, read once the timer says so
        self.read_deadline = 0.0
        self._library = library
        self._folders = folders
        self._marks = marks
        self._config = config
        self._grouping = grouping
        self._navigation = navigation
        self._changed = changed
        self._tell = tell
        self._monotonic = monotonic

    def highlight(self, story: Story, *, show: bool = True, by_user: bool = True) -> bool:
        """The list's cursor is on `story`: a new trail starts there, and u, *, o, c act on it
        from now on. Its detail is worked out now, or with `show=False` when the owner calls
        `show` (once the keys pause). `by_user`: the user moved it there (not a refill of the
        list). Returns whether a new trail started."""
        self._navigation.at(story, by_user=by_user)
        start = self.trail.items[0] if self.trail else None
        if isinstance(start, Story) and start.path == story.path:
            return False  # the list was refilled (more of the folder loaded): keep the trail
        self.trail = Trail(story)
        self.read_candidate = None  # the story the timer was reading is left
        if show:
            self._show()
        return True

    def start(self, story: Story) -> None:
        """Show `story` at the start of its trail: a new trail, or the one in view back at its
        first stop when it starts there (its later stops kept for `forward`): the plain
        reader's `read N`."""
        if not self.highlight(story):
            assert self.trail is not None  # highlight kept the trail that starts at `story`
            while self.trail.back() is not None:
                pass
            self._show()

    def stop_timer(self) -> None:
        """The story in view was marked by hand: the read timer does not mark it again."""
        self.read_candidate = None

    def show(self) -> None:
        """Publish the detail of the trail's current stop, unless it is shown already (a load
        showed it meanwhile: its read timer is not started again)."""
        detail, trail = self.detail, self.trail
        if (
            detail is None
            or trail is None
            or detail.target is not trail.current
            or detail.trail != TrailView.of(trail)
        ):
            self._show()

    def chosen(self, story: Story) -> None:
        """Enter on a story of the list (it is read, when the config says so)."""
        if self._config.read_mode == "enter":
            self._mark_read(story)

    def follow(self, target: Target) -> None:
        """Follow a related entry or a mention: it is the trail's next stop."""
        if self.trail is None:
            return
        self._navigation.touched()
        self.trail.visit(target)
        if self._config.read_mode == "enter" and isinstance(target, Story):
            _, warning = self._marks.set_read([target])
            if warning:
                self._tell(warning, "warning")
        self._show()

    def back(self) -> bool:
        """Step back along the trail; False when already at its start (a notice says so)."""
        return self._step(self.trail.back() if self.trail else None, "start")

    def forward(self) -> bool:
        """Step forward along the trail; False when already at its end."""
        return self._step(self.trail.forward() if self.trail else None, "end")

    def _step(self, moved: Target | None, end: str) -> bool:
        if moved is None:
            if self.trail is not None:
                self._tell(f"Already at the {end} of the trail.")
                self._changed()
            return False
        self._show()
        return True

    def _show(self) -> None:
        """Work out the detail of the trail's current stop and publish it."""
        library = self._library()
        if self.trail is None or library is None:
            self._changed()
            return
        detail = self.with_coverage(detail_of(library, self._folders, self.trail))
        if self._folders.several and isinstance(detail.target, Story):
            detail = replace(detail, folder=self._folders.label_of(detail.target.path))
        self.detail = detail
        target = detail.target
        self.read_candidate = None
        timer = self._config.read_mode == "timer"
        if isinstance(target, Story) and timer and not self._marks.is_read(target):
            self.read_candidate = target
            self.read_deadline = self._monotonic() + self._config.read_after
        self._changed()

    def with_coverage(self, detail: Detail) -> Detail:
        """`detail` with the other stories of its story's event (its Coverage section)."""
        library = self._library()
        if library is None or not isinstance(detail.target, Story):
            return detail
        others, providers = self._grouping.others(library, detail.target)
        return replace(detail, coverage=others, providers=providers)

    def regrouped(self) -> None:
        """New groups came: the detail's Coverage section follows them."""
        if self.detail is not None:
            self.detail = self.with_coverage(self.detail)

    def library_changed(self, library: Library, shown: bool) -> bool:
        """Another library is in view: nothing is in view when every story went; the detail
        is worked out again (`shown`: for a library of every story, whose "Mentioned by" is
        known now). Whether it was published."""
        if not len(library):
            self.trail = self.detail = self.read_candidate = None
            return False
        if shown and self.trail is not None:
            self._show()
            return True
        return False

    # -- long related lists, read off the owner's thread -------------------------------------

    def related_job(self) -> RelatedJob | None:
        """A long related list still to read: its story and a pure job reading it (for a
        worker thread; hand the result to `take_related`)."""
        detail, library = self.detail, self._library()
        if detail is None or not detail.reading or library is None:
            return None
        story = detail.target
        assert isinstance(story, Story)
        folders = self._folders
        return story, lambda: related_rows(library, folders, story)

    def take_related(self, story: Story, rows: tuple[RelatedRow, ...], note: str) -> None:
        """A related list read by `related_job`: shown if its story is still in view."""
        detail = self.detail
        if detail is None or detail.target is not story:
            return
        self.detail = replace(detail, related=rows, note=note, reading=False)
        self._changed()

    # -- what the keys act on ----------------------------------------------------------------

    def link(self) -> str:
        """The link of the story (or external entry) in view. An external entry with only a
        non-web link still hands it over, so that opening it is refused out loud."""
        if self.trail is None:
            return ""
        target = self.trail.current
        if isinstance(target, Story):
            return target.url
        return target.url or next(iter(target.links.all()), "")

    def marked_story(self) -> Story | None:
        """The story `u` and `*` act on: the one in view, else the list's."""
        if self.trail is not None and isinstance(self.trail.current, Story):
            return self.trail.current
        return self._navigation.story

    def tick(self) -> None:
        """The read timer: a story in view long enough becomes read."""
        candidate = self.read_candidate
        if candidate is not None and self._monotonic() >= self.read_deadline:
            self.read_candidate = None
            self._mark_read(candidate)

    def _mark_read(self, story: Story) -> None:
        changed, warning = self._marks.set_read([story])
        if warning:
            self._tell(warning, "warning")
        if changed or warning:
            self._changed()
