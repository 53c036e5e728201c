"""A long reading session keeps what is in view, not what was (issue 14, section 6).

Driven through the session alone, as a screen drives it (a listener that keeps only the last
snapshot), and counted with the garbage collector: no timing.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from reader.model.order import Order
from reader.model.scope import ALL, STARRED, UNREAD, Scope
from reader.model.story import Story, Target
from reader.model.trail import Trail
from reader.session.detail import Detail
from reader.session.session import Session
from reader.session.snapshot import REPEAT_AFTER, Notice, Snapshot
from tests.trail import TRAIL

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
ROUNDS = 1000


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Screen:
    """Holds the latest snapshot only, as the main screen does, and the notices it was told."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self.notices: list[Notice] = []

    def __call__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.notices.extend(snapshot.notices)


def session_on_trail(clock: Clock | None = None) -> tuple[Session, Screen]:
    """A session on the trail feed, loaded, its cursor on the first story."""
    session = Session(TRAIL, clock=lambda: NOW, workers=1, monotonic=clock or Clock())
    screen = Screen()
    session.subscribe(screen)
    session.loader.open()
    session.loader.load()
    session.reading.highlight(session.snapshot.view[0])
    return session, screen


def live(kind: type) -> int:
    """How many objects of exactly `kind` are alive (after a collection)."""
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing) is kind)


def next_stop(session: Session) -> Target | None:
    """Something to follow from what is in view: a local related story, else a mention, else
    an external related entry (None: nothing)."""
    detail = session.snapshot.detail
    assert detail is not None
    local = [row.local for row in detail.related if row.local is not None]
    stops: list[Target] = [*local, *detail.mentions, *(row.entry for row in detail.related)]
    return stops[0] if stops else None


def stories(session: Session) -> Iterator[Story]:
    """The feed's stories, round and round."""
    while True:
        yield from session.snapshot.view


def test_following_and_going_back_leaves_no_details_or_trails_behind() -> None:
    session, _ = session_on_trail()
    cursor = stories(session)
    before = live(Detail), live(Trail), live(Snapshot)
    followed = 0
    for _ in range(ROUNDS):
        session.reading.highlight(next(cursor), show=False)  # j: a new trail, shown once keys pause
        session.reading.show()
        stop = next_stop(session)
        if stop is None:
            continue
        session.reading.follow(stop)  # Enter on a related story
        assert session.reading.back()  # Backspace
        assert not session.reading.back()  # Backspace at the start: a notice
        followed += 1
    assert followed > ROUNDS // 2
    after = live(Detail), live(Trail), live(Snapshot)
    # What is in view (one detail, one trail, the last snapshot and the session's own), not
    # what was: at most one more of each than before.
    assert all(now <= then + 1 for now, then in zip(after, before, strict=True)), (before, after)


def test_a_trail_followed_far_stays_within_its_limit() -> None:
    session, _ = session_on_trail()
    before = live(Detail)
    for _ in range(ROUNDS):
        stop = next_stop(session)
        assert stop is not None, "the trail feed's stories all lead somewhere from A"
        session.reading.follow(stop)
    trail = session.reading.trail
    assert trail is not None and len(trail) == 500  # Trail's limit: the oldest are forgotten
    assert live(Detail) <= before + 1
    assert len(session.snapshot.detail.trail.titles) == 500  # type: ignore[union-attr]


def test_backspace_held_at_the_start_of_a_trail_tells_once_while_it_is_shown() -> None:
    clock = Clock()
    session, screen = session_on_trail(clock)
    for _ in range(ROUNDS):
        assert not session.reading.back()
    said = [n.text for n in screen.notices]
    assert said == ["Already at the start of the trail."]
    clock.now += REPEAT_AFTER  # the first one is gone from the screen by now
    for _ in range(ROUNDS):
        session.reading.back()
    assert [n.text for n in screen.notices] == ["Already at the start of the trail."] * 2
    assert session.reading.forward() is False
    assert screen.notices[-1].text == "Already at the end of the trail."  # another notice


@pytest.mark.parametrize("with_search", [False, True])
def test_switching_topics_and_orders_keeps_memory_flat(with_search: bool) -> None:
    session, _ = session_on_trail()
    library = session.loader.library
    assert library is not None
    scopes = [ALL, STARRED, UNREAD, *(Scope.topic(name) for name, _ in library.topics)]
    orders = list(Order)

    def switch(turn: int) -> None:
        session.navigation.choose(scopes[turn % len(scopes)])  # Tab Tab Down Enter
        session.navigation.set_order(orders[turn % len(orders)], reverse=turn % 3 == 0)  # s, S
        if with_search:
            session.navigation.search("drip")
            session.navigation.search("")
        view = session.snapshot.view
        if view:
            session.reading.highlight(view[turn % len(view)])

    for turn in range(100):  # every cache filled once
        switch(turn)
    gc.collect()
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        for turn in range(ROUNDS):
            switch(turn)
        gc.collect()
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert end - start < 32_000, f"{end - start:,} bytes more after {ROUNDS:,} switches"
