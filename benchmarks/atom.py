"""The stories of a feed folder as one Atom file, for timing newsboat on the same stories."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from reader.feed.load import walk
from reader.feed.workers import parse_files


def write_atom(folder: Path, out: Path) -> int:
    """Write every story of `folder` into the Atom file `out`; return how many were written."""
    names = [name for name, _ in walk(folder)]
    now = datetime.now(timezone.utc).isoformat()
    count = 0
    with out.open("w", encoding="utf-8") as atom:
        atom.write('<?xml version="1.0" encoding="utf-8"?>\n')
        atom.write('<feed xmlns="http://www.w3.org/2005/Atom">\n')
        atom.write(f"<title>{escape(folder.name)}</title>\n<id>urn:newsreader:bench</id>\n")
        atom.write(f"<updated>{now}</updated>\n")
        for batch in parse_files(names, folder, head_only=True):
            for result in batch:
                story = result.story
                if story is None:
                    continue
                updated = (story.published or datetime.now(timezone.utc)).isoformat()
                atom.write(
                    "<entry>"
                    f"<title>{escape(story.title)}</title>"
                    f'<link href="{escape(story.url, {chr(34): "&quot;"})}"/>'
                    f"<id>{escape(story.url or story.path)}</id>"
                    f"<updated>{updated}</updated>"
                    f"<author><name>{escape(story.provider.label)}</name></author>"
                    f"<summary>{escape(story.excerpt)}</summary>"
                    "</entry>\n"
                )
                count += 1
        atom.write("</feed>\n")
    return count
