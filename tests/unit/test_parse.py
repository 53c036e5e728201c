"""Parsing one story file: every variation of the format, and every kind of bad input."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.feed.parse import parse_story
from reader.model.links import unpack_ids
from reader.model.story import Story
from tests.conftest import FIXTURES, story_text

REFERENCE = FIXTURES / "reference.txt"


def parse_ok(text: str | bytes, path: str = "story.txt") -> Story:
    data = text.encode() if isinstance(text, str) else text
    result = parse_story(data, path)
    assert result.problem is None, result.problem
    assert result.story is not None
    return result.story


def warned_fields(text: str) -> list[str]:
    return [w.field for w in parse_story(text.encode(), "s.txt").warnings]


def problem(data: bytes) -> str:
    result = parse_story(data, "bad.txt")
    assert result.story is None
    assert result.problem is not None and result.problem.path == "bad.txt"
    return result.problem.reason


def test_reference_shaped_story_has_every_field() -> None:
    story = parse_ok(REFERENCE.read_bytes())
    assert story.title == "Harbour cranes learn to read the tide"
    assert story.provider.name == "Tidewater Courier"
    assert story.provider.domain == "tidewatercourier.com"
    assert story.topics == ("Robotics", "Transport")
    assert story.published == datetime(2021, 3, 4, 9, 30, tzinfo=timezone.utc)
    assert story.quality == 75
    assert story.heat is None  # -1 means unknown
    assert story.is_published is False
    assert story.type == "article"
    assert story.url == "https://www.tidewatercourier.com/2021/03/04/harbour-cranes-tide/"
    assert story.links.amp.endswith("/amp/")
    assert len(story.related) == 3
    first = story.related[0]
    assert first.title == "Port authority publishes crane trial results"
    assert first.provider.name == "Quayside Daily"
    assert first.quality == 64
    assert first.published == datetime(2021, 3, 5, 11, 0, tzinfo=timezone.utc)
    assert story.images[0].width == 1200
    assert story.secured.startswith("Zm9yIHRlc3Rz")


def test_crlf_file_parses_like_lf() -> None:
    lf = parse_ok(REFERENCE.read_bytes())
    crlf = parse_ok(REFERENCE.read_bytes().replace(b"\n", b"\r\n"))
    assert crlf == lf


def test_utf8_bom_is_ignored() -> None:
    story = parse_ok(b"\xef\xbb\xbf" + story_text(title="With a BOM").encode())
    assert story.title == "With a BOM"


def test_non_utf8_text_is_kept_with_a_warning() -> None:
    data = story_text(title="Caf\u00e9 owners protest").encode("cp1252")
    result = parse_story(data, "latin.txt")
    assert result.story is not None and result.story.title == "Caf\u00e9 owners protest"
    assert [w.field for w in result.warnings] == ["encoding"]


def test_original_url_is_the_link_when_web_url_is_missing() -> None:
    story = parse_ok(story_text(originalUrl="https://example.org/a"))
    assert story.url == "https://example.org/a"


def test_canonical_link_skips_links_that_are_not_web_links() -> None:
    story = parse_ok(
        story_text(webUrl="javascript:alert(1)", ampWebUrl="https://example.org/a/amp")
    )
    assert story.url == "https://example.org/a/amp"


def test_video_story_keeps_type_and_never_keeps_html() -> None:
    story = parse_ok(
        story_text(type="video", featuredContent='<iframe src="https://v.example/1"></iframe>')
    )
    assert story.is_video
    assert "iframe" not in story.excerpt + story.body


def test_markdown_body_after_front_matter_is_kept() -> None:
    story = parse_ok(story_text(body="\nA *short* body.\n\n- one\n"))
    assert story.body == "A *short* body.\n\n- one"


def test_dates_with_offsets_are_timezone_aware() -> None:
    story = parse_ok("---\ntitle: t\npublishedDateTime: 2021-05-01T10:00:00-07:00\n---\n")
    assert story.published == datetime(2021, 5, 1, 17, 0, tzinfo=timezone.utc)
    assert story.published.utcoffset() == timedelta(hours=-7)


def test_date_given_as_quoted_text_is_parsed() -> None:
    story = parse_ok(story_text(publishedDateTime="2020-06-09T09:33:00Z"))
    assert story.published == datetime(2020, 6, 9, 9, 33, tzinfo=timezone.utc)


def test_unparseable_date_is_empty_with_a_warning() -> None:
    text = story_text(publishedDateTime="last Tuesday")
    assert parse_ok(text).published is None
    assert warned_fields(text) == ["publishedDateTime"]


def test_topics_given_as_text_become_one_topic() -> None:
    text = story_text(topics="Lonely Topic")
    assert parse_ok(text).topics == ("Lonely Topic",)
    assert warned_fields(text) == ["topics"]


def test_topics_are_stripped_and_deduplicated_in_order() -> None:
    story = parse_ok(story_text(topics=[" Space ", "AI", "Space", "", "AI "]))
    assert story.topics == ("Space", "AI")


def test_non_numeric_quality_is_zero_with_a_warning() -> None:
    text = story_text(quality="very high")
    assert parse_ok(text).quality == 0
    assert warned_fields(text) == ["quality"]


def test_numeric_text_quality_is_read() -> None:
    assert parse_ok(story_text(quality="42")).quality == 42


def test_provider_given_as_text_is_its_name() -> None:
    text = story_text(provider="Night Desk")
    assert parse_ok(text).provider.name == "Night Desk"
    assert warned_fields(text) == ["provider"]


def test_related_entries_that_are_not_mappings_are_dropped() -> None:
    text = story_text(related=["just a string", 7, {"title": "Kept", "webUrl": "https://x.org/k"}])
    story = parse_ok(text)
    assert [entry.title for entry in story.related] == ["Kept"]
    assert warned_fields(text) == ["related"]


def test_missing_title_uses_the_file_name() -> None:
    result = parse_story(b"---\nquality: 3\n---\n", "folder/quiet-morning.txt")
    assert result.story is not None and result.story.title == "quiet-morning"
    assert [w.field for w in result.warnings] == ["title"]


def test_published_flag_true_and_false() -> None:
    assert parse_ok(story_text(published=True)).is_published
    assert not parse_ok(story_text(published=False)).is_published


def test_heat_is_kept_when_known() -> None:
    assert parse_ok(story_text(heat=40)).heat == 40


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        (b"Just a note, no front matter.\n", "no front matter"),
        (b"---\ntitle: never closed\n", "not closed"),
        (b"---\ntitle: [unbalanced\n---\n", "YAML error"),
        (b"---\n- a\n- list\n---\n", "a list, not a mapping"),
        (b"---\njust a scalar\n---\n", "a string, not a mapping"),
        (b"---\n---\n", "front matter is empty"),
    ],
)
def test_files_that_cannot_be_stories_are_problems(data: bytes, reason: str) -> None:
    assert reason in problem(data)


def test_python_tags_are_refused_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    data = (f"---\ntitle: !!python/object/apply:os.system\n  - 'touch {marker}'\n---\n").encode()
    assert "YAML error" in problem(data)
    assert not marker.exists()


def test_alias_bomb_loads_in_bounded_time() -> None:
    lines = ["---", "title: Laughs", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 12):
        prior = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([prior] * 9)}]")
    lines += ["topics: *a11", "related: *a11", "excerpt: *a11", "---", ""]
    result = parse_story("\n".join(lines).encode(), "bomb.txt")
    assert result.story is not None
    assert result.story.topics == ()
    assert result.story.related == ()
    assert {w.field for w in result.warnings} == {"topics", "related", "excerpt"}


def test_control_characters_never_reach_the_story() -> None:
    story = parse_ok(
        story_text(
            title="Title\x1b]0;pwned\x07 with \x1b[2J escapes\x9b",
            excerpt="Line one\r\nline\ttwo\x00\x08",
            provider={"name": "Bad\x1bName", "domain": "x.org"},
        )
    )
    for text in (story.title, story.excerpt, story.provider.name):
        assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text)
    assert story.title == "Title]0;pwned with [2J escapes"
    assert story.excerpt == "Line one\nline    two"


def test_deeply_nested_yaml_is_a_problem() -> None:
    data = b"---\ntitle: " + b"[" * 50_000 + b"]" * 50_000 + b"\n---\n"
    result = parse_story(data, "deep.txt")
    assert result.problem is not None or result.story is not None  # never raises


SAMPLE = Path(__file__).resolve().parents[2] / "sample_feed"


@pytest.mark.parametrize(
    "path", [REFERENCE, *sorted(SAMPLE.glob("*.txt"))], ids=lambda p: Path(p).name
)
def test_head_only_parse_matches_the_full_parse_but_for_related(path: Path) -> None:
    data = path.read_bytes()
    full = parse_story(data, path.name)
    head = parse_story(data, path.name, head_only=True)
    assert full.story is not None and head.story is not None
    assert head.story.related == ()
    assert head.story.related_count == len(full.story.related)
    assert head.story.related_loaded is (not full.story.related)
    # Images and the signature are not shown, so the head parse may skip them; every other
    # field is the same.
    assert dataclasses.replace(
        head.story, images=full.story.images, secured=full.story.secured
    ) == dataclasses.replace(full.story, related=())
    assert sorted(unpack_ids(head.related_ids)) == sorted(unpack_ids(full.related_ids))
    assert len(unpack_ids(full.related_ids)) == len(full.story.related)


def test_broken_related_block_keeps_the_story_in_head_only_mode() -> None:
    # The reader still lists the story (its related list says what is wrong when opened);
    # the full parse, which `check` uses, reports the YAML error.
    data = b'---\ntitle: t\nrelated:\n  - title: "open\n---\n'
    head = parse_story(data, "x.txt", head_only=True)
    assert head.story is not None and head.story.title == "t"
    assert head.story.related_count == 1 and not head.story.related_loaded
    full = parse_story(data, "x.txt")
    assert full.problem is not None and "YAML error" in full.problem.reason


def test_raw_control_characters_are_dropped_and_the_story_kept() -> None:
    data = '---\ntitle: "Raw \x1b[2J clear \x9b and \x07 bell"\n---\n'.encode()
    result = parse_story(data, "raw.txt")
    assert result.story is not None
    assert result.story.title == "Raw [2J clear  and  bell".replace("  ", " ")
    assert [w.field for w in result.warnings] == ["text"]


def test_head_only_skips_provider_images_but_keeps_the_keys_after_them() -> None:
    data = (
        b"---\ntitle: t\nprovider:\n  name: Ashfield Post\n  images:\n"
        b'    - url: "https://logo.example/a.png"\n      width: 50\n\n  domain: ashfield.example\n'
        b'topics:\n  - Rail\nrelated:\n  - title: r\n    webUrl: "https://x.example/r"\n---\n'
    )
    head = parse_story(data, "p.txt", head_only=True)
    full = parse_story(data, "p.txt")
    assert head.story is not None and full.story is not None
    assert head.story.provider == full.story.provider
    assert head.story.provider.domain == "ashfield.example"
    assert head.story.topics == ("Rail",) and head.story.related_count == 1
