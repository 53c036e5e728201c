"""The fast head reader either answers exactly what PyYAML's safe loader answers, or steps aside."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.feed import fastyaml
from tests.conftest import FIXTURES


def agrees(text: str) -> Any:
    """fastyaml's answer, checked against the safe loader's whenever it gives one."""
    fast = fastyaml.load(text)
    if fast is not None:
        assert fast == yaml.safe_load(text)
    return fast


def test_reads_a_story_head() -> None:
    text = FIXTURES.joinpath("reference.txt").read_text().split("---\n")[1]
    result = agrees(text)
    assert result is not None
    assert result["title"] == "Harbour cranes learn to read the tide"
    assert result["provider"]["images"][0]["width"] == 50
    assert len(result["related"]) == 3


@pytest.mark.parametrize(
    "text",
    [
        "title: plain words here\nquality: 12\npublished: false\nheat: -1\n",
        'title: "with \\"escapes\\" and \\u00e9"\n',
        "title: 'it''s quoted'\n",
        "date: 2020-06-09T09:33:00Z\nother: 2021-05-01T10:00:00-07:00\n",
        "topics:\n- AI\n- Space\n",
        "topics:\n  - AI\n  -   Space\n",
        "provider:\n  name: X\n  domain: x.org\n",
        "flag: yes\nnothing: ~\nempty:\n",
        "# a comment\ntitle: t # trailing comment\n",
    ],
)
def test_plain_documents_match_the_safe_loader(text: str) -> None:
    agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "topics: [a, b]\n",  # flow collection
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "title: !!python/object/apply:os.system ['true']\n",  # tags
        "body: |\n  block\n",  # block scalar
        'title: "two\n  lines"\n',  # multi-line scalar
        'title: "\\x41"\n',  # a YAML-only escape
        "n: 0x1F\n",  # an int in another base
        "f: 1.5\n",  # a float
        "a: 1\n  b: 2\n",  # bad indentation
        "- a list\n",  # not a mapping
        "a:\tb\n",
    ],
)
def test_anything_else_steps_aside(text: str) -> None:
    assert fastyaml.load(text) is None


FRAGMENTS = st.sampled_from(
    [
        "title: x", "title: 'a''b'", 'title: "q\\"q"', "quality: 12", "quality: -3", "n: 007",
        "heat: 1_000", "ok: yes", "ok: No", "t: 2020-01-02", "t: 2020-01-02T03:04:05+01:00",
        "x:", "  y: 1", "  - a", "- b", "  - k: v", "    k2: v2", "# c", "", "z: a: b",
        "w: [1]", "v: {a: 1}", "u: &a 1", "s: *a", "r: ~", "q: null", "p: 'unterminated",
        'o: "bad \\x"', "n: -", "m: - x", "l: a #c", "k: #c", "\tj: 1", "i: 1.0", "h: .inf",
        "g: :x", "f: ? x", "e: %x", "d: @x", "c: `x", "b: 'x' y", 'a: "x" y', "topics:",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS, max_size=12))
def test_random_documents_never_disagree(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        assert fastyaml.load(text) is None
        return
    fast = fastyaml.load(text)
    if fast is not None:
        assert fast == expected


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=30),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.from_regex(r"[a-z]{1,5}", fullmatch=True), inner, max_size=3)
            ),
            max_leaves=8,
        ),
        min_size=1,
    )
)
def test_dumped_mappings_read_back_the_same(data: dict[str, Any]) -> None:
    for style in ({}, {"default_style": '"'}, {"indent": 4}):
        text = yaml.safe_dump(data, default_flow_style=False, allow_unicode=True, **style)
        fast = fastyaml.load(text)
        if fast is not None:
            assert fast == data
