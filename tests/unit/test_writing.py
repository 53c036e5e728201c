"""Files written whole: settings, the config's views and exports never come out half-written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.platform.writing import write_whole


def test_a_file_is_replaced_whole_and_keeps_its_permissions(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "nord"\n')
    os.chmod(config, 0o640)  # the user's choice
    write_whole(config, '[views]\n"Top" = "quality>=150"\n')
    assert config.read_text() == '[views]\n"Top" = "quality>=150"\n'
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]  # nothing left over


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export.md"
    target.write_text("the old export\n")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        write_whole(target, "the new export\n")
    assert target.read_text() == "the old export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.md"]
