"""The plain reader's commands about one story: read, follow, back, forward, trail, open, copy,
star, unread. Each takes the reader and the words typed after the command."""

from __future__ import annotations

from urllib.parse import urlsplit

from reader.model.links import is_web_url
from reader.model.story import Story, Target
from reader.model.text import clean_line
from reader.plain.render import trail_lines
from reader.plain.state import NUMBER_HINT, PlainReader
from reader.platform.browser import LinkRefused
from reader.platform.clipboard import ClipboardMissing


def read(reader: PlainReader, argument: str) -> None:
    """`read N`: the story numbered N; `read` alone: the story in view again."""
    if not argument:
        if reader.snapshot.detail is None:
            reader.out.say("Which story? " + NUMBER_HINT)
        else:
            reader.show_detail()
        return
    target = reader.target(argument)
    if isinstance(target, Story) and argument.isdigit():
        reader.read(target)
    elif target is not None:  # R2, C1, M1: as `follow`
        reader.follow(target)


def follow(reader: PlainReader, argument: str) -> None:
    """`follow R2` (C1, M1, or a story's number): the next stop on the trail."""
    if not argument:
        reader.out.say("Follow which entry? Type follow R1 (or C1, M1) for the story in view.")
        return
    target = reader.target(argument)
    if target is not None:
        reader.follow(target)


def back(reader: PlainReader, argument: str) -> None:
    """`back`: the stop before on the trail."""
    _step(reader, forward=False)


def forward(reader: PlainReader, argument: str) -> None:
    """`forward`: the stop after on the trail."""
    _step(reader, forward=True)


def _step(reader: PlainReader, *, forward: bool) -> None:
    # Said here, not by the session: its notices are not repeated within seconds, and every
    # command gets its answer.
    detail = reader.snapshot.detail
    if detail is None:
        reader.out.say("There is no trail yet: read a story first.")
        return
    can = detail.trail.can_go_forward if forward else detail.trail.can_go_back
    if not can:
        reader.out.say(f"Already at the {'end' if forward else 'start'} of the trail.")
        return
    reading = reader.session.reading
    if reading.forward() if forward else reading.back():
        reader.show_detail()


def trail(reader: PlainReader, argument: str) -> None:
    """`trail`: every stop of the trail, and which one is in view."""
    detail = reader.snapshot.detail
    if detail is None:
        reader.out.say("There is no trail yet: read a story first.")
        return
    reader.out.write(trail_lines(detail.trail))


def link_of(target: Target) -> str:
    """A story's or entry's link; an entry with only a non-web link still gives it, so that
    opening it is refused out loud."""
    if isinstance(target, Story):
        return target.url
    return target.url or next(iter(target.links.all()), "")


def open_link(reader: PlainReader, argument: str) -> None:
    """`open N` (R1, C1, M1) or `open`: the link in the browser."""
    target = reader.target(argument)
    if target is None:
        return
    url = link_of(target)
    if not url:
        reader.out.say(f"{clean_line(target.title)} has no link.")
        return
    if not is_web_url(url):
        scheme = clean_line(urlsplit(url).scheme) or "no scheme"
        reader.out.say(f"Not opened: only http and https links open ({scheme}).")
        return
    shown = clean_line(url)
    reader.out.say(f"Opening {shown}")
    try:
        reader.opener(url)
    except LinkRefused:
        reader.out.say("Not opened: not an http(s) link.")
    except Exception as error:  # a browser that fails must not take the reader down
        reason = clean_line(str(error)) or error.__class__.__name__
        reader.out.say(f"Could not open {shown}: {reason}")


def copy(reader: PlainReader, argument: str) -> None:
    """`copy N` (R1, C1, M1) or `copy`: the link to the clipboard."""
    target = reader.target(argument)
    if target is None:
        return
    url = clean_line(link_of(target))
    if not url:
        reader.out.say(f"{clean_line(target.title)} has no link.")
        return
    try:
        reader.copier(url)
    except ClipboardMissing:
        reader.out.say(f"No clipboard program here (wl-copy, xclip, xsel, pbcopy). The link: {url}")
        return
    reader.out.say(f"Copied {url}")


def _story(reader: PlainReader, argument: str, doing: str) -> Story | None:
    target = reader.target(argument)
    if target is not None and not isinstance(target, Story):
        reader.out.say(
            f"Only stories of this feed can be {doing}: {clean_line(target.title)} "
            "is on another site."
        )
        return None
    return target


def star(reader: PlainReader, argument: str) -> None:
    """`star N` (or the story in view): star it, or unstar it when it is starred."""
    story = _story(reader, argument, "starred")
    if story is None:
        return
    session = reader.session
    warning = session.marks.toggle_star(story)
    if warning:
        session.tell(warning, "warning")
    session.publish()
    starred = session.marks.is_starred(story)
    reader.out.say(f"{'Starred' if starred else 'Unstarred'}: {clean_line(story.title)}")


def unread(reader: PlainReader, argument: str) -> None:
    """`unread N` (or the story in view): mark it unread again."""
    story = _story(reader, argument, "marked unread")
    if story is None:
        return
    reader.session.mark_read([story], read=False)
    reader.out.say(f"Marked unread: {clean_line(story.title)}")
