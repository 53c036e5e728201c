"""Property tests: no input, however broken, makes the parser raise or leak control characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.feed.parse import parse_story
from reader.model.text import clean_line, clean_text

CONTROL = {chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]}


def visible_strings(result_story: object) -> list[str]:
    story = result_story
    strings = [story.title, story.excerpt, story.body, story.provider.name, *story.topics]  # type: ignore[attr-defined]
    for entry in story.related:  # type: ignore[attr-defined]
        strings += [entry.title, entry.excerpt, entry.provider.name]
    return strings


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = parse_story(data, "fuzz.txt")
    assert (result.story is None) != (result.problem is None)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=1500))
def test_arbitrary_front_matter_never_raises(data: bytes) -> None:
    result = parse_story(b"---\n" + data + b"\n---\n", "fuzz.txt")
    assert (result.story is None) != (result.problem is None)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["title", "excerpt", "topics", "provider", "related", "quality"]),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.sampled_from(["title", "name", "webUrl"]), inner, max_size=3)
            ),
            max_leaves=12,
        ),
    )
)
def test_any_field_shape_gives_a_story_without_control_characters(fields: dict) -> None:  # type: ignore[type-arg]
    import yaml

    data = ("---\n" + yaml.safe_dump(fields) + "---\n").encode()
    result = parse_story(data, "shape.txt")
    assert result.story is not None
    for text in visible_strings(result.story):
        assert not CONTROL & set(text)


@given(st.text())
def test_cleaned_text_has_no_control_characters(text: str) -> None:
    assert not CONTROL & set(clean_line(text))
    assert not CONTROL & set(clean_text(text)) - {"\n"}
    assert "\n" not in clean_line(text)
