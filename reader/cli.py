"""The `newsreader` command: open a feed in the reader, or `check` one."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__, paths

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="Browse a folder of news stories in the terminal.",
        epilog="Run `newsreader check FOLDER` to validate a feed folder.",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help="feed folder to open (default: the sample feed)",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    return parser


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader check",
        description="Validate a feed folder: stories, topics, problems, warnings, duplicates.",
        epilog="Exit status: 0 all files loaded, 1 some files could not be read, 2 usage error.",
    )
    parser.add_argument("folder", type=Path, help="feed folder to check")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _folder_error(folder: Path) -> str | None:
    if not folder.exists():
        return f"newsreader: no such folder: {folder}"
    if not folder.is_dir():
        return f"newsreader: not a folder: {folder}"
    return None


def run_check(argv: Sequence[str]) -> int:
    """`newsreader check FOLDER [--json]`."""
    from reader.check import format_report, report
    from reader.load import FolderError, load_library

    args = _check_parser().parse_args(argv)
    folder: Path = args.folder
    error = _folder_error(folder)
    if error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    try:
        library = load_library(folder)
    except FolderError as failure:
        print(f"newsreader: {failure}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(report(folder, library), ensure_ascii=False, indent=2))
    else:
        print(format_report(folder, library))
    return EXIT_PROBLEMS if library.problems else EXIT_OK


def run_reader(argv: Sequence[str]) -> int:
    """`newsreader [FOLDER]`: the terminal UI."""
    args = _reader_parser().parse_args(argv)
    folder: Path = args.folder if args.folder is not None else paths.sample_feed()
    error = _folder_error(folder)
    if error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    from reader.load import start_workers
    from reader.ui.app import NewsReader

    start_workers()
    app = NewsReader(folder.resolve())
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsreader` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["check"]:
            return run_check(arguments[1:])
        return run_reader(arguments)
    except KeyboardInterrupt:
        return 130
