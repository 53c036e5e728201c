"""The library: topics, orders and tie-breaks, the URL index, related stories and backlinks."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.feed.parse import ParseResult, entry_ids
from reader.library.builder import LibraryBuilder, library_of
from reader.library.orders import SORT_KEYS
from reader.model.order import Order
from reader.model.story import Links, Provider, RelatedStory, Story


def story(
    path: str,
    quality: int = 50,
    day: int | None = 1,
    title: str | None = None,
    topics: tuple[str, ...] = (),
    url: str = "",
    related: tuple[str, ...] = (),
    heat: int | None = None,
    amp: str = "",
) -> Story:
    return Story(
        path=path,
        title=title or path,
        quality=quality,
        heat=heat,
        published=datetime(2022, 1, day, tzinfo=timezone.utc) if day else None,
        topics=topics,
        provider=Provider(name="P", domain="p.org"),
        links=Links(web=url, amp=amp),
        related=tuple(RelatedStory(title=f"rel {u}", links=Links(web=u)) for u in related),
    )


def paths(stories: tuple[Story, ...]) -> list[str]:
    return [s.path for s in stories]


def test_stories_are_ordered_by_quality_then_newest_then_title() -> None:
    library = library_of(
        [
            story("low", quality=10),
            story("old", quality=80, day=1),
            story("new", quality=80, day=9),
            story("b", quality=80, day=9, title="Bravo"),
            story("a", quality=80, day=9, title="alpha"),
            story("top", quality=99),
        ]
    )
    assert paths(library.stories) == ["top", "a", "b", "new", "old", "low"]


def test_other_orders_and_reverse() -> None:
    library = library_of(
        [
            story("x", quality=10, day=5, title="Zulu", heat=7),
            story("y", quality=90, day=2, title="mike", heat=None),
            story("z", quality=50, day=9, title="Alpha", heat=30),
            story("undated", quality=60, day=None, title="Echo"),
        ]
    )
    assert paths(library.view(order=Order.NEWEST)) == ["z", "x", "y", "undated"]
    assert paths(library.view(order=Order.HEAT)) == ["z", "x", "y", "undated"]
    assert paths(library.view(order=Order.TITLE)) == ["z", "undated", "y", "x"]
    assert paths(library.view(order=Order.TITLE, reverse=True)) == ["x", "y", "undated", "z"]


def test_order_cycles_through_all_four() -> None:
    assert [Order.QUALITY.next(), Order.NEWEST.next(), Order.HEAT.next(), Order.TITLE.next()] == [
        Order.NEWEST,
        Order.HEAT,
        Order.TITLE,
        Order.QUALITY,
    ]


def test_topics_are_counted_and_ordered_by_count_then_name() -> None:
    library = library_of(
        [
            story("1", topics=("Space", "AI")),
            story("2", topics=("AI",)),
            story("3", topics=("Climate", "Space")),
            story("4", topics=("Biotech",)),
        ]
    )
    assert library.topics == (("AI", 2), ("Space", 2), ("Biotech", 1), ("Climate", 1))
    assert paths(library.view(topic="Space")) == ["1", "3"]


def test_story_is_found_by_any_spelling_of_any_of_its_links() -> None:
    library = library_of([story("a", url="https://www.a.org/x/", amp="https://a.org/x/amp")])
    for spelling in ("http://a.org/x", "https://www.a.org/x#top", "https://a.org/x/amp/"):
        found = library.find(spelling)
        assert found is not None and found.path == "a"
    assert library.find("https://a.org/y") is None


def test_related_entries_resolve_to_local_stories_or_stay_external() -> None:
    library = library_of(
        [
            story("a", url="https://a.org/1", related=("http://www.b.org/2/", "https://c.org/3")),
            story("b", url="https://b.org/2"),
        ]
    )
    a = library.get("a")
    assert a is not None
    local, external = a.related
    resolved = library.resolve(local)
    assert resolved is not None and resolved.path == "b"
    assert library.resolve(external) is None


def test_backlinks_list_the_stories_that_mention_one() -> None:
    library = library_of(
        [
            story("a", quality=10, url="https://a.org/1", related=("https://b.org/2",)),
            story("c", quality=90, url="https://c.org/3", related=("https://b.org/2#x",)),
            story("b", url="https://b.org/2", related=("https://b.org/2",)),  # itself: ignored
        ]
    )
    b = library.get("b")
    assert b is not None
    assert paths(library.backlinks(b)) == ["c", "a"]
    a = library.get("a")
    assert a is not None and library.backlinks(a) == ()


def test_two_files_with_one_link_are_one_story_and_reported() -> None:
    library = library_of(
        [
            story("first.txt", quality=20, url="https://a.org/1"),
            story("second.txt", quality=70, url="http://www.a.org/1/"),
            story("other.txt", url="https://a.org/2"),
        ]
    )
    assert sorted(paths(library.stories)) == ["other.txt", "second.txt"]
    assert len(library.duplicates) == 1
    duplicate = library.duplicates[0]
    assert (duplicate.kept, duplicate.dropped) == ("second.txt", "first.txt")


def test_stories_without_links_are_all_kept() -> None:
    library = library_of([story("a"), story("b")])
    assert len(library) == 2 and not library.duplicates


def test_external_entries_know_which_local_stories_mention_them() -> None:
    library = library_of(
        [
            story("a", quality=10, url="https://a.org/1", related=("https://x.org/ext",)),
            story("b", quality=90, url="https://b.org/2", related=("http://www.x.org/ext/",)),
        ]
    )
    a = library.get("a")
    assert a is not None
    assert paths(library.mentions(a.related[0])) == ["b", "a"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),  # quality: few values, so that ties are common
            st.one_of(st.none(), st.integers(1, 3)),  # day
            st.one_of(st.none(), st.integers(-1, 2)),  # heat
            st.sampled_from(["Alpha", "alpha", "Beta", "beta", "Gamma"]),
            st.sets(st.sampled_from(["AI", "Space", "Climate"])),
        ),
        max_size=40,
    )
)
def test_fast_orders_and_topic_views_match_their_definitions(
    rows: list[tuple[int, int | None, int | None, str, set[str]]],
) -> None:
    # Orders are stable sorts of the quality order and topic views are filtered by identity;
    # both must give exactly what sorting by the documented keys and filtering by topic give.
    stories = [
        story(f"s{i:02}", quality=q, day=day, heat=heat, title=title, topics=tuple(sorted(topics)))
        for i, (q, day, heat, title, topics) in enumerate(rows)
    ]
    library = library_of(stories)
    for order in Order:
        expected = sorted(stories, key=SORT_KEYS[order])
        for reverse in (False, True):
            wanted = expected[::-1] if reverse else expected
            assert paths(library.view(order=order, reverse=reverse)) == paths(tuple(wanted))
            for topic in ("AI", "Space", "Nothing"):
                in_topic = tuple(s for s in wanted if topic in s.topics)
                assert paths(library.view(topic, order, reverse)) == paths(in_topic)


def test_a_snapshot_never_changes_after_it_is_handed_out() -> None:
    builder = LibraryBuilder()
    builder.add([ParseResult(story=story("a.txt", quality=5, url="https://a.org/a"))])
    partial = builder.build(final=False)
    builder.add([ParseResult(story=story("b.txt", quality=9, url="https://a.org/b"))])
    final = builder.build(final=True, mentions=False)
    builder.add_related_ids(
        {"b.txt": entry_ids([RelatedStory("A", links=Links("https://a.org/a"))])}
    )
    indexed = builder.finish(final)
    # The partial snapshot knows only what it was built with; the final one has no backlinks.
    assert paths(partial.stories) == ["a.txt"] and partial.get("b.txt") is None
    assert partial.find("https://a.org/b") is None
    assert not final.is_indexed and final.related_ids("b.txt") == b""
    assert paths(indexed.backlinks(indexed.get("a.txt"))) == ["b.txt"]  # type: ignore[arg-type]
    assert indexed.stories is final.stories
