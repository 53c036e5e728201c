"""Link normalisation (how related stories find local ones) and safe opening."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.model.links import fast_key, is_web_url, normalise_url
from reader.platform.browser import LinkRefused, browser_command, open_url

BASE = "https://www.example.com/news/story"


@pytest.mark.parametrize(
    "spelling",
    [
        "https://www.example.com/news/story",
        "http://www.example.com/news/story",
        "https://example.com/news/story",
        "HTTPS://WWW.Example.COM/news/story",
        "https://www.example.com/news/story/",
        "https://www.example.com/news/story#comments",
        "https://www.example.com/news/story?utm_source=feed&utm_medium=rss",
        "https://www.example.com:443/news/story",
        "  https://example.com/news/story  ",
    ],
)
def test_spellings_of_one_link_share_a_key(spelling: str) -> None:
    assert normalise_url(spelling) == normalise_url(BASE)


@pytest.mark.parametrize(
    "other",
    [
        "https://www.example.com/news/other-story",
        "https://www.example.org/news/story",
        "https://www.example.com/news/story?id=2",
        "https://www.example.com/News/Story",
    ],
)
def test_different_links_have_different_keys(other: str) -> None:
    assert normalise_url(other) != normalise_url(BASE)


def test_meaningful_query_parameters_are_kept() -> None:
    assert normalise_url("https://x.org/a?id=1&utm_campaign=z") == "x.org/a?id=1"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "ftp://x.org/", "", "//x"],
)
def test_non_web_links_have_no_key_and_are_not_web_urls(url: str) -> None:
    assert normalise_url(url) is None
    assert not is_web_url(url)


def test_open_refuses_non_web_links() -> None:
    with pytest.raises(LinkRefused):
        open_url("file:///etc/passwd", command=["true"])


def test_configured_command_gets_the_url_as_one_argument() -> None:
    url = "https://x.org/a b?q=$(touch /tmp/x)&r=`id`'\""
    assert browser_command(url, ["firefox", "--new-tab", "{url}"]) == ["firefox", "--new-tab", url]
    assert browser_command(url, ["w3m"]) == ["w3m", url]


def test_browser_env_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER", "lynx -accept_all_cookies")
    assert browser_command("https://x.org/") == ["lynx", "-accept_all_cookies", "https://x.org/"]
    monkeypatch.setenv("BROWSER", "open-it --url %s --new")
    assert browser_command("https://x.org/") == ["open-it", "--url", "https://x.org/", "--new"]


def test_hostile_url_reaches_a_real_browser_process_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "args"
    marker = tmp_path / "shell-ran"
    browser = tmp_path / "fake-browser"
    browser.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > {record}\n')
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(browser))
    url = f"https://x.org/a b?q=$(touch {marker})&r=`touch {marker}`;'\""
    open_url(url)
    assert record.read_text().splitlines() == [url]
    assert not marker.exists()
    assert os.environ["BROWSER"] == str(browser)


HOSTS = r"(www\.|WWW\.)?(www\.)?[a-z0-9-]{1,8}(\.[a-zA-Z]{2,4}){1,2}"
PATHS = r"(/[A-Za-z0-9%._~-]{0,6}){0,4}/?"


@given(
    scheme=st.sampled_from(["http", "https", "HTTPS", "ftp"]),
    host=st.from_regex(HOSTS, fullmatch=True),
    path=st.from_regex(PATHS, fullmatch=True),
    tail=st.sampled_from(["", "#frag", "?utm_source=x", "?id=3&utm_medium=y", ":8080"]),
)
def test_fast_key_agrees_with_normalise_url(scheme: str, host: str, path: str, tail: str) -> None:
    url = f"{scheme}://{host}:8080{path}" if tail == ":8080" else f"{scheme}://{host}{path}{tail}"
    assert fast_key(url) == normalise_url(url)
