"""Turning the bytes of one story file into a Story, or a Problem (pure, no Textual, no I/O).

One path: the cutter (`frontmatter`) finds the front matter, and in a head-first read leaves the
related list out; the YAML reader (`fastyaml.read`) reads it; the field reader (`fields`) builds
the Story.

The YAML reader, and PyYAML behind it, are imported by the first file parsed, not with this
module: a warm start parses nothing before its first screen (the reader's process imports this
module for `ParseResult` and the link ids).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reader.feed.fields import FieldReader, kind_of
from reader.feed.frontmatter import BOM, cut_head, encoding_of, link_digests, split_front_matter
from reader.model.links import link_id, pack_ids
from reader.model.story import FieldWarning, Problem, RelatedStory, Story
from reader.model.text import clean_line, clean_text

if TYPE_CHECKING:
    from yaml import YAMLError

_RAW_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")  # not NEL


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What one file became: a story (maybe with warnings) or a problem."""

    story: Story | None = None
    problem: Problem | None = None
    warnings: tuple[FieldWarning, ...] = ()
    related_ids: bytes = b""  # packed link ids of the related entries (for backlinks)
    link_ids: bytes = b""  # packed ids of the story's own links (`own_ids`), worked out here


def prefixed(result: ParseResult, prefix: str) -> ParseResult:
    """The result with its paths behind `prefix` (a folder's, among several)."""
    if not prefix:
        return result
    story = replace(result.story, path=prefix + result.story.path) if result.story else None
    problem = result.problem
    if problem is not None:
        problem = Problem(prefix + problem.path, problem.reason)
    warnings = tuple(FieldWarning(prefix + w.path, w.field, w.message) for w in result.warnings)
    return replace(result, story=story, problem=problem, warnings=warnings)


def parse_story(
    data: bytes, path: str, *, head_only: bool = False, related_links: bool = True
) -> ParseResult:
    """Parse one story file's bytes; never raises for any input.

    With `head_only`, the story is read head-first (`frontmatter.cut_head`), as the reader
    lists it and the index cache keeps it: no images or signature, which are not shown, and a
    block `related` list counted, not built (a tenth of the cost). The result then has the
    normalised links of its entries, for the URL index, unless `related_links` is False (then
    `frontmatter.related_ids_of` reads them later, if the story is not `related_loaded`).
    """
    try:
        result = _parse(data, path, head_only, related_links)
        if result.problem is not None and "control characters" in result.problem.reason:
            # YAML refuses raw control characters; they would be dropped from what is shown
            # anyway, so drop them and read the story rather than lose it.
            result = _parse(data, path, head_only, related_links, strip_controls=True)
        return result
    except RecursionError:
        return ParseResult(problem=Problem(path, "front matter is nested too deeply"))
    except MemoryError:
        return ParseResult(problem=Problem(path, "front matter is too large to load"))


def _parse(
    data: bytes, path: str, head_only: bool, related_links: bool, strip_controls: bool = False
) -> ParseResult:
    if not data.strip():
        return ParseResult(problem=Problem(path, "empty file"))
    if b"\x00" in data[:8192]:
        return ParseResult(problem=Problem(path, "binary file (contains NUL bytes)"))
    data = data.removeprefix(BOM)
    encoding = encoding_of(data)
    removed = 0

    def text(piece: bytes) -> str:
        nonlocal removed
        decoded = piece.decode(encoding)
        if strip_controls:
            decoded, count = _RAW_CONTROLS.subn("", decoded)
            removed += count
        return decoded

    parts = split_front_matter(data)
    if parts is None:
        if not data.startswith(b"---"):
            return ParseResult(
                problem=Problem(path, "no front matter (file does not start with ---)")
            )
        return ParseResult(problem=Problem(path, "front matter is not closed by a --- line"))
    front, body = parts
    if head_only:
        head, count, links = cut_head(front, related_links)
        result = _parse_front(text(head), text(body), path, encoding, removed, count)
        if result.story is not None or len(head) == len(front):
            return _with_ids(result, None if count is None else link_digests(links, encoding))
        removed = 0  # the head is no story: parse the whole front matter to say what is wrong
    result = _parse_front(text(front), text(body), path, encoding, removed)
    return _with_ids(result, None)


def _with_ids(result: ParseResult, related_ids: bytes | None) -> ParseResult:
    """A parse result with the link ids of its story (and of its related entries, from the
    entries read unless given)."""
    story = result.story
    if story is None:
        return result
    return ParseResult(
        story=story,
        warnings=result.warnings,
        related_ids=entry_ids(story.related) if related_ids is None else related_ids,
        link_ids=own_ids(story),
    )


def _parse_front(
    front: str,
    body: str,
    path: str,
    encoding: str,
    controls: int = 0,
    related_count: int | None = None,
) -> ParseResult:
    """Build the story from the front matter's text; `related_count` says that the related
    list was left out of it (and how long it is)."""
    from reader.feed import fastyaml  # with PyYAML: only once a file is parsed

    try:
        meta = fastyaml.read(front)
    except fastyaml.YAMLError as error:
        return ParseResult(problem=Problem(path, "YAML error: " + _yaml_reason(error)))
    except (ValueError, TypeError, OverflowError) as error:  # e.g. a timestamp out of range
        return ParseResult(problem=Problem(path, "YAML error: " + clean_line(str(error))[:200]))
    if not isinstance(meta, dict):
        kind = "empty" if meta is None else f"a {kind_of(meta)}, not a mapping"
        return ParseResult(problem=Problem(path, f"front matter is {kind}"))
    fields = FieldReader(path)
    if encoding != "utf-8":
        fields.warn("encoding", "file is not valid UTF-8; decoded as cp1252/latin-1")
    if controls:
        fields.warn("text", f"{controls} raw control characters were removed")
    story = fields.story(meta, clean_text(body), related_count)
    return ParseResult(story=story, warnings=tuple(fields.warnings))


def _yaml_reason(error: YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or ""
    context = getattr(error, "context", None) or ""
    reason = clean_line(f"{context} {problem}".strip() or str(error).splitlines()[0])
    if mark is not None:
        reason = f"line {mark.line + 2}: {reason}"  # +1 for 1-based, +1 for the opening ---
    return reason[:200]


def entry_ids(entries: Iterable[RelatedStory]) -> bytes:
    """Link ids of parsed related entries."""
    return pack_ids(n for entry in entries if entry.url and (n := link_id(entry.url)) is not None)


def own_ids(story: Story) -> bytes:
    """Ids of a story's own links, `links.all()` in order (0 for one that is not a web link)."""
    return pack_ids(link_id(url) or 0 for url in story.links.all())
