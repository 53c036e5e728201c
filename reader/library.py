"""The loaded feed: topics, orders, the URL index, related resolution and backlinks (no Textual)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from reader.links import normalise_url
from reader.story import FieldWarning, Problem, RelatedStory, Story


class Order(StrEnum):
    """The orders the story list can be sorted in; each has a natural direction."""

    QUALITY = "quality"
    NEWEST = "newest"
    HEAT = "heat"
    TITLE = "title"

    def next(self) -> Order:
        """The order after this one, wrapping round."""
        orders = list(Order)
        return orders[(orders.index(self) + 1) % len(orders)]


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Two files holding the same story (same normalised canonical link): one was kept."""

    kept: str
    dropped: str
    url: str


def _timestamp(story: Story) -> float:
    return story.published.timestamp() if story.published else float("-inf")


# Each key sorts ascending; ties fall back to newest first, then title, then path.
_SORT_KEYS: dict[Order, Callable[[Story], tuple[object, ...]]] = {
    Order.QUALITY: lambda s: (-s.quality, -_timestamp(s), s.title.casefold(), s.path),
    Order.NEWEST: lambda s: (-_timestamp(s), -s.quality, s.title.casefold(), s.path),
    Order.HEAT: lambda s: (
        -(s.heat if s.heat is not None else -1),
        -s.quality,
        -_timestamp(s),
        s.title.casefold(),
        s.path,
    ),
    Order.TITLE: lambda s: (s.title.casefold(), -s.quality, s.path),
}


class Library:
    """Every story of a feed, with the indexes the reader needs to browse it."""

    def __init__(
        self,
        stories: Iterable[Story],
        problems: Sequence[Problem] = (),
        warnings: Sequence[FieldWarning] = (),
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=lambda p: p.path))
        self.warnings: tuple[FieldWarning, ...] = tuple(warnings)
        self.duplicates: list[Duplicate] = []
        self._by_url: dict[str, Story] = {}
        kept: dict[str, Story] = {}
        for story in sorted(stories, key=lambda s: s.path):
            key = normalise_url(story.url) if story.url else None
            if key is None:
                kept[story.path] = story
                continue
            earlier = self._by_url.get(key)
            if earlier is None:
                self._by_url[key] = story
                kept[story.path] = story
                continue
            winner, loser = (
                (story, earlier) if story.quality > earlier.quality else (earlier, story)
            )
            self.duplicates.append(Duplicate(kept=winner.path, dropped=loser.path, url=story.url))
            self._by_url[key] = winner
            kept.pop(loser.path, None)
            kept[winner.path] = winner
        self._by_path = kept
        # AMP mirrors find a story too, but never displace another story's canonical link.
        for story in kept.values():
            for url in story.links.all():
                alias = normalise_url(url)
                if alias is not None:
                    self._by_url.setdefault(alias, story)
        self._orders: dict[tuple[Order, bool], tuple[Story, ...]] = {}
        self._backlinks: dict[str, tuple[Story, ...]] | None = None
        self._mentions: dict[str, tuple[Story, ...]] = {}
        self.stories: tuple[Story, ...] = self.ordered(Order.QUALITY)
        counts = Counter(topic for story in self.stories for topic in story.topics)
        self.topics: tuple[tuple[str, int], ...] = tuple(
            sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))
        )
        providers = Counter(story.provider.label for story in self.stories)
        self.providers: tuple[tuple[str, int], ...] = tuple(
            sorted(providers.items(), key=lambda item: (-item[1], item[0].casefold()))
        )

    def __len__(self) -> int:
        return len(self._by_path)

    def ordered(self, order: Order = Order.QUALITY, reverse: bool = False) -> tuple[Story, ...]:
        """Every story in the given order (cached per order)."""
        cached = self._orders.get((order, reverse))
        if cached is None:
            forward = self._orders.get((order, False))
            if forward is None:
                forward = tuple(sorted(self._by_path.values(), key=_SORT_KEYS[order]))
                self._orders[(order, False)] = forward
            cached = forward[::-1] if reverse else forward
            self._orders[(order, reverse)] = cached
        return cached

    def view(
        self, topic: str | None = None, order: Order = Order.QUALITY, reverse: bool = False
    ) -> tuple[Story, ...]:
        """The stories of one topic (or all, when topic is None), in the given order."""
        stories = self.ordered(order, reverse)
        if topic is None:
            return stories
        return tuple(story for story in stories if topic in story.topics)

    def get(self, path: str) -> Story | None:
        """The story read from `path` (relative to the folder), if it was kept."""
        return self._by_path.get(path)

    def find(self, url: str) -> Story | None:
        """The local story reachable under any spelling of `url`."""
        key = normalise_url(url) if url else None
        return self._by_url.get(key) if key else None

    def resolve(self, related: RelatedStory) -> Story | None:
        """The local story a related entry points at, or None when it is external."""
        for url in related.links.all():
            story = self.find(url)
            if story is not None:
                return story
        return None

    def backlinks(self, story: Story) -> tuple[Story, ...]:
        """Local stories that list `story` among their related stories, in quality order."""
        if self._backlinks is None:
            self._index_mentions()
        assert self._backlinks is not None
        return self._backlinks.get(story.path, ())

    def mentions(self, related: RelatedStory) -> tuple[Story, ...]:
        """Local stories that list the (external) related entry, in quality order."""
        if self._backlinks is None:
            self._index_mentions()
        key = normalise_url(related.url) if related.url else None
        return self._mentions.get(key, ()) if key else ()

    def _index_mentions(self) -> None:
        # One pass over every related entry, on first use: local targets by path, others by link.
        local: dict[str, dict[str, Story]] = {}
        external: dict[str, dict[str, Story]] = {}
        for source in self.stories:
            for entry in source.related:
                target = self.resolve(entry)
                if target is not None:
                    if target.path != source.path:
                        local.setdefault(target.path, {})[source.path] = source
                    continue
                key = normalise_url(entry.url) if entry.url else None
                if key:
                    external.setdefault(key, {})[source.path] = source
        self._backlinks = {path: tuple(found.values()) for path, found in local.items()}
        self._mentions = {key: tuple(found.values()) for key, found in external.items()}
