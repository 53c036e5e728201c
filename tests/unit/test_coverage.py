"""Coverage: stories that report one event are grouped, look-alikes of other events are not.

Most tests run on the labelled set in tests/fixtures/coverage: invented story files (feed/) and
labels.toml, which says which files report one event and which look-alike events must stay apart.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.build import load_library
from reader.library.builder import library_of
from reader.library.coverage.groups import Coverage, Group, for_library, group
from reader.library.coverage.text import conflicting, headline, strip_title
from reader.library.library import Library
from reader.library.orders import SORT_KEYS
from reader.model.order import Order
from reader.model.story import Links, Provider, RelatedStory, Story

LABELLED = Path(__file__).parent.parent / "fixtures" / "coverage"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(LABELLED / "feed", workers=1)


@pytest.fixture(scope="module")
def labels() -> dict[str, Any]:
    return tomllib.loads((LABELLED / "labels.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def coverage(library: Library) -> Coverage:
    return for_library(library)


def event_of(library: Library, labels: dict[str, Any]) -> dict[str, str]:
    """Each story's event: its labelled one, or its own path when it stands alone."""
    found = {path: event["name"] for event in labels["event"] for path in event["stories"]}
    return {story.path: found.get(story.path, story.path) for story in library.stories}


def pairs(groups: list[tuple[str, ...]]) -> set[frozenset[str]]:
    return {frozenset(pair) for paths in groups for pair in itertools.combinations(paths, 2)}


# ------------------------------------------------------------------------------ the labelled set


def test_the_labels_name_each_story_of_the_set_once(
    library: Library, labels: dict[str, Any]
) -> None:
    named = [path for event in labels["event"] for path in event["stories"]]
    assert len(named) == len(set(named))
    assert set(named) <= {story.path for story in library.stories}
    assert not library.problems and not library.duplicates
    assert 80 <= len(library) <= 150
    events = {event["name"] for event in labels["event"]}
    assert {name for kind in labels["apart"] for name in kind["events"]} <= events


def test_pair_precision_and_recall_meet_their_targets(
    library: Library, labels: dict[str, Any], coverage: Coverage
) -> None:
    event = event_of(library, labels)
    truth = pairs([tuple(e["stories"]) for e in labels["event"]])
    found = pairs([g.paths for g in coverage.groups()])
    correct = truth & found
    precision = len(correct) / len(found)
    recall = len(correct) / len(truth)
    wrong = sorted(tuple(sorted(event[p] for p in pair)) for pair in found - truth)
    assert precision >= 0.95, wrong
    assert recall >= 0.8


def test_syndicated_copies_join_the_story_they_copy(library: Library, coverage: Coverage) -> None:
    copies = [s for s in library.stories if s.title.startswith(("RE-TRANSMISSION:", "UPDATE:"))]
    assert len(copies) >= 6
    for copy in copies:
        found = coverage.group_of(copy.path)
        assert found is not None, copy.title
        original = copy.title.split(":", 1)[1].strip()
        assert any(library.get(path).title == original for path in found.paths)


def apart(kind: str, library: Library, labels: dict[str, Any], coverage: Coverage) -> None:
    """No group holds stories of two of the events of this look-alike kind; and the kind's
    events reported more than once, if any, are grouped (staying apart is not standing alone)."""
    (entry,) = [a for a in labels["apart"] if a["kind"] == kind]
    names = set(entry["events"])
    event = event_of(library, labels)
    for found in coverage.groups():
        seen = {event[path] for path in found.paths} & names
        assert len(seen) <= 1, f"{kind}: {sorted(seen)} share a group"
    several = [e for e in labels["event"] if e["name"] in names and len(e["stories"]) > 1]
    assert not several or any(coverage.group_of(e["stories"][0]) is not None for e in several)


@pytest.mark.parametrize(
    "kind",
    [
        "release wave",  # of different years
        "monthly call",  # a community call, and the next month's
        "conference year",  # a conference, and next year's
        "preview and general availability",
        "low power apps",  # two products that both target them
        "quarterly results",
        "product version",
        "daily edition",
        "related, separate events",
        "same company, same week",
    ],
)
def test_look_alikes_stay_apart(
    kind: str, library: Library, labels: dict[str, Any], coverage: Coverage
) -> None:
    apart(kind, library, labels, coverage)


def test_undated_stories_stand_alone(library: Library, coverage: Coverage) -> None:
    undated = [s for s in library.stories if s.published is None]
    assert len(undated) == 2  # two explainers with near-identical headlines
    assert all(coverage.group_of(s.path) is None for s in undated)


# --------------------------------------------------------------------------- the groups' shape


def test_a_group_lists_its_best_story_first_in_the_librarys_order(
    library: Library, coverage: Coverage
) -> None:
    key = SORT_KEYS[Order.QUALITY]
    assert len(coverage) >= 20
    for found in coverage.groups():
        stories = [library.get(path) for path in found.paths]
        assert found.paths == tuple(s.path for s in sorted(stories, key=key))
        assert found.best == found.paths[0] and found.size == len(found.paths) >= 2
        for path in found.paths:
            assert coverage.group_of(path) is found
            assert coverage.size(path) == found.size
    alone = [s.path for s in library.stories if coverage.group_of(s.path) is None]
    assert alone and all(coverage.size(path) == 1 for path in alone)
    assert coverage.grouped + len(alone) == len(library)


def test_the_same_stories_in_any_order_give_the_same_groups(
    library: Library, coverage: Coverage
) -> None:
    stories = list(library.stories)
    reference = group(stories)
    assert reference == coverage  # links from the stories' own entries, as the library's
    for seed in range(3):
        random.Random(seed).shuffle(stories)
        assert group(stories) == coverage
        assert for_library(library_of(stories)) == coverage


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_order_of_the_files_gives_the_same_ids(
    library: Library, coverage: Coverage, data: st.DataObject
) -> None:
    stories = data.draw(st.permutations(library.stories))
    shuffled = group(stories, related_ids=library.related_ids, resolve=library._by_url.get)
    assert [(g.id, g.paths) for g in shuffled.groups()] == [
        (g.id, g.paths) for g in coverage.groups()
    ]


def test_rows_give_the_coverage_back_in_any_order(coverage: Coverage) -> None:
    rows = coverage.to_rows()
    assert len(rows) == coverage.grouped
    random.Random(1).shuffle(rows)
    assert Coverage.from_rows(rows) == coverage
    assert Coverage.from_rows([]) == Coverage()
    lonely = Coverage.from_rows([("a.txt", "g1", 0)])  # a group cut down to one story
    assert lonely.group_of("a.txt") is None and len(lonely) == 0


# ------------------------------------------------------------------------------- updates


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_an_update_gives_what_grouping_the_whole_folder_gives(
    library: Library, coverage: Coverage, data: st.DataObject
) -> None:
    paths = [s.path for s in library.stories]
    gone = set(data.draw(st.lists(st.sampled_from(paths), max_size=12, unique=True)))
    before = [s for s in library.stories if s.path not in gone]
    partial = group(before)
    # The files come back: only what they reach is grouped again.
    back = [s for s in library.stories if s.path in gone]
    assert partial.updated(library.stories, added=back) == group(list(library.stories))
    # And they go away again.
    full = group(library.stories)
    assert full.updated(before, removed=gone) == partial


def test_a_changed_headline_leaves_its_group(library: Library, coverage: Coverage) -> None:
    found = next(g for g in coverage.groups() if g.size >= 4)
    path = found.paths[1]
    story = library.get(path)
    assert story is not None
    changed = dataclasses.replace(story, title="Harbour seals return to the Wadden Sea")
    stories = [changed if s.path == path else s for s in library.stories]
    before = group(library.stories)
    after = before.updated(stories, removed=[path], added=[changed])
    assert after == group(stories)
    assert after.group_of(path) is None
    assert after.size(found.paths[0]) == found.size - 1


def test_an_update_that_reaches_nothing_keeps_every_group(
    library: Library, coverage: Coverage
) -> None:
    lone = dated("lone.txt", "Harbour seals return to the Wadden Sea", day=3)
    after = coverage.updated(
        [*library.stories, lone],
        added=[lone],
        related_ids=library.related_ids,
        resolve=library._by_url.get,
    )
    assert after == coverage and after.group_of("lone.txt") is None


# ------------------------------------------------------------------------- small, made-up cases


def dated(
    path: str,
    title: str,
    day: float = 1,
    excerpt: str = "",
    quality: int = 50,
    provider: str = "Meridian Daily",
    url: str = "",
    related: tuple[str, ...] = (),
) -> Story:
    return Story(
        path=path,
        title=title,
        excerpt=excerpt,
        quality=quality,
        published=datetime(2021, 3, 1, tzinfo=timezone.utc) + timedelta(days=day),
        provider=Provider(provider, provider.lower().replace(" ", "") + ".com"),
        links=Links(web=url or f"https://{provider.lower().replace(' ', '')}.com/{path}"),
        related=tuple(RelatedStory(title="", links=Links(web=u)) for u in related),
    )


def test_copies_of_a_headline_a_fortnight_apart_stay_apart() -> None:
    title = "Harrow Rail opens its tunnel under the Severn estuary to freight"
    found = group([dated("a", title, day=1), dated("b", title, day=15)])
    assert len(found) == 0
    found = group([dated("a", title, day=1), dated("b", "RE-TRANSMISSION: " + title, day=2)])
    assert found.size("a") == found.size("b") == 2


def test_a_group_spans_a_few_days_not_a_chain_of_them() -> None:
    title = "Harrow Rail opens its tunnel under the Severn estuary to freight"
    days = {f"day{n}": 2 * n for n in range(6)}  # one copy every two days
    found = group([dated(path, title, day=day) for path, day in days.items()])
    assert len(found) == 2
    for each in found.groups():
        spread = [days[path] for path in each.paths]
        assert max(spread) - min(spread) <= 5


def test_a_related_link_joins_a_rewritten_headline_only_with_shared_names() -> None:
    one = dated(
        "one",
        "Tessaly adds its Wren language model to the Formwork app builder",
        excerpt="Formwork users can describe a formula in plain English and Wren writes it.",
        url="https://a.example/one",
    )
    two = dated(
        "two",
        "Formwork users can now write formulas in plain English, thanks to Wren",
        excerpt="Tessaly is putting its Wren language model inside Formwork, its app builder.",
        url="https://b.example/two",
        related=("https://a.example/one",),
    )
    assert len(group([one, two])) == 1
    unlinked = dataclasses.replace(two, related=())
    assert len(group([one, unlinked])) == 0  # few shared headline words: the link decides


def test_headlines_are_normalised_before_they_are_compared() -> None:
    assert strip_title("RE-TRANSMISSION: Acme Reports Results") == "Acme Reports Results"
    assert strip_title("UPDATE 2: Acme reports results - Reuters") == "Acme reports results"
    assert strip_title("Acme reports results | Northern Ledger", "Northern Ledger") == (
        "Acme reports results"
    )
    kept = "Halvard Business Apps | 2019 release wave 2 overview"
    assert strip_title(kept, "Halvard Learn", "learn.halvard.com") == kept
    story = Story(path="x", title="Nordvik’s NV-32 chip: $1.2B deal", provider=Provider())
    assert headline(story).words == {"nordvik", "nv32", "chip", "1.2", "billion", "deal"}


@pytest.mark.parametrize(
    ("one", "two", "differ"),
    [
        ("2019 release wave 2 overview", "2020 release wave 1 overview", True),
        ("Community call – June 2020", "Community call – July 2020", True),
        ("Vault enters public preview", "Vault is now generally available", True),
        ("Lumo 2 smartwatch", "Lumo 3 smartwatch", True),
        ("Third quarter results", "Q4 results", True),
        ("Daily: Tuesday, June 9", "Daily: Wednesday, June 10", True),
        ("Acme third quarter 2020 results", "Acme Q3 results", False),
        ("Acme raises $30M", "Acme lands $30 million Series B", False),
        ("Kestrel Summit 2021 announced", "Kestrel Summit dates announced", False),
        ("Acme may cut jobs", "Acme cuts jobs in June", False),
    ],
)
def test_markers_tell_look_alikes_apart(one: str, two: str, differ: bool) -> None:
    first = headline(Story(path="a", title=one)).markers
    second = headline(Story(path="b", title=two)).markers
    assert conflicting(first, second) is differ


def test_nothing_to_group() -> None:
    assert group([]) == Coverage() and len(Coverage()) == 0
    assert Coverage().size("a") == 1 and Coverage().group_of("a") is None
    assert Coverage([Group("g", ("a", "b"))]).groups() == (Group("g", ("a", "b")),)


def test_a_library_update_joins_new_files_to_their_groups(library: Library) -> None:
    copies = [s for s in library.stories if s.title.startswith("RE-TRANSMISSION:")]
    before = library_of([s for s in library.stories if s not in copies])
    after = library_of(library.stories)
    previous = for_library(before)
    updated = for_library(after, previous, added=copies)
    assert updated == for_library(after)
    assert all(updated.size(copy.path) >= 2 for copy in copies)
    assert all(previous.group_of(copy.path) is None for copy in copies)
