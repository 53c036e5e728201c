"""An article as safe rich text for the detail pane: built with `Text.append`, never parsed
as markup; its structure kept (headings, lists, quotes, code, tables, images) and its links
numbered, with the numbered list at the end."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from reader.article.model import Article, Block
from reader.session.articles import ArticleView

BLOCK_STYLES = {"heading": "bold", "quote": "italic", "code": "", "image": "dim"}


def article_text(view: ArticleView, title: str = "") -> Text:
    """The pane's text in place of the excerpt: the article, or how its fetch goes. The page's
    own title is shown when it is not the story's `title`."""
    text = Text()
    if view.state != "shown" or view.article is None:
        text.append(view.note, style="italic" if view.state == "fetching" else "bold")
        return text
    article = view.article
    if article.title and article.title.casefold() != title.casefold():
        text.append(article.title + "\n", style="bold")
    text.append(about(article), style="dim")
    previous = ""
    for block in article.blocks:
        runs_on = block.kind in ("item", "row") and block.kind == previous
        text.append("\n" if runs_on else "\n\n")
        text.append_text(block_text(block))
        previous = block.kind
    if article.links:
        text.append("\n\nLinks", style="bold")
        for number, link in enumerate(article.links, 1):
            text.append(f"\n[{number}] ", style="dim")
            text.append(link.url, style="underline")
    return text


def about(article: Article) -> str:
    """`Full article · 1,234 words · fetched 7 Dec 2026 15:30 · by A. Writer · Site`."""
    parts = [f"Full article · {article.words:,} words"]
    if article.fetched:
        parts.append(
            "fetched " + datetime.fromtimestamp(article.fetched).strftime("%-d %b %Y %H:%M")
        )
    if article.byline:
        parts.append(f"by {article.byline}")
    if article.published:
        parts.append(f"published {article.published}")
    if article.site:
        parts.append(article.site)
    return " · ".join(parts)


def block_text(block: Block) -> Text:
    """One block: link texts underlined with their number after them, dim."""
    if block.kind == "row":
        return Text(" │ ".join(block.cells))
    if block.kind == "image":
        return Text(f"[image: {block.text}]" if block.text else "[image]", style="dim")
    text = Text(style=BLOCK_STYLES.get(block.kind, ""))
    if block.kind == "item":
        text.append("  " * (block.level - 1) + "• ")
    elif block.kind == "quote":
        text.append("│ ", style="dim")
    for span in block.spans:
        if span.link:
            text.append(span.text, style="underline")
            text.append(f" [{span.link}]", style="dim")
        else:
            text.append(span.text if block.kind != "code" else _indented(span.text))
    if block.kind == "code":
        text.stylize("on grey11")
    return text


def _indented(code: str) -> str:
    return "\n".join("    " + line for line in code.splitlines())
