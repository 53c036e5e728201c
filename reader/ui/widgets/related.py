"""The related list of the detail pane: related stories, the other stories of the same event
(coverage), then the stories that mention this one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message

from reader.model.dates import short_date
from reader.model.story import Story, Target
from reader.session.detail import RelatedRow
from reader.ui.widgets.virtual_list import VirtualList


@dataclass(frozen=True, slots=True)
class Heading:
    """A non-selectable title row."""

    label: str


@dataclass(frozen=True, slots=True)
class MentionRow:
    """A story of this feed that lists the story in view as related."""

    story: Story


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """Another story of this feed on the same event, from another provider (or a copy)."""

    story: Story


Row = Heading | RelatedRow | MentionRow | CoverageRow


class RelatedList(VirtualList):
    """One followable list: `Related stories` and `Mentioned by`, each under its heading."""

    @dataclass
    class Followed(Message):
        """The user followed an entry: show `target` next on the trail."""

        target: Target

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.border_title = "Related"

    def set_entries(
        self,
        related: Sequence[RelatedRow],
        mentions: Sequence[Story],
        note: str = "",
        coverage: Sequence[Story] = (),
        providers: int = 0,
        *,
        keep: bool = False,
    ) -> None:
        """Show the related entries (or a note in their place), the other stories of the same
        event (when there are any) and the backlinks; cursor on the first entry. `keep`: the
        same story's lists again (read in the background, new groups, a new library), so a
        cursor the user moved stays on its entry (or where it was, if that entry is gone)."""
        rows: list[Row] = [
            Heading("Related stories" + (f" ({len(related):,})" if not note else ""))
        ]
        rows.extend(related)
        if note:
            rows.append(Heading("  " + note))
        elif not related:
            rows.append(Heading("  none"))
        if coverage:
            noun = "provider" if providers == 1 else "providers"
            rows.append(Heading(f"Coverage ({providers:,} {noun})"))
            rows.extend(CoverageRow(story) for story in coverage)
        rows.append(Heading(f"Mentioned by ({len(mentions):,})"))
        rows.extend(MentionRow(story) for story in mentions)
        if not mentions:
            rows.append(Heading("  no story of this feed lists this one"))
        cursor = None
        if keep and self.moved and self.current is not None:
            cursor = _same_row(rows, self.current, self.cursor)
        self.rows = rows
        self.set_row_count(len(rows), cursor, kept=cursor is not None)

    @property
    def current(self) -> Row | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def current_link(self) -> str:
        """The link of the highlighted entry, or an empty string."""
        row = self.current
        if isinstance(row, RelatedRow):
            # An entry with only a non-web link still hands it over, so opening it is refused
            # out loud rather than silently falling back to another link.
            return row.entry.url or next(iter(row.entry.links.all()), "")
        if isinstance(row, MentionRow | CoverageRow):
            return row.story.url
        return ""

    def is_selectable(self, index: int) -> bool:
        return not isinstance(self.rows[index], Heading)

    def render_row(self, index: int, width: int) -> Text:
        row = self.rows[index]
        dim = self.style("virtual-list--dim")
        accent = self.style("virtual-list--accent")
        if isinstance(row, Heading):
            return Text(row.label, style=self.style("virtual-list--heading"))
        if isinstance(row, MentionRow | CoverageRow):
            story = row.story
            text = Text("  ◆ " if isinstance(row, MentionRow) else "  ≈ ", style=accent)
            text.append(story.title)
            about = (story.provider.label, short_date(story.published))
            text.append("  " + " · ".join(d for d in about if d), style=dim)
            return text
        entry = row.entry
        text = Text("  ◆ " if row.local else "  ↗ ", style=accent if row.local else dim)
        text.append(entry.title)
        details = [entry.provider.label, short_date(entry.published)]
        if entry.quality is not None:
            details.append(f"q{entry.quality}")
        details.append("in this feed" if row.local else "external")
        text.append("  " + " · ".join(d for d in details if d), style=dim)
        return text

    def on_virtual_list_row_chosen(self, event: VirtualList.RowChosen) -> None:
        event.stop()
        if not 0 <= event.index < len(self.rows):
            return  # the rows were replaced after the key (keys in a burst): its row is gone
        row = self.rows[event.index]
        if isinstance(row, RelatedRow):
            self.post_message(self.Followed(row.local or row.entry))
        elif isinstance(row, MentionRow | CoverageRow):
            self.post_message(self.Followed(row.story))


def _key(row: Row) -> tuple[str, str, str] | None:
    """What makes a row the same entry in a list made again (None: a heading)."""
    if isinstance(row, RelatedRow):
        return ("related", row.entry.url, row.entry.title)
    if isinstance(row, MentionRow):
        return ("mention", row.story.path, "")
    if isinstance(row, CoverageRow):
        return ("coverage", row.story.path, "")
    return None


def _same_row(rows: Sequence[Row], row: Row, index: int) -> int:
    """Where `row`, at `index` in the old rows, is in `rows`: the same entry, else the same
    place."""
    key = _key(row)
    if index < len(rows) and _key(rows[index]) == key:
        return index
    return next((i for i, r in enumerate(rows) if _key(r) == key), min(index, len(rows) - 1))
