"""The detail pane: the story in view, where it sits on the trail, and its related list."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from reader.model.dates import absolute, relative
from reader.model.story import Story, Target
from reader.model.text import shorten
from reader.session.articles import ArticleView
from reader.session.detail import Detail, TrailView, same_stop
from reader.ui.widgets.related import RelatedList


def describe(
    target: Target, now: datetime, folder: str = "", article: ArticleView | None = None
) -> Text:
    """The story (or external related entry) as safe rich text: never parsed as markup.
    `folder`: the label of the folder the story is from, when several are open; `article`:
    its article (or how its fetch goes), shown in place of the excerpt."""
    text = Text()
    text.append(target.title, style="bold")
    text.append("\n")
    provider = target.provider
    who = provider.label + (f" ({provider.domain})" if provider.name and provider.domain else "")
    text.append(who, style="italic")
    date = absolute(target.published)
    ago = relative(target.published, now)
    text.append(f"\n{date}" + (f" · {ago}" if ago else ""), style="dim")
    if isinstance(target, Story):
        kind = "Video" if target.is_video else target.type.capitalize()
        heat = "unknown" if target.heat is None else str(target.heat)
        text.append(f"\n{kind} · quality {target.quality} · heat {heat}", style="dim")
        if target.topics:
            text.append("\nTopics: ", style="dim")
            text.append(" · ".join(target.topics), style="bold")
        if folder:
            text.append("\nFolder: ", style="dim")
            text.append(folder, style="bold")
    else:
        quality = "" if target.quality is None else f" · quality {target.quality}"
        text.append(f"\n{target.type.capitalize()}{quality}", style="dim")
        text.append("\nNot in this feed: a related story on another site", style="bold")
    if article is not None:
        from reader.ui.widgets.article_text import article_text  # imported by the first article

        text.append("\n\n")
        text.append_text(article_text(article, target.title))
    if target.excerpt and (article is None or article.state == "failed"):
        text.append("\n\n")
        text.append(target.excerpt)
    if isinstance(target, Story) and target.body and article is None:
        text.append("\n\n")
        text.append(target.body)
    text.append("\n\nLink: ", style="dim")
    text.append(target.url or "none", style="underline" if target.url else "dim")
    return text


class StoryView(VerticalScroll, can_focus=False):
    """The scrolling text of the story; scrolled with the mouse, not a focus stop."""


class DetailPane(Vertical):
    """Shows one story; its related list is the pane's only focus stop."""

    def compose(self) -> ComposeResult:
        yield Static(id="trail")
        with StoryView(id="story-view"):
            yield Static(Text("Choose a story to read it here."), id="story-text")
        yield RelatedList(id="related")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text_of: Detail | None = None  # the detail whose story text is shown
        self.related_of: Detail | None = None  # the detail whose related list is shown
        self.article_of: ArticleView | None = None  # the article shown with the text

    def show(self, detail: Detail, now: datetime, article: ArticleView | None = None) -> None:
        """Display the detail: the story's text, its trail position and its related list.

        The same stop of the trail again (its related list read in the background, new groups,
        an update of the folder) keeps the text's scroll position and the related list's
        cursor, and a long related list read again keeps the rows shown until it has been.
        """
        self.query_one("#trail", Static).update(trail_text(detail.trail), layout=False)
        before = self.text_of
        same_text = before is not None and same_stop(before, detail)
        other_article = article is not self.article_of
        if before is None or not same_text or before.target is not detail.target or other_article:
            text = describe(detail.target, now, detail.folder, article)
            self.query_one("#story-text", Static).update(text)
            new_text = article is not None and article.state == "shown"
            if not same_text or (other_article and new_text):
                self.query_one("#story-view", VerticalScroll).scroll_home(animate=False)
        self.text_of, self.article_of = detail, article
        shown = self.related_of
        same = shown is not None and same_stop(shown, detail)
        if same and detail.reading and shown is not None and not shown.reading:
            return
        in_article = article.local if article is not None else ()
        self.query_one(RelatedList).set_entries(
            in_article + detail.related,
            detail.mentions,
            detail.note,
            detail.coverage,
            detail.providers,
            keep=same,
        )
        self.related_of = detail

    def clear(self, message: str) -> None:
        """Show a message instead of a story."""
        self.text_of = self.related_of = self.article_of = None
        self.query_one("#trail", Static).update("", layout=False)
        self.query_one("#story-text", Static).update(Text(message))
        self.query_one(RelatedList).set_entries((), ())


def trail_text(trail: TrailView) -> Text:
    """`Trail 2 of 3: first › second › third`, the current stop in bold."""
    text = Text(f"Trail {trail.position} of {len(trail.titles)}", style="bold")
    if len(trail.titles) > 1:
        text.append(": ")
        for number, title in enumerate(trail.titles, start=1):
            if number > 1:
                text.append(" › ", style="dim")
            label = shorten(title, 24)
            text.append(label, style="bold underline" if number == trail.position else "dim")
    hints = []
    if trail.can_go_back:
        hints.append("[ back")
    if trail.can_go_forward:
        hints.append("] forward")
    if hints:
        text.append("   (" + ", ".join(hints) + ")", style="dim")
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text
