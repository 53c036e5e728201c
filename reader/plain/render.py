"""The plain reader's lines, made from a session's snapshot: every story string cleaned of
control characters (reader.model.text), states said in words (read, unread, starred), never
colours alone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reader.library.library import Library
from reader.model.dates import absolute, relative, short_date
from reader.model.scope import ScopeKind
from reader.model.story import RelatedStory, Story, Target
from reader.model.text import clean_line, clean_text
from reader.plain.output import Line
from reader.session.detail import Detail, RelatedRow, TrailView
from reader.session.marks import MarksView
from reader.session.snapshot import SidebarEntry, Snapshot


def plural(count: int, noun: str, nouns: str = "") -> str:
    """`1 story`, `3 stories`."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def scope_name(label: str) -> str:
    """A scope's label without the glyphs the sidebar draws (`★ Starred` -> `Starred`)."""
    return clean_line(label.lstrip("★● "))


# -- lists -------------------------------------------------------------------------------------


def story_line(label: str, story: Story, marks: MarksView) -> Line:
    """`1. Title — Provider, 2020-12-03, quality 189, unread`: one story of a list."""
    about = [clean_line(story.provider.label)]
    if story.published is not None:
        about.append(short_date(story.published))
    about.append(f"quality {story.quality}")
    if story.is_video:
        about.append("video")
    if not marks.is_read(story):
        about.append("unread")
    if marks.is_starred(story):
        about.append("starred")
    text = f"{label}. {clean_line(story.title)} — {', '.join(about)}"
    return Line(text, hang=len(label) + 2)


def related_line(label: str, row: RelatedRow, marks: MarksView) -> Line:
    """`R1. Title — Provider, date, quality 64, in this feed` (or `external`)."""
    if row.local is not None:
        line = story_line(label, row.local, marks)
        return Line(line.text + ", in this feed", hang=line.hang)
    entry = row.entry
    about = [clean_line(entry.provider.label)]
    if entry.published is not None:
        about.append(short_date(entry.published))
    if entry.quality is not None:
        about.append(f"quality {entry.quality}")
    about.append("external")
    return Line(f"{label}. {clean_line(entry.title)} — {', '.join(about)}", hang=len(label) + 2)


def page_lines(
    stories: Sequence[Story], start: int, end: int, marks: MarksView, empty: str
) -> list[Line]:
    """Stories `start` to `end` (0-based, end excluded) of a list, numbered from 1, and a
    last line saying where the page is."""
    if not stories:
        return [Line(clean_line(empty))]
    lines = [story_line(str(n + 1), stories[n], marks) for n in range(start, end)]
    total = len(stories)
    if end < total:
        where = f"Stories {start + 1} to {end} of {total:,}. Enter or more: the next page."
    else:
        where = f"Stories {start + 1} to {end} of {total:,}, the end of the list."
    return [*lines, Line(where, "dim")]


def folder_line(snapshot: Snapshot) -> Line:
    """The folder and its counts, with what the list shows: the first line at the start."""
    status = snapshot.status
    all_entry = snapshot.sidebar[0] if snapshot.sidebar else None
    unread = all_entry.unread if all_entry is not None and all_entry.unread else 0
    topics = snapshot.library.topics if snapshot.library is not None else ()
    counts = [plural(status.stories, "story", "stories"), f"{unread:,} unread"]
    counts.append(plural(len(topics), "topic"))
    if status.skipped:
        counts.append(plural(status.skipped, "file") + " skipped (type problems)")
    return Line(f"{clean_line(snapshot.folder_name)}: {', '.join(counts)}. " + view_words(snapshot))


def view_line(snapshot: Snapshot) -> Line:
    """What the list shows now: its scope, how many stories, the order and the search."""
    return Line(view_words(snapshot))


def view_words(snapshot: Snapshot) -> str:
    status = snapshot.status
    words = f"{scope_name(status.scope)}: {plural(status.shown, 'story', 'stories')}"
    words += f", {status.order}"
    if status.query:
        words += f", search {clean_line(status.query)}"
    return words + "."


# -- one story ---------------------------------------------------------------------------------


def detail_lines(
    detail: Detail, marks: MarksView, now: datetime, text: str | None = None
) -> list[Line]:
    """The story in view: title, provider, date, quality, heat, topics, folder, its text (the
    article's `text` when given, else the excerpt), the link, then its related entries (R1…),
    coverage (C1…) and the stories that mention it (M1…)."""
    target = detail.target
    lines = [Line(clean_line(target.title), "title"), *about_lines(detail, marks, now)]
    if detail.trail.position > 1 or len(detail.trail.titles) > 1:
        lines.append(Line(trail_summary(detail.trail), "dim"))
    body = text if text is not None else _excerpt(target)
    if body:
        lines += [Line(""), Line(clean_text(body))]
    lines += [Line(""), Line(f"Link: {clean_line(target.url) or 'none'}"), Line("")]
    return lines + entry_lines(detail, marks)


def about_lines(detail: Detail, marks: MarksView, now: datetime) -> list[Line]:
    """Who published the story and when; its kind, scores, marks, topics and folder."""
    target = detail.target
    provider = target.provider
    who = clean_line(provider.label)
    if provider.name and provider.domain:
        who += f" ({clean_line(provider.domain)})"
    when = absolute(target.published)
    ago = relative(target.published, now)
    lines = [Line(f"{who}, {when}" + (f", {ago}" if ago else ""))]
    if isinstance(target, RelatedStory):
        quality = "" if target.quality is None else f", quality {target.quality}"
        lines.append(Line(f"{clean_line(target.type).capitalize()}{quality}."))
        lines.append(Line("Not in this feed: a related story on another site."))
        return lines
    kind = "Video" if target.is_video else clean_line(target.type).capitalize()
    heat = "unknown" if target.heat is None else str(target.heat)
    facts = [kind, f"quality {target.quality}", f"heat {heat}"]
    facts.append("read" if marks.is_read(target) else "unread")
    if marks.is_starred(target):
        facts.append("starred")
    lines.append(Line(", ".join(facts) + "."))
    if target.topics:
        lines.append(Line("Topics: " + ", ".join(clean_line(t) for t in target.topics) + "."))
    if detail.folder:
        lines.append(Line(f"Folder: {clean_line(detail.folder)}."))
    return lines


def _excerpt(target: Target) -> str:
    parts = [target.excerpt]
    if isinstance(target, Story):
        parts.append(target.body)
    return "\n\n".join(clean_text(part) for part in parts if part.strip())


def entry_lines(detail: Detail, marks: MarksView) -> list[Line]:
    """The related entries (R1…), the coverage (C1…) and the mentions (M1…), each under a
    heading."""
    lines: list[Line] = []
    if detail.note:
        lines.append(Line(f"Related: {clean_line(detail.note)}", "heading"))
    elif detail.related:
        lines.append(Line(f"Related ({len(detail.related):,}):", "heading"))
        lines += [related_line(f"R{n}", row, marks) for n, row in enumerate(detail.related, 1)]
    else:
        lines.append(Line("Related: none.", "heading"))
    if detail.coverage:
        providers = plural(detail.providers, "provider")
        lines.append(Line(f"Coverage, the same event from {providers}:", "heading"))
        lines += [story_line(f"C{n}", s, marks) for n, s in enumerate(detail.coverage, 1)]
    if detail.mentions:
        lines.append(Line(f"Mentioned by ({len(detail.mentions):,}):", "heading"))
        lines += [story_line(f"M{n}", s, marks) for n, s in enumerate(detail.mentions, 1)]
    else:
        lines.append(Line("Mentioned by: no story of this feed.", "heading"))
    return lines


def trail_summary(trail: TrailView) -> str:
    """`Trail: stop 2 of 3; back and forward.`"""
    moves = [
        m for m, can in (("back", trail.can_go_back), ("forward", trail.can_go_forward)) if can
    ]
    where = f"Trail: stop {trail.position} of {len(trail.titles)}"
    return where + (f"; {' and '.join(moves)}." if moves else ".")


def trail_lines(trail: TrailView) -> list[Line]:
    """Every stop of the trail, the current one said to be so."""
    lines = [Line(trail_summary(trail))]
    for number, title in enumerate(trail.titles, start=1):
        here = " (you are here)" if number == trail.position else ""
        lines.append(Line(f"{number}. {clean_line(title)}{here}", hang=len(str(number)) + 2))
    return lines


# -- the sidebar: topics, views, folders -------------------------------------------------------


def entry_count(entry: SidebarEntry) -> str:
    """`12 stories, 3 unread`."""
    count = plural(entry.total, "story", "stories")
    return count + (f", {entry.unread:,} unread" if entry.unread else "")


def scope_lines(sidebar: Sequence[SidebarEntry], kinds: set[ScopeKind], title: str) -> list[Line]:
    """The sidebar's entries of some kinds, each with its counts."""
    entries = [e for e in sidebar if e.scope.kind in kinds]
    lines = [Line(f"{title} ({len(entries):,}):" if entries else f"{title}: none.", "heading")]
    lines += [Line(f"{scope_name(e.label)}: {entry_count(e)}.", hang=2) for e in entries]
    return lines


def problem_lines(library: Library | None) -> list[Line]:
    """The files that could not be read, with why, and the fields that got a default."""
    if library is None:
        return [Line("The folder is still loading.")]
    problems = [f"{clean_line(p.path)}: {clean_line(p.reason)}" for p in library.problems]
    warnings = [
        f"{clean_line(w.path)}: {clean_line(w.field)}: {clean_line(w.message)}"
        for w in library.warnings
    ]
    duplicates = [
        f"{clean_line(d.kept)}: shown; the same link in {clean_line(d.dropped)}"
        for d in library.duplicates
    ]
    lines = [
        *_section("Files that could not be read", problems),
        *_section("Fields that got a default", warnings),
    ]
    return lines + (_section("Stories in two files, shown once", duplicates) if duplicates else [])


def _section(title: str, rows: Sequence[str]) -> list[Line]:
    if not rows:
        return [Line(f"{title}: none.", "heading")]
    return [Line(f"{title} ({len(rows):,}):", "heading"), *(Line(row, hang=2) for row in rows)]
