"""An article's readable text as values: blocks of spans, numbered links, and the plain text
and JSON made of them (pure, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "item", "quote", "code", "row", "image"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text; `link` is its link's number in `Article.links` (1-based), or 0."""

    text: str
    link: int = 0


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the body: a paragraph, a heading (`level` 1-6), a list item (`level`: its
    depth, from 1), a quote, a code block (its text as it was, lines kept), a table row
    (`cells`), or an image (its alt text)."""

    kind: BlockKind
    spans: tuple[Span, ...] = ()
    level: int = 0
    cells: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The block's text without link markers."""
        if self.kind == "row":
            return "  ".join(self.cells)
        return "".join(span.text for span in self.spans)

    def marked(self) -> str:
        """The block's text with each link's number after its text: `the report [3]`."""
        if self.kind == "row":
            return self.text
        return "".join(f"{s.text} [{s.link}]" if s.link else s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class Link:
    """A link of the body, numbered by where it first appears."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Article:
    """The readable text of one page, every string already cleaned of control characters."""

    url: str  # the address asked for (the story's link)
    final_url: str  # where the redirects ended
    title: str = ""
    byline: str = ""
    published: str = ""  # YYYY-MM-DD when the page says, else ""
    site: str = ""
    blocks: tuple[Block, ...] = ()
    links: tuple[Link, ...] = ()
    fetched: float = 0.0  # Unix time of the fetch
    words: int = field(default=0)

    def __post_init__(self) -> None:
        if not self.words:
            object.__setattr__(self, "words", count_words(self.text))

    @property
    def text(self) -> str:
        """The body as plain text: one block a paragraph, a blank line between, no markers."""
        return _joined(
            [b for b in self.blocks if b.kind != "image"],
            [b.text for b in self.blocks if b.kind != "image"],
        )

    def to_json(self) -> dict[str, Any]:
        """The `newsreader article --json` object."""
        return {
            "url": self.url,
            "final_url": self.final_url,
            "title": self.title or None,
            "byline": self.byline or None,
            "published": self.published or None,
            "site": self.site or None,
            "text": self.text,
            "words": self.words,
            "links": [{"text": link.text, "url": link.url} for link in self.links],
            "fetched": iso_time(self.fetched) if self.fetched else None,
        }


_RUNS = ("item", "row")  # kinds whose neighbours of the same kind follow without a blank line


def _joined(blocks: list[Block], texts: list[str]) -> str:
    """Texts of blocks, a blank line between blocks but not between items of one list or rows
    of one table."""
    out: list[str] = []
    for index, (block, text) in enumerate(zip(blocks, texts, strict=True)):
        if index:
            same_run = block.kind in _RUNS and blocks[index - 1].kind == block.kind
            out.append("\n" if same_run else "\n\n")
        out.append(text)
    return "".join(out)


def iso_time(when: float) -> str:
    """A Unix time as ISO 8601 in UTC, to the second: `2026-12-07T15:30:00Z`."""
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def count_words(text: str) -> int:
    """How many words `text` holds (runs of letters and digits, in any script)."""
    return sum(1 for _ in _WORD.finditer(text))


def readable(article: Article, width: int = 0, *, title: bool = True) -> str:
    """The article for a person reading a terminal or a pipe: title (unless not `title`),
    byline, date and site, the body with its structure (headings underlined, items bulleted,
    quotes and code indented) and each link's number, then the numbered links."""
    lines: list[str] = []
    if article.title and title:
        lines += [article.title, "=" * min(len(article.title), width or 72), ""]
    about = [part for part in (article.byline, article.published, article.site) if part]
    if not title:  # shown in place of an excerpt: say what it is
        fetched = f", fetched {iso_time(article.fetched)}" if article.fetched else ""
        about.insert(0, f"Full article, {article.words:,} words{fetched}")
    if about:
        lines += [" · ".join(about), ""]
    body = _joined(list(article.blocks), ["\n".join(block_lines(b)) for b in article.blocks])
    lines += [body, ""]
    if article.links:
        lines.append("Links")
        lines += [f"[{n}] {link.url}" for n, link in enumerate(article.links, 1)]
    return "\n".join(lines).rstrip() + "\n"


def block_lines(block: Block) -> list[str]:
    """One block as lines of text (no wrapping: the terminal or the widget wraps)."""
    text = block.marked()
    if block.kind == "heading":
        return [text, ("=" if block.level <= 1 else "-") * min(len(text), 72)]
    if block.kind == "item":
        return ["  " * (block.level - 1) + "• " + text]
    if block.kind == "quote":
        return ["  │ " + line for line in text.splitlines() or [""]]
    if block.kind == "code":
        return ["    " + line for line in text.splitlines() or [""]]
    if block.kind == "row":
        return [" │ ".join(block.cells)]
    if block.kind == "image":
        return [f"[image: {text}]" if text else "[image]"]
    return [text]
