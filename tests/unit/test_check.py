"""`newsreader check`: the report feed producers read, its JSON form and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import FIXTURES, SEED, write_story

BROKEN = FIXTURES / "broken"


def test_clean_folder_exits_zero_with_a_summary(
    feed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(feed, "a.txt", title="A", topics=["Space", "AI"], provider={"name": "Orbit"})
    write_story(feed, "b.txt", title="B", topics=["Space"], provider={"name": "Orbit"})
    assert main(["check", str(feed)]) == 0
    out = capsys.readouterr().out
    assert "Stories:    2" in out
    assert "2  Space" in out and "1  AI" in out
    assert "2  Orbit" in out
    assert "OK: every file was loaded." in out


def test_broken_folder_exits_one_and_names_each_bad_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(BROKEN)]) == 1
    out = capsys.readouterr().out
    for name in ("bad-yaml.txt", "binary.dat", "empty.txt", "notes.md", "unclosed.txt"):
        assert name + ":" in out
    assert "good/odd-fields.txt: quality: not a number" in out
    assert "copy-of-night-ferries.txt repeats good/night-ferries.txt" in out


def test_json_report_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BROKEN), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["folder"] == str(BROKEN)
    assert data["stories"] == 3
    assert data["topics"] == {"Transport": 3, "Robotics": 1}
    assert {"path": "empty.txt", "reason": "empty file"} in data["problems"]
    assert {"path", "field", "message"} == set(data["warnings"][0])
    assert data["duplicates"][0]["dropped"] == "good/copy-of-night-ferries.txt"


def test_several_folders_are_each_reported(feed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(feed, "a.txt", title="A", topics=["Space"])
    assert main(["check", str(feed), str(BROKEN)]) == 1  # one of them has files it cannot read
    out = capsys.readouterr().out
    assert f"Folder:     {feed}" in out and f"Folder:     {BROKEN}" in out
    assert main(["check", str(feed), str(BROKEN), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["folder"] for d in data] == [str(feed), str(BROKEN)]
    assert [d["stories"] for d in data] == [1, 3]
    assert main(["check", str(feed), str(feed / "nope")]) == 2  # a missing one: nothing checked


def test_reference_file_reads_as_one_story_with_twenty_related(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not SEED.is_dir():
        pytest.skip("shared/seed is not beside this checkout")
    assert main(["check", str(SEED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stories"] == 1
    assert data["topics"] == {"AI": 1, "Computer Vision": 1}
    assert data["problems"] == []


def test_missing_folder_is_a_usage_error_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "check", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"newsreader: no such folder: {tmp_path / 'nope'}"


def test_check_without_folder_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check"])
    assert exit_info.value.code == 2


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("newsreader ")


def test_control_characters_in_file_names_do_not_reach_the_terminal(
    feed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (feed / "evil\x1b]0;owned\x07.txt").write_bytes(b"no front matter")
    main(["check", str(feed)])
    assert "\x1b" not in capsys.readouterr().out


def test_reader_on_a_missing_folder_says_so_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", str(tmp_path / "absent")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"newsreader: no such folder: {tmp_path / 'absent'}"


def test_check_piped_into_head_ends_quietly() -> None:
    result = subprocess.run(
        f"{sys.executable} -m reader check {BROKEN} | head -1",
        shell=True,  # the pipe is the point of this test; the arguments are ours
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.startswith("Folder:")
    assert "Traceback" not in result.stderr
