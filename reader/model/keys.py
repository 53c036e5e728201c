"""What a story's read and starred marks (and the saved position) are filed under: its
normalised link, so that a mark follows the story however its link is spelled and whichever
folder holds it; a story without a link, its path. One type, and the only place that knows how
a path's key is spelled."""

from __future__ import annotations

from typing import NewType

from reader.model.links import fast_key
from reader.model.story import Story

StoryKey = NewType("StoryKey", str)
_PATH = "path:"  # the mark of a path's key: a link's never starts so (it has no scheme)


def story_key(story: Story) -> StoryKey:
    """The story's key: its normalised link, else its path."""
    key = fast_key(story.url) if story.url else None
    return StoryKey(key) if key else path_key(story.path)


def path_key(path: str) -> StoryKey:
    """The key of a story without a link, at `path`."""
    return StoryKey(_PATH + path)


def key_path(key: str) -> str | None:
    """The path a story's key names, when it is a path's key (None: a link's)."""
    return key[len(_PATH) :] if key.startswith(_PATH) else None


def behind(key: str, prefix: str) -> StoryKey:
    """A key as the library of several folders files it: a path's key gets the folder's
    `prefix` (its label and a slash); a link's stays as it is."""
    path = key_path(key)
    return StoryKey(key) if path is None else path_key(prefix + path)


def own(key: str, prefix: str) -> StoryKey | None:
    """A key of the library as the folder behind `prefix` files it: a link's as it is, a path's
    without the prefix; None for the path of another folder's story."""
    path = key_path(key)
    if path is None:
        return StoryKey(key)
    return path_key(path[len(prefix) :]) if path.startswith(prefix) else None
