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


def test_a_folder_inside_another_is_refused_in_one_line(tmp_path: Path) -> None:
    tech, _ = two_folders(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "reader", str(tech), str(tech / "notes")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"newsreader: {tech / 'notes'} is inside {tech}: open the outer folder alone"
    )


def test_a_config_folder_that_is_not_there_is_left_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tech, _ = two_folders(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'folders = ["{tech}", "{tmp_path / "unmounted"}"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    reader = Reader(tech, arguments=[])
    try:
        reader.wait_for(reader.shows("tech · 3 stories"), "the folder that is there")
        reader.wait_for(reader.shows("is not there (left out)"), "a warning about the other")
    finally:
        assert reader.end("q") == 0
