"""`newsreader serve`: the reader in a web browser, each browser tab its own reader process.

Built from textual-serve's pieces (the page's terminal script and its process protocol) inside a
small aiohttp application of our own, so that the page reaches nothing on the server but the
reader: one page, its websocket and four fixed files. No directory listing, no downloads, no
path from the request ever names a file; the page shows "newsreader" and the folder's name,
never a command line or a path.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import ipaddress
import json
import re
import signal
import socket
import sys
from asyncio.subprocess import PIPE, Process
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from reader.feed.folders import Folders
from reader.model.links import is_web_url

WEB = Path(__file__).resolve().parent / "web"
_STATIC = Path(textual_serve.__file__).resolve().parent / "static"
# The only files the page can ask for, each by a fixed name (never a path from the request).
FILES: dict[str, tuple[Path, str]] = {
    "textual.js": (_STATIC / "js" / "textual.js", "text/javascript"),
    "xterm.css": (_STATIC / "css" / "xterm.css", "text/css"),
    "RobotoMono.ttf": (_STATIC / "fonts" / "RobotoMono-VariableFont_wght.ttf", "font/ttf"),
    "page.js": (WEB / "page.js", "text/javascript"),
}
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
TABS_AT_MOST = 32  # reader processes at once: a page reloaded in a loop cannot fill the machine
QUIT_SECONDS = 5.0  # a tab's reader gets this long to save and quit before it is killed
MESSAGE_BYTES_AT_MOST = 1 << 20  # one websocket message (a paste into the search box)
_HOST_HEADER = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address, IPv6 with or without brackets) is this machine
    only: `localhost`, 127.0.0.0/8 or ::1."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_warning(host: str, port: int) -> str | None:
    """What to say when the server listens beyond this machine (None on loopback)."""
    if is_loopback(host):
        return None
    return (
        f"warning: listening on {host}, not only on this machine: anyone who can reach port "
        f"{port} can read the folder's stories and change its read and starred marks. "
        "There is no login; use --host 127.0.0.1 (the default) to keep it to this machine."
    )


def addresses(host: str, port: int) -> list[str]:
    """The addresses to open in a browser for a server listening on `host`:`port`."""
    if host in ("0.0.0.0", "::", ""):
        return [f"http://127.0.0.1:{port}/", f"http://{socket.gethostname()}:{port}/"]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return [f"http://{shown}:{port}/"]


def page_title(folders: Path | Sequence[Path]) -> str:
    """The page's title: newsreader and the folders' names as the reader shows them (text:
    undecodable bytes and control characters gone), never a path or the command."""
    given = [folders] if isinstance(folders, Path) else list(folders)
    names = [s.label for s in Folders.of(given).sources if s.path.resolve().name]
    return f"newsreader · {' + '.join(names)}" if names else "newsreader"


def reader_command(folders: Path | Sequence[Path], config: Path | None = None) -> list[str]:
    """The reader one tab runs: this Python, this package, the folders; no shell."""
    command = [sys.executable, "-m", "reader"]
    if config is not None:
        command += ["--config", str(config)]
    folders = [folders] if isinstance(folders, Path) else folders
    return [*command, "--", *map(str, folders)]


def _host_name(host: str) -> str:
    """The name in a Host header, without its port."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.split(":", 1)[0]


def _clamp(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        number = default
    return max(low, min(high, number))


class ReaderTab(AppService):
    """One browser tab's reader: a process run without a shell, speaking textual-serve's
    protocol. Only two things it asks of the page are passed on: to open an http(s) link in a
    new tab, and that it has ended. File deliveries are refused (there is nothing to download).
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[bool]],
    ) -> None:
        super().__init__(
            "newsreader",
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,  # type: ignore[arg-type]  # aiohttp's close returns a bool
            download_manager=DownloadManager(),
        )
        self.argv = list(command)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment.pop("BROWSER", None)  # nothing opens on the server (the app never asks)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=self._build_environment(width=width, height=height),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the reader's screen until it ends, then close the page's websocket (the page
        then says the reader ended), however it ended: `q`, or a reader that failed to start."""
        await super().run()
        await self.remote_close()

    async def on_meta(self, data: bytes) -> None:
        try:
            meta = json.loads(data)
        except ValueError:
            return
        if not isinstance(meta, dict):
            return
        kind = meta.get("type")
        if kind == "exit":
            await self.remote_close()
        elif kind == "open_url":
            url = meta.get("url")
            if isinstance(url, str) and is_web_url(url):  # the reader checked; so does the server
                await self.remote_write_str(json.dumps(["open_url", {"url": url, "new_tab": True}]))

    async def on_packed(self, payload: bytes) -> None:
        """File chunks: never passed on."""

    async def end(self) -> None:
        """Ask the reader to quit (it saves where it was); kill it if it has not within
        `QUIT_SECONDS`."""
        task, self._task = self._task, None
        if task is None:
            return
        await self.send_meta({"type": "quit"})
        try:
            await asyncio.wait_for(asyncio.shield(task), QUIT_SECONDS)
        except TimeoutError:
            if self._process is not None and self._process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()
            await task
        if self._process is not None:
            await self._process.wait()


@dataclass
class ReaderServer:
    """The web application: the page at `/`, its websocket at `/ws`, its fixed files under
    `/static/`; every tab runs `command`."""

    folder: Path | Sequence[Path]  # the folders every tab reads (their names title the page)
    command: list[str]
    loopback: bool = True  # the server listens on loopback: only loopback names are answered
    tabs: set[ReaderTab] = field(default_factory=set)

    def application(self) -> web.Application:
        """The aiohttp application."""
        app = web.Application(middlewares=[self._guard])
        app.router.add_get("/", self.page)
        app.router.add_get("/ws", self.websocket)
        app.router.add_get("/static/{name}", self.static)
        app.on_shutdown.append(self._end_tabs)
        app.on_response_prepare.append(_name_server)
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Answer only requests for this server by a name it can be reached by: a web page
        elsewhere that renames itself to 127.0.0.1 (DNS rebinding) gets nothing."""
        host = request.headers.get("Host", "")
        if not _HOST_HEADER.fullmatch(host):
            raise web.HTTPBadRequest(text="bad Host header")
        if self.loopback and not is_loopback(_host_name(host)):
            raise web.HTTPForbidden(text="this server answers to loopback names only")
        return await handler(request)

    @cached_property
    def _page(self) -> tuple[Template, str]:
        """The page's template and its title (escaped), worked out once."""
        text = (WEB / "index.html").read_text(encoding="utf-8")
        return Template(text), html.escape(page_title(self.folder))

    async def page(self, request: web.Request) -> web.Response:
        """The page: textual-serve's terminal script, titled with the folder's name."""
        scheme = "wss" if request.secure else "ws"
        template, title = self._page
        values = {
            "title": title,
            "websocket_url": html.escape(f"{scheme}://{request.host}/ws"),
            "font_size": str(_clamp(request.query.get("fontsize"), 16, 6, 48)),
        }
        text = template.substitute(values)
        return web.Response(text=text, content_type="text/html", headers=_page_headers(request))

    async def static(self, request: web.Request) -> web.StreamResponse:
        """One of the fixed files the page needs."""
        found = FILES.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound()
        path, content_type = found
        return web.FileResponse(
            path, headers={"Content-Type": content_type, "X-Content-Type-Options": "nosniff"}
        )

    def same_origin(self, request: web.Request) -> bool:
        """Whether the websocket is opened by this server's own page (browsers always say
        which page opens a websocket; another site's page must not drive a reader)."""
        origin = urlsplit(request.headers.get("Origin", ""))
        return origin.scheme in ("http", "https") and origin.netloc.lower() == request.host.lower()

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        """One tab: a reader process for as long as the websocket is open."""
        if not self.same_origin(request):
            raise web.HTTPForbidden(text="only this server's page may open a reader")
        if len(self.tabs) >= TABS_AT_MOST:
            raise web.HTTPServiceUnavailable(text=f"{TABS_AT_MOST} readers are open already")
        width = _clamp(request.query.get("width"), 80, 20, 500)
        height = _clamp(request.query.get("height"), 24, 8, 200)
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=MESSAGE_BYTES_AT_MOST)
        await ws.prepare(request)
        tab = ReaderTab(
            self.command, write_bytes=ws.send_bytes, write_str=ws.send_str, close=ws.close
        )
        self.tabs.add(tab)
        try:
            await tab.start(width, height)
            await _relay(ws, tab)
        finally:
            try:
                await asyncio.shield(tab.end())
            finally:
                self.tabs.discard(tab)
                await ws.close()
        return ws

    async def _end_tabs(self, app: web.Application) -> None:
        await asyncio.gather(*(tab.end() for tab in list(self.tabs)), return_exceptions=True)


async def _relay(ws: web.WebSocketResponse, tab: ReaderTab) -> None:
    """What the page sends (textual-serve's messages: keys and mouse as `stdin`, `resize`,
    `ping`, `focus`, `blur`), checked and passed to the reader."""
    async for message in ws:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await tab.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            width = _clamp(str(data.get("width")), 80, 20, 500)
            height = _clamp(str(data.get("height")), 24, 8, 200)
            await tab.set_terminal_size(width, height)
        elif kind == "ping" and isinstance(data, str):
            await ws.send_json(["pong", data[:64]])
        elif kind == "focus":
            await tab.focus()
        elif kind == "blur":
            await tab.blur()


async def _name_server(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = "newsreader"  # not which Python and aiohttp answer


def _page_headers(request: web.Request) -> dict[str, str]:
    sockets = f"ws://{request.host} wss://{request.host}"
    return {
        # Scripts, styles and the font from this server only; no frames, forms or plugins.
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"font-src 'self'; img-src 'self' data:; connect-src 'self' {sockets}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        # A story opened in a new tab gets no handle on this one, nor its address.
        "Cross-Origin-Opener-Policy": "same-origin",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }


async def serve(
    folder: Path | Sequence[Path],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    config: Path | None = None,
    ready: Callable[[list[str]], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve the reader of `folder` (or of several folders, as one) until SIGINT or SIGTERM
    (or `stop` is set); `ready` is told the addresses to open once the server listens."""
    server = ReaderServer(folder, reader_command(folder, config), loopback=is_loopback(host))
    runner = web.AppRunner(server.application(), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host or None, port)
        await site.start()
        bound = runner.addresses[0][1] if runner.addresses else port  # --port 0: any free one
        if ready is not None:
            ready(addresses(host, bound))
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()  # every tab's reader quits (and saves) first


def run(folder: Path | Sequence[Path], *, host: str, port: int, config: Path | None = None) -> int:
    """`newsreader serve`: print where to open it, then serve until Ctrl+C."""
    warning = host_warning(host, port)
    if warning:
        print(warning, file=sys.stderr, flush=True)

    def ready(urls: list[str]) -> None:
        print(f"newsreader: serving {page_title(folder).removeprefix('newsreader · ')}")
        print("Open " + "  or  ".join(urls) + " in a browser; each tab is its own reader.")
        print("Press Ctrl+C to stop.", flush=True)

    try:
        asyncio.run(serve(folder, host=host, port=port, config=config, ready=ready))
    except OSError as error:  # the port is taken, the host is not this machine's
        reason = error.strerror or str(error)
        print(f"newsreader: cannot listen on {host} port {port}: {reason}", file=sys.stderr)
        return 2
    return 0
