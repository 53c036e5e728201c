"""The front-matter cutter: a story file's bytes taken apart without parsing them (pure, no I/O).

The front matter is found and cut as bytes (a tenth of the work of text, for the big `related`
block); only the pieces that are parsed get decoded. A head-first read (`cut_head`) leaves out
what the reader does not show at first: the `related` list, which it only counts and takes the
links of (the entries are read when a story is opened), the images and the signature.
"""

from __future__ import annotations

import re

from reader.model.links import fast_key, key_digest

BOM = b"\xef\xbb\xbf"
_OPENING = re.compile(rb"---[ \t]*\r?\n")
_CLOSING = re.compile(rb"\n(?:---|\.\.\.)[ \t]*\r?(?=\n|$)")  # "\n" first: a fast scan
# A line that starts a new top-level key (or ends the front matter's block values).
_NEXT_TOP_LEVEL = re.compile(rb"\n[^\s#\-]")
_BLOCK_KEY_REST = re.compile(rb"[ \t]*(?:#[^\n]*)?\r?\n")
# `webUrl:` as a key (ampWebUrl and cdnAmpWebUrl spell it with a capital W).
_WEB_URL = re.compile(rb"webUrl:[ \t]*([^\r\n]*)")
_ORIGINAL_URL = re.compile(rb"originalUrl:[ \t]*([^\r\n]*)")
_ITEM = re.compile(rb"^( *)-(?:[ \t]|\r?$)", re.MULTILINE)


def encoding_of(data: bytes) -> str:
    """How to decode a file: UTF-8, else cp1252, else latin-1 (which reads any bytes)."""
    if data.isascii():
        return "utf-8"
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def split_front_matter(data: bytes) -> tuple[bytes, bytes] | None:
    """Split a file into (front matter, body), or None when it does not open with a closed
    block. The split falls on line breaks, so each part decodes on its own."""
    opening = _OPENING.match(data)
    if opening is None:
        return None
    closing = _CLOSING.search(data, opening.end() - 1)
    if closing is None:
        return None
    return data[opening.end() : max(opening.end(), closing.start())], data[closing.end() :]


def cut_head(front: bytes, related_links: bool = True) -> tuple[bytes, int | None, list[bytes]]:
    """The front matter as a head-first read takes it: without images (the story's and its
    provider's) and signature, which are not shown, and without a block `related:` list, which
    is only counted and its webUrl/originalUrl values taken (raw; unless not `related_links`).
    Returns (the head, how many related entries, their links); the count is None when the
    related list, if any, is still in the head (it is not a block list)."""
    head = front
    count: int | None = None
    links: list[bytes] = []
    related = _related_block(front, related_links)
    if related is not None:
        start, end, count, links = related
        head = front[:start] + front[end:]
    for find, key in (
        (_top_level_block, b"images"),
        (_provider_images, b"images"),
        (_top_level_line, b"secured"),
    ):
        cut = find(head, key)
        if cut is not None:
            head = head[: cut[0]] + head[cut[1] :]
    return head, count, links


def related_ids_of(data: bytes) -> bytes:
    """The link ids of a story file's `related:` block, read without building its entries
    (the second half of a head-first parse without `related_links`); b"" if there are none."""
    data = data.removeprefix(BOM)
    parts = split_front_matter(data)
    related = _related_block(parts[0]) if parts is not None else None
    return link_digests(related[3], encoding_of(data)) if related is not None else b""


def link_digests(values: list[bytes], encoding: str) -> bytes:
    """Packed link ids of raw (maybe quoted) link values from a `related:` block."""
    if not values:
        return b""
    from reader.feed import fastyaml  # with PyYAML: only once a file is read (see parse)

    digests = []
    for value in values:
        url = fastyaml.string(value.decode(encoding))
        key = fast_key(url) if url is not None else None
        if key is not None:
            digests.append(key_digest(key))
    return b"".join(digests)


def _related_block(front: bytes, links: bool = True) -> tuple[int, int, int, list[bytes]] | None:
    """The top-level `related:` block list of the front matter, read without building its
    entries: (start, end, number of entries, their raw webUrl/originalUrl values, unless not
    `links`); None when there is none, or it is not a block list (a flow list, an alias)."""
    found = _top_level_block(front, b"related")
    if found is None:
        return None
    start, end = found
    block = front[start:end]
    first = _ITEM.search(block)
    if first is None:  # an empty value (null), or one that is not a block list
        lines = (line.strip() for line in block.split(b"\n")[1:])
        if any(line and not line.startswith(b"#") for line in lines):
            return None  # a flow list on its own line, an alias…: the parser reads it
        return start, end, 0, []
    # The block starts with `related:`, so every item follows a newline; at the items'
    # indentation nothing else can start with a dash.
    count = block.count(b"\n" + first.group(1) + b"-")
    if not links:
        return start, end, count, []
    values = _WEB_URL.findall(block)
    if b"originalUrl:" in block:
        values += _ORIGINAL_URL.findall(block)
    return start, end, count, values


def _top_level_block(front: bytes, key: bytes) -> tuple[int, int] | None:
    """Where the top-level `key:` with a block value sits in the front matter, or None."""
    if front.startswith(key + b":"):
        start = 0
    else:
        start = front.find(b"\n" + key + b":") + 1
        if start == 0:
            return None
    rest = _BLOCK_KEY_REST.match(front, start + len(key) + 1)
    if rest is None:  # a value on the same line (flow style, alias): not a block
        return None
    following = _NEXT_TOP_LEVEL.search(front, rest.end() - 1)
    return start, following.start() + 1 if following else len(front)


def _top_level_line(front: bytes, key: bytes) -> tuple[int, int] | None:
    """Where a top-level `key: value` on one line sits (followed by another top-level line)."""
    start = 0 if front.startswith(key + b":") else front.find(b"\n" + key + b":") + 1
    if start == 0 and not front.startswith(key + b":"):
        return None
    end = front.find(b"\n", start)
    if end == -1:
        return start, len(front)
    if front[end + 1 : end + 2] in (b" ", b"\t"):  # the value goes on: leave it to the parser
        return None
    return start, end + 1


def _provider_images(front: bytes, key: bytes) -> tuple[int, int] | None:
    """Where the `images:` block inside the top-level `provider:` block sits, or None."""
    provider = _top_level_block(front, b"provider")
    if provider is None:
        return None
    start = front.find(b"\n", provider[0]) + 1
    while 0 < start < provider[1]:
        end = front.find(b"\n", start) + 1 or len(front)
        line = front[start:end]
        content = line.lstrip(b" ")
        if content.startswith(key + b":"):
            indent = len(line) - len(content)
            stop = end  # the block goes on while lines are indented deeper
            while stop < provider[1]:
                following = front.find(b"\n", stop) + 1 or len(front)
                rest = front[stop:following]
                if rest.strip() and len(rest) - len(rest.lstrip(b" ")) <= indent:
                    break
                stop = following
            return start, min(stop, provider[1])
        start = end
    return None
