"""An article's text from a page's bytes: the labelled pages come out close to what a person
marked as their body, charsets are honoured, and hostile pages give text and only text."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from reader.article.extract import NoArticle, decode, extract
from reader.article.model import readable
from tests.article.server import EXPECTED, HOSTILE, PAGES, labelled

WORD = re.compile(r"\w+")
PAGE_URL = "https://news.example.org/2024/story"


def words(text: str) -> Counter[str]:
    return Counter(word.lower() for word in WORD.findall(text))


def overlap(expected: str, got: str) -> tuple[float, float]:
    """Word recall and precision of `got` against `expected`."""
    want, have = words(expected), words(got)
    common = sum((want & have).values())
    return common / max(1, sum(want.values())), common / max(1, sum(have.values()))


def charset_of(content_type: str) -> str | None:
    return content_type.split("charset=", 1)[1].strip() if "charset=" in content_type else None


def test_the_labelled_pages_come_out_as_their_body_and_nothing_else() -> None:
    pages = labelled()
    assert len(pages) >= 30, "the labelled set has at least 30 pages"
    recalls, precisions = [], []
    for slug, meta in pages:
        data = (PAGES / f"{slug}.html").read_bytes()
        article = extract(data, PAGE_URL, charset=charset_of(meta.get("content_type", "")))
        recall, precision = overlap((EXPECTED / f"{slug}.txt").read_text("utf-8"), article.text)
        assert recall > 0.75, f"{slug}: most of the body is missing ({recall:.2f})"
        assert precision > 0.75, f"{slug}: much of the text is not the body ({precision:.2f})"
        recalls.append(recall)
        precisions.append(precision)
    assert sum(recalls) / len(recalls) >= 0.95
    assert sum(precisions) / len(precisions) >= 0.93


def test_title_byline_and_date_come_from_the_page() -> None:
    found = 0
    pages = labelled()
    for slug, meta in pages:
        data = (PAGES / f"{slug}.html").read_bytes()
        article = extract(data, PAGE_URL, charset=charset_of(meta.get("content_type", "")))
        found += article.published == (meta["published"] or "")
        assert article.title, f"{slug}: a title"
    assert found >= 0.9 * len(pages)


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        ("Café crème, 3 €".encode("cp1252"), "windows-1252", "Café crème, 3 €"),
        ("Grüße".encode(), None, "Grüße"),
        (b"\xef\xbb\xbfGr\xc3\xbc\xc3\x9fe", None, "Grüße"),
        (b"<meta charset='iso-8859-1'>Gr\xfc\xdfe", None, "Grüße"),
        (b"Gr\xfc\xdfe and no charset said anywhere", None, "Grüße"),
        (b"Gr\xc3\xbc\xc3\x9fe", "no-such-charset", "Grüße"),
    ],
)
def test_charsets_from_the_header_the_mark_the_meta_or_a_guess(
    data: bytes, charset: str | None, text: str
) -> None:
    assert text in decode(data, charset)


def test_a_page_served_as_windows_1252_reads_with_its_accents() -> None:
    slug = next(slug for slug, meta in labelled() if "1252" in meta.get("content_type", ""))
    article = extract((PAGES / f"{slug}.html").read_bytes(), PAGE_URL, charset="windows-1252")
    assert "\ufffd" not in article.text
    assert re.search("[éèàç€’]", article.text)


def test_structure_is_kept_and_links_are_numbered() -> None:
    page = b"""<html><head><title>Tide tables</title></head><body><article>
    <h1>Tide tables</h1>
    <p>The harbour master published the <a href="/tides/2025">new tables</a> today, with the
    spring tides marked, and <a href="https://port.example.net/notice">a notice</a> to boats
    that moor on the outer wall during the winter storms that come each year.</p>
    <h2>What changes</h2>
    <ul><li>Earlier closing of the lock</li><li>A second pilot boat</li></ul>
    <blockquote><p>We would rather be early than sorry.</p></blockquote>
    <pre><code>high water 06:41  5.2 m</code></pre>
    <table><tr><td>Mon</td><td>06:41</td></tr><tr><td>Tue</td><td>07:20</td></tr></table>
    <img src="/heron.jpg" alt="A heron on the lock gate">
    <p>The tables are free at the harbour office and <a href="/tides/2025">online</a>.</p>
    </article></body></html>"""
    article = extract(page, PAGE_URL)
    kinds = [block.kind for block in article.blocks]
    assert kinds[:2] == ["paragraph", "heading"]  # the title is not repeated as a heading
    assert kinds.count("item") == 2 and "quote" in kinds and "code" in kinds
    assert kinds.count("row") == 2 and "image" in kinds
    assert [link.url for link in article.links] == [
        "https://news.example.org/tides/2025",
        "https://port.example.net/notice",
    ]  # relative links resolved, each link once
    text = readable(article)
    assert "new tables [1]" in text and "a notice [2]" in text and "online [1]" in text
    assert "• Earlier closing of the lock" in text
    assert "[image: A heron on the lock gate]" in text
    assert "[1] https://news.example.org/tides/2025" in text
    assert "[1]" not in article.text  # the plain text has no link markers
    assert "\n\nWhat changes\n\n" in article.text


def test_a_page_without_an_article_is_said_so() -> None:
    with pytest.raises(NoArticle):
        extract(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", PAGE_URL)
    with pytest.raises(NoArticle):
        extract(b"", PAGE_URL)


# -- hostile pages ---------------------------------------------------------------------------

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")


def hostile(name: str) -> str:
    """Everything a hostile page's article shows: its plain text, its readable text and its
    JSON."""
    article = extract((HOSTILE / name).read_bytes(), PAGE_URL)
    return "\n".join([article.text, readable(article), json.dumps(article.to_json())])


def test_escape_codes_and_control_characters_never_come_out() -> None:
    shown = hostile("escapes.html")
    assert not CONTROL.search(shown)
    assert "[2J" not in shown and "]8;;" not in shown and "]52;" not in shown
    assert len(words(shown)) > 50  # the story itself is still there


def test_bidi_overrides_and_invisible_characters_are_removed() -> None:
    shown = hostile("bidi.html")
    assert not CONTROL.search(shown)
    assert len(words(shown)) > 50


def test_markup_in_the_page_is_shown_as_the_words_it_is() -> None:
    shown = hostile("markup.html")
    for literal in ("[bold red]", "[link=https://evil.example]", "[@click=app.quit]", "$accent"):
        assert literal in shown


def test_script_style_and_template_contents_are_never_shown() -> None:
    shown = hostile("scripts.html")
    assert "MARKER" not in shown.upper()
    assert len(words(shown)) > 50


def test_a_page_nested_thousands_deep_gives_text_or_a_clear_no() -> None:
    try:
        shown = hostile("deep.html")
    except NoArticle as error:
        assert "no readable text" in str(error) or "could not be read" in str(error)
    else:
        assert len(words(shown)) > 20


def test_only_web_links_are_numbered_and_images_keep_their_alt_text() -> None:
    article = extract((HOSTILE / "links.html").read_bytes(), PAGE_URL)
    urls = [link.url for link in article.links]
    assert urls and all(url.startswith(("http://", "https://")) for url in urls)
    assert not any(bad in " ".join(urls) for bad in ("javascript:", "data:", "file:"))
    assert any(url.startswith("https://news.example.org/") for url in urls)  # relative, resolved
    assert "[image: A heron at dawn]" in readable(article)
