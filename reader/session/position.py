"""Where the reader was in a folder (scope, order, story), kept for the next visit."""

from __future__ import annotations

from dataclasses import dataclass

from reader.library.library import Library
from reader.model.keys import story_key
from reader.model.order import Order
from reader.model.scope import Scope
from reader.model.story import Story
from reader.session.marks import Marks
from reader.session.state import StateError


@dataclass(frozen=True, slots=True)
class Position:
    """A saved position, as far as it still fits the library (None where it does not)."""

    scope: Scope | None
    order: Order | None
    reverse: bool
    story: Story | None


def restored(marks: Marks, library: Library) -> Position | None:
    """The position saved for this folder, or None when there is none."""
    saved = marks.state.position()
    if not saved:
        return None
    scope = Scope.from_saved(saved.get("topic", ""))  # checked by the session, as any scope
    order = Order(saved["order"]) if saved.get("order") in set(Order) else None
    wanted = saved.get("story", "")
    found = marks.stories(library, [wanted]) if wanted else []
    return Position(scope, order, saved.get("reverse") == "1", found[0] if found else None)


def save(marks: Marks, scope: Scope, order: Order, reverse: bool, story: Story | None) -> str:
    """Remember the position; a warning when it could not be saved."""
    try:
        marks.state.save_position(
            topic=scope.saved(),
            order=order.value,
            reverse="1" if reverse else "",
            story=story_key(story) if story else "",
        )
    except StateError as error:
        return str(error)
    return ""
