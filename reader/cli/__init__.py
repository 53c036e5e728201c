"""The command line: `newsreader` and its commands (check, config, list, export, serve)."""

from reader.cli.main import main

__all__ = ["main"]
