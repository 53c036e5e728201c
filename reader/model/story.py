"""The story model: frozen dataclasses with no I/O and no Textual."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Provider:
    """Who published a story."""

    name: str = ""
    domain: str = ""

    @property
    def label(self) -> str:
        """The name to show: the provider's name, else its domain, else a placeholder."""
        return self.name or self.domain or "unknown provider"


@dataclass(frozen=True, slots=True)
class Image:
    """One picture attached to a story (carried, not shown)."""

    url: str
    width: int | None = None
    height: int | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class Links:
    """The links a story carries; `canonical` is the first usable web link among them."""

    web: str = ""
    original: str = ""
    amp: str = ""
    cdn_amp: str = ""

    @property
    def canonical(self) -> str:
        """The first of webUrl, originalUrl, ampWebUrl, cdnAmpWebUrl that is an http(s) URL."""
        for url in (self.web, self.original, self.amp, self.cdn_amp):
            if url[:8].lower().startswith(("http://", "https://")):
                return url
        return ""

    def all(self) -> tuple[str, ...]:
        """Every non-empty link, canonical first."""
        return tuple(u for u in (self.web, self.original, self.amp, self.cdn_amp) if u)


@dataclass(frozen=True, slots=True)
class RelatedStory:
    """An entry of a story's `related` list: another story on the same event."""

    title: str
    excerpt: str = ""
    published: datetime | None = None
    links: Links = field(default_factory=Links)
    type: str = "article"
    provider: Provider = field(default_factory=Provider)
    quality: int | None = None

    @property
    def url(self) -> str:
        """The entry's canonical link, or an empty string."""
        return self.links.canonical


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """One story file of a feed folder, as shown to the reader.

    Built by keyword only. `related_count` is always how many related entries the file has;
    `related` holds them once they are read, and is empty while they are not (big folders are
    read head-first, and a story's related list read when it is opened: see `related_loaded`).
    """

    path: str  # relative to the feed folder, with forward slashes; unique within a library
    title: str
    excerpt: str = ""
    body: str = ""
    published: datetime | None = None
    type: str = "article"
    quality: int = 0
    heat: int | None = None  # None when unknown (-1 in the file)
    is_published: bool = False
    category: str = ""
    provider: Provider = field(default_factory=Provider)
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[RelatedStory, ...] = ()
    links: Links = field(default_factory=Links)
    secured: str = field(default="", repr=False)  # opaque signature: carried, never shown
    related_count: int = 0  # at least len(related): a story built with entries counts them

    def __post_init__(self) -> None:
        if len(self.related) > self.related_count:
            object.__setattr__(self, "related_count", len(self.related))

    @property
    def related_loaded(self) -> bool:
        """Whether `related` holds every entry the file has (else read them on demand:
        `reader.feed.load.read_related`)."""
        return len(self.related) == self.related_count

    @property
    def url(self) -> str:
        """The story's canonical link, or an empty string."""
        return self.links.canonical

    @property
    def is_video(self) -> bool:
        """Whether the story is a video."""
        return self.type == "video"


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not become a story."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class FieldWarning:
    """A field that was wrong and got a default; the story itself still loaded."""

    path: str
    field: str
    message: str


Target = Story | RelatedStory  # what the detail pane can show: a local story or an external one
