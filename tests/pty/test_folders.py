"""Several folders from the command line and from the config file, as the user starts them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import two_folders
from tests.pty.terminal import Reader


def started_with_config_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folders: list[Path], shown: str
) -> Reader:
    """The reader started with no folder on its command line and `folders` in its config,
    once `shown` is on its screen."""
    config = tmp_path / "config.toml"
    listed = ", ".join(f'"{folder}"' for folder in folders)
    config.write_text(f"folders = [{listed}]\n", encoding="utf-8")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    reader = Reader(folders[0], arguments=[])
    try:
        reader.wait_for(reader.shows(shown), f"{shown!r} on screen")
    except BaseException:
        reader.end("q")
        raise
    return reader


def test_the_config_files_folders_open_as_one_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = started_with_config_folders(
        tmp_path, monkeypatch, list(two_folders(tmp_path)), "tech + world · 5 stories"
    )
    try:
        assert "Folders" in reader.text
    finally:
        assert reader.end("q") == 0


def refusal(*folders: Path) -> str:
    """What `newsreader FOLDER...` says when it exits 2 without opening anything."""
    result = subprocess.run(
        [sys.executable, "-m", "reader", *map(str, folders)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    return result.stderr.strip()


def test_one_missing_folder_of_several_opens_none_and_says_which(tmp_path: Path) -> None:
    tech, _ = two_folders(tmp_path)
    absent = tmp_path / "absent"
    assert refusal(tech, absent) == f"newsreader: no such folder: {absent}"


def test_a_folder_inside_another_is_refused_in_one_line(tmp_path: Path) -> None:
    tech, _ = two_folders(tmp_path)
    assert refusal(tech, tech / "notes") == (
        f"newsreader: {tech / 'notes'} is inside {tech}: open the outer folder alone"
    )


def test_a_config_folder_that_is_not_there_is_left_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tech, _ = two_folders(tmp_path)
    folders = [tech, tmp_path / "unmounted"]
    reader = started_with_config_folders(tmp_path, monkeypatch, folders, "tech · 3 stories")
    try:
        reader.wait_for(reader.shows("is not there (left out)"), "a warning about the other")
    finally:
        assert reader.end("q") == 0
