"""The orders the story list can be sorted in."""

from __future__ import annotations

from enum import StrEnum


class Order(StrEnum):
    """The orders the story list can be sorted in; each has a natural direction."""

    QUALITY = "quality"
    NEWEST = "newest"
    HEAT = "heat"
    TITLE = "title"

    def next(self) -> Order:
        """The order after this one, wrapping round."""
        orders = list(Order)
        return orders[(orders.index(self) + 1) % len(orders)]
