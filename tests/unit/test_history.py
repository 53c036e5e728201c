"""The trail behind back and forward: a pure class, tested on its own."""

from __future__ import annotations

from reader.model.trail import Trail


def test_a_new_trail_has_only_its_start() -> None:
    trail = Trail("a")
    assert trail.current == "a" and len(trail) == 1 and trail.position == 1
    assert not trail.can_go_back and not trail.can_go_forward
    assert trail.back() is None and trail.forward() is None
    assert trail.current == "a"


def test_visits_extend_the_trail() -> None:
    trail = Trail("a")
    trail.visit("b")
    trail.visit("c")
    assert trail.items == ("a", "b", "c")
    assert trail.current == "c" and trail.position == 3


def test_back_and_forward_move_along_the_trail() -> None:
    trail = Trail("a")
    trail.visit("b")
    trail.visit("c")
    assert trail.back() == "b"
    assert trail.back() == "a"
    assert trail.back() is None
    assert trail.forward() == "b"
    assert trail.forward() == "c"
    assert trail.forward() is None
    assert trail.position == 3


def test_visit_after_back_drops_the_forward_entries() -> None:
    trail = Trail("a")
    trail.visit("b")
    trail.visit("c")
    trail.back()
    trail.back()
    trail.visit("d")
    assert trail.items == ("a", "d")
    assert not trail.can_go_forward
    assert trail.back() == "a"


def test_trail_is_bounded_and_forgets_the_oldest() -> None:
    trail = Trail(0, limit=3)
    for step in range(1, 6):
        trail.visit(step)
    assert trail.items == (3, 4, 5)
    assert trail.position == 3
