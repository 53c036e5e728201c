"""The `newsreader` command: open a feed in the reader, `check` one, or `serve` it to browsers."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__, memory, paths
from reader.model.order import Order
from reader.model.text import clean_line

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="Browse a folder of news stories in the terminal.",
        epilog="Also: `newsreader check FOLDER` validates a feed folder; `newsreader config "
        "--path` prints where the config file is; `newsreader serve [FOLDER]` serves the reader "
        "to web browsers.",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help="feed folder to open (default: the sample feed)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="PATH", help="config file to use (see `newsreader config`)"
    )
    parser.add_argument(
        "--sort", choices=[o.value for o in Order], help="order of the list for this run"
    )
    parser.add_argument("--topic", help="topic to open for this run")
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    return parser


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
    from reader.config import EXAMPLE, load_config

    _, warnings = load_config(path)
    state = "exists" if path.exists() else "does not exist yet"
    print(f"# {path} ({state}). An example:\n")
    print(EXAMPLE)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


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
    from reader.feed.load import FolderError
    from reader.library.build import load_library

    args = _check_parser().parse_args(argv)
    folder: Path = args.folder
    error = _folder_error(folder)
    if error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    try:
        library = load_library(folder, mentions=False)
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
    from reader.config import load_config

    args = _reader_parser().parse_args(argv)
    config_path = args.config or paths.config_file()
    if args.config is not None and not args.config.is_file():
        print(f"newsreader: no such config file: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    config, warnings = load_config(config_path)
    folder: Path = args.folder or config.default_folder or paths.sample_feed()
    error = _folder_error(folder)
    if error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    from reader.feed.load import start_workers
    from reader.ui.app import NewsReader

    folder = folder.resolve()
    # A first start parses in worker processes: start their server now, alongside the
    # interface. With a cache, it starts only if there is something to parse, after the
    # first screen is drawn (what it needs that cannot start later is started now).
    start_workers(server=not paths.index_cache(folder).exists())
    memory.tune()
    app = NewsReader(
        folder,
        config=config,
        config_warnings=warnings,
        sort=Order(args.sort) if args.sort else None,
        topic=clean_line(args.topic) if args.topic else None,
        end_on_signals=True,  # a closed terminal or a `kill` ends it as `q` does
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
        "folder", nargs="?", type=Path, help="feed folder to serve (default: the sample feed)"
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
    from reader.config import load_config

    parser = _serve_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port: {args.port} is not a port number (0-65535)")
    if args.config is not None and not args.config.is_file():
        print(f"newsreader: no such config file: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    config, warnings = load_config(args.config or paths.config_file())
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    folder: Path = args.folder or config.default_folder or paths.sample_feed()
    error = _folder_error(folder)
    if error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    from reader.ui.serve import run

    config_path = args.config.resolve() if args.config is not None else None
    return run(folder.resolve(), host=args.host, port=args.port, config=config_path)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsreader` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["check"]:
            return run_check(arguments[1:])
        if arguments[:1] == ["config"]:
            return run_config(arguments[1:])
        if arguments[:1] == ["serve"]:
            return run_serve(arguments[1:])
        return run_reader(arguments)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `newsreader check … | head`: the reader of our output left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
