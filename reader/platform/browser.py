"""Opening a story's link in the user's browser: http(s) only, one argument, never a shell."""

from __future__ import annotations

import os
import shlex
import subprocess
import webbrowser
from collections.abc import Sequence

from reader.model.links import is_web_url


class LinkRefused(ValueError):
    """A link the reader will not open (not http/https)."""


def browser_command(url: str, command: Sequence[str] | None = None) -> list[str] | None:
    """The argument list that opens `url`, or None to let Python's `webbrowser` choose.

    `command` is a configured argument list with a `{url}` placeholder (the URL is appended when
    there is none); else the first entry of `$BROWSER` (`%s` is its placeholder). The URL is
    always exactly one argument and no shell is involved.
    """
    if command:
        args = [part.replace("{url}", url) if "{url}" in part else part for part in command]
        return args if any("{url}" in part for part in command) else [*args, url]
    env = os.environ.get("BROWSER", "")
    for entry in env.split(os.pathsep):
        if not entry.strip():
            continue
        try:
            parts = shlex.split(entry)
        except ValueError:
            parts = [entry]
        if any("%s" in part for part in parts):
            return [part.replace("%s", url) for part in parts]
        return [*parts, url]
    return None


def needs_terminal(command: Sequence[str] | None = None) -> bool:
    """Whether opening a link may take over the terminal (a text browser), so the UI must pause.

    A configured or `$BROWSER` command may be a terminal browser; without a display, Python's
    `webbrowser` falls back to terminal browsers too.
    """
    if command or os.environ.get("BROWSER", "").strip():
        return True
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_url(url: str, command: Sequence[str] | None = None) -> None:
    """Open a web link in the user's browser; raise LinkRefused for anything not http(s).

    Raises OSError (or subprocess errors) when the browser cannot be started.
    """
    url = url.strip()
    if not is_web_url(url):
        raise LinkRefused(url)
    args = browser_command(url, command)
    if args is None:
        if not webbrowser.open(url):
            raise OSError("no web browser was found; set $BROWSER")
        return
    completed = subprocess.run(args, check=False, shell=False)
    if completed.returncode != 0:
        raise OSError(f"{args[0]} exited with status {completed.returncode}")
