"""The size limits the code keeps (run by `make lint`): no module of reader/ over 450 lines (the
main screen under 320), no class over 30 methods, no function over 60 lines, and reader/ itself
holding only packages beside __init__.py and __main__.py. Prints each breach; exit 1 if any.

Usage: python tools/limits.py [--report]   (--report: the largest of each, breach or not)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "reader"
MODULE_LINES, MAIN_SCREEN_LINES = 450, 320
CLASS_METHODS, FUNCTION_LINES = 30, 60
MAIN_SCREEN = ROOT / "ui" / "screens" / "main.py"
TOP_LEVEL = {"__init__.py", "__main__.py"}


def measures(path: Path) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """(lines, [(class, methods)], [(function, lines)]) of one module."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    classes: list[tuple[str, int]] = []
    functions: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            methods = [
                n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            classes.append((node.name, len(methods)))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append((node.name, (node.end_lineno or node.lineno) - node.lineno + 1))
    return len(text.splitlines()), classes, functions


def main() -> int:
    report = "--report" in sys.argv
    breaches: list[str] = []
    sizes: list[tuple[int, str]] = []
    biggest_class: list[tuple[int, str]] = []
    longest: list[tuple[int, str]] = []
    for path in sorted(ROOT.rglob("*.py")):
        where = str(path.relative_to(ROOT.parent))
        lines, classes, functions = measures(path)
        sizes.append((lines, where))
        limit = MAIN_SCREEN_LINES - 1 if path == MAIN_SCREEN else MODULE_LINES
        if lines > limit:
            breaches.append(f"{where}: {lines} lines (at most {limit})")
        for name, count in classes:
            biggest_class.append((count, f"{where}: class {name}"))
            if count > CLASS_METHODS:
                breaches.append(f"{where}: class {name} has {count} methods (at most 30)")
        for name, length in functions:
            longest.append((length, f"{where}: {name}"))
            if length > FUNCTION_LINES:
                breaches.append(f"{where}: {name} is {length} lines (at most 60)")
    for entry in ROOT.iterdir():
        if entry.is_file() and entry.suffix == ".py" and entry.name not in TOP_LEVEL:
            breaches.append(f"reader/{entry.name}: a loose module (put it in a package)")
    if report:
        for title, rows in (
            ("lines", sizes),
            ("methods", biggest_class),
            ("function lines", longest),
        ):
            print(f"largest by {title}:")
            for value, where in sorted(rows, reverse=True)[:5]:
                print(f"  {value:5}  {where}")
    for breach in breaches:
        print(breach)
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
