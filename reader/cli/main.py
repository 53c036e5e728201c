"""The `newsreader` command: open a feed in the reader, `check` one, `list` or `export` its
stories, or `serve` it to browsers."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader import __version__
from reader.cli.selection import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    export_parser,
    folder_error,
    list_parser,
    select,
)
from reader.model.order import Order
from reader.model.text import clean_line
from reader.platform import memory, paths

if TYPE_CHECKING:
    from reader.platform.config import Config


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="Browse a folder of news stories in the terminal.",
        epilog="Also: `newsreader check FOLDER` validates a feed folder; `newsreader config "
        "--path` prints where the config file is; `newsreader list FOLDER...` and `newsreader "
        "export FOLDER... --format F` give stories to scripts; `newsreader serve [FOLDER]` "
        "serves the reader to web browsers; `newsreader article URL` prints a page's article, "
        "and `newsreader fetch FOLDER...` keeps every story's article for reading offline.",
    )
    parser.add_argument(
        "folder",
        nargs="*",
        type=Path,
        help="feed folder(s) to open, several as one (default: the config's `folders` or "
        "`default_folder`, else the sample feed)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="PATH", help="config file to use (see `newsreader config`)"
    )
    parser.add_argument(
        "--sort", choices=[o.value for o in Order], help="order of the list for this run"
    )
    parser.add_argument("--topic", help="topic to open for this run")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="the plain reader: one command a line on standard input, plain lines out, for "
        "screen readers, braille displays and pipes (also chosen when TERM=dumb; type help "
        "in it for its commands)",
    )
    parser.add_argument(
        "--color",
        "--colour",
        dest="colour",
        action="store_true",
        help="with --plain: some colour (never with NO_COLOR or TERM=dumb)",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    return parser


def _query_problem(query: str) -> str:
    """A saved view's query judged by the query language (imported only with views to read)."""
    from reader.library.query.compiled import query_problem

    return query_problem(query)


def run_config(argv: Sequence[str]) -> int:
    """`newsreader config [--path]`: where the config file is, or an example of it."""
    parser = argparse.ArgumentParser(
        prog="newsreader config", description="Show where the config file is, or an example."
    )
    parser.add_argument("--path", action="store_true", help="print the config file's path")
    parser.add_argument("--config", type=Path, metavar="PATH", help="another config file")
    args = parser.parse_args(argv)
    path = args.config or paths.config_file()
    if args.path:
        print(path)
        return EXIT_OK
    from reader.platform.config import EXAMPLE, load_config

    _, warnings = load_config(path, _query_problem)
    state = "exists" if path.exists() else "does not exist yet"
    print(f"# {path} ({state}). An example:\n")
    print(EXAMPLE)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader check",
        description="Validate feed folders: stories, topics, problems, warnings, duplicates.",
        epilog="Exit status: 0 all files loaded, 1 some files could not be read, 2 usage error.",
    )
    parser.add_argument("folder", type=Path, nargs="+", help="feed folder(s) to check")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object (an array of them for several)"
    )
    return parser


def run_check(argv: Sequence[str]) -> int:
    """`newsreader check FOLDER... [--json]`: a report for each folder."""
    from reader.cli.check import format_report, report
    from reader.feed.load import FolderError
    from reader.library.build import load_library

    args = _check_parser().parse_args(argv)
    folders: list[Path] = args.folder
    for folder in folders:  # every folder named is there, or nothing is checked
        error = folder_error(folder)
        if error:
            print(error, file=sys.stderr)
            return EXIT_USAGE
    reports, texts, problems = [], [], False
    for folder in folders:
        try:
            library = load_library(folder, mentions=False)
        except FolderError as failure:
            print(f"newsreader: {failure}", file=sys.stderr)
            return EXIT_USAGE
        reports.append(report(folder, library))
        texts.append(format_report(folder, library))
        problems = problems or bool(library.problems)
    if args.json:
        shown = reports[0] if len(reports) == 1 else reports
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(texts))
    return EXIT_PROBLEMS if problems else EXIT_OK


# -- list and export: stories for scripts ----------------------------------------------------


def run_list(argv: Sequence[str]) -> int:
    """`newsreader list FOLDER... [--query Q] [--sort ORDER] [--limit N] [--json]`."""
    from reader.cli.listing import format_table, json_row

    args = list_parser().parse_args(argv)
    selected = select(args)
    if isinstance(selected, int):
        return selected
    _, entries, matched = selected
    if args.json:
        for entry in entries:
            print(json.dumps(json_row(entry), ensure_ascii=False))
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 80
        print(format_table(entries, matched, order=Order(args.sort), width=width))
    return EXIT_OK


def run_export(argv: Sequence[str]) -> int:
    """`newsreader export FOLDER... [--query Q] --format FORMAT [-o FILE]`."""
    from reader.library.export import export, web_link
    from reader.platform.writing import write_whole

    args = export_parser().parse_args(argv)
    selected = select(args)
    if isinstance(selected, int):
        return selected
    listing, entries, _ = selected
    names = [source.label for source in listing.sources.sources]
    title = ", ".join(names) + (f" ({args.query})" if args.query.strip() else "")
    # A story's JSON Feed id: its link, else its path (behind its folder's label, with several).
    ids = {id(entry.story): web_link(entry.story) or entry.key for entry in entries}
    text = export([e.story for e in entries], args.format, title, lambda story: ids[id(story)])
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_whole(args.output, text)
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"newsreader: could not write {args.output}: {reason}", file=sys.stderr)
        return EXIT_PROBLEMS
    stories = "1 story" if len(entries) == 1 else f"{len(entries)} stories"
    print(f"newsreader: {stories} written to {args.output} ({args.format})", file=sys.stderr)
    return EXIT_OK


def _folders_to_open(given: list[Path], config: Config, warnings: list[str]) -> list[Path] | None:
    """The folders given, else the config's `folders`, else its `default_folder`, else the
    sample feed; resolved. None (and why, on stderr) when a folder given is not a folder, or
    one lies inside another: then none is opened. A folder of the config's `folders` that is
    not there (a drive not mounted) is left out with a warning, as long as one is."""
    folders = given or config.folders or [config.default_folder or paths.sample_feed()]
    errors = {folder: folder_error(folder) for folder in folders}  # each looked at once
    if folders is config.folders and any(error is None for error in errors.values()):
        for folder, error in errors.items():
            if error is not None:
                warnings.append(f"folders: {clean_line(str(folder))} is not there (left out)")
        folders = [folder for folder, error in errors.items() if error is None]
    first = next((errors[folder] for folder in folders if errors[folder]), None)
    if first is not None:
        print(first, file=sys.stderr)
        return None
    from reader.feed.folders import Folders, NestedFolders

    try:
        Folders.of(folders)
    except NestedFolders as nested:
        print(f"newsreader: {nested}: open the outer folder alone", file=sys.stderr)
        return None
    return [folder.resolve() for folder in folders]


def _run_plain(
    args: argparse.Namespace,
    folders: list[Path],
    config: Config,
    warnings: list[str],
    config_path: Path,
) -> int:
    """The plain reader (`--plain`, or TERM=dumb): lines on standard input and output."""
    from reader.plain.loop import run_plain

    for warning in warnings:
        print(f"warning: {clean_line(warning)}", file=sys.stderr)
    return run_plain(
        folders,
        config=config,
        config_file=config_path,
        order=Order(args.sort) if args.sort else None,
        topic=clean_line(args.topic) if args.topic else None,
        colour=args.colour,
    )


def run_reader(argv: Sequence[str]) -> int:
    """`newsreader [FOLDER...]`: the terminal UI."""
    from reader.platform.config import load_config

    args = _reader_parser().parse_args(argv)
    config_path = args.config or paths.config_file()
    if args.config is not None and not args.config.is_file():
        print(f"newsreader: no such config file: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    config, warnings = load_config(config_path, _query_problem)
    folders = _folders_to_open(args.folder, config, warnings)
    if folders is None:
        return EXIT_USAGE
    if args.plain or os.environ.get("TERM") == "dumb":
        return _run_plain(args, folders, config, warnings, config_path)
    from reader.ui.app import NewsReader

    # A first start parses in worker processes: start their server now, alongside the
    # interface. With a cache, they start only if there is something to parse, after the
    # first screen is drawn.
    if not all(paths.index_cache(folder).exists() for folder in folders):
        from reader.feed.workers import start_workers

        start_workers()
    memory.tune()
    # Loading, updates and grouping run in threads, holding the interpreter in turns with the
    # screen: a switch every millisecond, not every five, keeps keys answered meanwhile.
    sys.setswitchinterval(0.001)
    app = NewsReader(
        folders,
        config=config,
        config_warnings=warnings,
        sort=Order(args.sort) if args.sort else None,
        topic=clean_line(args.topic) if args.topic else None,
        end_on_signals=True,  # a closed terminal or a `kill` ends it as `q` does
        config_file=config_path,
    )
    app.run()
    return app.return_code or 0


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader serve",
        description="Serve the reader to web browsers: every browser tab is its own reader.",
        epilog="Only this machine can connect unless --host says otherwise: anyone who can "
        "reach the port can read the folder and change its read and starred marks.",
    )
    parser.add_argument(
        "folder",
        nargs="*",
        type=Path,
        help="feed folder(s) to serve, several as one (default: as for `newsreader`)",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free one)"
    )
    parser.add_argument(
        "--config", type=Path, metavar="PATH", help="config file to use (see `newsreader config`)"
    )
    return parser


def run_serve(argv: Sequence[str]) -> int:
    """`newsreader serve [FOLDER] [--host H] [--port P]`: the reader in web browsers."""
    from reader.platform.config import load_config

    parser = _serve_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port: {args.port} is not a port number (0-65535)")
    if args.config is not None and not args.config.is_file():
        print(f"newsreader: no such config file: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    config, warnings = load_config(args.config or paths.config_file(), _query_problem)
    folders = _folders_to_open(args.folder, config, warnings)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if folders is None:
        return EXIT_USAGE
    from reader.ui.serve import run

    config_path = args.config.resolve() if args.config is not None else None
    return run(folders, host=args.host, port=args.port, config=config_path)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsreader` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["check"]:
            return run_check(arguments[1:])
        if arguments[:1] == ["list"]:
            return run_list(arguments[1:])
        if arguments[:1] == ["export"]:
            return run_export(arguments[1:])
        if arguments[:1] == ["config"]:
            return run_config(arguments[1:])
        if arguments[:1] == ["serve"]:
            return run_serve(arguments[1:])
        if arguments[:1] in (["article"], ["fetch"]):
            from reader.cli.article import run as run_article

            return run_article(arguments[0], arguments[1:])
        return run_reader(arguments)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `newsreader check … | head`: the reader of our output left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
