"""Turning the bytes of one story file into a Story, or a Problem (pure, no Textual, no I/O)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import PurePosixPath
from typing import Any

import yaml

from reader.feed import fastyaml
from reader.model.links import fast_key, key_digest, link_id, pack_ids
from reader.model.story import FieldWarning, Image, Links, Problem, Provider, RelatedStory, Story
from reader.model.text import clean_line, clean_text

try:  # PyYAML's C loader is ~10x faster; both are the *safe* loader.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

MAX_TOPICS = 20
MAX_IMAGES = 50
MAX_LINE = 10_000  # characters kept of a one-line field (title, name, link)
MAX_TEXT = 200_000  # characters kept of an excerpt
# The front matter is found and taken apart as bytes (a tenth of the work of text, for the
# big `related` block); only the pieces that are parsed get decoded.
# A line that starts a new top-level key (or ends the front matter's block values).
_NEXT_TOP_LEVEL = re.compile(rb"\n[^\s#\-]")
_BLOCK_KEY_REST = re.compile(rb"[ \t]*(?:#[^\n]*)?\r?\n")
# `webUrl:` as a key (ampWebUrl and cdnAmpWebUrl spell it with a capital W).
_WEB_URL = re.compile(rb"webUrl:[ \t]*([^\r\n]*)")
_ORIGINAL_URL = re.compile(rb"originalUrl:[ \t]*([^\r\n]*)")
_ITEM = re.compile(rb"^( *)-(?:[ \t]|\r?$)", re.MULTILINE)
_RAW_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")  # not NEL
_OPENING = re.compile(rb"---[ \t]*\r?\n")
_CLOSING = re.compile(rb"\n(?:---|\.\.\.)[ \t]*\r?(?=\n|$)")  # "\n" first: a fast scan
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What one file became: a story (maybe with warnings) or a problem."""

    story: Story | None = None
    problem: Problem | None = None
    warnings: tuple[FieldWarning, ...] = ()
    related_ids: bytes = b""  # packed link ids of the related entries (for backlinks)
    link_ids: bytes = b""  # packed ids of the story's own links (`own_ids`), worked out here


def encoding_of(data: bytes) -> str:
    """How to decode a file: UTF-8, else cp1252, else latin-1 (which reads any bytes)."""
    if data.isascii():
        return "utf-8"
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def split_front_matter(data: bytes) -> tuple[bytes, bytes] | None:
    """Split a file into (front matter, body), or None when it does not open with a closed
    block. The split falls on line breaks, so each part decodes on its own."""
    opening = _OPENING.match(data)
    if opening is None:
        return None
    closing = _CLOSING.search(data, opening.end() - 1)
    if closing is None:
        return None
    return data[opening.end() : max(opening.end(), closing.start())], data[closing.end() :]


def parse_story(
    data: bytes, path: str, *, head_only: bool = False, related_links: bool = True
) -> ParseResult:
    """Parse one story file's bytes; never raises for any input.

    With `head_only`, the `related` list is not built (a tenth of the cost): the story carries
    its count, and the result the normalised links of its entries, for the URL index, unless
    `related_links` is False (then `related_ids_of` reads them later, if the story is not
    `related_loaded`).
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
    data = data.removeprefix(_BOM)
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
    related = _related_block(front, related_links) if head_only else None
    if related is not None:
        start, end, count, links = related
        head = front[:start] + front[end:]
        # Neither images (the story's or its provider's) nor the signature are shown: not
        # worth parsing or keeping here.
        for find, key in (
            (_top_level_block, b"images"),
            (_provider_images, b"images"),
            (_top_level_line, b"secured"),
        ):
            cut = find(head, key)
            if cut is not None:
                head = head[: cut[0]] + head[cut[1] :]
        head_text, body_text = text(head), text(body)
        result = _parse_front(head_text, body_text, path, encoding, removed, count)
        if result.story is not None:  # else: parse the whole front matter to say what is wrong
            story = result.story
            return ParseResult(
                story=story,
                warnings=result.warnings,
                related_ids=_link_digests(links, encoding),
                link_ids=own_ids(story),
            )
        removed = 0
    front_text, body_text = text(front), text(body)
    result = _parse_front(front_text, body_text, path, encoding, removed)
    if result.story is None:
        return result
    story = result.story
    return ParseResult(
        story=story,
        warnings=result.warnings,
        related_ids=entry_ids(story.related),
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
    try:
        meta = fastyaml.load(front)  # the plain subset, quickly; else the safe loader
        if meta is None:
            meta = yaml.load(front, Loader=_Loader)
    except yaml.YAMLError as error:
        return ParseResult(problem=Problem(path, "YAML error: " + _yaml_reason(error)))
    except (ValueError, TypeError, OverflowError) as error:  # e.g. a timestamp out of range
        return ParseResult(problem=Problem(path, "YAML error: " + clean_line(str(error))[:200]))
    if not isinstance(meta, dict):
        kind = "empty" if meta is None else f"a {_kind(meta)}, not a mapping"
        return ParseResult(problem=Problem(path, f"front matter is {kind}"))
    fields = _Fields(path)
    if encoding != "utf-8":
        fields.warn("encoding", "file is not valid UTF-8; decoded as cp1252/latin-1")
    if controls:
        fields.warn("text", f"{controls} raw control characters were removed")
    story = fields.story(meta, clean_text(body), related_count)
    return ParseResult(story=story, warnings=tuple(fields.warnings))


def _yaml_reason(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or ""
    context = getattr(error, "context", None) or ""
    reason = clean_line(f"{context} {problem}".strip() or str(error).splitlines()[0])
    if mark is not None:
        reason = f"line {mark.line + 2}: {reason}"  # +1 for 1-based, +1 for the opening ---
    return reason[:200]


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


class _Fields:
    """Reads the fields a story has, collecting a warning for each wrong one."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.warnings: list[FieldWarning] = []
        self._seen: dict[tuple[int, int], str] = {}

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(FieldWarning(self.path, field, message))

    def story(self, meta: Mapping[Any, Any], body: str, related_count: int | None) -> Story:
        title = self.line(meta, "title")
        if not title:
            title = clean_line(PurePosixPath(self.path).stem) or self.path
            self.warn("title", "missing or empty; using the file name")
        heat = self.integer(meta, "heat", None)
        related = self.related(meta.get("related"))
        return Story(
            path=self.path,
            title=title,
            excerpt=self.text(meta, "excerpt"),
            body=body,
            published=self.timestamp(meta, "publishedDateTime"),
            type=self.line(meta, "type").lower() or "article",
            quality=self.integer(meta, "quality", 0) or 0,
            heat=None if heat is None or heat < 0 else heat,
            is_published=self.flag(meta, "published"),
            category=self.line(meta, "category"),
            provider=self.provider(meta.get("provider"), "provider"),
            topics=self.topics(meta.get("topics")),
            images=self.images(meta.get("images")),
            related=related,
            links=self.links(meta, ""),
            secured=self.raw_string(meta, "secured"),
            related_count=len(related) if related_count is None else related_count,
            related_loaded=related_count is None,
        )

    # -- scalars -------------------------------------------------------------------------------

    def raw_string(self, meta: Mapping[Any, Any], key: str, prefix: str = "") -> str:
        value = meta.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float | datetime | date):
            return str(value)
        self.warn(prefix + key, f"expected text, found a {_kind(value)}; ignored")
        return ""

    def line(self, meta: Mapping[Any, Any], key: str, prefix: str = "") -> str:
        return self._cleaned(self.raw_string(meta, key, prefix), clean_line, MAX_LINE)

    def text(self, meta: Mapping[Any, Any], key: str, prefix: str = "") -> str:
        return self._cleaned(self.raw_string(meta, key, prefix), clean_text, MAX_TEXT)

    def _cleaned(self, value: str, clean: Callable[[str], str], limit: int) -> str:
        # YAML aliases hand the same string object to many fields: clean each object once,
        # and cap its length, so an alias bomb costs no more than the file's own size.
        key = (id(value), limit)
        cached = self._seen.get(key)
        if cached is None:
            cached = self._seen[key] = clean(value[:limit])
        return cached

    def integer(
        self, meta: Mapping[Any, Any], key: str, default: int | None, prefix: str = ""
    ) -> int | None:
        value = meta.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            self.warn(prefix + key, f"expected a number, found {value}; using {default}")
            return default
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value == value and abs(value) < 1e18:
            return round(value)
        if isinstance(value, str):
            try:
                return int(float(value.strip()))
            except (ValueError, OverflowError):
                pass
        shown = clean_line(value)[:40] if isinstance(value, str) else f"a {_kind(value)}"
        self.warn(prefix + key, f"not a number ({shown!r}); using {default}")
        return default

    def flag(self, meta: Mapping[Any, Any], key: str) -> bool:
        value = meta.get(key)
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in (
            "true",
            "yes",
            "1",
            "false",
            "no",
            "0",
        ):
            return value.strip().lower() in ("true", "yes", "1")
        if isinstance(value, int):
            return value != 0
        self.warn(key, f"expected true or false, found a {_kind(value)}; using false")
        return False

    def timestamp(self, meta: Mapping[Any, Any], key: str, prefix: str = "") -> datetime | None:
        value = meta.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                self.warn(prefix + key, f"not a date ({clean_line(value)[:40]!r}); left empty")
                return None
        else:
            self.warn(prefix + key, f"expected a date, found a {_kind(value)}; left empty")
            return None
        if moment.tzinfo is None:  # dates without an offset are taken as UTC
            moment = moment.replace(tzinfo=UTC)
        return moment

    # -- structures ----------------------------------------------------------------------------

    def links(self, meta: Mapping[Any, Any], prefix: str) -> Links:
        return Links(
            web=self.line(meta, "webUrl", prefix),
            original=self.line(meta, "originalUrl", prefix),
            amp=self.line(meta, "ampWebUrl", prefix),
            cdn_amp=self.line(meta, "cdnAmpWebUrl", prefix),
        )

    def provider(self, value: object, field: str) -> Provider:
        if value is None:
            return Provider()
        if isinstance(value, str):
            self.warn(field, "given as plain text; taken as the provider's name")
            return Provider(name=clean_line(value))
        if not isinstance(value, dict):
            self.warn(field, f"expected a mapping, found a {_kind(value)}; ignored")
            return Provider()
        return Provider(
            name=self.line(value, "name", field + "."),
            domain=self.line(value, "domain", field + "."),
        )

    def topics(self, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            self.warn("topics", "given as text, not a list; taken as one topic")
            value = [value]
        if not isinstance(value, list):
            self.warn("topics", f"expected a list, found a {_kind(value)}; ignored")
            return ()
        topics: dict[str, None] = {}
        skipped = 0
        for item in value:
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                name = clean_line(str(item))
                if name:
                    topics.setdefault(name, None)
                    if len(topics) >= MAX_TOPICS:
                        break
                    continue
            skipped += 1
        if skipped:
            self.warn("topics", f"entries that are not text were dropped: {skipped}")
        if len(value) > MAX_TOPICS and len(topics) >= MAX_TOPICS:
            self.warn("topics", f"more than {MAX_TOPICS} topics; the rest were dropped")
        return tuple(topics)

    def images(self, value: object) -> tuple[Image, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.warn("images", f"expected a list, found a {_kind(value)}; ignored")
            return ()
        images = []
        for item in value[:MAX_IMAGES]:
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                images.append(
                    Image(
                        url=self.line(item, "url", "images."),
                        width=_maybe_int(item.get("width")),
                        height=_maybe_int(item.get("height")),
                        title=clean_line(item["title"])
                        if isinstance(item.get("title"), str)
                        else "",
                    )
                )
        return tuple(images)

    def related(self, value: object) -> tuple[RelatedStory, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.warn("related", f"expected a list, found a {_kind(value)}; ignored")
            return ()
        entries = []
        dropped = 0
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                dropped += 1
                continue
            prefix = f"related[{index}]."
            title = self.line(item, "title", prefix)
            links = self.links(item, prefix)
            if not title:
                title = links.canonical or "(untitled)"
            entries.append(
                RelatedStory(
                    title=title,
                    excerpt=self.text(item, "excerpt", prefix),
                    published=self.timestamp(item, "publishedDateTime", prefix),
                    links=links,
                    type=self.line(item, "type", prefix).lower() or "article",
                    provider=self.provider(item.get("provider"), prefix + "provider"),
                    quality=self.integer(item, "quality", None, prefix),
                )
            )
        if dropped:
            self.warn("related", f"entries that are not mappings were dropped: {dropped}")
        return tuple(entries)


def _maybe_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _top_level_block(front: bytes, key: bytes) -> tuple[int, int] | None:
    """Where the top-level `key:` with a block value sits in the front matter, or None."""
    if front.startswith(key + b":"):
        start = 0
    else:
        start = front.find(b"\n" + key + b":") + 1
        if start == 0:
            return None
    rest = _BLOCK_KEY_REST.match(front, start + len(key) + 1)
    if rest is None:  # a value on the same line (flow style, alias): not a block
        return None
    following = _NEXT_TOP_LEVEL.search(front, rest.end() - 1)
    return start, following.start() + 1 if following else len(front)


def _top_level_line(front: bytes, key: bytes) -> tuple[int, int] | None:
    """Where a top-level `key: value` on one line sits (followed by another top-level line)."""
    start = 0 if front.startswith(key + b":") else front.find(b"\n" + key + b":") + 1
    if start == 0 and not front.startswith(key + b":"):
        return None
    end = front.find(b"\n", start)
    if end == -1:
        return start, len(front)
    if front[end + 1 : end + 2] in (b" ", b"\t"):  # the value goes on: leave it to the parser
        return None
    return start, end + 1


def _provider_images(front: bytes, key: bytes) -> tuple[int, int] | None:
    """Where the `images:` block inside the top-level `provider:` block sits, or None."""
    provider = _top_level_block(front, b"provider")
    if provider is None:
        return None
    start = front.find(b"\n", provider[0]) + 1
    while 0 < start < provider[1]:
        end = front.find(b"\n", start) + 1 or len(front)
        line = front[start:end]
        content = line.lstrip(b" ")
        if content.startswith(key + b":"):
            indent = len(line) - len(content)
            stop = end  # the block goes on while lines are indented deeper
            while stop < provider[1]:
                following = front.find(b"\n", stop) + 1 or len(front)
                rest = front[stop:following]
                if rest.strip() and len(rest) - len(rest.lstrip(b" ")) <= indent:
                    break
                stop = following
            return start, min(stop, provider[1])
        start = end
    return None


def related_ids_of(data: bytes) -> bytes:
    """The link ids of a story file's `related:` block, read without building its entries
    (the second half of a head-first parse without `related_links`); b"" if there are none."""
    data = data.removeprefix(_BOM)
    parts = split_front_matter(data)
    related = _related_block(parts[0]) if parts is not None else None
    return _link_digests(related[3], encoding_of(data)) if related is not None else b""


def _related_block(front: bytes, links: bool = True) -> tuple[int, int, int, list[bytes]] | None:
    """The top-level `related:` block of the front matter, read for the list without building
    its entries: (start, end, number of entries, their raw webUrl/originalUrl values, unless
    not `links`)."""
    found = _top_level_block(front, b"related")
    if found is None:
        return None
    start, end = found
    block = front[start:end]
    first = _ITEM.search(block)
    # The block starts with `related:`, so every item follows a newline; at the items'
    # indentation nothing else can start with a dash.
    count = block.count(b"\n" + first.group(1) + b"-") if first else 0
    if not links:
        return start, end, count, []
    values = _WEB_URL.findall(block)
    if b"originalUrl:" in block:
        values += _ORIGINAL_URL.findall(block)
    return start, end, count, values


def _unquote(raw: str) -> str:
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        inner = raw[1:-1]
        if "\\" not in inner:
            return inner
        try:
            value = json.loads(raw)
        except ValueError:
            return ""
        return value if isinstance(value, str) else ""
    if raw.startswith("'") and raw.endswith("'") and len(raw) >= 2:
        return raw[1:-1].replace("''", "'")
    return raw.split(" #", 1)[0]


def _link_digests(values: list[bytes], encoding: str) -> bytes:
    """Packed link ids of raw (maybe quoted) link values from a `related:` block."""
    digests = []
    for value in values:
        key = fast_key(_unquote(value.decode(encoding).rstrip()))
        if key is not None:
            digests.append(key_digest(key))
    return b"".join(digests)


def entry_ids(entries: Iterable[RelatedStory]) -> bytes:
    """Link ids of parsed related entries."""
    return pack_ids(n for entry in entries if entry.url and (n := link_id(entry.url)) is not None)


def own_ids(story: Story) -> bytes:
    """Ids of a story's own links, `links.all()` in order (0 for one that is not a web link)."""
    return pack_ids(link_id(url) or 0 for url in story.links.all())
