"""An indexed library after a few of its files changed, without indexing the whole folder again.

A burst of new files (a `git pull` into a 100,000-story folder) must not cost what indexing
the whole folder costs, nor hold the interpreter while the screen waits: each order takes the
new stories in by bisection, and backlinks are worked out again only where the change reaches.
Every function here gives exactly what a whole indexing of the same stories gives (the tests
hold them to that).
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress
from typing import Any

from reader.feed.parse import own_ids
from reader.model.links import unpack_ids
from reader.model.story import Story


def without(stories: Sequence[Story], dropped: set[int]) -> list[Story]:
    """`stories` less those whose `id` is in `dropped` (C-level loops: 100,000 in milliseconds)."""
    if not dropped:
        return list(stories)
    gone = map(dropped.__contains__, map(id, stories))
    return list(compress(stories, map(operator.not_, gone)))


def merged(
    kept: list[Story], added: Iterable[Story], key: Callable[[Story], Any]
) -> tuple[Story, ...]:
    """`kept` (sorted by `key`, no two equal) with `added` put in their places.

    Each new story's place is found by bisection: a few key computations per story, where
    sorting everything again would work out every story's key.
    """
    new = sorted(added, key=key)
    if not new:
        return tuple(kept)
    out: list[Story] = []
    start = 0
    for story in new:
        at = bisect.bisect_left(kept, key(story), lo=start, key=key)
        out.extend(kept[start:at])
        out.append(story)
        start = at
    out.extend(kept[start:])
    return tuple(out)


def backlinks_after(
    old: dict[str, tuple[Story, ...]],
    *,
    by_path: dict[str, Story],
    by_url: dict[int, Story],
    related_ids: dict[str, bytes],
    old_by_url: dict[int, Story],
    old_related_ids: dict[str, bytes],
    removed: Sequence[Story],
    added: Sequence[Story],
    rank: dict[int, int],
) -> dict[str, tuple[Story, ...]]:
    """Backlinks (path -> the local stories listing it, in quality order) after `removed`
    went and `added` came, from the `old` backlinks: only the stories the change reaches are
    looked at again.

    Those are the stories that changed, and every story whose related links name one of the
    changed stories' links (found by one set test per story over the packed link ids).
    `rank` is each story's place in the new quality order (by `id`).
    """
    sources = _sources_reached(removed, added, by_path, related_ids)
    targets: set[str] = set()  # the stories whose backlinks are worked out again
    for story in removed:
        targets.add(story.path)
        for key in unpack_ids(old_related_ids.get(story.path, b"")):
            target = old_by_url.get(key)
            if target is not None:
                targets.add(target.path)
    found: dict[str, dict[str, Story]] = {}
    for source in sources.values():
        for key in unpack_ids(related_ids.get(source.path, b"")):
            before = old_by_url.get(key)  # where the link led: it may lead elsewhere now
            if before is not None:
                targets.add(before.path)
            target = by_url.get(key)
            if target is not None and target.path != source.path:
                targets.add(target.path)
                found.setdefault(target.path, {})[source.path] = source
    result = dict(old)
    for path in targets:
        listing: dict[str, Story] = {}
        if path in by_path:
            for source in old.get(path, ()):
                if source.path not in sources and by_path.get(source.path) is source:
                    listing[source.path] = source
            listing.update(found.get(path, {}))
        if listing:
            result[path] = tuple(sorted(listing.values(), key=lambda s: rank[id(s)]))
        else:
            result.pop(path, None)
    return result


def _sources_reached(
    removed: Sequence[Story],
    added: Sequence[Story],
    by_path: dict[str, Story],
    related_ids: dict[str, bytes],
) -> dict[str, Story]:
    """The stories whose related lists a change reaches: the added ones, and every story
    whose related links name a link of a changed story (one set test per story)."""
    changed_ids: set[int] = set()
    for story in chain(removed, added):
        changed_ids.update(unpack_ids(own_ids(story)))
    changed_ids.discard(0)
    sources: dict[str, Story] = {s.path: s for s in added if by_path.get(s.path) is s}
    if changed_ids:
        isdisjoint = changed_ids.isdisjoint
        for path, blob in related_ids.items():
            if not isdisjoint(unpack_ids(blob)):
                source = by_path.get(path)
                if source is not None:
                    sources[path] = source
    return sources


def mentions_of(
    stories: tuple[Story, ...],
    by_url: dict[int, Story],
    related_ids: dict[str, bytes],
    external: bool,
) -> tuple[dict[str, tuple[Story, ...]], dict[int, tuple[Story, ...]]]:
    """(backlinks by path, mentions of external links by link id): one pass over every
    related link, local targets by path, the others by link."""
    local: dict[str, dict[str, Story]] = {}
    others: dict[int, dict[str, Story]] = {}
    for source in stories:
        for key in unpack_ids(related_ids.get(source.path, b"")):
            target = by_url.get(key)
            if target is not None:
                if target.path != source.path:
                    local.setdefault(target.path, {})[source.path] = source
            elif external:
                others.setdefault(key, {})[source.path] = source
    backlinks = {path: tuple(found.values()) for path, found in local.items()}
    return backlinks, {key: tuple(found.values()) for key, found in others.items()}
