"""Every path the reader uses on disk: bundled resources now; config, cache and state later."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # Inside a wheel the folder sits in the package; in a source checkout, beside it.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def sample_feed() -> Path:
    """The feed `newsreader` opens when no folder is given."""
    return _bundled("sample_feed")


def styles() -> Path:
    """The folder of .tcss style sheets."""
    return _bundled("styles")


def _user_dir(variable: str, default: Callable[[str], str]) -> Path:
    override = os.environ.get(variable)
    return Path(override) if override else Path(default("newsreader"))


def cache_dir() -> Path:
    """Where the index cache lives ($NEWSREADER_CACHE_DIR, else the user cache directory)."""
    return _user_dir("NEWSREADER_CACHE_DIR", platformdirs.user_cache_dir)


def index_cache(folder: Path) -> Path:
    """The index cache file of one feed folder."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"index-{digest[:20]}.sqlite3"
