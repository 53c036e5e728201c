"""Helpers shared by the suite: story files written from fields, in the feed format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.article.server import Site

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
    """Two folders, `tech` and `world`, whose lead stories list each other as related, with one
    story in both (the same link: world's copy is better) and one without a link in each."""
    tech, world = root / "tech", root / "world"
    chips, port = "https://example.org/chips", "https://example.org/port"
    stories = [
        (tech, "chips.md", "Chip plant opens", chips, 90, "Industry", ("Port strike ends", port)),
        (world, "port.md", "Port strike ends", port, 70, "Trade", ("Chip plant opens", chips)),
        (tech, "shared.md", "Shared, tech's copy", "https://example.org/s", 40, "", None),
        (world, "shared.md", "Shared, world's copy", "https://example.org/s", 60, "", None),
        (tech, "notes/no-link.md", "A note without a link", "", 10, "", None),
        (world, "notes/no-link.md", "Another note without a link", "", 5, "", None),
    ]
    for folder, name, title, link, quality, topic, related in stories:
        fields: dict[str, Any] = {"title": title, "quality": quality}
        if link:
            fields["webUrl"] = link
        if topic:
            fields["topics"] = [topic]
        if related:
            fields["related"] = [{"title": related[0], "webUrl": related[1]}]
        write_story(folder, name, **fields)
    return tech, world


@pytest.fixture
def site() -> Iterator[Site]:
    """A web server on 127.0.0.1 with article pages and misbehaving routes (tests/article)."""
    server = Site().start()
    yield server
    server.close()
