"""The config file: a TOML file of a few settings. Bad values warn; they never stop the reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from reader.model.order import Order

READ_MODES = ("enter", "manual")

EXAMPLE = """\
# newsreader configuration
default_folder = "~/news"              # opened when no folder is given
# folders = ["~/news", "~/tech"]       # or several, read as one (this wins over default_folder)
default_order = "quality"              # quality, newest, heat or title
theme = "gruvbox"                      # any theme of the command palette's "Change theme"
read_after = 2                         # seconds in the detail pane; or "enter" or "manual"
browser = ["firefox", "--new-tab", "{url}"]   # run without a shell; {url} is one argument
terminal_cursor = true                 # the terminal's cursor on the highlighted row (screen
                                       # readers, braille displays follow it); false hides it

[keys]                                 # remap by binding id (see the help screen, ?)
"main.open" = "o,enter"
"app.quit" = "q,ctrl+q"

[views]                                # saved queries, in the sidebar (v saves one)
"Top picks" = "quality>=150"
"Portals this spring" = 'topic:portals after:2021-03-01'
"""


@dataclass
class Config:
    """Settings, with their defaults."""

    default_folder: Path | None = None
    folders: list[Path] = field(default_factory=list)  # opened as one when no folder is given
    default_order: Order = Order.QUALITY
    theme: str | None = None
    read_after: float = 2.0
    read_mode: str = "timer"  # "timer" (after read_after seconds), "enter" or "manual"
    browser: list[str] | None = None
    terminal_cursor: bool = True  # shown on the focused list's highlighted row
    keys: dict[str, str] = field(default_factory=dict)
    views: dict[str, str] = field(default_factory=dict)  # name -> query, in the file's order
    bad_views: dict[str, str] = field(default_factory=dict)  # left out, but kept in the file


QueryCheck = Callable[[str], str]  # what is wrong with a query, and where ('' when nothing)


def load_config(path: Path, check_query: QueryCheck | None = None) -> tuple[Config, list[str]]:
    """The config at `path` (defaults when it does not exist) and a warning per bad entry.
    `check_query` judges the saved views' queries (the query language is above this layer:
    the command line hands it down); without it every view is taken as it is."""
    config = Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config, []
    except (OSError, UnicodeDecodeError) as error:
        return config, [f"{path}: cannot read it ({error}); using the defaults"]
    import tomllib  # only when there is a config file to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return config, [f"{path}: not valid TOML ({error}); using the defaults"]
    warnings: list[str] = []
    check = check_query or (lambda query: "")
    readers: dict[str, Callable[[Config, Any], str]] = {
        **_READERS,
        "views": partial(_views, check=check),
    }
    for key, value in data.items():
        reader = readers.get(key)
        if reader is None:
            warnings.append(f"{path}: unknown key {key!r} (ignored)")
            continue
        problem = reader(config, value)
        if problem and key == "views":  # the good views are kept: no default stands in
            warnings.append(f"{path}: {problem}")
        elif problem:
            warnings.append(f"{path}: {key}: {problem}; using the default")
    return config, warnings


def _folder(config: Config, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        return "expected a folder path"
    config.default_folder = Path(value).expanduser()
    return ""


def _folders(config: Config, value: Any) -> str:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, str) and item.strip() for item in value)
    ):
        return "expected a list of folder paths"
    config.folders = [Path(item).expanduser() for item in value]
    return ""


def _order(config: Config, value: Any) -> str:
    try:
        config.default_order = Order(value)
    except ValueError:
        return f"expected one of {', '.join(o.value for o in Order)}"
    return ""


def _theme(config: Config, value: Any) -> str:
    if not isinstance(value, str) or not value:
        return "expected a theme name"
    config.theme = value
    return ""


def _read_after(config: Config, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 'expected seconds, "enter" or "manual"'
    if isinstance(value, str):
        if value not in READ_MODES:
            return 'expected seconds, "enter" or "manual"'
        config.read_mode = value
        return ""
    if value < 0:
        return "expected a number of seconds, 0 or more"
    config.read_after = float(value)
    return ""


def _browser(config: Config, value: Any) -> str:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(p, str) for p in value):
        return 'expected a list of arguments, like ["firefox", "{url}"]'
    config.browser = value
    return ""


def _terminal_cursor(config: Config, value: Any) -> str:
    if not isinstance(value, bool):
        return "expected true or false"
    config.terminal_cursor = value
    return ""


def _keys(config: Config, value: Any) -> str:
    if not isinstance(value, dict):
        return "expected a table of binding id = keys"
    bad = [k for k, v in value.items() if not isinstance(v, str) or not v.strip()]
    config.keys = {k: v for k, v in value.items() if k not in bad}
    return f"bad keys for {', '.join(bad)}" if bad else ""


def _views(config: Config, value: Any, check: QueryCheck) -> str:
    if not isinstance(value, dict):
        return 'expected a table of "name" = "query"'
    from reader.model.text import clean_line

    bad = []
    for name, query in value.items():
        if not isinstance(query, str) or not clean_line(name):
            bad.append(f"view {name!r}: expected a query string")
            continue
        problem = check(query)
        if problem:
            bad.append(f"view {name!r}: {problem}")
            config.bad_views[name] = query
            continue
        config.views[clean_line(name)] = query
    return "; ".join(bad) + " (left out)" if bad else ""


_READERS: dict[str, Callable[[Config, Any], str]] = {
    "default_folder": _folder,
    "folders": _folders,
    "default_order": _order,
    "theme": _theme,
    "read_after": _read_after,
    "browser": _browser,
    "terminal_cursor": _terminal_cursor,
    "keys": _keys,
}


class ConfigWriteError(Exception):
    """The config file could not be changed (the message says why)."""


def save_views(path: Path, views: dict[str, str]) -> None:
    """Write `views` as the config file's [views] table, the rest of the file as it is.

    The table is written anew at the end of the file (comments inside it are not kept); the
    file is checked to read back with the same views before it replaces the old one. Raises
    ConfigWriteError.
    """
    import json
    import tomllib

    from reader.platform.writing import write_whole

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigWriteError(f"cannot read {path}: {error}") from error
    kept: list[str] = []
    inside = False
    for line in text.splitlines():
        header = line.strip()
        if header.startswith("[") and not header.startswith("[["):
            inside = header.split("#")[0].strip() == "[views]"
        if not inside:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    # JSON strings are TOML basic strings (control characters escaped as \uXXXX).
    table = [
        f"{json.dumps(name, ensure_ascii=False)} = {json.dumps(query, ensure_ascii=False)}"
        for name, query in views.items()
    ]
    new = "\n".join([*kept, *([""] if kept else []), "[views]", *table]) + "\n"
    try:
        if tomllib.loads(new).get("views", {}) != views:
            raise ConfigWriteError(f"{path} would not read back as written (left as it was)")
    except tomllib.TOMLDecodeError as error:
        raise ConfigWriteError(f"{path} is not valid TOML ({error}); left as it was") from error
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, new)
    except OSError as error:
        raise ConfigWriteError(f"cannot write {path}: {error}") from error
