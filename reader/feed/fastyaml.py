"""The one YAML reader of story files: the plain subset quickly, anything else by the safe loader.

Story files come from one publishing pipeline and use a small, regular part of YAML: block
mappings and sequences, quoted or plain one-line scalars. `load` reads exactly that part in pure
Python, several times faster than building it through PyYAML, and answers None for anything else
(flow collections, anchors, tags, block scalars, multi-line scalars, unusual escapes). `read` (a
document) and `string` (one scalar, as the front-matter cutter finds them) fall back to PyYAML's
*safe* loader there. Where the fast path answers, it answers what the safe loader would: plain
scalars are resolved with PyYAML's own resolver and constructors, and quoted ones by `_scalar`,
the only unquoting there is.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import yaml
from yaml import YAMLError
from yaml.nodes import ScalarNode

__all__ = ["LOADER", "YAMLError", "load", "read", "string"]

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:[ ]+(.*))?$")
_JSON_ESCAPES = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})')
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")
_QUOTE_OR_CONTROL = re.compile(r'["\x00-\x1f\x7f]')
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)")
# The common timestamp spelling, which `datetime.fromisoformat` reads as the safe loader does.
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
try:  # PyYAML's C loader is ~10x faster; both are the *safe* loader.
    LOADER: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - libyaml missing
    LOADER = yaml.SafeLoader
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
# Plain scalars starting with anything else are strings: no implicit type starts that way.
_RESOLVED_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
_CONSTRUCTED = {f"tag:yaml.org,2002:{name}" for name in ("timestamp", "bool", "null")}
_WORDS = {
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    "null": None, "Null": None, "NULL": None, "~": None,
}  # fmt: skip


class _Fallback(Exception):
    """The text uses YAML this reader does not handle."""


Line = tuple[int, str]  # (indentation, content without it)


def read(text: str) -> Any:
    """The document as PyYAML's safe loader builds it (the plain subset read here, quickly).

    Raises what the safe loader raises: yaml.YAMLError, and ValueError, TypeError or
    OverflowError for a value out of range (a timestamp, say).
    """
    value = load(text)
    return value if value is not None else yaml.load(text, Loader=LOADER)


def string(raw: str) -> str | None:
    """The text one scalar value stands for (quoted or plain, maybe with a comment after it;
    surrounding whitespace dropped), as the safe loader reads it; None when it stands for
    something else (a number, a date, null, a collection) or is not YAML. Never raises."""
    raw = raw.strip(" \t\r\n")
    if not raw:
        return None
    try:
        try:
            if "\n" in raw or "\r" in raw or (not raw.isascii() and _OTHER_BREAKS.search(raw)):
                raise _Fallback  # more than one line
            value = _scalar(raw)
        except _Fallback:
            value = yaml.load(raw, Loader=LOADER)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError, MemoryError):
        return None
    return value if isinstance(value, str) else None


def load(text: str) -> Any:
    """The document as the safe loader would build it, or None when not in the plain subset."""
    if _OTHER_BREAKS.search(text) or text.count("\r") != text.count("\r\n"):
        return None  # YAML also breaks lines at NEL, LS, PS and a lone CR
    lines: list[Line] = []
    for raw in text.split("\n"):
        raw = raw.rstrip("\r")
        content = raw.lstrip(" ")
        if not content:
            continue
        first = content[0]
        if first in "#\t-.%":
            if first == "#":
                continue
            if first != "-" or content.startswith("---"):
                return None  # tabs, document markers, directives
        lines.append((len(raw) - len(content), content.rstrip(" ")))
    if not lines or lines[0][0] != 0:
        return None
    try:
        value, end = _mapping(lines, 0, 0)
    except _Fallback:
        return None
    return value if end == len(lines) else None


def _mapping(lines: list[Line], i: int, indent: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    while i < len(lines):
        depth, content = lines[i]
        if depth < indent:
            break
        if depth > indent or content.startswith("-"):
            raise _Fallback
        found = _KEY.match(content)
        if found is None:
            raise _Fallback
        key, rest = found.group(1), found.group(2)
        i += 1
        if rest is None:
            if i < len(lines) and lines[i][0] > indent:
                result[key], i = _node(lines, i, lines[i][0])
            elif i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("-"):
                result[key], i = _sequence(lines, i, indent)  # a sequence at the key's indent
            else:
                result[key] = None
        else:
            result[key] = _scalar(rest)
    return result, i


def _node(lines: list[Line], i: int, indent: int) -> tuple[Any, int]:
    if lines[i][1].startswith("-"):
        return _sequence(lines, i, indent)
    return _mapping(lines, i, indent)


def _sequence(lines: list[Line], i: int, indent: int) -> tuple[list[Any], int]:
    result: list[Any] = []
    while i < len(lines):
        depth, content = lines[i]
        if depth < indent:
            break
        if depth > indent or not content.startswith("-"):
            raise _Fallback
        if content == "-":
            raise _Fallback  # an item on the following lines: rare, leave it to PyYAML
        if not content.startswith("- "):
            raise _Fallback
        rest = content[2:]
        stripped = rest.lstrip(" ")
        if _KEY.match(stripped):
            # "- key: value": a mapping whose keys sit at the column after the dash.
            column = depth + 2 + len(rest) - len(stripped)
            lines[i] = (column, stripped)
            item, i = _mapping(lines, i, column)
            result.append(item)
        else:
            result.append(_scalar(stripped))
            i += 1
    return result, i


def _scalar(text: str) -> Any:
    """The value of a one-line scalar, quoted or plain; raises _Fallback when it is not one
    this reader is sure of."""
    first = text[0]
    if first == '"':
        if len(text) < 2 or not text.endswith('"'):
            raise _Fallback
        inner = text[1:-1]
        if inner.isprintable() and '"' not in inner and "\\" not in inner:
            return inner  # the common case, at C speed
        if "\\" in inner:
            unescaped = _JSON_ESCAPES.sub("", inner)
            if "\\" in unescaped or '"' in unescaped:
                raise _Fallback
            try:
                value = json.loads(text)
            except ValueError:
                raise _Fallback from None
            if not isinstance(value, str):
                raise _Fallback
            return value
        if _QUOTE_OR_CONTROL.search(inner):
            raise _Fallback
        return inner
    if first == "'":
        if len(text) < 2 or not text.endswith("'"):
            raise _Fallback
        inner = text[1:-1]
        if "'" in inner.replace("''", ""):
            raise _Fallback
        return inner.replace("''", "'")
    if " #" in text or ": " in text or text.endswith(":"):
        raise _Fallback
    if first in "[]{},&*!|>%@`?-:#":
        if first == "-" and _DECIMAL.fullmatch(text):
            return int(text)
        raise _Fallback  # flow collections, anchors, tags, block scalars, directives…
    if first not in _RESOLVED_FIRST:
        return text
    if text in _WORDS:
        return _WORDS[text]
    if _DECIMAL.fullmatch(text):
        return int(text)
    if _TIMESTAMP.fullmatch(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise _Fallback from None
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag == _STR:
        return text
    if tag in _CONSTRUCTED:
        return _CONSTRUCTOR.construct_object(ScalarNode(tag, text), deep=True)
    raise _Fallback  # ints in other bases, floats, sexagesimals, merge keys…
