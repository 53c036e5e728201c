"""Putting text on the system clipboard through the desktop's own program (the plain reader's
`copy`; the full-screen reader asks the terminal instead). No shell is involved."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

TIMEOUT = 5.0  # seconds a clipboard program may take


class ClipboardMissing(OSError):
    """No clipboard program could take the text (the message says which were looked for)."""


def clipboard_programs() -> list[list[str]]:
    """The programs that would take the text, best first, as argument lists."""
    candidates: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    candidates.append(["clip.exe"])  # Windows, and Windows' clipboard from WSL
    return [c for c in candidates if shutil.which(c[0])]


def copy_text(text: str) -> str:
    """Put `text` on the clipboard; the name of the program that took it. Raises
    ClipboardMissing when none is there or none took it."""
    for command in clipboard_programs():
        try:
            # The program may stay behind to hold the selection (xclip): it must not keep our
            # output open.
            done = subprocess.run(
                command,
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return command[0]
    raise ClipboardMissing("no clipboard program (wl-copy, xclip, xsel, pbcopy, clip.exe) took it")
