"""Helpers shared by the suite: story files written from fields, in the feed format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent.parent / "shared" / "seed"


def story_text(body: str = "", newline: str = "\n", **fields: Any) -> str:
    """A story file: the fields as YAML front matter between --- lines, then the body."""
    fields.setdefault("title", "Untitled test story")
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
    text = f"---\n{front}---\n{body}"
    return text.replace("\n", newline)


def write_story(folder: Path, name: str, body: str = "", **fields: Any) -> Path:
    """Write one story file under `folder` and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(story_text(body, **fields), encoding="utf-8", newline="")
    return path


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """An empty feed folder to write stories into."""
    folder = tmp_path / "feed"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own cache, data and config locations, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("NEWSREADER_CACHE_DIR", str(folder))
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path_factory.mktemp("config") / "none.toml"))
    return folder


def two_folders(root: Path) -> tuple[Path, Path]:
    """Two folders, `tech` and `world`, with one story in both (the same link)."""
    tech, world = root / "tech", root / "world"
    write_story(
        tech,
        "chips.md",
        title="Chip plant opens",
        webUrl="https://example.org/chips",
        quality=90,
        topics=["Industry"],
        related=[{"title": "Port strike ends", "webUrl": "https://example.org/port"}],
    )
    write_story(
        tech, "shared.md", title="Shared, tech's copy", webUrl="https://example.org/s", quality=40
    )
    write_story(tech, "notes/no-link.md", title="A note without a link", quality=10)
    write_story(
        world,
        "port.md",
        title="Port strike ends",
        webUrl="https://example.org/port",
        quality=70,
        topics=["Trade"],
        related=[{"title": "Chip plant opens", "webUrl": "https://example.org/chips"}],
    )
    write_story(
        world, "shared.md", title="Shared, world's copy", webUrl="https://example.org/s", quality=60
    )
    write_story(world, "notes/no-link.md", title="Another note without a link", quality=5)
    return tech, world
