"""Choices made inside the reader that outlive it (the theme): a small versioned JSON file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.platform.writing import write_whole

VERSION = 1


def load_settings(file: Path) -> dict[str, Any]:
    """The saved settings, or {} when the file is missing, unreadable or of another version."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return {}
    import json  # only when there is a file (none until a theme is picked)

    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    return data


def save_settings(file: Path, **changes: Any) -> None:
    """Update saved settings; written to a temporary file and renamed, so never half-written."""
    data = load_settings(file)
    data.update(changes, version=VERSION)
    import json

    file.parent.mkdir(parents=True, exist_ok=True)
    write_whole(file, json.dumps(data, indent=2))
