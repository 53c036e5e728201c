"""`newsreader check`: a report on a feed folder for the people who produce feeds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from reader.library.library import Library
from reader.model.text import clean_line


def report(folder: Path, library: Library) -> dict[str, Any]:
    """The check report as plain data (the `--json` output)."""
    return {
        "folder": str(folder),
        "stories": len(library),
        "topics": dict(library.topics),
        "providers": dict(library.providers),
        "problems": [{"path": p.path, "reason": p.reason} for p in library.problems],
        "warnings": [
            {"path": w.path, "field": w.field, "message": w.message} for w in library.warnings
        ],
        "duplicates": [
            {"kept": d.kept, "dropped": d.dropped, "url": d.url} for d in library.duplicates
        ],
    }


def related_counts(library: Library) -> tuple[int, int]:
    """How many related entries the feed has, and how many of them point at a local story."""
    total = local = 0
    for story in library.stories:
        total += len(story.related)
        local += sum(1 for entry in story.related if library.resolve(entry) is not None)
    return total, local


def format_report(folder: Path, library: Library, *, limit: int = 50) -> str:
    """The check report as text for a person; long sections show their first `limit` rows."""
    lines: list[str] = []
    add = lines.append
    related, local = related_counts(library)
    types = Counter(story.type for story in library.stories)
    add(f"Folder:     {clean_line(str(folder))}")
    add(f"Stories:    {len(library)}" + "".join(f"  {n} {t}" for t, n in sorted(types.items())))
    add(f"Topics:     {len(library.topics)}")
    add(f"Providers:  {len(library.providers)}")
    add(f"Related:    {related} entries, {local} of them stories of this folder")
    add(f"Problems:   {len(library.problems)}")
    add(f"Warnings:   {len(library.warnings)}")
    add(f"Duplicates: {len(library.duplicates)}")

    def section(title: str, rows: list[str]) -> None:
        if not rows:
            return
        add("")
        add(f"{title} ({len(rows)})")
        lines.extend("  " + row for row in rows[:limit])
        if len(rows) > limit:
            add(f"  … and {len(rows) - limit} more (use --json for all)")

    section("Topics", [f"{n:>6}  {clean_line(name)}" for name, n in library.topics])
    section("Providers", [f"{n:>6}  {clean_line(name)}" for name, n in library.providers])
    section(
        "Problems: files that were not loaded",
        [f"{clean_line(p.path)}: {clean_line(p.reason)}" for p in library.problems],
    )
    section(
        "Warnings: fields that got a default",
        [f"{clean_line(w.path)}: {w.field}: {clean_line(w.message)}" for w in library.warnings],
    )
    section(
        "Duplicates: files holding the same story",
        [
            f"{clean_line(d.dropped)} repeats {clean_line(d.kept)} ({clean_line(d.url)}); "
            f"kept {clean_line(d.kept)}"
            for d in library.duplicates
        ],
    )
    if not library.problems:
        add("")
        add("OK: every file was loaded.")
    return "\n".join(lines)
