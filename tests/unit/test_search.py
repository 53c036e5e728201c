"""Search: the query language over an index of folded texts; matches can be highlighted."""

from __future__ import annotations

import tracemalloc
from contextlib import suppress

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.query.compiled import QueryContext, QueryError, compile_query
from reader.library.search import SearchIndex, match_spans, query_words, texts_of
from reader.model.story import Links, Provider, Story


def story(title: str, excerpt: str, provider: str, domain: str, topic: str) -> Story:
    return Story(
        path=title,
        title=title,
        excerpt=excerpt,
        provider=Provider(provider, domain),
        topics=(topic,),
    )


STORIES = (
    story("Harbour cranes learn the tide", "Quay trial", "Tidewater", "tidewater.com", "Robotics"),
    story(
        "Ferries return", "Night crossing is back", "Quayside Daily", "quayside.net", "Transport"
    ),
    story("Glacier retreats", "Survey of the ice", "Atlas Wire", "atlas.example", "Climate"),
)


def titles(found: tuple[Story, ...]) -> list[str]:
    return [s.title for s in found]


def test_each_field_is_searched_case_insensitively() -> None:
    index = SearchIndex()
    assert titles(index.filter(STORIES, "TIDE")) == ["Harbour cranes learn the tide"]
    assert titles(index.filter(STORIES, "crossing")) == ["Ferries return"]
    assert titles(index.filter(STORIES, "atlas wire")) == ["Glacier retreats"]
    assert titles(index.filter(STORIES, "quayside.net")) == ["Ferries return"]
    assert titles(index.filter(STORIES, "climate")) == ["Glacier retreats"]


def test_every_word_must_match_somewhere() -> None:
    index = SearchIndex()
    assert titles(index.filter(STORIES, "quay robotics")) == ["Harbour cranes learn the tide"]
    assert titles(index.filter(STORIES, "quay climate")) == []
    assert len(index.filter(STORIES, "   ")) == 3


def test_matches_are_found_for_highlighting() -> None:
    assert match_spans("Harbour Cranes learn the tide", ["cranes", "tide"]) == [(8, 14), (25, 29)]
    assert match_spans("anything", []) == []


def test_the_same_view_adopted_again_keeps_the_index_flat() -> None:
    # Each `/` hands the view's texts over again (issue 14): nothing new is kept.
    index = SearchIndex()
    index.adopt(STORIES, texts_of(STORIES))
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        for _ in range(1000):
            index.adopt(STORIES, texts_of(STORIES))
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert end - start < 4_000, f"{end - start:,} bytes more after 1,000 adoptions"
    assert titles(index.filter(STORIES, "tide")) == ["Harbour cranes learn the tide"]


# -- the query language in the `/` box -------------------------------------------------------

LINKED = (
    Story(
        path="a",
        title="Harbour cranes learn the tide",
        excerpt="Quay trial at the café",
        provider=Provider("Tidewater", "tidewater.com"),
        topics=("Robotics",),
        quality=120,
        links=Links(web="https://www.tidewater.com/cranes"),
    ),
    Story(
        path="b",
        title="Ferries return to Zürich",
        excerpt="Night crossing is back",
        provider=Provider("Quayside Daily", "quayside.net"),
        topics=("Transport",),
        quality=80,
        links=Links(web="https://Quayside.NET:8443/ferries"),
    ),
    Story(
        path="c",
        title="Glacier retreats",
        excerpt="Survey of the ice",
        provider=Provider("Atlas Wire", "atlas.example"),
        topics=("Climate", "Transport"),
        quality=200,
        type="video",
    ),
)


def test_the_index_answers_the_query_language() -> None:
    index = SearchIndex()
    assert titles(index.filter(LINKED, "cafe")) == ["Harbour cranes learn the tide"]
    assert titles(index.filter(LINKED, "zurich -type:video")) == ["Ferries return to Zürich"]
    assert titles(index.filter(LINKED, "topic:transport quality>=100")) == ["Glacier retreats"]
    assert titles(index.filter(LINKED, "domain:quayside OR domain:tidewater.com")) == [
        "Harbour cranes learn the tide",
        "Ferries return to Zürich",
    ]
    assert titles(index.filter(LINKED, "title:quay")) == []
    assert titles(index.filter(LINKED, "provider:quay")) == ["Ferries return to Zürich"]


def test_a_bad_query_keeps_the_last_result() -> None:
    index = SearchIndex()
    assert titles(index.filter(LINKED, "glacier")) == ["Glacier retreats"]
    assert titles(index.filter(LINKED, 'glacier "ice')) == ["Glacier retreats"]  # quote open
    assert titles(index.filter(LINKED, 'glacier "ice"')) == ["Glacier retreats"]
    assert titles(SearchIndex().filter(LINKED, "nosuch:field")) == titles(LINKED)
    assert query_words('glacier "ice') == []
    assert query_words('glacier "sea ice" -tide') == ["glacier", "sea ice"]


TYPED = st.lists(
    st.sampled_from(
        [
            "harbour",
            "tide",
            "ti",
            "quay",
            "-tid",
            "title:cr",
            "provider:at",
            "domain:quay",
            "topic:transport",
            '"night cross',
            "OR",
            "(ferries",
            ")",
            "is:unread",
            "cafe",
            "z",
        ]
    ),
    max_size=5,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(TYPED, st.lists(st.booleans(), min_size=80, max_size=80))
def test_typing_on_gives_what_a_fresh_search_would(typed: str, flips: list[bool]) -> None:
    # The index narrows the previous result while typing on; the marks may change meanwhile.
    index = SearchIndex()
    read: set[str] = set()
    last: tuple[Story, ...] = LINKED
    for n in range(len(typed) + 1):
        if flips[n % len(flips)]:
            read ^= {LINKED[n % len(LINKED)].path}
        context = QueryContext(is_read=lambda s, seen=frozenset(read): s.path in seen)
        result = index.filter(LINKED, typed[:n], context)
        with suppress(QueryError):  # a bad query: the index keeps the last good result
            last = compile_query(typed[:n]).filter(LINKED, context)
        assert result == last


def test_matches_are_found_through_accents_and_case() -> None:
    assert match_spans("Ferries return to Zürich", ["zurich"]) == [(18, 24)]
    assert match_spans("CAFÉ Straße", ["cafe", "strasse"]) == [(0, 4), (5, 11)]
    assert match_spans("the tide, the tide", ["tide", "the t"]) == [(0, 8), (10, 18)]
    assert match_spans("a.*b", [".*"]) == [(1, 3)]  # no pattern: the characters themselves


def test_a_story_marked_unread_while_typing_comes_back() -> None:
    index = SearchIndex()
    first = QueryContext(is_read=lambda s: s.path == "a")
    assert titles(index.filter(LINKED, "is:unread", first)) == titles(LINKED[1:])
    # The mark is undone, then the query typed on: the earlier result must not be narrowed.
    assert titles(index.filter(LINKED, "is:unread", QueryContext())) == titles(LINKED)
    assert titles(index.filter(LINKED, "is:unread t", QueryContext())) == titles(LINKED)
