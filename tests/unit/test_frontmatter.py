"""The front-matter cutter, the one scalar reader it shares with the YAML reader, and the one
shape of a story however it was read."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reader.feed import fastyaml
from reader.feed.cache import decode, encode
from reader.feed.frontmatter import cut_head, related_ids_of
from reader.feed.parse import parse_story
from reader.model.links import link_id, unpack_ids
from reader.model.story import Links, RelatedStory, Story
from tests.conftest import FIXTURES

SAMPLE = Path(__file__).resolve().parents[2] / "sample_feed"
FILES = [FIXTURES / "reference.txt", *sorted(SAMPLE.glob("*.txt"))]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"https://x.example/a"', "https://x.example/a"),
        ('  "https://x.example/a"  ', "https://x.example/a"),
        ('"https://x.example/\\u0061"', "https://x.example/a"),
        ("'it''s'", "it's"),
        ("https://x.example/a", "https://x.example/a"),
        ("https://x.example/a # a comment", "https://x.example/a"),
        ('"https://x.example/a" # a comment', "https://x.example/a"),
        ("&anchor https://x.example/a", "https://x.example/a"),
        ('"caf\u00e9\u00a0bar"', "caf\u00e9\u00a0bar"),
        ("12", None),
        ("2020-01-02", None),
        ("null", None),
        ("", None),
        ("[a, b]", None),
        ('"unterminated', None),
        ('"bad \\q escape"', None),
        ("*undefined", None),
        ("2020-13-45", None),  # a date out of range
        ("a\u2028b", "a\u2028b"),  # a line break to YAML: left to the safe loader
    ],
)
def test_string_reads_one_value_as_the_safe_loader_does(raw: str, expected: str | None) -> None:
    assert fastyaml.string(raw) == expected


# Text the safe loader's reader accepts (no control characters, surrogates, unassigned code
# points or byte-order marks) and that holds one line.
LINE = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"
    ),
    max_size=30,
)
VALUES = st.one_of(
    LINE,
    LINE.map(lambda s: f'"{s}"'),
    LINE.map(lambda s: f"'{s}'"),
    LINE.map(lambda s: json.dumps(s, ensure_ascii=False)),
    LINE.map(lambda s: json.dumps(s)),
    st.sampled_from(["'a''b'", '"a\\"b"', "a #c", "a#c", "~", "yes", "-1", "1.5", ": x", "- x"]),
)


@settings(max_examples=500, deadline=None)
@given(VALUES)
def test_string_never_disagrees_with_the_safe_loader(raw: str) -> None:
    answers = []
    for loader in (yaml.SafeLoader, fastyaml.LOADER):
        try:
            answers.append(yaml.load(raw.strip(" \t"), Loader=loader))
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            answers.append(None)
    assume(answers[0] == answers[1])  # libyaml alone refuses escaped lone surrogates
    expected = answers[0]
    assert fastyaml.string(raw) == (expected if isinstance(expected, str) else None)


def test_cut_head_leaves_out_the_related_list_images_and_signature() -> None:
    front = (
        b"title: t\nprovider:\n  name: P\n  images:\n    - url: x\n  domain: p.example\n"
        b"images:\n  - url: y\nsecured: abc\nrelated:\n  - title: a\n"
        b'    webUrl: "https://a.example/1"\n  - title: b\n    originalUrl: https://b.example/2\n'
        b"topics:\n  - T\n"
    )
    head, count, links = cut_head(front)
    assert yaml.safe_load(head) == {
        "title": "t",
        "provider": {"name": "P", "domain": "p.example"},
        "topics": ["T"],
    }
    assert count == 2
    assert [fastyaml.string(link.decode()) for link in links] == [
        "https://a.example/1",
        "https://b.example/2",
    ]


def test_related_ids_are_the_links_of_the_related_block() -> None:
    data = (
        b'---\ntitle: t\nrelated:\n  - webUrl: "https://a.example/1" # c\n'
        b"  - webUrl: 'https://b.example/2'\n  - webUrl: 12\n---\n"
    )
    expected = [link_id("https://a.example/1"), link_id("https://b.example/2")]
    assert list(unpack_ids(related_ids_of(data))) == expected


def test_a_related_value_that_is_not_a_block_list_is_read_with_the_head() -> None:
    data = b'---\ntitle: t\nrelated:\n  [{title: r, webUrl: "https://r.example/1"}]\n---\n'
    head = parse_story(data, "flow.txt", head_only=True)
    assert head.story is not None
    assert [entry.url for entry in head.story.related] == ["https://r.example/1"]
    assert head.story.related_count == 1 and head.story.related_loaded
    assert unpack_ids(head.related_ids) == unpack_ids(parse_story(data, "flow.txt").related_ids)


@pytest.mark.parametrize("path", FILES, ids=lambda p: Path(p).name)
def test_a_story_read_head_first_is_the_story_its_cache_row_gives_back(path: Path) -> None:
    head = parse_story(path.read_bytes(), path.name, head_only=True)
    assert head.story is not None
    assert decode(path.name, *encode(head)[:3], {}) == head


def test_a_story_has_one_shape() -> None:
    entry = RelatedStory(title="r", links=Links(web="https://r.example/1"))
    read = Story(path="a", title="A", related=(entry,))
    assert read.related_count == 1 and read.related_loaded
    counted = dataclasses.replace(read, related=())
    assert counted.related_count == 1 and not counted.related_loaded
    assert Story(path="b", title="B").related_loaded  # nothing to read
    with pytest.raises(TypeError):
        Story("c", "C")  # type: ignore[misc]  # by keyword only


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=1500))
def test_a_head_first_read_never_raises(data: bytes) -> None:
    framed = b"---\nrelated:\n" + data + b"\n---\n"
    for raw in (data, framed):
        result = parse_story(raw, "fuzz.txt", head_only=True, related_links=False)
        assert (result.story is None) != (result.problem is None)
        assert isinstance(related_ids_of(raw), bytes)
