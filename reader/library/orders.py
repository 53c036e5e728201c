"""The library's orders: each story's sort key per order (ties: newest, then title, then path),
sorting in small steps that let a background thread give way, and where each story stands in
an order."""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Callable
from typing import Any

from reader.model.order import Order
from reader.model.story import Story


def timestamp(story: Story) -> float:
    return story.published.timestamp() if story.published else float("-inf")


# Each key sorts ascending; ties fall back to newest first, then title, then path.
SORT_KEYS: dict[Order, Callable[[Story], tuple[object, ...]]] = {
    Order.QUALITY: lambda s: (-s.quality, -timestamp(s), s.title.casefold(), s.path),
    Order.NEWEST: lambda s: (-timestamp(s), -s.quality, s.title.casefold(), s.path),
    Order.HEAT: lambda s: (
        -(s.heat if s.heat is not None else -1),
        -s.quality,
        -timestamp(s),
        s.title.casefold(),
        s.path,
    ),
    Order.TITLE: lambda s: (s.title.casefold(), -s.quality, -timestamp(s), s.path),
}
# The same orders as stable sorts of the quality order, which holds every tie-break already:
# one number or string per story sorts several times faster than a tuple.
FIRST_KEYS: dict[Order, Callable[[Story], object]] = {
    Order.NEWEST: lambda s: -timestamp(s),
    Order.HEAT: lambda s: -(s.heat if s.heat is not None else -1),
    Order.TITLE: lambda s: s.title.casefold(),
}
QUALITY_KEY = SORT_KEYS[Order.QUALITY]  # the library's own order: best quality, newest, title
SORT_STEP = 4096


def sort_in_steps(stories: list[Story], key: Callable[[Story], Any]) -> list[Story]:
    """`sorted(stories, key=key)`, done as small sorts merged in Python.

    One C-level sort of 100,000 stories holds the interpreter for a tenth of a second, which a
    background thread must not do to the screen; small sorts and a Python merge let go often.
    Stable, like `sorted`.
    """
    if len(stories) <= SORT_STEP:
        return sorted(stories, key=key)
    runs = [sorted(stories[i : i + SORT_STEP], key=key) for i in range(0, len(stories), SORT_STEP)]
    return list(heapq.merge(*runs, key=key))


def ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Names with a positive count, most first (then by name)."""
    return tuple(
        sorted(
            ((name, n) for name, n in counts.items() if n > 0),
            key=lambda item: (-item[1], item[0].casefold(), item[0]),
        )
    )


def positions_in(stories: tuple[Story, ...], ordered: tuple[Story, ...]) -> array[int]:
    """Where each story of `stories` (the quality order) stands in `ordered`."""
    return ranks({id(story): n for n, story in enumerate(stories)}, ordered)


def ranks(where: dict[int, int], ordered: tuple[Story, ...]) -> array[int]:
    """Where each story (by its place `where` in the quality order) stands in `ordered`."""
    found = array("I", bytes(4 * len(ordered)))
    for rank, story in enumerate(ordered):
        found[where[id(story)]] = rank
    return found
