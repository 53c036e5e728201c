"""Writing a file whole or not at all: settings, the config's views, exports."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def write_whole(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file beside it, synced and then renamed over
    it: a reader of `path` sees the old text or the new, never half of it. The file keeps its
    permissions (a new one gets the usual ones, under the umask). Raises OSError (the
    temporary file is gone then); the folder must exist."""
    # (os.urandom, not secrets: that imports OpenSSL's hashlib, a millisecond of every start)
    temporary = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        kept: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        kept = None
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            if kept is not None:
                os.fchmod(out.fileno(), kept)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
