"""`newsreader article` and `newsreader fetch` as a user runs them, against a server on
127.0.0.1: the readable text and its JSON, answers from the kept articles, one-line failures,
a folder fetched politely and resumably, and what `list` and queries then know."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from tests.article.server import Site
from tests.conftest import write_story

Capture = pytest.CaptureFixture[str]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, in a process of its own (tracebacks would show on stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )


def test_article_prints_the_readable_text(site: Site) -> None:
    done = run("article", site.url("/pages/a01-harbour-bridge-toll.html"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Port Aldine votes to toll Harbour Bridge as repair bill tops £180m"
    assert "Miriam Castellane" in lines[3]
    assert "Drivers crossing the Harbour Bridge" in done.stdout
    assert "‘We have run out of other options’" in lines  # a subheading, on its own line
    assert "\x1b" not in done.stdout


def test_article_json_has_the_fields_scripts_read(site: Site) -> None:
    done = run("article", "--json", site.url("/pages/a01-harbour-bridge-toll.html"))
    article = json.loads(done.stdout)
    assert set(article) == {
        "url", "final_url", "title", "byline", "published", "site", "text", "words",
        "links", "fetched",
    }  # fmt: skip
    assert article["published"] == "2024-03-14" and article["byline"] == "Miriam Castellane"
    assert "\n\n" in article["text"] and "[1]" not in article["text"]
    assert article["words"] > 500
    assert all(set(link) == {"text", "url"} for link in article["links"])
    assert article["fetched"].endswith("Z")


def test_article_answers_from_the_kept_articles_unless_fresh(site: Site, capsys: Capture) -> None:
    url = site.url("/story/7")
    assert main(["article", url]) == 0
    assert main(["article", url]) == 0
    assert site.requests["/story/7"] == 1  # the second answer came from the kept article
    assert main(["article", "--fresh", url]) == 0
    assert site.requests["/story/7"] == 2
    assert capsys.readouterr().out.count("Harbour plan 7") == 3


def test_article_reads_the_link_of_a_story_file(site: Site, tmp_path: Path) -> None:
    story = write_story(tmp_path, "plan.md", title="Harbour plan", webUrl=site.url("/story/9"))
    done = run("article", str(story))
    assert done.returncode == 0 and "Harbour plan 9" in done.stdout


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/pdf", "the page is not HTML but application/pdf"),
        ("/to/file", "redirected to a file: address"),
        ("/missing", "the site answered 404"),
    ],
)
def test_a_page_that_fails_is_one_line_on_stderr_and_exit_1(
    site: Site, path: str, reason: str
) -> None:
    done = run("article", site.url(path))
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert reason in done.stderr and "browser" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_story_file_without_a_link_is_said_so(tmp_path: Path) -> None:
    story = write_story(tmp_path, "nolink.md", title="No link here")
    done = run("article", str(story))
    assert done.returncode == 1 and "no web link" in done.stderr


def harbour(folder: Path, site: Site, count: int) -> None:
    for n in range(count):
        write_story(
            folder,
            f"plan{n}.md",
            title=f"Harbour plan {n}",
            webUrl=site.url(f"/story/{n}"),
            quality=100 + n,
            topics=["Harbour"],
        )
    write_story(folder, "leaflet.md", title="The leaflet", webUrl=site.url("/pdf"), quality=1)
    write_story(folder, "nolink.md", title="No link", quality=2)


def test_fetch_keeps_every_article_politely_and_resumes(feed: Path) -> None:
    with Site(delay=0.05).start() as site:  # pages take a while, so requests overlap
        harbour(feed, site, 12)
        first = run("fetch", str(feed), "--jobs", "6")
        assert first.returncode == 0, first.stderr
        summary = first.stdout.strip().splitlines()[-1]
        assert summary == (
            "12 fetched, 0 kept already, 1 failed: 1 not html; 1 stories have no web link"
        )
        assert "/pdf: the page is not HTML but application/pdf" in first.stderr
        assert site.most_in_flight == 2  # six jobs, one site: two at a time
        again = run("fetch", str(feed))
        assert again.stdout.strip().startswith("0 fetched, 12 kept already, 1 failed")
        assert sum(site.requests[f"/story/{n}"] for n in range(12)) == 12


def test_list_and_queries_know_the_kept_articles(feed: Path, site: Site) -> None:
    harbour(feed, site, 3)
    assert run("fetch", str(feed), "--query", "title:plan").returncode == 0
    listed = run("list", "--json", str(feed))
    rows = {row["title"]: row for row in map(json.loads, listed.stdout.splitlines())}
    assert rows["Harbour plan 1"]["article"]["words"] > 50
    assert rows["Harbour plan 1"]["article"]["fetched"].endswith("Z")
    assert rows["The leaflet"]["article"] is None
    kept = run("list", "--json", "--query", "has:article", str(feed))
    assert len(kept.stdout.splitlines()) == 3
    phrase = run("list", "--json", "--query", 'text:"custom house" -text:lorries', str(feed))
    assert phrase.stdout == ""  # every page has both
    berths = run("list", "--json", "--query", 'text:"bring 2 new berths"', str(feed))
    assert [json.loads(line)["title"] for line in berths.stdout.splitlines()] == ["Harbour plan 2"]


def test_fetch_with_a_bad_query_is_a_usage_error(feed: Path) -> None:
    done = run("fetch", str(feed), "--query", "quality>>")
    assert done.returncode == 2 and "bad query" in done.stderr
