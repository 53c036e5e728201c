"""An update of a big folder works out only what changed, and gives what indexing it whole gives.

A burst of new files into a watched folder used to index every story again (seconds at
100,000 stories); now the orders take the new stories in and backlinks are redone only where
the change reaches. These tests hold the short way to the long way's answer.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reader.library.library as library_module
from reader.feed.parse import ParseResult, entry_ids
from reader.library.builder import LibraryBuilder
from reader.library.library import Library
from reader.model.order import Order
from reader.model.story import Links, Provider, RelatedStory, Story

# A small world of links, so that stories name each other often and sometimes share a link.
URLS = [f"https://harbourgazette.example/2023/story-{n}" for n in range(8)]
TOPICS = ["Rail", "Ports", "Weather"]
PROVIDERS = [Provider("Harbour Gazette", "harbourgazette.example"), Provider("Tidewatch", "")]

story_rows = st.tuples(
    st.integers(0, 3),  # quality
    st.sampled_from([None, 1, 2]),  # day
    st.sampled_from(["Ferry strike", "ferry strike", "Tide tables", "Quay works"]),
    st.sets(st.sampled_from(TOPICS), max_size=2),
    st.sampled_from(["", *URLS]),  # own link
    st.lists(st.sampled_from(URLS), max_size=3),  # related links
    st.integers(0, 1),  # provider
    st.sampled_from(["", "", *URLS]),  # an AMP mirror's link: another way to the story
)


def make(path: str, row: tuple) -> Story:  # type: ignore[type-arg]
    quality, day, title, topics, url, related, provider, amp = row
    return Story(
        path=path,
        title=title,
        quality=quality,
        published=datetime(2023, 5, day, tzinfo=UTC) if day else None,
        topics=tuple(sorted(topics)),
        provider=PROVIDERS[provider],
        links=Links(web=url, amp=amp),
        related=tuple(RelatedStory(title=f"about {u}", links=Links(web=u)) for u in related),
    )


def built(stories: dict[str, Story]) -> Library:
    builder = LibraryBuilder()
    builder.add(
        ParseResult(story=s, related_ids=entry_ids(s.related)) for _, s in sorted(stories.items())
    )
    return builder.build()


def described(library: Library) -> dict[str, object]:
    """What a reader sees of a library: orders, topics, backlinks, links found, duplicates."""
    return {
        "orders": {o: [s.path for s in library.ordered(o)] for o in Order},
        "positions": {o: list(library.positions(o)) for o in Order},
        "topics": library.topics,
        "providers": library.providers,
        "topic views": {t: [s.path for s in library.view(t)] for t, _ in library.topics},
        "backlinks": {s.path: [b.path for b in library.backlinks(s)] for s in library.stories},
        "found": {u: getattr(library.find(u), "path", None) for u in URLS},
        "kept": sorted({d.kept for d in library.duplicates} & {s.path for s in library.stories}),
    }


@pytest.fixture(params=["small folder", "big folder"])
def size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    # A big folder (past EXTERNAL_MENTIONS_UP_TO) takes the incremental way: make every
    # folder of the test a big one.
    if request.param == "big folder":
        monkeypatch.setattr(library_module, "EXTERNAL_MENTIONS_UP_TO", 0)
    return str(request.param)


# The fixture only sets a module constant, the same for every example.
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.dictionaries(st.sampled_from([f"s{n}.txt" for n in range(12)]), story_rows),
    after=st.dictionaries(st.sampled_from([f"s{n}.txt" for n in range(16)]), story_rows),
    touched=st.sets(st.sampled_from([f"s{n}.txt" for n in range(16)])),
)
def test_an_update_gives_what_a_whole_build_gives(
    size: str,
    before: dict[str, tuple],  # type: ignore[type-arg]
    after: dict[str, tuple],  # type: ignore[type-arg]
    touched: set[str],
) -> None:
    old = {path: make(path, row) for path, row in before.items()}
    # The files `touched` changed (or appeared, or went away); the others are as they were.
    new = {path: s for path, s in old.items() if path not in touched}
    new.update((p, make(p, after[p])) for p in touched if p in after)
    library = built(old)
    # As build.update does: a file that beat another to its link changed, so both are read.
    names = library.with_rivals(touched)
    builder = LibraryBuilder.resume(library, names)
    builder.add(
        ParseResult(story=new[p], related_ids=entry_ids(new[p].related))
        for p in sorted(names)
        if p in new
    )
    updated = builder.build()
    assert described(updated) == described(built(new))


def test_unchanged_stories_stay_the_same_objects() -> None:
    stories = {
        "a.txt": make("a.txt", (3, 1, "Ferry strike", {"Ports"}, URLS[0], [URLS[1]], 0, "")),
        "b.txt": make("b.txt", (2, 2, "Tide tables", {"Weather"}, URLS[1], [], 1, "")),
    }
    library = built(stories)
    builder = LibraryBuilder.resume(library, {"c.txt"})
    builder.add([ParseResult(story=make("c.txt", (1, 1, "Quay works", set(), URLS[2], [], 0, "")))])
    updated = builder.build()
    assert updated.get("a.txt") is library.get("a.txt")
    assert [s.path for s in updated.stories] == ["a.txt", "b.txt", "c.txt"]
    assert library.get("c.txt") is None  # the library handed out earlier is as it was
