"""Exports: each format parses with a standard parser, carries exactly the stories given, and
keeps hostile titles as text (only http(s) links become links)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.library.export import (
    JSON_FEED_VERSION,
    export,
    markdown_text,
    to_bookmarks,
    to_json_feed,
    to_markdown,
)
from reader.model.story import Links, Provider, Story

HOSTILE_TITLES = (
    "<script>alert('owned')</script> Harbour cranes return",
    "Click [here](javascript:alert(1)) for the tide tables",
    '"><a href="https://evil.example/">Ferry timetable</a>',
    "# Not a heading: *bold* _claims_ and `code` ![img](https://evil.example/x.png)",
    "1. Not a list item & not &amp; an entity \\ with | pipes ~~ and {braces} $5",
    "- also not a list, <https://evil.example/auto> no autolink",
)


def story(
    path: str,
    title: str,
    url: str = "",
    *,
    quality: int = 50,
    excerpt: str = "",
    topics: tuple[str, ...] = (),
    provider: str = "Northgate Tribune",
    published: datetime | None = datetime(2023, 3, 14, 8, 20, tzinfo=UTC),
) -> Story:
    return Story(
        path=path,
        title=title,
        excerpt=excerpt,
        quality=quality,
        topics=topics,
        published=published,
        provider=Provider(name=provider, domain="northgatetribune.com"),
        links=Links(web=url),
    )


ORDINARY = (
    story(
        "chips/varenne.txt",
        "Varenne Microsystems breaks ground on $14 billion chip plant",
        "https://www.northgatetribune.com/technology/2023/03/14/varenne-breaks-ground/",
        excerpt="The chipmaker says the site will turn out 3-nanometre wafers from 2026.",
        topics=("Semiconductors", "Jobs, Housing"),
    ),
    story(
        "space/starling.txt",
        "Halcyon lands its Starling booster at sea",
        "https://orbitaldesk.com/2021/07/starling?ref=feed&utm_source=x",
        provider="The Orbital Desk",
        published=datetime(2021, 7, 8, 21, 14, tzinfo=timezone(timedelta(hours=2))),
        topics=("Space",),
    ),
    story("notes/no-link.txt", "Editor's note without a link", "", published=None),
)
HOSTILE = (
    *(
        story(f"hostile/{n}.txt", title, f"https://example.org/story/{n}", excerpt=title)
        for n, title in enumerate(HOSTILE_TITLES)
    ),
    story("hostile/js.txt", "Free tickets", "javascript:alert(document.cookie)"),
    story("hostile/file.txt", "Local file", "file:///etc/passwd"),
    story("hostile/nohost.txt", "No host", "https:///etc/passwd"),
)


# -- parsing the outputs back ----------------------------------------------------------------


class Bookmarks(HTMLParser):
    """The bookmarks (href, attributes, text) and every start tag of a Netscape bookmark file."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[tuple[str, dict[str, str | None], str]] = []
        self.entries: list[str] = []  # the text of each <DT>
        self._in_link = False
        self._where = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "dt":
            self.entries.append("")
            self._where = "dt"
        elif tag == "dd":
            self._where = "dd"
        elif tag == "a":
            self._in_link = True
            attributes = dict(attrs)
            self.links.append((attributes.get("href") or "", attributes, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False

    def handle_data(self, data: str) -> None:
        if self._in_link:
            href, attributes, text = self.links[-1]
            self.links[-1] = (href, attributes, text + data)
        if self._where == "dt" and self.entries:
            self.entries[-1] += data.strip("\n ")


def markdown_tokens(text: str) -> list[Token]:
    """The inline tokens of a CommonMark document, as a permissive renderer sees them (one that
    would link any scheme: the export must not rely on the renderer to refuse javascript:)."""
    parser = MarkdownIt("commonmark")
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    found: list[Token] = []
    for token in parser.parse(text):
        found.append(token)
        found.extend(token.children or ())
    return found


def markdown_links(text: str) -> list[tuple[str, str]]:
    """(href, link text) of every link in a CommonMark document."""
    links: list[tuple[str, str]] = []
    href: str | None = None
    label = ""
    for token in markdown_tokens(text):
        if token.type == "link_open":
            href, label = str(token.attrGet("href")), ""
        elif token.type == "link_close":
            assert href is not None
            links.append((href, label))
            href = None
        elif href is not None and token.type in ("text", "code_inline"):
            label += token.content
    return links


def markdown_items(text: str) -> list[str]:
    """The text of each list item, its soft and hard breaks as new lines."""
    items: list[str] = []
    for token in markdown_tokens(text):
        if token.type == "list_item_open":
            items.append("")
        elif items and token.type in ("text", "code_inline"):
            items[-1] += token.content
        elif items and token.type in ("softbreak", "hardbreak"):
            items[-1] += "\n"
    return items


# -- Markdown --------------------------------------------------------------------------------


def test_markdown_is_one_list_item_per_story_with_title_links() -> None:
    text = to_markdown(ORDINARY, "Morning picks")
    tokens = markdown_tokens(text)
    assert next(t.content for t in tokens if t.type == "inline") == "Morning picks"
    assert sum(t.type == "list_item_open" for t in tokens) == len(ORDINARY)
    assert markdown_links(text) == [
        (ORDINARY[0].url, ORDINARY[0].title),
        (ORDINARY[1].url, ORDINARY[1].title),
    ]
    first, second, third = markdown_items(text)
    assert first == (f"{ORDINARY[0].title} — Northgate Tribune, 2023-03-14\n{ORDINARY[0].excerpt}")
    assert second == f"{ORDINARY[1].title} — The Orbital Desk, 2021-07-08"
    assert third == "Editor's note without a link — Northgate Tribune"


def test_markdown_keeps_hostile_titles_as_text() -> None:
    text = to_markdown(HOSTILE, "Hostile <b>feed</b> [x](javascript:y)")
    tokens = markdown_tokens(text)
    # Exactly one link per web story, each to its own link, its text the whole title.
    web = [s for s in HOSTILE if s.url.startswith("https://e")]
    assert markdown_links(text) == [(s.url, s.title) for s in web]
    # No HTML, image, emphasis, code or heading came of the titles and excerpts.
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "image", "em_open", "strong_open"}
    assert not kinds & {"code_inline", "code_block", "fence", "ordered_list_open"}
    assert sum(t.type == "heading_open" for t in tokens) == 1  # the document's own title
    assert sum(t.type == "bullet_list_open" for t in tokens) == 1  # one list, not nested
    # Every item reads as the story's title (and its excerpt), character for character.
    items = markdown_items(text)
    for item, hostile in zip(items, HOSTILE, strict=True):
        assert item.startswith(hostile.title + " — Northgate Tribune, 2023-03-14")
        if hostile.excerpt:
            assert item.endswith("\n" + hostile.excerpt)
    # The stories whose links are not web links are listed by title, without a link.
    assert items[-3].startswith("Free tickets — ") and items[-2].startswith("Local file — ")
    assert items[-1].startswith("No host — ")
    assert "javascript:alert(document" not in text and "file:///" not in text


@pytest.mark.parametrize("value", [*HOSTILE_TITLES, "2) x", "+ y", "=== z", "a\nb\r\n# c"])
def test_markdown_text_shows_exactly_its_value(value: str) -> None:
    text = markdown_text(value)
    assert "\n" not in text and "\r" not in text
    tokens = markdown_tokens(text)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "text", "paragraph_close"]
    assert tokens[2].content == " ".join(value.split())


def test_markdown_link_with_awkward_characters_stays_one_link() -> None:
    url = 'https://example.org/a b/(c)<d>?q="e"&f=`g`'
    text = to_markdown([story("a.txt", "Awkward", url)], "t")
    [(href, label)] = markdown_links(text)
    assert label == "Awkward"
    assert href.startswith("https://example.org/a%20b/(c)%3Cd%3E?q=%22e%22&f=%60g%60")


# -- JSON Feed -------------------------------------------------------------------------------


def test_json_feed_is_valid_json_feed_1_1() -> None:
    feed = json.loads(to_json_feed(ORDINARY, "Morning picks"))
    assert feed["version"] == JSON_FEED_VERSION == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Morning picks"
    items = feed["items"]
    assert [item["title"] for item in items] == [s.title for s in ORDINARY]
    first, second, third = items
    assert first["id"] == first["url"] == ORDINARY[0].url
    assert first["summary"] == ORDINARY[0].excerpt
    assert first["date_published"] == "2023-03-14T08:20:00+00:00"
    assert first["tags"] == ["Semiconductors", "Jobs, Housing"]
    assert first["authors"] == [{"name": "Northgate Tribune"}]
    assert second["date_published"] == "2021-07-08T21:14:00+02:00"
    assert "url" not in third and "date_published" not in third
    assert third["id"] == "notes/no-link.txt"
    for item in items:  # the spec: a string id, and content_text or content_html
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_text"), str)
        assert datetime.fromisoformat(item.get("date_published", "2000-01-01T00:00:00Z"))
    assert len({item["id"] for item in items}) == len(items)


def test_json_feed_links_only_web_links_and_keeps_titles_verbatim() -> None:
    feed = json.loads(to_json_feed(HOSTILE, "Hostile", lambda s: "id:" + s.path))
    assert [item["title"] for item in feed["items"]] == [s.title for s in HOSTILE]
    assert [item.get("url") for item in feed["items"]] == [
        s.url if s.url.startswith("https://e") else None for s in HOSTILE
    ]
    assert [item["id"] for item in feed["items"]] == ["id:" + s.path for s in HOSTILE]


# -- Netscape bookmarks ----------------------------------------------------------------------


def test_bookmarks_file_has_one_link_per_web_story_with_date_and_tags() -> None:
    text = to_bookmarks(ORDINARY, "Morning picks")
    assert text.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n")
    parsed = Bookmarks(text)
    assert parsed.tags[:3] == ["meta", "title", "h1"]
    first, second = parsed.links
    assert first[0] == ORDINARY[0].url and first[2] == ORDINARY[0].title
    assert first[1]["add_date"] == str(int(datetime(2023, 3, 14, 8, 20, tzinfo=UTC).timestamp()))
    assert first[1]["tags"] == "Semiconductors,Jobs Housing"  # a comma would split the tag
    assert second[0] == ORDINARY[1].url  # `&` in the link arrives as it is
    assert parsed.entries == [s.title for s in ORDINARY]  # the last one: title only, no link


def test_bookmarks_keep_hostile_titles_as_text() -> None:
    text = to_bookmarks(HOSTILE, '<script>x</script>"><a href="https://evil.example/">')
    parsed = Bookmarks(text)
    assert "script" not in parsed.tags
    web = [s for s in HOSTILE if s.url.startswith("https://e")]
    assert [(href, label) for href, _, label in parsed.links] == [(s.url, s.title) for s in web]
    assert parsed.entries == [s.title for s in HOSTILE]
    assert parsed.tags.count("a") == len(web)


def test_every_format_carries_exactly_the_stories_given() -> None:
    stories = ORDINARY[:2]
    assert len(markdown_links(export(stories, "markdown", "t"))) == 2
    assert len(json.loads(export(stories, "jsonfeed", "t"))["items"]) == 2
    assert len(Bookmarks(export(stories, "bookmarks", "t")).links) == 2
    assert json.loads(export([], "jsonfeed", "t"))["items"] == []
    with pytest.raises(ValueError):
        export(stories, "rss", "t")
