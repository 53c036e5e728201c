"""A virtual list of ready-made text rows, for the help and problems screens."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from reader.ui.widgets.virtual_list import VirtualList


class TextList(VirtualList):
    """Rows of safe rich text; rows marked as headings are skipped by the cursor."""

    def __init__(self, rows: Sequence[tuple[Text, bool]] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[Text, bool]] = list(rows)

    def on_mount(self) -> None:
        self.set_row_count(len(self.rows))

    def render_row(self, index: int, width: int) -> Text:
        text, heading = self.rows[index]
        if heading:
            return Text(text.plain, style=self.style("virtual-list--heading"))
        return text.copy()

    def is_selectable(self, index: int) -> bool:
        return not self.rows[index][1]
