"""A web server on 127.0.0.1 for the article tests and benchmarks: the labelled pages, the
hostile pages, and each way a site can misbehave (redirect chains and loops, redirects to
other schemes, huge and endless bodies, silence, a slow drip, other content types, ETags)."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ARTICLES = Path(__file__).parent.parent / "fixtures" / "articles"
PAGES, EXPECTED, HOSTILE = ARTICLES / "pages", ARTICLES / "expected", ARTICLES / "hostile"
HUGE = 40 * 1024 * 1024

STORY_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Harbour Test Gazette"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
<p>The harbour board met on Tuesday to hear the case for story {n}, a plan the town has argued
about for most of the year, and members said they wanted more figures before voting.</p>
<p>Supporters say the change would bring {n} new berths and steadier work for the yard, while
residents near the quay worry about lorries on the narrow road past the school at night.</p>
<p>A decision is expected next month, after a second public meeting in the old custom house.</p>
</article><footer>Harbour Test Gazette, all rights kept. <a href="/about">About</a></footer>
</body></html>"""


def labelled() -> list[tuple[str, dict[str, Any]]]:
    """Every labelled page's slug with its expected metadata."""
    return [
        (path.stem, json.loads((EXPECTED / f"{path.stem}.meta.json").read_text("utf-8")))
        for path in sorted(PAGES.glob("*.html"))
        if (EXPECTED / f"{path.stem}.meta.json").exists()
    ]


class Site(ThreadingHTTPServer):
    """The server, with what it saw: requests by path, headers of the last request by path,
    bytes sent by path, and the most requests it had in flight at once."""

    daemon_threads = True

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay  # seconds each story page takes (to see requests overlap)
        self.requests: Counter[str] = Counter()
        self.headers_seen: dict[str, dict[str, str]] = {}
        self.sent: Counter[str] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.arrived = threading.Condition(self.lock)
        self.started = False

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def wait_for(self, path: str, count: int = 1, timeout: float = 10.0) -> bool:
        """Wait until `path` has been asked for `count` times."""
        with self.arrived:
            return self.arrived.wait_for(lambda: self.requests[path] >= count, timeout)

    def requests_matching(self, prefix: str) -> int:
        """How many requests for paths that start with `prefix` came."""
        with self.lock:
            return sum(n for path, n in self.requests.items() if path.startswith(prefix))

    def start(self) -> Site:
        self.started = True
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        self.stop.set()
        if self.started:
            self.shutdown()
        self.server_close()

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site, path = self.server, self.path
        with site.lock:
            site.requests[path] += 1
            site.headers_seen[path] = dict(self.headers.items())
            site.in_flight += 1
            site.most_in_flight = max(site.most_in_flight, site.in_flight)
            site.arrived.notify_all()
        try:
            self.route(path)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with site.lock:
                site.in_flight -= 1

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        **headers: str,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)
        self.server.sent[self.path] += len(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def route(self, path: str) -> None:
        name = path.rsplit("/", 1)[-1]
        if path.startswith("/pages/") and (PAGES / name).is_file():
            meta = json.loads((EXPECTED / f"{Path(name).stem}.meta.json").read_text("utf-8"))
            self.send(200, (PAGES / name).read_bytes(), meta.get("content_type", "text/html"))
        elif path.startswith("/hostile/") and (HOSTILE / name).is_file():
            self.send(200, (HOSTILE / name).read_bytes())
        elif path.startswith("/story/"):
            if self.server.delay:
                time.sleep(self.server.delay)
            self.send(200, STORY_PAGE.format(title=f"Harbour plan {name}", n=name).encode())
        elif path.startswith("/heavy/"):  # a long page: 400 paragraphs to extract
            if self.server.delay:
                time.sleep(self.server.delay)
            paragraph = STORY_PAGE.split("<article>")[1].split("</article>")[0]
            body = STORY_PAGE.replace(paragraph, paragraph * 130).format(
                title=f"Harbour plan {name}", n=name
            )
            self.send(200, body.encode())
        elif path.startswith("/redirect/"):
            left = int(name)
            self.redirect(f"/redirect/{left - 1}" if left > 0 else "/story/end")
        elif path == "/loop/a":
            self.redirect("/loop/b")
        elif path == "/loop/b":
            self.redirect("/loop/a")
        elif path.startswith("/to/"):
            targets = {
                "file": "file:///etc/passwd",
                "javascript": "javascript:alert(1)",
                "data": "data:text/html,<p>hi</p>",
                "metadata": "http://169.254.169.254/latest/meta-data/",
            }
            self.redirect(targets[name])
        elif path == "/huge":
            self.stream(HUGE)
        elif path == "/endless":
            self.stream(None)
        elif path == "/silent":
            self.server.stop.wait(60)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            while not self.server.stop.is_set():
                self.wfile.write(b"<p>")
                self.wfile.flush()
                time.sleep(0.2)
        elif path.startswith("/gzip/"):  # compressed: a page, or a bomb (once or twice over)
            raw = STORY_PAGE.format(title="A compressed page", n="gz").encode()
            if name == "bomb":
                raw = b"\0" * (50 * 1024 * 1024)
            body = gzip.compress(raw)
            encoding = "gzip"
            if name == "twice":
                body, encoding = gzip.compress(body), "gzip, gzip"
            self.send(200, body, Content_Encoding=encoding)
        elif path == "/etag-latin":  # an ETag that is not ASCII (HTTP allows such bytes)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("ETag", '"caf\u00e9"')  # sent as Latin-1: the byte 0xE9
            page = STORY_PAGE.format(title="A page with an odd ETag", n="odd").encode()
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
        elif path == "/pdf":
            self.send(200, b"%PDF-1.7 not a page", "application/pdf")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
            else:
                page = STORY_PAGE.format(title="A page with an ETag", n="etag").encode()
                self.send(200, page, ETag='"v1"')
        else:
            self.send(404, b"<html><body>Not here</body></html>")

    def stream(self, length: int | None) -> None:
        """A page of `length` bytes (None: without end and without a length), sent until the
        reader hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        chunk = b"<p>" + b"x" * 65_533
        sent = 0
        while (length is None or sent < length) and not self.server.stop.is_set():
            self.wfile.write(chunk)
            sent += len(chunk)
            self.server.sent[self.path] += len(chunk)
