"""The reader's workflows, driven through the session alone: no Textual, no screen."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.model.order import Order
from reader.model.scope import ALL, STARRED, UNREAD, Scope
from reader.model.story import RelatedStory, Story
from reader.platform.config import Config
from reader.session.loading import Phase
from reader.session.session import Session
from reader.session.snapshot import Snapshot
from tests.conftest import write_story
from tests.trail import DROUGHT, TRAIL, A, B, C, D, E

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def opened(
    folder: Path = TRAIL, tmp_path: Path | None = None, **options: object
) -> tuple[Session, list[Snapshot]]:
    """A session on `folder`, loaded, with every snapshot it published."""
    state = tmp_path / "state.sqlite3" if tmp_path is not None else None
    session = Session(folder, state_file=state, clock=lambda: NOW, workers=1, **options)  # type: ignore[arg-type]
    seen: list[Snapshot] = []
    session.subscribe(seen.append)
    session.loader.open()
    session.loader.load()
    first = session.snapshot.view[0] if session.snapshot.view else None
    if first is not None:
        session.reading.highlight(first)
    return session, seen


def titles(session: Session) -> list[str]:
    return [story.title for story in session.snapshot.view]


def shown(session: Session) -> str:
    detail = session.snapshot.detail
    assert detail is not None
    return detail.target.title


def story(session: Session, title: str) -> Story:
    assert session.loader.library is not None
    return next(s for s in session.loader.library.stories if s.title == title)


def test_loading_publishes_the_list_in_quality_order_with_the_sidebar() -> None:
    session, seen = opened()
    snapshot = session.snapshot
    assert titles(session) == [A, B, D, C, E]
    assert shown(session) == A
    assert [(e.label, e.total) for e in snapshot.sidebar] == [
        ("All", 5),
        ("★ Starred", 0),
        ("● Unread", 5),
        ("Water", 4),
        ("Farming", 2),
        ("Climate", 1),
    ]
    assert snapshot.status.stories == 5 and not snapshot.status.indexing
    assert seen[-1] is snapshot


def test_choosing_a_topic_and_changing_the_order() -> None:
    session, _ = opened()
    session.navigation.choose(Scope.topic("Farming"))
    assert titles(session) == [B, C]
    assert session.snapshot.status.scope == "Farming" and session.snapshot.status.shown == 2
    session.navigation.choose(ALL)
    session.navigation.set_order(Order.TITLE)
    assert titles(session) == sorted(titles(session), key=str.casefold)
    session.navigation.reverse_order()
    assert titles(session) == sorted(titles(session), key=str.casefold, reverse=True)
    assert session.snapshot.status.order == "title Z–A"
    session.navigation.cycle_order()
    assert session.navigation.order is Order.QUALITY and not session.navigation.reverse


def test_search_keeps_the_stories_with_every_word() -> None:
    session, _ = opened()
    session.navigation.search("drip")
    assert titles(session) == [B, C]
    session.navigation.search("drip kit")
    assert titles(session) == [C]
    session.navigation.choose(Scope.topic("Water"))
    assert session.snapshot.status.query == "drip kit"
    session.navigation.search("")
    assert len(titles(session)) == 4


def test_search_speaks_the_query_language() -> None:
    session, _ = opened()
    session.navigation.search('drip -"doubles output"')
    assert titles(session) == [B]
    session.navigation.search("title:drip OR title:tanks")
    assert titles(session) == [B, C, E]
    session.navigation.search("topic:nothing-like-this")
    assert titles(session) == []


def test_a_bad_query_says_where_and_keeps_the_last_good_result() -> None:
    session, _ = opened()
    session.navigation.search("drip")
    session.navigation.search('drip "kit')  # typing on: the quote is not closed yet
    assert titles(session) == [B, C]  # still what "drip" found
    error = session.snapshot.status.query_error
    assert "quote" in error and "5" in error
    session.navigation.search('drip "kit"')
    assert titles(session) == [C] and session.snapshot.status.query_error == ""


def test_is_unread_keeps_a_story_read_in_view_until_the_list_refreshes(tmp_path: Path) -> None:
    session, _ = opened(tmp_path=tmp_path, config=Config(read_mode="manual"))
    session.navigation.search("is:unread drip")
    assert titles(session) == [B, C]
    session.reading.highlight(story(session, B))
    session.toggle_read()  # read where it is shown: it stays in the list for now
    assert titles(session) == [B, C]
    session.navigation.search("is:unread drip ")  # the next keystroke: the list follows the marks
    assert titles(session) == [C]


def test_saved_views_from_the_config_show_with_counts_and_follow_the_marks(
    tmp_path: Path,
) -> None:
    views = {"Irrigation": "drip OR tanks", "Best": "quality>=80"}
    config = Config(read_mode="manual", views=views)
    session, _ = opened(tmp_path=tmp_path, config=config)
    entries = {e.label: (e.total, e.unread) for e in session.snapshot.sidebar}
    assert entries["Irrigation"] == (3, 3) and entries["Best"] == (1, 1)
    session.navigation.choose(Scope.view("Irrigation"))
    assert titles(session) == [B, C, E]
    session.reading.highlight(story(session, C))
    session.toggle_read()
    entries = {e.label: (e.total, e.unread) for e in session.snapshot.sidebar}
    assert entries["Irrigation"] == (3, 2)


def test_a_view_is_saved_renamed_and_deleted_in_the_config_file(tmp_path: Path) -> None:
    from reader.platform.config import load_config

    file = tmp_path / "config.toml"
    file.write_text('theme = "nord"\n')
    session, _ = opened(tmp_path=tmp_path, config_file=file)
    session.navigation.search("drip -kit")
    assert session.navigation.save_view("Drip, no kits")
    assert session.navigation.scope == Scope.view("Drip, no kits") and titles(session) == [B]
    config, warnings = load_config(file)
    assert config.views == {"Drip, no kits": "drip -kit"} and config.theme == "nord"
    assert session.navigation.rename_view("Drip, no kits", "Drip")
    assert session.navigation.scope == Scope.view("Drip") and load_config(file)[0].views == {
        "Drip": "drip -kit"
    }
    assert not session.navigation.rename_view("Nothing", "Else")  # told why, nothing changed
    assert session.navigation.delete_view("Drip")
    assert session.navigation.scope == ALL and load_config(file)[0].views == {}
    assert warnings == []


def test_a_bad_view_in_the_config_is_named_and_the_others_load(tmp_path: Path) -> None:
    from reader.library.query.compiled import query_problem
    from reader.platform.config import load_config

    file = tmp_path / "config.toml"
    file.write_text('[views]\n"Good" = "drip"\n"Broken" = "autor:kim"\n')
    config, warnings = load_config(file, query_problem)
    assert config.views == {"Good": "drip"}
    assert (
        len(warnings) == 1 and "Broken" in warnings[0] and 'unknown field "autor:"' in warnings[0]
    )
    session, _ = opened(tmp_path=tmp_path, config=config, config_file=file)
    session.navigation.search("tanks")
    assert session.navigation.save_view("Tanks")  # the broken view stays in the file, to be mended
    assert '"Broken" = "autor:kim"' in file.read_text()
    assert load_config(file, query_problem)[0].views == {"Good": "drip", "Tanks": "tanks"}


def test_a_search_job_prepares_the_texts_off_the_owner_thread() -> None:
    session, _ = opened()
    job = session.search_job()
    assert job is not None
    view, work = job
    session.take_search(view, work())
    session.navigation.search("rain tanks")
    assert titles(session) == [E]


def test_following_related_stories_with_back_and_forward() -> None:
    session, _ = opened()
    detail = session.snapshot.detail
    assert detail is not None
    local = [row.local for row in detail.related if row.local is not None]
    assert [s.title for s in local] == [B]
    session.reading.follow(local[0])
    assert shown(session) == B
    next_local = next(r.local for r in session.snapshot.detail.related if r.local)  # type: ignore[union-attr]
    session.reading.follow(next_local)
    assert shown(session) == C
    assert session.snapshot.detail.trail.position == 3  # type: ignore[union-attr]
    assert session.reading.back() and shown(session) == B
    assert session.reading.back() and shown(session) == A
    assert not session.reading.back()
    assert session.snapshot.notices[-1].text == "Already at the start of the trail."
    assert session.reading.forward() and shown(session) == B
    # A new visit after going back drops the forward part.
    session.reading.back()
    external = next(r.entry for r in session.snapshot.detail.related if r.local is None)  # type: ignore[union-attr]
    session.reading.follow(external)
    assert shown(session) == DROUGHT
    assert isinstance(session.snapshot.detail.target, RelatedStory)  # type: ignore[union-attr]
    assert session.snapshot.detail.trail.titles == (A, DROUGHT)  # type: ignore[union-attr]
    assert not session.reading.forward()
    assert session.reading.link() == "https://mapdesk.example/drought-belt"


def test_mentioned_by_and_a_new_trail_from_the_list() -> None:
    session, _ = opened()
    detail = session.snapshot.detail
    assert detail is not None and [s.title for s in detail.mentions] == [C]
    session.reading.follow(next(r.local for r in detail.related if r.local))  # type: ignore[arg-type]
    session.reading.highlight(story(session, D))
    assert shown(session) == D and session.snapshot.detail.trail.titles == (D,)  # type: ignore[union-attr]


def test_starring_and_marking_read_with_counts(tmp_path: Path) -> None:
    session, _ = opened(tmp_path=tmp_path, config=Config(read_mode="manual"))
    session.toggle_star()
    assert session.marks.is_starred(story(session, A))
    session.navigation.choose(STARRED)
    assert titles(session) == [A]
    session.toggle_read()
    assert session.snapshot.sidebar[2].total == 4  # Unread
    session.navigation.choose(UNREAD)
    assert A not in titles(session)
    unread = session.unread_in_view()
    assert session.mark_read(unread) == 4
    session.navigation.refresh()  # Starred/Unread follow the marks at a refresh, as in 95ec2c8
    assert titles(session) == []
    assert session.snapshot.sidebar[0].unread == 0
    session.close()
    again, _ = opened(tmp_path=tmp_path, config=Config(read_mode="manual"))
    assert again.marks.is_starred(story(again, A))  # kept on disk
    assert again.snapshot.sidebar[0].unread == 0


def test_the_read_timer_marks_a_story_shown_long_enough() -> None:
    clock = Clock()
    session, _ = opened(monotonic=clock, config=Config(read_after=2.0))
    first = story(session, A)
    clock.now += 1.9
    session.tick()
    assert not session.marks.is_read(first)
    clock.now += 0.2
    session.tick()
    assert session.marks.is_read(first)
    assert session.snapshot.sidebar[0].unread == 4


def test_enter_marks_read_in_enter_mode() -> None:
    session, _ = opened(config=Config(read_mode="enter"))
    session.reading.chosen(story(session, B))
    assert session.marks.is_read(story(session, B))


def test_the_position_comes_back_at_the_next_start(tmp_path: Path) -> None:
    session, _ = opened(tmp_path=tmp_path)
    session.navigation.choose(Scope.topic("Water"))
    session.navigation.set_order(Order.NEWEST, reverse=True)
    session.reading.highlight(story(session, E))
    session.close()
    again, seen = opened(tmp_path=tmp_path)
    place = again.navigation
    assert place.scope == Scope.topic("Water") and place.order is Order.NEWEST and place.reverse
    assert any(s.focus is not None and s.focus.title == E for s in seen)
    given, _ = opened(tmp_path=tmp_path, order=Order.TITLE, scope=Scope.topic("Farming"))
    place = given.navigation
    assert place.order is Order.TITLE and place.scope == Scope.topic("Farming")


def test_a_folder_change_is_read_and_shown(feed: Path) -> None:
    write_story(feed, "one.txt", title="First", quality=5, webUrl="https://a.example/1")
    session, _ = opened(feed)
    write_story(feed, "two.txt", title="Second", quality=9, webUrl="https://a.example/2")
    job = session.loader.changed({"two.txt"})
    assert job is not None
    session.loader.take(job())
    assert titles(session) == ["Second", "First"]
    (feed / "one.txt").unlink()
    session.loader.take(session.loader.changed({"one.txt"})())  # type: ignore[misc]
    assert titles(session) == ["Second"]


def test_changes_wait_while_a_load_is_under_way(feed: Path) -> None:
    write_story(feed, "one.txt", title="First")
    session = Session(feed, workers=1)
    assert session.loader.changed({"one.txt"}) is None
    assert session.loader.updates.pending == {"one.txt"}


def test_an_unreadable_folder_says_why(tmp_path: Path) -> None:
    session = Session(tmp_path / "missing", workers=1)
    session.loader.open()
    session.loader.load()
    snapshot = session.snapshot
    assert snapshot.view == () and "Could not load the folder" in snapshot.empty
    assert snapshot.notices and snapshot.notices[0].severity == "error"


def test_a_long_related_list_is_read_by_a_job(feed: Path) -> None:
    related = [{"title": f"Entry {n}", "webUrl": f"https://x.example/{n}"} for n in range(250)]
    write_story(feed, "big.txt", title="Big", related=related)
    session = Session(feed, workers=1, cache_file=feed.parent / "cache.sqlite3")
    session.loader.open()
    session.loader.load()
    session.close()
    # A second start reads heads from the cache: the related list is read on demand.
    again = Session(feed, workers=1, cache_file=feed.parent / "cache.sqlite3")
    again.loader.open()
    again.loader.load()
    again.reading.highlight(again.snapshot.view[0])
    detail = again.snapshot.detail
    assert detail is not None
    if detail.reading:
        job = again.reading.related_job()
        assert job is not None
        target, work = job
        again.reading.take_related(target, *work())
    detail = again.snapshot.detail
    assert detail is not None and len(detail.related) == 250 and not detail.reading


def test_snapshots_are_not_changed_by_later_actions() -> None:
    session, _ = opened()
    before = session.snapshot
    view = before.view
    session.navigation.choose(Scope.topic("Farming"))
    session.toggle_star()
    assert before.view is view and len(view) == 5
    assert before.scope == ALL


def test_the_core_never_loads_textual() -> None:
    code = (
        "import sys\n"
        "import reader.cli, reader.cli.check, reader.session.session, reader.library.build\n"
        "import reader.feed.watch, reader.platform.browser\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("value", ["", "Water", "\x00starred", "\x00unread", "\x00bogus"])
def test_scopes_are_saved_and_read_back(value: str) -> None:
    scope = Scope.from_saved(value)
    assert Scope.from_saved(scope.saved()) == scope


def test_reload_reads_what_changed_and_keeps_the_list_meanwhile(feed: Path) -> None:
    write_story(feed, "one.txt", title="First", quality=5, webUrl="https://a.example/1")
    session, _ = opened(feed)
    write_story(feed, "one.txt", title="First, corrected", quality=5, webUrl="https://a.example/1")
    session.loader.indexing = True
    steps = list(session.loader.load_steps(reload=True))
    assert all(step.reload for step in steps)
    before = session.loader.library
    for step in steps:
        if step.phase is Phase.COMPLETE:  # until the new library is whole, the old one stays
            assert session.loader.library is before and titles(session) == ["First"]
        session.loader.take(step)
    assert titles(session) == ["First, corrected"] and not session.loader.indexing


def test_every_file_removed_clears_the_detail(feed: Path) -> None:
    write_story(feed, "one.txt", title="Only story")
    session, _ = opened(feed)
    assert session.snapshot.detail is not None
    (feed / "one.txt").unlink()
    session.loader.take(session.loader.changed({"one.txt"})())  # type: ignore[misc]
    assert session.snapshot.view == () and session.snapshot.detail is None


def test_a_story_read_in_the_unread_list_stays_until_the_list_is_refreshed(feed: Path) -> None:
    for n in range(3):
        write_story(feed, f"{n}.txt", title=f"Story {n}", quality=90 - n)
    session, _ = opened(feed, config=Config(read_mode="manual"))
    session.navigation.choose(UNREAD)
    before = titles(session)
    session.reading.highlight(session.snapshot.view[1])
    session.toggle_read()
    assert titles(session) == before  # the cursor's story does not vanish under it
    session.navigation.refresh()
    assert titles(session) == ["Story 0", "Story 2"]


def test_a_story_read_in_the_unread_list_stays_when_the_groups_come(feed: Path) -> None:
    for n in range(3):
        write_story(feed, f"{n}.txt", title=f"Story {n}", quality=90 - n)
    session, _ = opened(feed, config=Config(read_mode="manual"))
    session.navigation.choose(UNREAD)
    before = titles(session)
    session.reading.highlight(session.snapshot.view[1])
    session.toggle_read()
    job = session.coverage_job()  # the list is made again with the groups
    assert job is not None
    library, work = job
    session.take_coverage(library, work())
    assert titles(session) == before  # still the marks the list was made with


def test_quitting_before_the_folder_is_loaded_keeps_the_saved_position(tmp_path: Path) -> None:
    first, _ = opened(tmp_path=tmp_path)
    first.navigation.choose(Scope.topic("Water"))
    first.navigation.set_order(Order.NEWEST)
    first.close()
    quitter = Session(TRAIL, state_file=tmp_path / "state.sqlite3", workers=1)
    quitter.loader.open()  # the reader quits before the folder is loaded
    quitter.close()
    third, _ = opened(tmp_path=tmp_path)
    assert third.navigation.scope == Scope.topic("Water") and third.navigation.order is Order.NEWEST


def test_changes_during_an_update_wait_for_it_and_none_are_lost(feed: Path) -> None:
    write_story(feed, "one.txt", title="First", quality=5, webUrl="https://a.example/1")
    session, _ = opened(feed)
    write_story(feed, "two.txt", title="Second", quality=9, webUrl="https://a.example/2")
    first = session.loader.changed({"two.txt"})
    write_story(feed, "three.txt", title="Third", quality=7, webUrl="https://a.example/3")
    assert first is not None and session.loader.changed({"three.txt"}) is None  # waits its turn
    session.loader.take(first())
    second = session.loader.changed()  # the waiting names, on the library that has "two.txt"
    assert second is not None
    session.loader.take(second())
    assert titles(session) == ["Second", "Third", "First"]


def test_an_update_read_onto_a_replaced_library_is_redone(feed: Path) -> None:
    write_story(feed, "one.txt", title="First", quality=5, webUrl="https://a.example/1")
    session, _ = opened(feed)
    write_story(feed, "two.txt", title="Second", quality=9, webUrl="https://a.example/2")
    job = session.loader.changed({"two.txt"})
    assert job is not None
    session.loader.load(reload=True)  # a reload replaced the library meanwhile
    session.loader.take(job())  # dropped: it was read onto the old library
    redo = session.loader.changed()
    assert redo is not None
    session.loader.take(redo())
    assert titles(session) == ["Second", "First"]
