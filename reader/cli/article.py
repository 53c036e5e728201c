"""`newsreader article URL|STORY_FILE` prints a page's readable text; `newsreader fetch
FOLDER...` fetches and keeps the articles of a folder's stories, for reading offline."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from reader.cli.selection import EXIT_OK, EXIT_PROBLEMS, positive, select
from reader.model.order import Order
from reader.model.text import clean_line
from reader.platform import paths

BROWSER_HINT = "the page may still open in a browser"


def _article_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader article",
        description="Print the readable text of a story's page: title, byline, date, the body "
        "with its headings, lists, quotes, code and tables, and its links numbered. Answers "
        "from the kept articles when it can (see `newsreader fetch`).",
        epilog="Exit status: 0 printed, 1 the page could not be fetched or read (one line on "
        "stderr says why), 2 usage error.",
    )
    parser.add_argument("source", metavar="URL|STORY_FILE", help="a web link, or a story file")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--fresh", action="store_true", help="fetch again, even if kept")
    return parser


def _fetch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader fetch",
        description="Fetch and keep the article of every story of the folders (or of those "
        "the query matches), for reading offline with `t`. What is kept is not fetched again.",
        epilog="At most two requests at once go to one site. Exit status: 0 it ran (failures "
        "are summed up at the end), 2 usage error (a missing folder, a bad query).",
    )
    parser.add_argument("folders", nargs="+", type=Path, metavar="FOLDER", help="feed folder")
    parser.add_argument("--query", default="", metavar="Q", help="only the stories it matches")
    parser.add_argument(
        "--jobs", type=positive, default=4, metavar="N", help="pages fetched at once (default 4)"
    )
    parser.add_argument("--fresh", action="store_true", help="fetch again what is kept")
    return parser


def run(command: str, argv: Sequence[str]) -> int:
    """`newsreader article …` or `newsreader fetch …`."""
    return run_article(argv) if command == "article" else run_fetch(argv)


def _link_of(source: str) -> str | None:
    """The link to fetch: the argument itself, or the link of the story file it names."""
    path = Path(source)
    if "://" in source:
        return source
    if not path.is_file():
        print(
            f"newsreader: {clean_line(source)}: no such story file, nor a web link", file=sys.stderr
        )
        return None
    from reader.feed.parse import parse_story

    try:
        result = parse_story(path.read_bytes(), path.name)
    except OSError as error:
        print(f"newsreader: {path}: {clean_line(error.strerror or str(error))}", file=sys.stderr)
        return None
    if result.story is None or not result.story.url:
        reason = result.problem.reason if result.problem else "the story has no web link"
        print(f"newsreader: {path}: {clean_line(reason)}", file=sys.stderr)
        return None
    return result.story.url


def run_article(argv: Sequence[str]) -> int:
    from reader.article.articles import read_article
    from reader.article.fetch import FetchError
    from reader.article.model import readable
    from reader.article.store import ArticleStore

    args = _article_parser().parse_args(argv)
    url = _link_of(args.source)
    if url is None:
        return EXIT_PROBLEMS
    store = ArticleStore(paths.article_cache())
    try:
        article = read_article(store, url, fresh=args.fresh)
    except FetchError as error:
        print(f"newsreader: {clean_line(url)}: {error.reason}; {BROWSER_HINT}", file=sys.stderr)
        return EXIT_PROBLEMS
    except (OSError, sqlite3.Error) as error:  # the kept articles' file cannot be written
        reason = clean_line(str(error))
        print(
            f"newsreader: {clean_line(url)}: it failed ({reason}); {BROWSER_HINT}", file=sys.stderr
        )
        return EXIT_PROBLEMS
    finally:
        store.close()
    if args.json:
        print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
        sys.stdout.write(readable(article, min(width, 100)))
    return EXIT_OK


def run_fetch(argv: Sequence[str]) -> int:
    from reader.article.batch import Outcome, fetch_many, summary
    from reader.article.store import ArticleStore

    args = _fetch_parser().parse_args(argv)
    args.sort, args.limit = Order.QUALITY.value, None
    selected = select(args)
    if isinstance(selected, int):
        return selected
    _, entries, _ = selected
    urls = [entry.story.url for entry in entries if entry.story.url]
    store = ArticleStore(paths.article_cache())
    failed: list[Outcome] = []
    with _progress(len(set(urls))) as advance:

        def done(outcome: Outcome) -> None:
            if outcome.status == "failed":
                failed.append(outcome)
            advance(len(failed))

        try:
            outcomes = fetch_many(urls, store, jobs=args.jobs, fresh=args.fresh, done=done)
        finally:
            store.close()
    without = len(entries) - len(urls)
    print(summary(outcomes) + (f"; {without} stories have no web link" if without else ""))
    for outcome in failed[:20]:
        print(f"  {clean_line(outcome.url)}: {outcome.reason}", file=sys.stderr)
    if len(failed) > 20:
        print(f"  … and {len(failed) - 20} more", file=sys.stderr)
    return EXIT_OK


class _progress:
    """A progress bar on stderr (rich) while pages are fetched: done of all, failures."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("fetching articles"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            console=Console(stderr=True),
            transient=False,
        )
        self.task = self.progress.add_task("fetch", total=total, failed=0)

    def __enter__(self) -> _Advance:
        self.progress.start()
        return _Advance(self)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


class _Advance:
    def __init__(self, owner: _progress) -> None:
        self.owner = owner

    def __call__(self, failed: int) -> None:
        self.owner.progress.update(self.owner.task, advance=1, failed=failed)
