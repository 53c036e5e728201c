"""`newsreader serve` without a browser: the server on a free loopback port, tabs opened as the
page opens them, each tab's screen read through pyte."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import signal
import sys
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest
from yarl import URL

from reader.platform import paths
from reader.ui.serve import FILES, addresses, host_warning, is_loopback, page_title
from tests.article.server import Site
from tests.conftest import two_folders, write_story
from tests.serve.conftest import Serve
from tests.serve.tab import DEADLINE, wait_until

TOP_STORY = "Critical flaw in ZephyrLog"
TOP_LINK = (
    "https://www.bytefield.news/story/4179556/"
    "critical-flaw-in-zephyrlog-library-leaves-thousands-of-servers-exposed"
)
ODD_LINK = "https://example.com/a b/\"quoted\" 'single'?k=v&w=<z>;$(id)`x`#part two"


async def test_a_tab_draws_the_reader_and_o_opens_the_story_in_the_users_browser(
    serve: Serve,
) -> None:
    served = await serve(paths.sample_feed())
    tab = await served.tab()
    await tab.wait_text(r"sample_feed · 48 stories")
    await tab.wait_text(TOP_STORY)
    assert "Topics" in tab.text and "Related stories" in tab.text
    await tab.press("o")
    await tab.wait(lambda: bool(tab.opened), "an open_url message for the page")
    assert tab.messages[-1] == ["open_url", {"url": TOP_LINK, "new_tab": True}]
    await tab.press("q")  # the reader ends, and with it the page's connection
    await tab.wait(lambda: tab.closed, "the websocket closed")
    await wait_until(lambda: not served.server.tabs, "the reader process ended")


async def test_a_link_arrives_intact_is_copied_and_nothing_opens_on_the_server(
    serve: Serve, feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = tmp_path / "a-browser-ran-on-the-server"
    config = tmp_path / "config.toml"
    config.write_text(f"browser = [{json.dumps('touch')}, {json.dumps(str(ran))}]\n")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    monkeypatch.setenv("BROWSER", f"touch {ran}")
    write_story(feed, "odd.md", title="A link with everything in it", webUrl=ODD_LINK, quality=9)
    served = await serve(feed)
    tab = await served.tab()
    await tab.wait_text("A link with everything in it")
    await tab.press("o")
    await tab.wait_text(r"Opening https://example\.com/a b")  # said once it was handed over
    await tab.wait(lambda: bool(tab.opened), "an open_url message for the page")
    assert tab.opened == [ODD_LINK]
    assert not ran.exists()
    await tab.press("c")
    copied = b"\x1b]52;c;" + base64.b64encode(ODD_LINK.encode())  # the browser's clipboard
    await tab.wait(lambda: copied in tab.raw, "the link sent to the page's clipboard")
    await tab.wait_text(r"Copied https://example\.com/a b")
    assert not ran.exists()


async def test_only_web_links_reach_the_page(serve: Serve, feed: Path) -> None:
    related = [
        {"title": "A web entry", "webUrl": "https://example.org/entry", "quality": 60},
        {"title": "A script entry", "webUrl": "javascript:alert(1)", "quality": 50},
    ]
    write_story(feed, "a.md", title="Story with two related", webUrl="https://example.org/a",
                quality=9, related=related)  # fmt: skip
    served = await serve(feed)
    tab = await served.tab()
    await tab.wait_text("A script entry")
    # Keys one at a time, each once the reader shows it took the one before.
    await tab.press("enter")  # to the related list
    await tab.wait(lambda: tab.cursor_on("A web entry"), "the related list focused")
    await tab.press("down")
    await tab.wait(lambda: tab.cursor_on("A script entry"), "the cursor on the script entry")
    await tab.press("o")
    await tab.wait_text("Not opened: only http and https links open")
    await tab.press("up")
    await tab.wait(lambda: tab.cursor_on("A web entry"), "the cursor back on the web entry")
    await tab.press("o")
    await tab.wait(lambda: bool(tab.opened), "an open_url message for the page")
    assert tab.opened == ["https://example.org/entry"]


async def test_tabs_are_readers_of_their_own_and_share_the_stars(serve: Serve) -> None:
    served = await serve(paths.sample_feed())
    first, second = await served.tab(), await served.tab()
    for tab in (first, second):
        await tab.wait_text(TOP_STORY)
    readers = list(served.server.tabs)
    assert len(readers) == 2 and len({r.app_service_id for r in readers}) == 2
    await second.press("j")
    await second.wait_text(r"Halcyon Launch lands its Starling booster at")  # in its detail pane
    # Both star at once: the first tab its top story, the second the story below it.
    await asyncio.gather(first.press("*"), second.press("*"))
    for tab in (first, second):
        await tab.wait_text(r"★ Starred +1\b")
    for tab in (first, second):
        await tab.close()
    await wait_until(lambda: not served.server.tabs, "both readers ended")
    assert all(r._process is not None and r._process.returncode is not None for r in readers)
    third = await served.tab()
    await third.wait_text(r"★ Starred +2\b")  # nothing lost, both there for the next tab


async def test_the_page_is_titled_with_the_folders_name_and_reaches_nothing_else(
    serve: Serve, tmp_path: Path
) -> None:
    folder = tmp_path / "<em>morning<em> & news"  # a name is text, never markup
    folder.mkdir()
    served = await serve(folder)
    client, base = served.client, served.base
    async with client.get(base + "/") as response:
        assert response.status == 200
        page = await response.text()
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Server"] == "newsreader"
    assert "<title>newsreader · &lt;em&gt;morning&lt;em&gt; &amp; news</title>" in page
    assert "<em>morning" not in page
    for leak in (str(tmp_path), sys.executable, "-m reader", os.getcwd(), "python"):
        assert leak not in page
    for name in FILES:
        async with client.get(f"{base}/static/{name}") as response:
            assert response.status == 200, name
    for path in (
        "/static/",
        "/static/js/textual.js",
        "/static/..%2F..%2F..%2Fpyproject.toml",
        "/static/%2Fetc%2Fpasswd",
        "/download/0123456789abcdef",
        "/etc/passwd",
        "/" + quote(folder.name),
    ):
        async with client.get(URL(base + path, encoded=True)) as response:
            assert response.status == 404, path
    # Another site's page may not open a reader, nor a page that renamed itself (DNS rebinding).
    for headers in ({"Origin": "http://evil.example"}, {}):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(base + "/ws", headers=headers)
        assert refused.value.status == 403
    port = URL(base).port
    async with client.get(base + "/", headers={"Host": f"evil.example:{port}"}) as response:
        assert response.status == 403
    assert not served.server.tabs  # no reader was started for any of it


async def test_several_folders_are_served_as_one_reader(serve: Serve, tmp_path: Path) -> None:
    tech, world = two_folders(tmp_path)
    served = await serve([tech, world])
    async with served.client.get(served.base + "/") as response:
        assert "<title>newsreader · tech + world</title>" in await response.text()
    tab = await served.tab()
    await tab.wait_text(r"tech \+ world · 5 stories")
    await tab.wait_text(r"Folders")
    assert str(tmp_path) not in tab.text  # served, the header names the folders, not their paths


def test_the_server_listens_on_loopback_unless_told_otherwise() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "example.com", ""))
    assert host_warning("127.0.0.1", 8000) is None
    warning = host_warning("0.0.0.0", 8000)
    assert warning and "anyone who can reach port 8000" in warning and "marks" in warning
    assert addresses("127.0.0.1", 8000) == ["http://127.0.0.1:8000/"]
    assert addresses("::1", 8001) == ["http://[::1]:8001/"]
    assert addresses("0.0.0.0", 80)[0] == "http://127.0.0.1:80/"
    assert page_title(Path("/srv/feeds/tech\x1b]0;owned\x07")) == "newsreader · tech]0;owned"
    assert page_title(Path("/")) == "newsreader"
    assert page_title([Path("/a/tech"), Path("/b/world")]) == "newsreader · tech + world"
    assert page_title([Path("/a/tech"), Path("/b/tech")]) == "newsreader · tech + tech-2"


async def test_the_command_prints_the_address_serves_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "reader", "serve", str(paths.sample_feed()), "--port", "0"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        said = b""
        while b"Ctrl+C" not in said:
            line = await asyncio.wait_for(process.stdout.readline(), DEADLINE)
            assert line, f"the server ended: {said!r}"
            said += line
        found = re.search(rb"http://127\.0\.0\.1:(\d+)/", said)
        assert found, said
        assert b"warning" not in said
        async with (
            aiohttp.ClientSession() as client,
            client.get(found.group(0).decode()) as response,
        ):
            assert "<title>newsreader · sample_feed</title>" in await response.text()
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), DEADLINE) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--port", "70000"], b"not a port number"),
        (["/no/such/folder"], b"no such folder"),
    ],
)
async def test_the_command_refuses_bad_arguments(arguments: list[str], message: bytes) -> None:
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "reader", "serve", *arguments),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, errors = await asyncio.wait_for(process.communicate(), DEADLINE)
    assert process.returncode == 2 and message in errors


async def test_t_reads_the_article_in_a_tab_as_in_the_terminal(
    serve: Serve, feed: Path, site: Site
) -> None:
    write_story(feed, "plan.md", title="Harbour plan", webUrl=site.url("/story/4"), quality=9)
    served = await serve(feed)
    tab = await served.tab()
    await tab.wait_text("Harbour plan")
    await tab.press("t")
    await tab.wait_text(r"Full article · \d+ words")
    await tab.wait_text("The harbour board met on Tuesday")
