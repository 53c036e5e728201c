"""Generate synthetic feed folders for benchmarks.

The stories are shaped like the reference example described in ``FORMAT.md`` (same field names,
layout and typical sizes) but every word, name and link is invented from small built-in pools.
Output is deterministic for a given ``count`` and ``seed``.

Usage::

    python benchmarks/generate.py OUT_DIR --count N [--seed S] [--force]
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

GENERATOR_VERSION = 1
MARKER_NAME = ".generated"
FILES_PER_FOLDER = 1000
PART_PREFIX = "part_"

# ---------------------------------------------------------------------------------------------
# Built-in pools (all invented)
# ---------------------------------------------------------------------------------------------

_VOCABULARY = """
    quantum lattice harbor signal orbit vector meadow copper drift beacon cipher granite
    market startup robot sensor battery engine rocket satellite network cloud server chip
    model dataset training inference camera drone vehicle grid solar wind storage policy
    council senate court ruling privacy tracker ledger wallet token payment bank lender
    factory supply shipment port freight rail tunnel bridge highway city village region
    coast river forest glacier climate storm season harvest farm crop water energy fuel
    research study paper lab scientist engineer founder investor analyst regulator agency
    launch update release version feature patch outage breach audit review report survey
    growth decline record surge slump forecast quarter revenue profit merger deal funding
    round partner rival platform service app browser device screen headset speaker watch
    phone tablet laptop console game studio stream video podcast music film series season
    health clinic hospital vaccine trial patient doctor nurse therapy genome protein cell
    school student teacher campus course exam library museum archive gallery theater
    league team player coach stadium match final title transfer contract salary union
    worker office remote hybrid hiring layoff wage pension budget tax tariff subsidy grant
    open secure faster smaller cheaper bigger quiet bold early late new old global local
    national rural urban digital mobile public private hidden massive modest rapid steady
    announces unveils expands delays cancels doubles pauses tests builds wins loses joins
    leaves plans warns claims reports raises cuts opens closes signs drops adds backs
    amid after before despite during across against beyond toward within without under
"""
_WORDS: tuple[str, ...] = tuple(dict.fromkeys(_VOCABULARY.split()))

_TITLE_PREFIXES: tuple[str, ...] = (
    "Morning Brief",
    "Weekly Roundup",
    "Explainer",
    "Analysis",
    "Opinion",
    "Exclusive",
    "Update",
)

# Topic pool, most common first; weights below make the head of the list dominate.
_TOPICS: tuple[str, ...] = (
    "Technology",
    "Artificial Intelligence",
    "Business",
    "Science",
    "Climate",
    "Health",
    "Space",
    "Robotics",
    "Energy",
    "Startups",
    "Privacy",
    "Security",
    "Markets",
    "Transport",
    "Education",
    "Sports",
    "Culture",
    "Gaming",
    "Music",
    "Film",
    "Agriculture",
    "Oceans",
    "Wildlife",
    "Cities",
    "Law",
    "Elections",
    "Trade",
    "Labor",
    "Housing",
    "Food",
    "Travel",
    "Quantum Computing",
    "Semiconductors",
    "Batteries",
    "Drones",
    "Open Source",
    "Cloud Computing",
    "Genomics",
    "Astronomy",
    "Archaeology",
)
_TOPIC_CUM_WEIGHTS: tuple[float, ...] = tuple(
    sum(1.0 / (r + 1) ** 1.1 for r in range(i + 1)) for i in range(len(_TOPICS))
)

_PROVIDER_HEADS: tuple[str, ...] = (
    "Quillbrook",
    "Harborlight",
    "Lumenfield",
    "Copperline",
    "Northgate",
    "Bluefen",
    "Stonewick",
    "Ravenmoor",
    "Silverash",
    "Marrowby",
    "Tallowmere",
    "Glimmerton",
    "Ashcombe",
    "Fernhollow",
    "Brightwater",
    "Oakhurst",
)
_PROVIDER_TAILS: tuple[str, ...] = (
    "Times",
    "Wire",
    "Gazette",
    "Ledger",
    "Dispatch",
    "Signal",
    "Review",
    "Chronicle",
    "Monitor",
    "Bulletin",
)
_TLDS: tuple[str, ...] = ("com", "com", "com", "net", "news", "org", "io")
_LOGO_HOST = "https://static.feedlogos.example/logos"
_ASPECTS: tuple[tuple[int, int], ...] = ((9, 16), (9, 16), (2, 3), (3, 4), (1, 1), (10, 16))
_SECTIONS: tuple[str, ...] = ("tech", "business", "science", "world", "culture", "health")

_YAML_WORDS = frozenset(
    {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "none", "nan", "inf"}
)


def _scalar(text: str) -> str:
    """Return ``text`` as a plain YAML scalar when safe, else as a double-quoted one."""
    plain_ok = (
        text
        and text[0].isalpha()
        and text.lower() not in _YAML_WORDS
        and all(c.isalnum() or c in " .-'&" for c in text)
        and not text.endswith(" ")
    )
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class _Provider:
    name: str
    domain: str
    host: str  # host used in links, with or without "www."
    style: int  # URL layout used by this provider
    amp_style: int  # AMP layout used by this provider (0 = no AMP links)
    name_yaml: str
    head_yaml: str  # "provider:\n  name: …\n  domain: …\n" for related entries
    story_block: str  # full provider block of a story, with logo images


def _build_providers() -> tuple[_Provider, ...]:
    providers: list[_Provider] = []
    n = 0
    for h, head in enumerate(_PROVIDER_HEADS):
        for t, tail in enumerate(_PROVIDER_TAILS):
            if (h * 7 + t * 3) % 5 == 4:  # keep the combinations irregular
                continue
            tld = _TLDS[(h + 2 * t) % len(_TLDS)]
            domain = f"{head}{tail}.{tld}".lower()
            # A few providers are known only by their domain, as in real folders.
            name = domain if n % 17 == 5 else f"{head} {tail}"
            host = domain if n % 3 == 1 else f"www.{domain}"
            style = n % 4
            amp_style = n % 5  # 0: this provider never has AMP links
            name_yaml = _scalar(name)
            head_yaml = f"    provider:\n      name: {name_yaml}\n      domain: {domain}\n"
            story_block = (
                f"provider:\n  name: {name_yaml}\n  domain: {domain}\n  images:\n"
                f'    - url: "{_LOGO_HOST}/{domain}-50x50.png"\n'
                "      width: 50\n      height: 50\n"
            )
            providers.append(
                _Provider(name, domain, host, style, amp_style, name_yaml, head_yaml, story_block)
            )
            n += 1
    return tuple(providers)


_PROVIDERS = _build_providers()
_PROVIDER_CUM_WEIGHTS: tuple[float, ...] = tuple(
    sum(1.0 / (r + 1) ** 0.8 for r in range(i + 1)) for i in range(len(_PROVIDERS))
)

_EPOCH_START = int(datetime(2018, 1, 1, tzinfo=UTC).timestamp())
_EPOCH_END = int(datetime(2025, 12, 31, 23, 59, tzinfo=UTC).timestamp())
_OFFSET = timedelta(hours=-7)


# ---------------------------------------------------------------------------------------------
# Text pieces
# ---------------------------------------------------------------------------------------------


class _Text:
    """Fast random text built from pre-generated fragments."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        fragments: list[str] = []
        for _ in range(4096):
            words = rng.choices(_WORDS, k=rng.randint(6, 14))
            frag = " ".join(words)
            roll = rng.random()
            if roll < 0.04:
                frag = f'{words[0]} "{" ".join(words[1:4])}" {" ".join(words[4:])}'
            elif roll < 0.07:
                frag = frag.replace(" ", "\u2019s ", 1)
            elif roll < 0.10:
                frag = frag.replace(" ", ", ", 1)
            fragments.append(frag[0].upper() + frag[1:] + ".")
        self.fragments = fragments

    def excerpt(self, low: int, high: int) -> str:
        """Sentences of invented words, cut at a word boundary to a length in [low, high]."""
        rng = self.rng
        target = rng.randint(low, high)
        parts = rng.choices(self.fragments, k=6)
        text = " ".join(parts)
        while len(text) < target:
            text += " " + rng.choice(self.fragments)
        if len(text) > target:
            cut = text.rfind(" ", 0, target)
            text = text[: cut if cut > low // 2 else target].rstrip(" ,")
        return text

    def title(self) -> tuple[str, str]:
        """Return (title, url slug)."""
        rng = self.rng
        words = rng.choices(_WORDS, k=rng.randint(5, 12))
        slug = "-".join(words)
        if rng.random() < 0.5:
            text = " ".join(w.capitalize() for w in words)
        else:
            text = words[0].capitalize() + " " + " ".join(words[1:])
        roll = rng.random()
        if roll < 0.06:
            text = f"{rng.choice(_TITLE_PREFIXES)}: {text}"
        elif roll < 0.09:
            text = f'{text} "{rng.choice(_WORDS)}"'
        elif roll < 0.11:
            text = f"{text}?"
        return text, slug


def _pick_provider(rng: Random) -> _Provider:
    return rng.choices(_PROVIDERS, cum_weights=_PROVIDER_CUM_WEIGHTS)[0]


def _format_ts(ts: int, offset: bool) -> tuple[str, datetime]:
    dt = datetime.fromtimestamp(ts, UTC)
    if offset:
        local = dt + _OFFSET
        return local.strftime("%Y-%m-%dT%H:%M:00-07:00"), dt
    return dt.strftime("%Y-%m-%dT%H:%M:00Z"), dt


def _make_url(rng: Random, prov: _Provider, dt: datetime, slug: str, token: str) -> str:
    """A link in the provider's layout; ``token`` (may be empty) keeps story links unique."""
    tail = f"{slug}-{token}" if token else slug
    style = prov.style
    if style == 0:
        return f"https://{prov.host}/{dt.year}/{dt.month:02d}/{dt.day:02d}/{tail}/"
    if style == 1:
        return f"https://{prov.host}/news/{tail}"
    if style == 2:
        section = rng.choice(_SECTIONS)
        return f"https://{prov.host}/{section}/{token or rng.randint(10**5, 10**7)}/{slug}.html"
    return f"https://{prov.host}/story/{dt.year}/{tail}"


def _amp_urls(url: str, prov: _Provider) -> tuple[str, str] | None:
    """Return (ampWebUrl, cdnAmpWebUrl) for a link, or None when the provider has no AMP."""
    style = prov.amp_style
    if style == 0:
        return None
    path = url.split("/", 3)[3]
    if style == 1:
        amp = url + ("amp/" if url.endswith("/") else "/amp")
    elif style == 2:
        amp = f"https://{prov.host}/amp/{path}"
    elif style == 3:
        amp = f"https://amp.{prov.domain}/{path}"
    else:
        amp = f"https://{prov.host}/{path}?outputType=amp"
    bare = amp.split("://", 1)[1]
    cdn_host = bare.split("/", 1)[0].replace("-", "--").replace(".", "-")
    return amp, f"https://{cdn_host}.cdn.ampproject.org/c/s/{bare}"


def _image(rng: Random, prov: _Provider, dt: datetime) -> tuple[str, int, int]:
    width = rng.choice((640, 756, 1024, 1200, 1280, 1600, 2048, 2400))
    num, den = rng.choice(_ASPECTS)
    height = width * num // den
    token = f"{rng.getrandbits(80):020x}"
    url = (
        f"https://media.{prov.domain}/uploads/{dt.year}/{dt.month:02d}/"
        f"{token}-{rng.choice(_WORDS)}-{rng.choice(_WORDS)}.jpg?w={width}"
    )
    return url, width, height


# ---------------------------------------------------------------------------------------------
# Stories
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Head:
    """What other stories need to know about a story (to link to it)."""

    name: str
    title: str
    provider: _Provider
    ts: int
    url: str | None  # None: the story only has originalUrl
    original: str | None  # originalUrl of a story without webUrl
    quality: int


def _plan(rng: Random, text: _Text, count: int) -> list[_Head]:
    heads: list[_Head] = []
    for i in range(count):
        token = f"{rng.getrandbits(64):016x}"
        title, slug = text.title()
        prov = _pick_provider(rng)
        ts = rng.randrange(_EPOCH_START, _EPOCH_END) // 60 * 60
        dt = datetime.fromtimestamp(ts, UTC)
        url = _make_url(rng, prov, dt, slug, token[:8])
        quality = rng.randint(0, 130)
        name = f"{i:06d}_{token}.txt"
        if rng.random() < 0.05:  # only originalUrl, no webUrl and no AMP links
            original = url.replace(f"https://{prov.host}/", f"https://{prov.domain}/", 1)
            heads.append(_Head(name, title, prov, ts, None, original, quality))
        else:
            heads.append(_Head(name, title, prov, ts, url, None, quality))
    return heads


def _variant(rng: Random, url: str) -> str:
    """The same link, written slightly differently (scheme, www., trailing slash)."""
    roll = rng.random()
    if roll < 0.55:
        return url
    if roll < 0.7:
        return "http://" + url[len("https://") :]
    if roll < 0.85 and "://www." in url:
        return url.replace("://www.", "://", 1)
    return url[:-1] if url.endswith("/") else url + "/"


def _related(
    rng: Random, text: _Text, out: list[str], heads: list[_Head], idx: int, base_ts: int
) -> None:
    n = rng.randint(0, 20)
    if n == 0:
        return
    local_pool = len(heads) > 1
    out.append("related:\n")
    for _ in range(n):
        target: _Head | None = None
        if local_pool and rng.random() < 0.105:  # ~5% of targets have no webUrl
            j = rng.randrange(len(heads) - 1)
            j = j + 1 if j >= idx else j
            if heads[j].url is not None:
                target = heads[j]
        if target is not None:
            title, prov, ts, quality = target.title, target.provider, target.ts, target.quality
            canonical = target.url
            assert canonical is not None
            url = _variant(rng, canonical)
        else:
            title, slug = text.title()
            prov = _pick_provider(rng)
            ts = base_ts + rng.randint(-2 * 86400, 4 * 86400) // 60 * 60
            quality = rng.randint(0, 130)
            canonical = _make_url(rng, prov, datetime.fromtimestamp(ts, UTC), slug, "")
            url = canonical
        date_text, dt = _format_ts(ts, rng.random() < 0.12)
        out.append(
            f"  - title: {json.dumps(title, ensure_ascii=False)}\n"
            f"    excerpt: {json.dumps(text.excerpt(190, 300), ensure_ascii=False)}\n"
            f"    publishedDateTime: {date_text}\n"
            f'    webUrl: "{url}"\n'
        )
        amp = _amp_urls(canonical, prov) if rng.random() < 0.8 else None
        if amp is not None:
            out.append(f'    ampWebUrl: "{amp[0]}"\n    cdnAmpWebUrl: "{amp[1]}"\n')
        out.append("    type: video\n" if rng.random() < 0.05 else "    type: article\n")
        out.append(f"{prov.head_yaml}    quality: {quality}\n")
        if rng.random() < 0.8:
            img, w, h = _image(rng, prov, dt)
            out.append(
                f'    images:\n      - url: "{img}"\n        width: {w}\n'
                f"        height: {h}\n        isCached: true\n"
            )
    out.append("\n")


def _story(rng: Random, text: _Text, heads: list[_Head], idx: int) -> str:
    head = heads[idx]
    prov = head.provider
    date_text, dt = _format_ts(head.ts, rng.random() < 0.15)
    newer = dt.year >= 2023
    title_q = json.dumps(head.title, ensure_ascii=False)
    out: list[str] = [
        "---\ncategory: news\n",
        f"title: {title_q}\n",
        f"excerpt: {json.dumps(text.excerpt(120, 300), ensure_ascii=False)}\n",
        f"publishedDateTime: {date_text}\n",
    ]
    if head.url is None:
        out.append(f'originalUrl: "{head.original}"\n')
    else:
        out.append(f'webUrl: "{head.url}"\n')
        if newer and rng.random() < 0.3:
            out.append(f'originalUrl: "{_variant(rng, head.url)}"\n')
        amp = _amp_urls(head.url, prov)
        if amp is not None:
            out.append(f'ampWebUrl: "{amp[0]}"\ncdnAmpWebUrl: "{amp[1]}"\n')
    if rng.random() < 0.08:
        vid = f"{rng.getrandbits(48):012x}"
        iframe = (
            f'<iframe width="560" height="315" src="https://player.{prov.domain}/embed/{vid}" '
            'frameborder="0" allow="autoplay; encrypted-media" allowfullscreen></iframe>'
        )
        out.append(f"type: video\nfeaturedContent: {json.dumps(iframe)}\n")
    else:
        out.append("type: article\n")
    quality = head.quality
    roll = rng.random()
    heat = -1 if roll < 0.4 else quality if roll < 0.9 else rng.randint(0, 130)
    published = "true" if newer or rng.random() < 0.2 else "false"
    out.append(f"quality: {quality}\nheat: {heat}\npublished: {published}\n\n")
    out.append(prov.story_block)
    out.append("\ntopics:\n")
    topics = rng.choices(_TOPICS, cum_weights=_TOPIC_CUM_WEIGHTS, k=rng.randint(1, 3))
    for topic in dict.fromkeys(topics):
        out.append(f"  - {_TOPIC_YAML[topic]}\n")
    out.append("\n")
    if rng.random() < 0.88:
        img, w, h = _image(rng, prov, dt)
        out.append(
            f'images:\n  - url: "{img}"\n    width: {w}\n    height: {h}\n'
            f"    isCached: true\n    title: {title_q}\n\n"
        )
    _related(rng, text, out, heads, idx, head.ts)
    secured = base64.b64encode(rng.randbytes(rng.randint(510, 540))).decode("ascii")
    out.append(f'secured: "{secured}"\n---\n\n')
    if rng.random() < 0.02:
        out.append(f"{text.excerpt(80, 200)}\n")
    return "".join(out)


_TOPIC_YAML = {t: _scalar(t) for t in _TOPICS}


# ---------------------------------------------------------------------------------------------
# Folder handling
# ---------------------------------------------------------------------------------------------


def _marker_text(count: int, seed: int) -> str:
    return json.dumps({"count": count, "seed": seed, "version": GENERATOR_VERSION}) + "\n"


def is_current(out_dir: Path, count: int, seed: int) -> bool:
    """Return True when ``out_dir`` already holds a complete generation for count and seed."""
    marker = out_dir / MARKER_NAME
    try:
        return marker.read_text(encoding="utf-8") == _marker_text(count, seed)
    except OSError:
        return False


def _clear(out_dir: Path, force: bool) -> None:
    """Empty ``out_dir``; refuse to delete folders that do not look generated unless forced."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} exists and is not a folder")
    foreign = [
        p.name
        for p in out_dir.iterdir()
        if p.name != MARKER_NAME and not (p.is_dir() and p.name.startswith(PART_PREFIX))
    ]
    if foreign and not force:
        raise FileExistsError(
            f"{out_dir} holds files this generator did not write (e.g. {foreign[0]!r}); "
            "use --force to clear it anyway"
        )
    shutil.rmtree(out_dir)


def generate(out_dir: Path, count: int, seed: int = 1, *, force: bool = False) -> None:
    """Write ``count`` synthetic story files into ``out_dir`` (cleared first).

    Files are named ``{i:06d}_{16 hex}.txt`` and spread over ``part_NNN`` sub-folders of at most
    1,000 files each. A hidden ``.generated`` marker recording count and seed is written last.
    ``force`` allows clearing a folder holding files this generator did not write.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    out_dir = Path(out_dir)
    _clear(out_dir, force)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = Random(seed)
    text = _Text(rng)
    heads = _plan(rng, text, count)
    width = max(3, len(str(max(count - 1, 0) // FILES_PER_FOLDER)))
    folder = out_dir
    for i, head in enumerate(heads):
        if i % FILES_PER_FOLDER == 0:
            folder = out_dir / f"{PART_PREFIX}{i // FILES_PER_FOLDER:0{width}d}"
            folder.mkdir()
        data = _story(rng, text, heads, i).encode("utf-8")
        if rng.random() < 1 / 3:
            data = data.replace(b"\n", b"\r\n")
        with open(folder / head.name, "wb") as fh:
            fh.write(data)
    (out_dir / MARKER_NAME).write_text(_marker_text(count, seed), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder to write")
    parser.add_argument("--count", type=int, required=True, help="number of story files")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="regenerate / clear regardless")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    if not args.force and is_current(args.out_dir, args.count, args.seed):
        print(f"reusing {args.out_dir} ({args.count} files, seed {args.seed})")
        return 0
    started = time.perf_counter()
    try:
        generate(args.out_dir, args.count, args.seed, force=args.force)
    except (FileExistsError, NotADirectoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"wrote {args.count} files to {args.out_dir} in {elapsed:.1f}s (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
