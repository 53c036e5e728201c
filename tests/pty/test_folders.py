"""Several folders from the command line and from the config file, as the user starts them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import two_folders
from tests.pty.terminal import Reader


def test_the_config_files_folders_open_as_one_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tech, world = two_folders(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'folders = ["{tech}", "{world}"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    reader = Reader(tech, arguments=[])  # no folder on the command line
    try:
        reader.wait_for(reader.shows("tech + world · 5 stories"), "both folders on screen")
        assert "Folders" in reader.text
    finally:
        assert reader.end("q") == 0


def test_one_missing_folder_of_several_opens_none_and_says_which(tmp_path: Path) -> None:
    tech, _ = two_folders(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "reader", str(tech), str(tmp_path / "absent")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"newsreader: no such folder: {tmp_path / 'absent'}"
