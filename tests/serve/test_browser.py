"""The reader served to a real browser: Debian's headless Chromium, driven with selenium.

Run by `make test-web` (which installs chromium and chromium-driver); `make test` skips them.
`NEWSREADER_SCREENSHOT=docs/serve.png make test-web` remakes the README's screenshot.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyte
import pytest

from reader.platform import paths
from tests.conftest import write_story

pytestmark = pytest.mark.web

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
DEADLINE = 60.0
# Before the page's own scripts: keep what the reader sends the page (to read its screen with
# pyte) and what the page sends (its size), and nothing else changes.
RECORDER = """
window.__received = []; window.__sent = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const ws = protocols === undefined
    ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
  ws.addEventListener("message", (event) => {
    if (typeof event.data !== "string") {
      let text = ""; const bytes = new Uint8Array(event.data);
      for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
      window.__received.push(btoa(text));
    }
  });
  const send = ws.send.bind(ws);
  ws.send = (data) => { window.__sent.push(data); send(data); };
  return ws;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
"""


def wait(done: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    end = time.monotonic() + deadline
    while not (result := done()):
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not within {deadline:.0f} s")
        time.sleep(0.1)
    return result


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[Callable[[Path], str]]:
    """`served(folder)`: `newsreader serve FOLDER --port 0` started; its address."""
    processes: list[subprocess.Popen[str]] = []

    def start(folder: Path) -> str:
        process = subprocess.Popen(
            [sys.executable, "-m", "reader", "serve", str(folder), "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        assert process.stdout is not None
        said = ""
        while "Ctrl+C" not in said:
            line = process.stdout.readline()
            assert line, f"the server ended: {said}"
            said += line
        found = re.search(r"http://127\.0\.0\.1:\d+/", said)
        assert found, said
        return found.group(0)

    yield start
    for process in processes:
        process.send_signal(2)  # Ctrl+C: every tab's reader quits
        assert process.wait(timeout=DEADLINE) == 0


@pytest.fixture
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("chromium and chromium-driver are needed: `make test-web` installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--window-size=1400,860",
        "--force-device-scale-factor=1",
        "--no-first-run",
        "--disable-extensions",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """The page in the browser, and the reader's screen as the page received it."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.screen: pyte.Screen | None = None
        self.stream: pyte.ByteStream | None = None

    def size(self) -> tuple[int, int] | None:
        for data in reversed(self.driver.execute_script("return window.__sent")):
            message = json.loads(data)
            if message[0] == "resize":
                return message[1]["width"], message[1]["height"]
        return None

    def text(self) -> str:
        if self.screen is None:
            size = self.size()
            if size is None:
                return ""
            self.screen = pyte.Screen(*size)
            self.stream = pyte.ByteStream(self.screen)
        assert self.stream is not None
        for chunk in self.driver.execute_script("return window.__received.splice(0)"):
            self.stream.feed(base64.b64decode(chunk))
        return "\n".join(self.screen.display)

    def shows(self, pattern: str) -> bool:
        return re.search(pattern, self.text()) is not None

    def press(self, keys: str) -> None:
        """Keys typed into the terminal, as a user types them."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)


def test_the_page_draws_the_reader_and_keys_work(
    served: Callable[[Path], str], browser: Any, tmp_path: Path
) -> None:
    address = served(paths.sample_feed())
    browser.get(address)
    assert browser.title == "newsreader · sample_feed"
    page = Page(browser)
    wait(lambda: page.shows(r"sample_feed · 48 stories"), "the reader's status line")
    wait(lambda: page.shows("Critical flaw in ZephyrLog library leaves"), "the top story")
    wait(
        lambda: "-first-byte" in browser.find_element("tag name", "body").get_attribute("class"),
        "the terminal shown in place of the splash",
    )
    page.press("j")  # the story below: in the detail pane
    wait(lambda: page.shows("Halcyon Launch lands its Starling booster at"), "the second story")
    page.press("*")
    wait(lambda: page.shows(r"★ Starred +1\b"), "the star in the sidebar")
    page.press("?")
    wait(lambda: page.shows("Keys") and page.shows("Everywhere"), "the help screen")
    page.press("\ue00c")  # Escape
    wait(lambda: not page.shows("Everywhere"), "the help screen closed")
    wait(lambda: page.shows(r"★ Starred +1\b"), "the main screen back")
    shot = Path(os.environ.get("NEWSREADER_SCREENSHOT") or tmp_path / "serve.png")
    png = browser.get_screenshot_as_png()
    shot.write_bytes(png)
    assert len(png) > 20_000  # drawn text, not a blank page (a blank one is a few kB)


class Landing(http.server.BaseHTTPRequestHandler):
    """A web page on loopback for `o` to open: it keeps the paths asked for."""

    asked: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        Landing.asked.append(self.path)
        body = b"<title>landed</title>landed"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_o_opens_the_link_intact_in_a_new_tab_and_c_copies_it(
    served: Callable[[Path], str], browser: Any, feed: Path
) -> None:
    landing = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Landing)
    threading.Thread(target=landing.serve_forever, daemon=True).start()
    try:
        port = landing.server_address[1]
        link = f'http://127.0.0.1:{port}/a story/it\'s "quoted"?q=a b&x=1#part two'
        write_story(feed, "a.md", title="A story whose link has everything", webUrl=link)
        browser.get(served(feed))
        browser.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        page = Page(browser)
        wait(lambda: page.shows("A story whose link has everything"), "the story")
        reader = browser.current_window_handle
        page.press("o")
        new = wait(lambda: [h for h in browser.window_handles if h != reader], "a new browser tab")
        wait(lambda: Landing.asked, "the link's page asked for")
        path, query = Landing.asked[0].split("?", 1)
        assert unquote(path) == '/a story/it\'s "quoted"'
        assert unquote(query) == "q=a b&x=1"
        browser.switch_to.window(new[0])
        assert unquote(browser.current_url).endswith("#part two")
        browser.close()
        browser.switch_to.window(reader)
        assert page.shows("Opening http://127.0.0.1")
        page.press("c")
        wait(lambda: page.shows("Copied http://127.0.0.1"), "the copy said")
        copied = browser.execute_async_script(
            "const done = arguments[0];"
            "navigator.clipboard.readText().then(done, (error) => done('failed: ' + error));"
        )
        assert copied == link
    finally:
        landing.shutdown()
