"""What `list`, `export` and `fetch` share: the folders, query, order and limit they are
given, and the stories those select."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.model.order import Order
from reader.model.text import clean_line

if TYPE_CHECKING:
    from reader.cli.listing import Entry, Listing

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def folder_error(folder: Path) -> str | None:
    if not folder.exists():
        return f"newsreader: no such folder: {folder}"
    if not folder.is_dir():
        return f"newsreader: not a folder: {folder}"
    return None


QUERY_HELP = "only the stories this query matches (the language of `/` in the reader)"


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, not {value!r}")
    return number


def story_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments `list` and `export` share: folders, query, order and limit."""
    parser.add_argument("folders", nargs="+", type=Path, metavar="FOLDER", help="feed folder")
    parser.add_argument("--query", default="", metavar="Q", help=QUERY_HELP)
    parser.add_argument(
        "--sort",
        choices=[o.value for o in Order],
        default=Order.QUALITY.value,
        help="order of the stories (default: quality, best first)",
    )
    parser.add_argument("--limit", type=positive, metavar="N", help="at most N stories")


def list_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader list",
        description="Print the stories of one or more feed folders, best first: a table, or "
        "one JSON object per line.",
        epilog="Exit status: 0 listed (files that could not be read are counted on stderr), "
        "2 usage error (a missing folder, a bad query).",
    )
    story_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per story and line")
    return parser


def export_parser() -> argparse.ArgumentParser:
    from reader.library.export import FORMATS

    parser = argparse.ArgumentParser(
        prog="newsreader export",
        description="Write the stories of one or more feed folders as Markdown, a JSON Feed "
        "or a bookmark file browsers import.",
        epilog="Exit status: 0 written, 1 the file could not be written, 2 usage error "
        "(a missing folder, a bad query).",
    )
    story_arguments(parser)
    parser.add_argument("--format", required=True, choices=FORMATS, help="what to write")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: stdout)"
    )
    return parser


def select(args: argparse.Namespace) -> tuple[Listing, list[Entry], int] | int:
    """The stories `list` and `export` were asked for: (listing, entries, how many matched),
    or an exit status once the problem was told on stderr."""
    from reader.cli.listing import load_listing
    from reader.feed.load import FolderError
    from reader.library.query.compiled import QueryError, compile_query

    try:
        query = compile_query(args.query)
    except QueryError as error:
        print(f"newsreader: bad query: {clean_line(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    for folder in args.folders:
        error_line = folder_error(folder)
        if error_line:
            print(clean_line(error_line), file=sys.stderr)
            return EXIT_USAGE
    try:
        listing = load_listing(args.folders)
    except FolderError as failure:
        print(f"newsreader: {clean_line(str(failure))}", file=sys.stderr)
        return EXIT_USAGE
    for notice in listing.notices:
        print(f"newsreader: {notice}", file=sys.stderr)
    entries, matched = listing.select(query, Order(args.sort), args.limit)
    return listing, entries, matched
