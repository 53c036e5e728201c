"""Fetching one page, suspicious of everything: http and https only (after every redirect
too), at most five redirects and no loops, time-outs for the connection and for the whole
fetch, a size cap, HTML only. Each failure is a FetchError with one line that says what went
wrong."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import ssl
import threading
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit

from reader import __version__
from reader.model.links import is_web_url
from reader.model.text import clean_line

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

USER_AGENT = (
    f"newsreader/{__version__} (a terminal news reader fetching one article for its reader; "
    "+https://pypi.org/project/newsreader/)"
)
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 15.0
DEADLINE = 25.0  # the whole fetch, redirects included: a server that never answers ends here


class FetchError(Exception):
    """A page that could not be fetched; `kind` groups failures for a summary."""

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


class Cancelled(Exception):
    """The reader asked for the fetch to stop."""


@dataclass(frozen=True, slots=True)
class Page:
    """What a server answered: the body (empty for 304, not modified) and its validators."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    charset: str | None = None
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much one fetch may take (tests make them small)."""

    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    connect: float = CONNECT_TIMEOUT
    read: float = READ_TIMEOUT
    deadline: float = DEADLINE


LIMITS = Limits()


def new_client(limits: Limits = LIMITS) -> httpx.AsyncClient:
    """One client for many fetches (connections kept); redirects are followed by hand."""
    import httpx

    return httpx.AsyncClient(
        verify=_tls(),
        follow_redirects=False,
        timeout=httpx.Timeout(limits.read, connect=limits.connect),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Encoding": "gzip, deflate",  # decoded here, within the size cap
        },
        trust_env=False,  # no proxy or .netrc from the environment: one plain request
        # Seen before httpx works out where a redirect goes (which fails on odd schemes).
        event_hooks={"response": [_refuse_odd_redirects]},
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    """The certificates to trust, read once: reading them takes 20 ms of the interpreter, which
    each fetch would take from the screen."""
    import httpx

    return httpx.create_ssl_context()


async def _refuse_odd_redirects(response: httpx.Response) -> None:
    if response.has_redirect_location:
        location = response.headers["location"].strip()
        target = urljoin(str(response.request.url), location)
        _check_address(target, redirected=True)
        _check_inward(str(response.request.url), target)


def _check_inward(origin: str, target: str) -> None:
    """A redirect may not lead inwards: to a link-local address ever (a cloud's metadata
    service lives at 169.254.169.254), nor from a site on the internet to this machine or its
    private network (a page must not make a served reader fetch what only it can reach).
    Addresses written as numbers or `localhost`; names are not looked up."""
    to, origin_kind = _kind(target), _kind(origin)
    if to == "link-local" or (to in ("loopback", "private") and origin_kind == "public"):
        raise FetchError(f"redirected to a {to} address; refused", "redirected inwards")


def _kind(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "public"  # a name: not looked up here
    if address.is_link_local:
        return "link-local"
    if address.is_loopback:
        return "loopback"
    return "private" if address.is_private or address.is_reserved else "public"


async def fetch_page(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    limits: Limits = LIMITS,
    progress: Callable[[str], None] = lambda note: None,
) -> Page:
    """The page at `url`, within `limits.deadline` seconds, or a FetchError. `progress` is
    told how it goes, in a few words."""
    try:
        return await asyncio.wait_for(
            _follow(client, url, etag, last_modified, limits, progress), limits.deadline
        )
    except TimeoutError:
        raise FetchError(
            f"the site did not answer in full within {limits.deadline:.0f} s", "timed out"
        ) from None


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    etag: str,
    last_modified: str,
    limits: Limits,
    progress: Callable[[str], None],
) -> Page:
    import httpx

    seen: set[str] = set()
    address = url.strip()
    for _ in range(limits.max_redirects + 1):
        _check_address(address, redirected=bool(seen))
        try:
            request_url = httpx.URL(address)
        except httpx.InvalidURL:
            raise FetchError("the link is not a valid web address", "not a web link") from None
        if address in seen:
            raise FetchError("the site redirects in a loop", "redirect loop")
        seen.add(address)
        progress(f"asking {urlsplit(address).hostname}")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with client.stream("GET", request_url, headers=headers) as response:
                if response.has_redirect_location:
                    address = urljoin(address, response.headers["location"].strip())
                    continue
                return await _read(response, url, address, limits, progress)
        except httpx.TimeoutException:
            raise FetchError("the site did not answer in time", "timed out") from None
        except httpx.HTTPError as error:
            reason = clean_line(str(error)) or type(error).__name__
            raise FetchError(f"could not reach the site ({reason})", "unreachable") from None
    raise FetchError(f"more than {limits.max_redirects} redirects", "too many redirects")


def _check_address(address: str, *, redirected: bool) -> None:
    if not is_web_url(address):
        scheme = urlsplit(address).scheme.lower() if ":" in address else ""
        what = f"a {scheme}: address" if scheme else "an address that is not a web link"
        where = "redirected to" if redirected else "the link is"
        raise FetchError(f"{where} {what}; only http and https are fetched", "not a web link")


async def _read(
    response: httpx.Response,
    url: str,
    final_url: str,
    limits: Limits,
    progress: Callable[[str], None],
) -> Page:
    etag = _validator(response.headers.get("etag", ""))
    modified = _validator(response.headers.get("last-modified", ""))
    if response.status_code == 304:
        return Page(url, final_url, 304, etag=etag, last_modified=modified)
    if response.status_code >= 400:
        phrase = clean_line(response.reason_phrase or "")
        raise FetchError(f"the site answered {response.status_code} {phrase}".rstrip(), "http")
    mime, charset = _content_type(response.headers.get("content-type", ""))
    if mime and mime not in HTML_TYPES:
        raise FetchError(f"the page is not HTML but {mime}", "not html")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise FetchError(f"the page is too large ({_size(int(length))})", "too large")
    # The raw bytes, decompressed here a little at a time: a few hundred compressed bytes can
    # stand for gigabytes, and the cap holds for what they become, not only for what came.
    inflate = _decoder(response.headers.get("content-encoding", ""))
    body = bytearray()
    too_large = FetchError(f"the page is too large (over {_size(limits.max_bytes)})", "too large")
    async for chunk in response.aiter_raw():
        data = chunk
        while data:
            if inflate is None:
                body += data
                data = b""
            else:
                try:
                    body += inflate.decompress(data, limits.max_bytes + 1 - len(body))
                except zlib.error:
                    raise FetchError("the page's compression is broken", "bad page") from None
                data = inflate.unconsumed_tail
            if len(body) > limits.max_bytes:
                raise too_large
        progress(f"{_size(len(body))} read")
    return Page(url, final_url, response.status_code, bytes(body), charset, etag, modified)


def _decoder(encoding: str) -> Any:
    """How to decompress a body sent with this Content-Encoding (None: as it is)."""
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return None
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return zlib.decompressobj()
    what = clean_line(encoding)[:40]
    raise FetchError(f"the page is compressed in a way not asked for ({what})", "bad page")


def _validator(value: str) -> str:
    """An ETag or Last-Modified to send back later: printable ASCII only, else none (a header
    must be ASCII; anything else would fail the next request)."""
    value = value.strip()
    return value if value.isascii() and value.isprintable() and len(value) < 200 else ""


def _content_type(value: str) -> tuple[str, str | None]:
    message = Message()
    message["content-type"] = value
    mime = clean_line(message.get_content_type()) if value.strip() else ""
    charset = message.get_param("charset")
    return mime.lower(), (clean_line(charset) if isinstance(charset, str) else None)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


class Cancel:
    """Set from any thread, it stops a fetch at once (`run_cancellable`): the fetch's event
    loop is woken to cancel it, instead of looking at a flag every so often."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._set = False
        self._hooks: list[Callable[[], object]] = []

    def set(self) -> None:
        with self._lock:
            self._set, hooks, self._hooks = True, self._hooks, []
        for hook in hooks:
            hook()

    def is_set(self) -> bool:
        return self._set

    def on_set(self, hook: Callable[[], object]) -> None:
        """Call `hook` when set (at once when it is already)."""
        with self._lock:
            if not self._set:
                self._hooks.append(hook)
                return
        hook()


def run_cancellable(work: Callable[[], Awaitable[T]], cancel: Cancel | None = None) -> T:
    """Run `work` on an event loop of this thread; setting `cancel` (from any thread) stops
    it at once with Cancelled."""

    async def main() -> T:
        task = asyncio.ensure_future(work())
        if cancel is not None:
            loop = asyncio.get_running_loop()

            def stop() -> None:
                with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                    loop.call_soon_threadsafe(task.cancel)

            cancel.on_set(stop)
        try:
            return await task
        except asyncio.CancelledError:
            if cancel is not None and cancel.is_set():
                raise Cancelled from None
            raise  # Ctrl-C: asyncio makes it a KeyboardInterrupt again

    return asyncio.run(main())
