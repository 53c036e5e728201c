"""Write the README screenshot: the reader on the sample feed, following a related story.

Usage: .venv/bin/python tools/screenshot.py [OUT.svg] [--size 160x48] [--keys "enter enter"]
"""

from __future__ import annotations

import argparse
import asyncio
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
            if app.main.library is not None:
                break
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.2)
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshot.svg"))
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--keys", default="j j enter enter")
    parser.add_argument("--folder", type=Path, default=paths.sample_feed())
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    asyncio.run(shoot(args.out, (width, height), args.keys.split(), args.folder))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
