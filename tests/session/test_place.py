"""The user's place while the folder loads, driven through the session alone: the first list goes
on a page at a time, and a position restored once the whole folder is in never undoes what the
user did meanwhile."""

from __future__ import annotations

from pathlib import Path

from reader.model.order import Order
from reader.model.scope import ALL, Scope
from reader.session.session import Session
from reader.session.snapshot import Snapshot
from tests.conftest import write_story


def many_stories(feed: Path, count: int) -> Path:
    """`count` stories of distinct quality: 'Story 000' is the best."""
    for n in range(count):
        topic = "Harbours" if n % 3 == 0 else "Orchards"
        write_story(
            feed,
            f"s{n:03d}.md",
            title=f"Story {n:03d}",
            quality=1000 - n,
            topics=[topic],
            webUrl=f"https://news.example/{n}",
        )
    return feed


def session_of(feed: Path, tmp_path: Path) -> tuple[Session, list[Snapshot]]:
    """A session on `feed` with its index cache and state file, and every snapshot it publishes
    (not opened yet)."""
    session = Session(
        feed,
        cache_file=tmp_path / "index.sqlite3",
        state_file=tmp_path / "state.sqlite3",
        workers=1,
    )
    seen: list[Snapshot] = []
    session.subscribe(seen.append)
    return session, seen


def warmed(feed: Path, tmp_path: Path) -> None:
    """Read the folder once, so that the next start finds its index cache."""
    session, _ = session_of(feed, tmp_path)
    session.loader.load()
    session.close()


def titles(session: Session) -> list[str]:
    return [story.title for story in session.snapshot.view]


def test_the_first_list_goes_on_a_page_at_a_time_until_the_folder_is_in(
    feed: Path, tmp_path: Path
) -> None:
    warmed(many_stories(feed, 250), tmp_path)
    session, _ = session_of(feed, tmp_path)
    session.loader.open()
    assert titles(session) == [f"Story {n:03d}" for n in range(100)]
    assert session.snapshot.more and not session.snapshot.library.complete  # type: ignore[union-attr]
    assert session.loader.show_more()
    assert titles(session) == [f"Story {n:03d}" for n in range(200)]
    assert session.loader.show_more()  # the last 50
    assert len(titles(session)) == 250 and not session.snapshot.more
    assert not session.loader.show_more()
    early = titles(session)
    session.loader.load()
    assert titles(session) == early  # each row where the whole folder puts it
    assert not session.snapshot.more and not session.loader.show_more()


def test_no_more_pages_once_the_load_has_its_own_stories(feed: Path, tmp_path: Path) -> None:
    warmed(many_stories(feed, 150), tmp_path)
    session, _ = session_of(feed, tmp_path)
    session.loader.open()
    session.loader.load()
    assert len(titles(session)) == 150
    assert not session.loader.show_more() and len(titles(session)) == 150


def test_without_a_cache_there_is_nothing_to_page(feed: Path, tmp_path: Path) -> None:
    many_stories(feed, 120)
    session, _ = session_of(feed, tmp_path)
    session.loader.open()
    assert titles(session) == [] and not session.snapshot.more and not session.loader.show_more()


def saved_position_on(feed: Path, tmp_path: Path, title: str, topic: str) -> None:
    """A first visit that leaves the reader in `topic`, newest first, on the story `title`."""
    session, _ = session_of(feed, tmp_path)
    session.loader.open()
    session.loader.load()
    session.navigation.choose(Scope.topic(topic))
    session.navigation.set_order(Order.NEWEST)
    session.reading.highlight(next(s for s in session.snapshot.view if s.title == title))
    session.close()


def test_keys_pressed_before_the_folder_is_in_win_over_the_saved_position(
    feed: Path, tmp_path: Path
) -> None:
    saved_position_on(many_stories(feed, 150), tmp_path, "Story 042", "Harbours")
    session, seen = session_of(feed, tmp_path)
    session.loader.open()
    fifth = session.snapshot.view[5]
    session.reading.highlight(fifth)  # Down five times on the first list
    session.loader.load()
    assert not any(snapshot.focus for snapshot in seen)  # nothing moves the cursor away
    assert session.navigation.scope == ALL and session.navigation.order is Order.QUALITY
    session.close()
    # Where the user was is what the next start comes back to.
    again, seen = session_of(feed, tmp_path)
    again.loader.open()
    again.loader.load()
    assert [s.focus.title for s in seen if s.focus] == [fifth.title]


def test_the_saved_position_comes_back_when_the_user_did_nothing_meanwhile(
    feed: Path, tmp_path: Path
) -> None:
    saved_position_on(many_stories(feed, 150), tmp_path, "Story 042", "Harbours")
    session, seen = session_of(feed, tmp_path)
    session.loader.open()
    # The list put its cursor on its first row itself: that is not the user's doing.
    session.reading.highlight(session.snapshot.view[0], by_user=False)
    session.loader.load()
    assert session.navigation.scope == Scope.topic("Harbours")
    assert session.navigation.order is Order.NEWEST
    assert [s.focus.title for s in seen if s.focus] == ["Story 042"]
