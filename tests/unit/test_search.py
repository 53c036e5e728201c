"""Search: case-insensitive, every word must match somewhere, matches can be highlighted."""

from __future__ import annotations

import tracemalloc

from reader.library.search import SearchIndex, match_spans, texts_of
from reader.model.story import Provider, Story


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
