"""Stories written out for other programs: Markdown, JSON Feed 1.1, Netscape bookmarks (pure).

Story text is untrusted: every field is escaped for its format, so that a title holding
`<script>`, `](javascript:…)` or `"><a href=…` stays text; and only http(s) links become links
(a story with another kind of link, or none, is listed by its title alone).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from reader.model.dates import short_date
from reader.model.links import is_web_url
from reader.model.story import Story
from reader.model.text import clean_line, shorten

FORMATS = ("markdown", "jsonfeed", "bookmarks")
NAMES = {"markdown": "Markdown", "jsonfeed": "JSON Feed", "bookmarks": "browser bookmarks"}
SUFFIXES = {"markdown": "md", "jsonfeed": "json", "bookmarks": "html"}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EXCERPT = 500  # characters of an excerpt kept in Markdown and bookmarks

IdOf = Callable[[Story], str]


def web_link(story: Story) -> str | None:
    """The story's link if it may become a link in an export (http or https), else None."""
    url = story.url.strip()
    return url if url and is_web_url(url) else None


def _published(story: Story) -> datetime | None:
    moment = story.published
    if moment is not None and moment.tzinfo is None:  # (the parser gives offsets: a fallback)
        moment = moment.replace(tzinfo=UTC)
    return moment


def _provider(story: Story) -> str:
    return clean_line(story.provider.name or story.provider.domain)


def _excerpt(story: Story, limit: int = EXCERPT) -> str:
    return shorten(clean_line(story.excerpt), limit)


# -- Markdown --------------------------------------------------------------------------------

# Every ASCII punctuation character that can start or end Markdown syntax (CommonMark allows a
# backslash before any ASCII punctuation), and the backslash itself.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|~&{}$])")
# At the start of a line these begin a list, a heading underline, a quote or a numbered list.
_MARKDOWN_LEADING = re.compile(r"^([-+=])|^(\d+)([.)])")


def markdown_text(value: str) -> str:
    """`value` as Markdown that shows exactly `value`, on one line: no link, image, emphasis,
    code, HTML, heading or list can come of it."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", clean_line(value))
    return _MARKDOWN_LEADING.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text
    )


# Characters a Markdown link destination in <…> cannot hold as they are; percent-encoded.
_DESTINATION_UNSAFE = re.compile(r"[\x00-\x20<>\\`\"\x7f-\x9f]")


def markdown_destination(url: str) -> str:
    """A web link as a Markdown link destination (`<…>`), whatever characters it holds."""
    encoded = _DESTINATION_UNSAFE.sub(
        lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode("utf-8")), url
    )
    return f"<{encoded}>"


def to_markdown(stories: Sequence[Story], title: str) -> str:
    """A Markdown list: each story's title as a link, then provider and date, then excerpt."""
    lines = [f"# {markdown_text(title)}", ""]
    for story in stories:
        link = web_link(story)
        name = markdown_text(story.title)
        item = f"- [{name}]({markdown_destination(link)})" if link else f"- {name}"
        facts = [markdown_text(part) for part in (_provider(story), short_date(story.published))]
        facts = [fact for fact in facts if fact]
        if facts:
            item += " — " + ", ".join(facts)
        excerpt = _excerpt(story)
        if excerpt:  # a second line of the item, after a hard line break (a final backslash)
            item += f"\\\n  {markdown_text(excerpt)}"
        lines.append(item)
    return "\n".join(lines) + "\n"


# -- JSON Feed 1.1 ---------------------------------------------------------------------------


def default_id(story: Story) -> str:
    """A story's JSON Feed id: its web link, else its path."""
    return web_link(story) or story.path


def json_feed(stories: Sequence[Story], title: str, id_of: IdOf = default_id) -> dict[str, Any]:
    """A JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) as plain data."""
    items = []
    for story in stories:
        item: dict[str, Any] = {"id": id_of(story)}
        link = web_link(story)
        if link:
            item["url"] = link
        item["title"] = clean_line(story.title)
        excerpt = clean_line(story.excerpt)
        if excerpt:
            item["summary"] = excerpt
        item["content_text"] = excerpt or item["title"]  # an item must have content
        moment = _published(story)
        if moment is not None:
            item["date_published"] = moment.isoformat()  # RFC 3339: always with an offset
        if _provider(story):
            item["authors"] = [{"name": _provider(story)}]
        if story.topics:
            item["tags"] = [clean_line(topic) for topic in story.topics]
        items.append(item)
    return {"version": JSON_FEED_VERSION, "title": clean_line(title), "items": items}


def to_json_feed(stories: Sequence[Story], title: str, id_of: IdOf = default_id) -> str:
    """A JSON Feed 1.1 document (see `json_feed`)."""
    return json.dumps(json_feed(stories, title, id_of), ensure_ascii=False, indent=2) + "\n"


# -- Netscape bookmark file ------------------------------------------------------------------


def _html(value: str) -> str:
    return html.escape(clean_line(value), quote=True)


def to_bookmarks(stories: Sequence[Story], title: str) -> str:
    """A Netscape bookmark file, as browsers, Pocket and Pinboard import it: one bookmark per
    story, dated by its publication, with its topics as TAGS and its excerpt as description."""
    lines = [
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>",
        "<!-- This is an automatically generated file. -->",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        f"<TITLE>{_html(title)}</TITLE>",
        f"<H1>{_html(title)}</H1>",
        "<DL><p>",
    ]
    for story in stories:
        link = web_link(story)
        if link is None:
            lines.append(f"    <DT>{_html(story.title)}")
        else:
            attributes = [f'HREF="{html.escape(link, quote=True)}"']
            moment = _published(story)
            if moment is not None:
                attributes.append(f'ADD_DATE="{int(moment.timestamp())}"')
            # Commas separate the tags: one inside a topic would split it in two.
            tags = [clean_line(topic.replace(",", " ")) for topic in story.topics]
            if tags:
                attributes.append(f'TAGS="{_html(",".join(tags))}"')
            lines.append(f"    <DT><A {' '.join(attributes)}>{_html(story.title)}</A>")
        excerpt = _excerpt(story)
        if excerpt:
            lines.append(f"    <DD>{_html(excerpt)}")
    lines.append("</DL><p>")
    return "\n".join(lines) + "\n"


def export(stories: Sequence[Story], format: str, title: str, id_of: IdOf = default_id) -> str:
    """`stories` in one of FORMATS, under `title`; `id_of` names each story in a JSON Feed."""
    if format == "markdown":
        return to_markdown(stories, title)
    if format == "jsonfeed":
        return to_json_feed(stories, title, id_of)
    if format == "bookmarks":
        return to_bookmarks(stories, title)
    raise ValueError(f"unknown export format: {format}")
