"""The config file: good values are used, bad ones warn by name and fall back to defaults."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.model.order import Order
from reader.platform.config import EXAMPLE, Config, load_config
from reader.platform.settings import load_settings, save_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_file_gives_defaults_without_warnings(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") == (Config(), [])


def test_the_documented_example_is_valid(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path, EXAMPLE))
    assert warnings == []
    assert config.default_order is Order.QUALITY
    assert config.read_after == 2.0
    assert config.browser == ["firefox", "--new-tab", "{url}"]
    assert config.keys == {"main.open": "o,enter", "app.quit": "q,ctrl+q"}


def test_every_setting_is_read(tmp_path: Path) -> None:
    config, warnings = load_config(
        write(
            tmp_path,
            'default_folder = "~/news"\ndefault_order = "newest"\ntheme = "nord"\n'
            'read_after = "manual"\nbrowser = "w3m"\n',
        )
    )
    assert warnings == []
    assert config.default_folder == Path("~/news").expanduser()
    assert config.default_order is Order.NEWEST
    assert config.theme == "nord"
    assert config.read_mode == "manual"
    assert config.browser == ["w3m"]


def test_folders_are_read_as_a_list_and_a_bad_one_warns(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path, 'folders = ["~/news", "/srv/tech"]\n'))
    assert warnings == []
    assert config.folders == [Path("~/news").expanduser(), Path("/srv/tech")]
    config, warnings = load_config(write(tmp_path, 'folders = "~/news"\n'))
    assert config.folders == []
    assert warnings == [
        f"{tmp_path / 'config.toml'}: folders: expected a list of folder paths; using the default"
    ]


def test_bad_values_and_unknown_keys_warn_by_name(tmp_path: Path) -> None:
    config, warnings = load_config(
        write(
            tmp_path,
            'default_order = "alphabetical"\nread_after = -3\nbrowser = 7\ncolour = "red"\n'
            '[keys]\n"main.open" = 5\n"main.star" = "x"\n',
        )
    )
    assert config.default_order is Order.QUALITY and config.read_after == 2.0
    assert config.browser is None
    assert config.keys == {"main.star": "x"}
    joined = "\n".join(warnings)
    for name in ("default_order", "read_after", "browser", "'colour'", "main.open"):
        assert name in joined


def test_broken_toml_warns_and_uses_defaults(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path, "theme = [unclosed"))
    assert config == Config()
    assert len(warnings) == 1 and "not valid TOML" in warnings[0]


def test_config_path_command_prints_where_the_file_is(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "config", "--path"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().endswith(".toml")


def test_settings_survive_and_ignore_other_versions(tmp_path: Path) -> None:
    file = tmp_path / "settings.json"
    save_settings(file, theme="nord")
    assert load_settings(file)["theme"] == "nord"
    file.write_text('{"version": 99, "theme": "x"}')
    assert load_settings(file) == {}
    file.write_text("{broken")
    assert load_settings(file) == {}
