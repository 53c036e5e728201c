"""A browser-style trail of visited items: back, forward, and a new visit drops the forward part."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Trail(Generic[T]):
    """Where the reader has been on one related-story trail, and where it is now."""

    def __init__(self, start: T, limit: int = 500) -> None:
        self._items: list[T] = [start]
        self._index = 0
        self._limit = limit

    @property
    def current(self) -> T:
        """The item in view."""
        return self._items[self._index]

    @property
    def position(self) -> int:
        """1-based place of the current item along the trail."""
        return self._index + 1

    @property
    def items(self) -> Sequence[T]:
        """Every item on the trail, oldest first."""
        return tuple(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def can_go_back(self) -> bool:
        """Whether there is an item before the current one."""
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        """Whether there is an item after the current one."""
        return self._index < len(self._items) - 1

    def visit(self, item: T) -> T:
        """Go to `item`: it follows the current one, and anything that was ahead is dropped."""
        del self._items[self._index + 1 :]
        self._items.append(item)
        if len(self._items) > self._limit:  # forget the oldest, keep the trail bounded
            del self._items[0]
        self._index = len(self._items) - 1
        return item

    def back(self) -> T | None:
        """Step back; None (and no move) when already at the start."""
        if not self.can_go_back:
            return None
        self._index -= 1
        return self.current

    def forward(self) -> T | None:
        """Step forward; None (and no move) when already at the end."""
        if not self.can_go_forward:
            return None
        self._index += 1
        return self.current
