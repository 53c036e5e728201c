"""Every path the reader uses on disk: bundled resources now; config, cache and state later."""

from __future__ import annotations

from pathlib import Path

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
