"""The detail pane: the story in view, where it sits on the trail, and its related list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from reader.model.dates import absolute, relative
from reader.model.story import Story
from reader.ui.widgets.related import RelatedList, RelatedRow, Target


def describe(target: Target, now: datetime) -> Text:
    """The story (or external related entry) as safe rich text: never parsed as markup."""
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
    else:
        quality = "" if target.quality is None else f" · quality {target.quality}"
        text.append(f"\n{target.type.capitalize()}{quality}", style="dim")
        text.append("\nNot in this feed: a related story on another site", style="bold")
    if target.excerpt:
        text.append("\n\n")
        text.append(target.excerpt)
    if isinstance(target, Story) and target.body:
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

    def show(
        self,
        target: Target,
        related: Sequence[RelatedRow],
        mentions: Sequence[Story],
        trail: Text,
        now: datetime,
        *,
        note: str = "",
        keep_text: bool = False,
    ) -> None:
        """Display `target` with its related rows, mentions and trail position.

        `note` replaces the related entries (still loading, or unreadable); `keep_text` only
        refreshes the lists, leaving the story text and its scroll position alone.
        """
        self.query_one("#trail", Static).update(trail, layout=False)  # one line, always
        if not keep_text:
            self.query_one("#story-text", Static).update(describe(target, now))
            self.query_one("#story-view", VerticalScroll).scroll_home(animate=False)
        self.query_one(RelatedList).set_entries(related, mentions, note=note)

    def clear(self, message: str) -> None:
        """Show a message instead of a story."""
        self.query_one("#trail", Static).update("", layout=False)
        self.query_one("#story-text", Static).update(Text(message))
        self.query_one(RelatedList).set_entries((), ())
