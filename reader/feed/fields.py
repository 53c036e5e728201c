"""Reading a story's fields from its parsed front matter into a Story, with a warning for each
field that was wrong and got a default (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import PurePosixPath
from typing import Any

from reader.model.story import FieldWarning, Image, Links, Provider, RelatedStory, Story
from reader.model.text import clean_line, clean_text

MAX_TOPICS = 20
MAX_IMAGES = 50
MAX_LINE = 10_000  # characters kept of a one-line field (title, name, link)
MAX_TEXT = 200_000  # characters kept of an excerpt


class FieldReader:
    """Reads the fields a story has, collecting a warning for each wrong one."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.warnings: list[FieldWarning] = []
        self._seen: dict[tuple[int, int], str] = {}

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(FieldWarning(self.path, field, message))

    def story(self, meta: Mapping[Any, Any], body: str, related_count: int | None) -> Story:
        """The story of a front matter; `related_count` says that its related list was left
        out of `meta` (read head-first), and how long it is."""
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
        self.warn(prefix + key, f"expected text, found a {kind_of(value)}; ignored")
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
        shown = clean_line(value)[:40] if isinstance(value, str) else f"a {kind_of(value)}"
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
        self.warn(key, f"expected true or false, found a {kind_of(value)}; using false")
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
            self.warn(prefix + key, f"expected a date, found a {kind_of(value)}; left empty")
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
            self.warn(field, f"expected a mapping, found a {kind_of(value)}; ignored")
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
            self.warn("topics", f"expected a list, found a {kind_of(value)}; ignored")
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
            self.warn("images", f"expected a list, found a {kind_of(value)}; ignored")
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
            self.warn("related", f"expected a list, found a {kind_of(value)}; ignored")
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


def kind_of(value: object) -> str:
    """What a YAML value is, in words: "boolean", "number", "string", "list", "mapping"…"""
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
