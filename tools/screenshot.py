"""Write the README screenshots: the reader on the sample feed, following a related story; or,
with --article PAGE.html, a page's article read in the pane (`t`).

Usage: .venv/bin/python tools/screenshot.py [OUT.svg] [--size 160x48] [--keys "enter enter"]
       .venv/bin/python tools/screenshot.py docs/article.svg --keys t \
           --article tests/fixtures/articles/pages/a04-magazine-salt-makers.html
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from reader.platform import paths
from reader.ui.app import NewsReader


async def shoot(out: Path, size: tuple[int, int], keys: list[str], folder: Path) -> None:
    app = NewsReader(
        folder, opener=lambda url: None, clock=lambda: datetime(2026, 1, 15, tzinfo=timezone.utc)
    )
    async with app.run_test(size=size) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            library = app.session.loader.library if app.session is not None else None
            if library is not None and library.complete:
                break
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.2)
        app.save_screenshot(filename=out.name, path=str(out.parent))


def with_article(page: Path, work: Path) -> Path:
    """A copy of the sample feed with a story for `page` on top, its article kept (extracted
    from the page here: nothing is fetched) in a cache of its own under `work`."""
    import os
    import shutil

    from reader.article.extract import extract
    from reader.article.store import ArticleStore

    os.environ["NEWSREADER_CACHE_DIR"] = str(work / "cache")
    os.environ["NEWSREADER_DATA_DIR"] = str(work / "data")
    folder = work / "feed"
    shutil.copytree(paths.sample_feed(), folder)
    link = f"https://saltandsea.example/features/{page.stem}"
    article = extract(page.read_bytes(), link)
    ArticleStore(paths.article_cache()).put(
        replace(article, fetched=datetime(2026, 1, 15, 9, 30).timestamp())
    )
    title = article.title.replace('"', "'")
    (folder / "000_article.txt").write_text(
        f'---\ntitle: "{title}"\nexcerpt: "A feature, read in the pane."\n'
        f"publishedDateTime: {article.published or '2026-01-14'}T08:00:00Z\n"
        f'webUrl: "{link}"\ntype: article\nquality: 250\nheat: 120\n'
        f"provider:\n  name: {article.site or 'Salt and Sea'}\n  domain: saltandsea.example\n"
        "topics:\n  - Features\n---\n",
        encoding="utf-8",
    )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshot.svg"))
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--keys", default="j j enter enter")
    parser.add_argument("--folder", type=Path, default=paths.sample_feed())
    parser.add_argument("--article", type=Path, help="an HTML page to read in the pane")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory() as work:
        folder = with_article(args.article, Path(work)) if args.article else args.folder
        asyncio.run(shoot(args.out, (width, height), args.keys.split(), folder))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
