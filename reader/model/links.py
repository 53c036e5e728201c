"""Story links: which are web links, and normalising them for lookup (pure, no I/O)."""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit

WEB_SCHEMES = ("http", "https")


def is_web_url(url: str) -> bool:
    """Whether `url` is an http(s) link with a host: the only kind the reader opens."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def normalise_url(url: str) -> str | None:
    """A lookup key under which spellings of the same web link compare equal.

    Scheme (http = https), case of the host, a leading `www.`, default ports, the fragment,
    a trailing slash and `utm_*` tracking parameters do not matter. Non-web links give None.
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not host:
        return None
    host = host.removeprefix("www.")
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, v) for k, v in query if not k.lower().startswith("utm_")]
    key = host + path
    if query:
        key += "?" + urlencode(query)
    return key


_HOST = re.compile(r"[A-Za-z0-9.-]+")


def fast_key(url: str) -> str | None:
    """`normalise_url` for the common plain `http(s)://host/path` link, ten times faster.

    Links with a port, credentials, a query, a fragment or unusual characters take the full
    path. String methods, not one regular expression: matching a long path character by
    character was most of the cost.
    """
    scheme = url[:8].lower()
    if scheme.startswith("https://"):
        rest = url[8:]
    elif scheme.startswith("http://"):
        rest = url[7:]
    else:
        return normalise_url(url)
    slash = rest.find("/")
    host, path = (rest, "") if slash < 0 else (rest[:slash], rest[slash:])
    # No whitespace (all of it is unprintable but the space), query or fragment in the path.
    plain_path = path.isprintable() and " " not in path and "?" not in path and "#" not in path
    if not plain_path or not _HOST.fullmatch(host):
        return normalise_url(url)
    host = host.lower().removeprefix("www.")
    return host + path.rstrip("/") if host else None


def link_id(url: str) -> int | None:
    """A 64-bit number for a web link, equal for every spelling `normalise_url` equates.

    Big folders hold a million related links: numbers take a tenth of the memory of the text.
    """
    key = fast_key(url)
    return key_id(key) if key is not None else None


def key_id(key: str) -> int:
    """The link id of a normalised link (`fast_key`)."""
    return int.from_bytes(key_digest(key), "little")


def key_digest(key: str) -> bytes:
    """The 8 bytes behind a link id: `pack_ids([link_id(url)]) == key_digest(fast_key(url))`."""
    return _blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()


try:  # hashlib's own module for it, which does not load OpenSSL (hashlib does, at import)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - every CPython we know has it
    from hashlib import blake2b as _blake2b


def pack_ids(ids: Iterable[int]) -> bytes:
    """Link ids as one compact bytes object (little-endian, like `key_digest`)."""
    packed = array("Q", ids)
    if sys.byteorder != "little":  # pragma: no cover - every machine we know is little-endian
        packed.byteswap()
    return packed.tobytes()


def unpack_ids(packed: bytes) -> Sequence[int]:
    """The link ids packed by `pack_ids`."""
    ids = array("Q")
    ids.frombytes(packed)
    if sys.byteorder != "little":  # pragma: no cover
        ids.byteswap()
    return ids
