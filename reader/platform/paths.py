"""Every path the reader uses on disk: bundled resources now; config, cache and state later."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent.parent  # the reader package


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


def _sha256_hex(data: bytes) -> str:
    # hashlib's digest from hashlib's own fallback modules, which do not load OpenSSL as
    # hashlib does at import (2 ms of every start).
    for name in ("_sha2", "_sha256"):
        try:
            return str(importlib.import_module(name).sha256(data).hexdigest())
        except ImportError:
            continue
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _folder_id(folder: Path) -> str:
    # One file per feed folder, named after its absolute path (which may not be valid UTF-8).
    return folders_id([folder])


def folders_id(folders: list[Path]) -> str:
    """One name for several feed folders opened together (in the order given)."""
    joined = "\0".join(str(folder.resolve()) for folder in folders)
    return _sha256_hex(joined.encode("utf-8", "surrogateescape"))[:20]


def cache_dir() -> Path:
    """Where the index cache lives ($NEWSREADER_CACHE_DIR, else the user cache directory)."""
    return _user_dir("NEWSREADER_CACHE_DIR", platformdirs.user_cache_dir)


def index_cache(folder: Path) -> Path:
    """The index cache file of one feed folder."""
    return cache_dir() / f"index-{_folder_id(folder)}.sqlite3"


def article_cache() -> Path:
    """The kept articles of every folder, by link (`newsreader fetch`, `t`)."""
    return cache_dir() / "articles.sqlite3"


def config_file() -> Path:
    """The config file ($NEWSREADER_CONFIG, else config.toml in the user config directory)."""
    override = os.environ.get("NEWSREADER_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("newsreader")) / "config.toml"


def data_dir() -> Path:
    """Where reading state lives ($NEWSREADER_DATA_DIR, else the user data directory)."""
    return _user_dir("NEWSREADER_DATA_DIR", platformdirs.user_data_dir)


def state_file(folder: Path) -> Path:
    """The read/starred state of one feed folder."""
    return data_dir() / f"state-{_folder_id(folder)}.sqlite3"


def export_dir() -> Path:
    """Where *Export view* writes ($NEWSREADER_EXPORT_DIR, else the user's downloads
    folder)."""
    override = os.environ.get("NEWSREADER_EXPORT_DIR")
    return Path(override) if override else Path(platformdirs.user_downloads_dir())


def settings_file() -> Path:
    """Choices made in the reader itself (the theme), as versioned JSON."""
    return data_dir() / "settings.json"
