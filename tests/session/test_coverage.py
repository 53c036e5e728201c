"""Coverage in the reader session: the same event from different providers, grouped off the
owner's thread, counted in the list, listed in the detail, collapsed, kept in the cache."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

import reader.library.coverage.groups as coverage_module
from reader.platform.config import Config
from reader.session.session import Session
from tests.conftest import FIXTURES

FEED = FIXTURES / "coverage" / "feed"
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
VARENNE_Q4 = {  # one press release and its syndicated copies (labels.toml: varenne-q4-2020)
    "wire/000_2b1833a41eaae837.txt",
    "wire/001_30aed017139c29c4.txt",  # RE-TRANSMISSION:
    "002_99d5c418ce7a9be2.txt",  # ... - Meridian Daily
    "003_3756fdfba8f1fd71.txt",  # ... | Northern Ledger
}
# The same event rewritten ("Varenne's record quarter shows data-centre chips carrying the
# company"): labelled with it, but too far from the headline to be grouped (precision first).
VARENNE_REWRITTEN = "004_66b45b1c091b88c5.txt"
VARENNE_Q3 = "wire/005_3250e66d9f7b1274.txt"  # the quarter before: another event


def grouped_session(tmp_path: Path, **options: object) -> tuple[Session, bool]:
    """A session on the labelled feed, loaded and grouped; whether its groups were cached."""
    session = Session(
        FEED,
        cache_file=tmp_path / "cache.sqlite3",
        state_file=tmp_path / "state.sqlite3",
        clock=lambda: NOW,
        workers=1,
        **options,  # type: ignore[arg-type]
    )
    session.loader.open()
    session.loader.load()
    assert session.snapshot.coverage is None  # grouping waits for its job
    job = session.coverage_job()
    assert job is not None
    library, work = job
    grouped = work()  # what a worker thread runs
    session.take_coverage(library, grouped)
    assert session.coverage_job() is None  # grouped already
    return session, grouped.cached


def story(session: Session, path: str):  # type: ignore[no-untyped-def]
    assert session.loader.library is not None
    found = session.loader.library.get(path)
    assert found is not None
    return found


def test_a_syndicated_event_is_one_group_in_the_list_and_the_detail(tmp_path: Path) -> None:
    session, cached = grouped_session(tmp_path)
    assert not cached
    lead = story(session, "002_99d5c418ce7a9be2.txt")
    assert session.grouping.size(lead) == len(VARENNE_Q4)
    assert session.grouping.size(story(session, VARENNE_Q3)) == 2  # with its own copy only
    assert session.grouping.size(story(session, VARENNE_REWRITTEN)) == 1
    session.reading.highlight(lead)
    detail = session.snapshot.detail
    assert detail is not None and detail.target is lead
    assert {s.path for s in detail.coverage} == VARENNE_Q4 - {lead.path}
    assert detail.providers >= 3
    session.reading.follow(detail.coverage[0])  # followed like a related story
    assert session.snapshot.detail.target is detail.coverage[0]  # type: ignore[union-attr]


def test_collapsing_shows_each_event_once_and_reading_it_reads_the_group(
    tmp_path: Path,
) -> None:
    session, _ = grouped_session(tmp_path, config=Config(read_mode="manual"))
    every = session.snapshot.view
    session.toggle_collapsed()
    collapsed = session.snapshot.view
    assert session.snapshot.status.collapsed
    shown = [s.path for s in collapsed if s.path in VARENNE_Q4]
    assert len(shown) == 1  # the event once, as its best story
    best = max((s for s in every if s.path in VARENNE_Q4), key=lambda s: s.quality)
    assert shown == [best.path]
    assert len(collapsed) < len(every)
    session.reading.highlight(best)
    session.toggle_read()
    assert all(session.marks.is_read(story(session, p)) for p in VARENNE_Q4)
    session.toggle_collapsed()
    assert session.snapshot.view == every


def test_a_warm_start_takes_the_groups_from_the_index_cache(tmp_path: Path) -> None:
    first, _ = grouped_session(tmp_path)
    groups = first.grouping.coverage
    first.close()
    again, cached = grouped_session(tmp_path)
    assert cached and again.grouping.coverage == groups


def test_a_new_copy_joins_its_group_without_everything_being_grouped_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = tmp_path / "feed"
    shutil.copytree(FEED, feed)
    now = [100.0]
    session = Session(
        feed,
        cache_file=tmp_path / "cache.sqlite3",
        clock=lambda: NOW,
        workers=1,
        monotonic=lambda: now[0],
    )
    session.loader.open()
    session.loader.load()
    library, work = session.coverage_job()  # type: ignore[misc]
    session.take_coverage(library, work())
    copy = (feed / "wire/001_30aed017139c29c4.txt").read_text(encoding="utf-8")
    copy = copy.replace("openwiremarkets.com/news/", "tidewire.example/markets/")
    copy = copy.replace("Openwire Markets", "Tidewire Markets")
    (feed / "wire/500_tidewire.txt").write_text(copy, encoding="utf-8")
    update = session.loader.changed({"wire/500_tidewire.txt"})
    assert update is not None
    session.loader.take(update())
    assert session.coverage_job() is None  # more files may be on their way: wait a moment
    now[0] += 2.0

    def everything(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole folder was grouped again")

    monkeypatch.setattr(coverage_module, "group", everything)
    library, work = session.coverage_job()  # type: ignore[misc]
    session.take_coverage(library, work())
    assert session.grouping.size(story(session, "wire/500_tidewire.txt")) == len(VARENNE_Q4) + 1


def test_has_coverage_in_the_search_box_follows_the_groups(tmp_path: Path) -> None:
    session, _ = grouped_session(tmp_path)
    session.navigation.search("has:coverage varenne")
    found = {s.path for s in session.snapshot.view}
    assert found >= VARENNE_Q4 and VARENNE_REWRITTEN not in found
    session.navigation.search("coverage>=4 varenne")
    assert {s.path for s in session.snapshot.view} == VARENNE_Q4
