"""The query language: each term gives exactly the stories its definition says, terms combine as
documented, bad queries say what and where, and hostile ones are refused or answered."""

from __future__ import annotations

import operator
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.builder import library_of
from reader.library.query.compiled import QueryContext, QueryError, compile_query, mentions_in
from reader.library.query.parse import MAX_DEPTH
from reader.library.query.text import fold
from reader.model.story import Links, Provider, RelatedStory, Story

# -- invented stories ------------------------------------------------------------------------

WORDS = (
    "Harbour",
    "cranes",
    "learn",
    "the",
    "tide",
    "Ferries",
    "return",
    "Café",
    "naïve",
    "ÉLAN",
    "Zürich",
    "straße",
    "glacier",
    "retreats",
    "quay",
    "robots",
    "grain",
    "SOLAR",
    "lattice",
    "night",
)
PROVIDERS = (
    Provider("Tidewater", "tidewater.com"),
    Provider("Quayside Daily", "quayside.net"),
    Provider("Atlas Wire", "atlas.example"),
    Provider("Le Café Numérique", "cafe-numerique.fr"),
    Provider("", ""),
)
TOPICS = ("Robotics", "Transport", "Climate", "Artificial Intelligence", "Économie", "Zürich")
URLS = (
    "https://www.tidewater.com/harbour/1",
    "http://Quayside.NET:8080/ferries?id=2",
    "https://reader@atlas.example/glacier",
    "https://café.example/menu",
    "https://news.cafe-numerique.fr",
    "ftp://files.example/archive",  # not a web link: the story has none
    "",
)
FOLDERS = ("Morning", "Archive", "Café")
NOW = datetime(2021, 6, 15, 12, 0, tzinfo=UTC)
PACIFIC = timezone(timedelta(hours=-7))
DATES = (
    None,
    datetime(2021, 4, 30, 23, 59, tzinfo=UTC),
    datetime(2021, 5, 1, 0, 0, tzinfo=UTC),
    datetime(2021, 4, 30, 20, 0, tzinfo=PACIFIC),  # 2021-05-01 03:00 UTC
    datetime(2021, 6, 10, 8, 30, tzinfo=UTC),
    datetime(2020, 12, 31, 12, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
)


@dataclass(frozen=True)
class Marks:
    """Which of the stories are read, starred, mentioned, in which folder, and how many stories
    report the same event as each (its coverage group's size, 1 alone); by path."""

    read: frozenset[str]
    starred: frozenset[str]
    mentioned: frozenset[str]
    folders: dict[str, str]
    coverage: dict[str, int]

    def context(self) -> QueryContext:
        return QueryContext(
            is_read=lambda s: s.path in self.read,
            is_starred=lambda s: s.path in self.starred,
            has_mentions=lambda s: s.path in self.mentioned,
            folder_of=lambda s: self.folders.get(s.path, ""),
            coverage_of=lambda s: self.coverage.get(s.path, 1),
            now=NOW,
        )


def phrase(words: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=1, max_size=words).map(" ".join)


story_fields = st.fixed_dictionaries(
    {
        "title": phrase(6),
        "excerpt": phrase(10),
        "provider": st.sampled_from(PROVIDERS),
        "topics": st.lists(st.sampled_from(TOPICS), max_size=3, unique=True).map(tuple),
        "type": st.sampled_from(("article", "video", "Video")),
        "quality": st.integers(0, 300),
        "heat": st.none() | st.integers(0, 300),
        "published": st.sampled_from(DATES),
        "links": st.sampled_from(URLS).map(lambda url: Links(web=url)),
        "related_count": st.integers(0, 2),
    }
)


@st.composite
def library(draw: st.DrawFn) -> tuple[list[Story], Marks]:
    fields = draw(st.lists(story_fields, max_size=20))
    stories = [Story(path=f"story-{n}.txt", **each) for n, each in enumerate(fields)]
    paths = [story.path for story in stories]
    subset = st.sets(st.sampled_from(paths)) if paths else st.just(set())
    folders = {path: draw(st.sampled_from(FOLDERS)) for path in paths}
    # Coverage groups: stories drawing the same event report it together.
    events = {path: draw(st.integers(0, 5)) for path in paths}
    sizes = Counter(events.values())
    coverage = {path: sizes[event] for path, event in events.items()}
    return stories, Marks(draw(subset), draw(subset), draw(subset), folders, coverage)


# -- the terms, each with the plain Python predicate it stands for ---------------------------

Predicate = Callable[[Story, Marks], bool]


def host(story: Story) -> str:
    return urlsplit(story.url).hostname or ""


def has_text(value: str) -> Predicate:
    def matches(story: Story, marks: Marks) -> bool:
        fields = (story.title, story.excerpt, story.provider.name, story.provider.domain)
        return any(fold(value) in fold(field) for field in (*fields, *story.topics))

    return matches


def quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


def one_of_words() -> st.SearchStrategy[str]:
    """Words of the pool, in other cases, with their accents dropped, or cut short."""
    word = st.sampled_from(WORDS)
    return st.one_of(
        word,
        word.map(str.upper),
        word.map(fold),
        st.tuples(word, st.integers(0, 3), st.integers(1, 4)).map(lambda t: t[0][t[1] :][: t[2]]),
    ).filter(bool)


COMPARISONS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
SCORES = st.integers(-1, 301)  # around the range of qualities and heats


def compare_term(
    field: str,
    value_of: Callable[[Story, Marks], int | None] | None = None,
    numbers: st.SearchStrategy[int] = SCORES,
) -> st.SearchStrategy[tuple[str, Predicate]]:
    """`field` compared with a number; the value is the story's attribute unless `value_of`."""

    def term(op: str, number: int) -> tuple[str, Predicate]:
        test = COMPARISONS.get(op, operator.eq)

        def matches(story: Story, marks: Marks) -> bool:
            value = getattr(story, field) if value_of is None else value_of(story, marks)
            return value is not None and test(value, number)

        return f"{field}{op}{number}", matches

    return st.builds(term, st.sampled_from((*COMPARISONS, ":")), numbers)


def date_term() -> st.SearchStrategy[tuple[str, Predicate]]:
    def absolute(after: bool, day: datetime) -> tuple[str, Predicate]:
        cutoff = day.replace(tzinfo=UTC)
        return f"{'after' if after else 'before'}:{day:%Y-%m-%d}", dated(after, cutoff)

    def relative(after: bool, days: int) -> tuple[str, Predicate]:
        return f"{'after' if after else 'before'}:{days}d", dated(after, NOW - timedelta(days))

    def dated(after: bool, cutoff: datetime) -> Predicate:
        def matches(story: Story, marks: Marks) -> bool:
            if story.published is None:
                return False
            return story.published >= cutoff if after else story.published < cutoff

        return matches

    days = st.sampled_from((datetime(2021, 5, 1), datetime(2021, 4, 30), datetime(2021, 6, 11)))
    return st.builds(absolute, st.booleans(), days) | st.builds(
        relative, st.booleans(), st.integers(0, 400)
    )


def named(text: str, predicate: Predicate) -> tuple[str, Predicate]:
    return text, predicate


terms: st.SearchStrategy[tuple[str, Predicate]] = st.one_of(
    one_of_words().map(lambda w: named(w, has_text(w))),
    phrase(2).map(lambda p: named(f'"{p}"', has_text(p))),
    one_of_words().map(
        lambda w: named(f"title:{w}", lambda s, m: fold(w) in fold(s.title)),
    ),
    st.sampled_from(("quay", "Café", "ATLAS", "numérique", ".com", "daily")).map(
        lambda w: named(
            f"provider:{w}",
            lambda s, m: fold(w) in fold(s.provider.name) or fold(w) in fold(s.provider.domain),
        )
    ),
    st.sampled_from(("www", "atlas", "quayside.net", "cafe", "café", ".example", "8080")).map(
        lambda w: named(f"domain:{w}", lambda s, m: fold(w) in fold(host(s)))
    ),
    st.sampled_from((*TOPICS, "robotics", "ZURICH", "economie", "Robot")).map(
        lambda t: named(
            f"topic:{quoted(t)}", lambda s, m: any(fold(x) == fold(t) for x in s.topics)
        )
    ),
    st.sampled_from(("article", "video", "VIDEO")).map(
        lambda t: named(f"type:{t}", lambda s, m: fold(s.type) == fold(t))
    ),
    compare_term("quality"),
    compare_term("heat"),
    compare_term("coverage", lambda s, m: m.coverage[s.path], st.integers(-1, 7)),
    date_term(),
    st.sampled_from(
        (
            named("is:read", lambda s, m: s.path in m.read),
            named("is:unread", lambda s, m: s.path not in m.read),
            named("is:starred", lambda s, m: s.path in m.starred),
            named("has:related", lambda s, m: s.related_count > 0),
            named("has:mentions", lambda s, m: s.path in m.mentioned),
            named("has:coverage", lambda s, m: m.coverage[s.path] >= 2),
        )
    ),
    st.sampled_from((*FOLDERS, "cafe", "ARCHIVE", "Arch")).map(
        lambda f: named(f"folder:{f}", lambda s, m: fold(m.folders[s.path]) == fold(f))
    ),
)


def expected(stories: list[Story], marks: Marks, predicate: Predicate) -> list[str]:
    return [story.path for story in stories if predicate(story, marks)]


def found(query: str, stories: list[Story], marks: Marks) -> list[str]:
    return [story.path for story in compile_query(query).filter(stories, marks.context())]


# -- each term, negation, AND, OR, parentheses -----------------------------------------------


@settings(max_examples=400, deadline=None)
@given(library(), terms)
def test_each_term_gives_exactly_the_stories_its_definition_says(
    stories_and_marks: tuple[list[Story], Marks], term: tuple[str, Predicate]
) -> None:
    stories, marks = stories_and_marks
    text, predicate = term
    assert found(text, stories, marks) == expected(stories, marks, predicate)


@settings(max_examples=200, deadline=None)
@given(library(), terms)
def test_a_minus_gives_every_other_story(
    stories_and_marks: tuple[list[Story], Marks], term: tuple[str, Predicate]
) -> None:
    stories, marks = stories_and_marks
    text, predicate = term
    assert found(f"-{text}", stories, marks) == expected(
        stories, marks, lambda s, m: not predicate(s, m)
    )


def all_of(parts: list[tuple[str, Predicate]]) -> tuple[str, Predicate]:
    text = "(" + " ".join(t for t, _ in parts) + ")"
    return text, lambda s, m: all(p(s, m) for _, p in parts)


def any_of(parts: list[tuple[str, Predicate]]) -> tuple[str, Predicate]:
    text = "(" + " OR ".join(t for t, _ in parts) + ")"
    return text, lambda s, m: any(p(s, m) for _, p in parts)


def negated(part: tuple[str, Predicate]) -> tuple[str, Predicate]:
    text, predicate = part
    return f"-{text}", lambda s, m: not predicate(s, m)


expressions = st.recursive(
    terms,
    lambda inner: st.one_of(
        inner.map(negated),
        st.lists(inner, min_size=2, max_size=3).map(all_of),
        st.lists(inner, min_size=2, max_size=3).map(any_of),
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(library(), expressions)
def test_grouped_terms_combine_as_and_or_and_not(
    stories_and_marks: tuple[list[Story], Marks], expression: tuple[str, Predicate]
) -> None:
    stories, marks = stories_and_marks
    text, predicate = expression
    assert found(text, stories, marks) == expected(stories, marks, predicate)


@settings(max_examples=200, deadline=None)
@given(library(), terms, terms, terms, terms)
def test_or_binds_tighter_than_the_implied_and(
    stories_and_marks: tuple[list[Story], Marks],
    a: tuple[str, Predicate],
    b: tuple[str, Predicate],
    c: tuple[str, Predicate],
    d: tuple[str, Predicate],
) -> None:
    stories, marks = stories_and_marks
    (ta, pa), (tb, pb), (tc, pc), (td, pd) = a, b, c, d
    assert found(f"{ta} {tb} OR {tc}", stories, marks) == expected(
        stories, marks, lambda s, m: pa(s, m) and (pb(s, m) or pc(s, m))
    )
    assert found(f"{ta} OR {tb} {tc} OR -{td}", stories, marks) == expected(
        stories, marks, lambda s, m: (pa(s, m) or pb(s, m)) and (pc(s, m) or not pd(s, m))
    )
    assert found(f"({ta} {tb}) OR {tc}", stories, marks) == expected(
        stories, marks, lambda s, m: (pa(s, m) and pb(s, m)) or pc(s, m)
    )


def story(title: str, **fields: object) -> Story:
    return Story(path=title, title=title, **fields)  # type: ignore[arg-type]


def titles(query: str, stories: list[Story], context: QueryContext | None = None) -> list[str]:
    return [s.title for s in compile_query(query).filter(stories, context)]


def test_accents_and_case_fold_both_ways() -> None:
    stories = [
        story("Cafe opens on the quay"),
        story("CAFÉ CLOSES"),
        story("Strasse repaved", excerpt="Zurich"),
        story("Tea room"),
    ]
    assert titles("café", stories) == ["Cafe opens on the quay", "CAFÉ CLOSES"]
    assert titles("CAFE", stories) == ["Cafe opens on the quay", "CAFÉ CLOSES"]
    assert titles("straße zürich", stories) == ["Strasse repaved"]
    assert compile_query('"Café  Zürich" OR naïve').words == ("cafe zurich", "naive")


def folded_by_the_book(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


western = st.characters(codec="cp1252")


@settings(max_examples=500, deadline=None)
@given(st.text(western, max_size=30) | st.text(max_size=30))
def test_folding_drops_accents_and_case_the_way_unicode_says(text: str) -> None:
    # The fast paths (ASCII, Windows-1252) agree with the definition.
    assert fold(text) == folded_by_the_book(text)


def test_an_empty_query_matches_every_story_in_order() -> None:
    stories = [story("b"), story("a"), story("c")]
    assert titles("", stories) == ["b", "a", "c"]
    assert titles("   ", stories) == ["b", "a", "c"]
    assert compile_query("").is_empty


def test_fields_are_kept_apart() -> None:
    # A word never matches across two fields, nor a topic inside another field.
    stories = [
        story("Harbour", provider=Provider("Cranes Weekly", "cranes.example"), topics=("Tide",)),
        story("Harbour cranes", topics=("Tide times",)),
        story("Odd\x1ftide\x1f title\nwith controls", topics=("Port",)),
    ]
    assert titles('"harbour cranes"', stories) == ["Harbour cranes"]
    assert titles("topic:tide", stories) == ["Harbour"]
    assert titles('topic:"tide times"', stories) == ["Harbour cranes"]
    assert titles("title:cranes", stories) == ["Harbour cranes"]
    assert titles("provider:cranes", stories) == ["Harbour"]
    assert titles("title:controls", stories) == ["Odd\x1ftide\x1f title\nwith controls"]


def test_marks_mentions_and_folders_come_from_the_context() -> None:
    target = Story(
        path="target.txt", title="Glacier retreats", links=Links(web="https://atlas.example/g")
    )
    source = Story(
        path="source.txt",
        title="Ice survey",
        related=(RelatedStory("Glacier", links=Links(web="https://atlas.example/g")),),
    )
    library = library_of([target, source]).indexed()
    context = QueryContext(
        is_read=lambda s: s is source,
        is_starred=lambda s: s is target,
        has_mentions=mentions_in(library),
        folder_of=lambda s: "Polar" if s is target else "Other",
    )
    stories = list(library.stories)
    assert titles("has:mentions", stories, context) == ["Glacier retreats"]
    assert titles("has:related", stories, context) == ["Ice survey"]
    assert titles("is:unread", stories, context) == ["Glacier retreats"]
    assert titles("is:starred -is:read", stories, context) == ["Glacier retreats"]
    assert titles("folder:polar", stories, context) == ["Glacier retreats"]
    assert titles("is:read", stories) == []  # no context: nothing is read
    assert compile_query("folder:polar").uses_context
    assert not compile_query("has:related after:2021-01-01").uses_context


def test_coverage_comes_from_the_context_and_alone_is_one() -> None:
    stories = [story("Wire copy"), story("Rewrite"), story("Scoop"), story("Digest")]
    sizes = {"Wire copy": 3, "Rewrite": 3, "Scoop": 1, "Digest": 2}
    context = QueryContext(coverage_of=lambda s: sizes[s.title])
    assert titles("has:coverage", stories, context) == ["Wire copy", "Rewrite", "Digest"]
    assert titles("-has:coverage", stories, context) == ["Scoop"]
    assert titles("coverage>=3", stories, context) == ["Wire copy", "Rewrite"]
    assert titles("coverage>2", stories, context) == ["Wire copy", "Rewrite"]
    assert titles("coverage:2", stories, context) == ["Digest"]
    assert titles("coverage<=1", stories, context) == ["Scoop"]
    assert titles("coverage<3 HAS:COVERAGE", stories, context) == ["Digest"]
    # No context: nothing is grouped, every story stands alone.
    assert titles("has:coverage", stories) == []
    assert titles("coverage:1", stories) == ["Wire copy", "Rewrite", "Scoop", "Digest"]
    assert compile_query("has:coverage").uses_context
    assert compile_query("quality>=3 (coverage>=2 OR tide)").uses_context
    assert not compile_query("quality>=3 heat<5").uses_context


def test_coverage_is_asked_only_of_the_stories_cheaper_terms_left() -> None:
    stories = [story(f"Tide {n}", quality=n) for n in range(100)]
    asked: list[str] = []

    def coverage_of(s: Story) -> int:
        asked.append(s.title)
        return 2 if s.quality % 2 else 1

    context = QueryContext(coverage_of=coverage_of)
    assert titles("has:coverage quality>=95", stories, context) == ["Tide 95", "Tide 97", "Tide 99"]
    assert sorted(asked) == [f"Tide {n}" for n in range(95, 100)]


def test_relative_dates_follow_the_contexts_now() -> None:
    stories = [story("Recent", published=NOW - timedelta(days=2)), story("Old", published=None)]
    soon = QueryContext(now=NOW)
    later = QueryContext(now=NOW + timedelta(days=10))
    assert titles("after:7d", stories, soon) == ["Recent"]
    assert titles("after:7d", stories, later) == []
    assert titles("before:7d", stories, later) == ["Recent"]
    assert titles("after:999999d", stories, soon) == ["Recent"]  # further back than year 1


def test_highlight_words_leave_out_negated_terms_and_other_fields() -> None:
    query = compile_query('harbour -tide title:cranes provider:atlas ("night quay" OR ferry)')
    assert query.words == ("harbour", "cranes", "night quay", "ferry")


# -- bad queries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("word foo:bar", 'unknown field "foo:" at 5'),
        ("https://example.com", 'unknown field "https:" at 0'),
        ("quality>=lots", 'bad number "lots" at 9'),
        ("heat:1.5", 'bad number "1.5" at 5'),
        ("after:2021-02-30", 'bad date "2021-02-30" (YYYY-MM-DD or 7d) at 6'),
        ("before:yesterday", 'bad date "yesterday" (YYYY-MM-DD or 7d) at 7'),
        ('tide "night quay', "unclosed quote at 5"),
        ('title:"night', "unclosed quote at 6"),
        ("(tide OR quay", "unclosed parenthesis at 0"),
        ("tide) quay", 'stray ")" at 4'),
        ("tide OR", "dangling OR at 5"),
        ("OR tide", "dangling OR at 0"),
        ("tide OR OR quay", "dangling OR at 5"),
        ("(tide OR) quay", "dangling OR at 6"),
        ("tide -", 'dangling "-" at 5'),
        ("tide - quay", 'dangling "-" at 5'),
        ("-OR tide", 'dangling "-" at 0'),
        ("tide ()", "empty parentheses at 5"),
        ("title: tide", 'missing value after "title:" at 6'),
        ('topic:""', 'missing value after "topic:" at 6'),
        ("is:sunny", 'unknown value "sunny" for "is:" at 3'),
        ("has:cats", 'unknown value "cats" for "has:" at 4'),
        ("coverage>=many", 'bad number "many" at 10'),
        ("coverage:", 'missing value after "coverage:" at 9'),
        ("title>=3", '"title" takes ":" at 5'),
        pytest.param("tide " * 21, "too many terms (over 20) at 100", id="many terms"),
        pytest.param("x" * 10_001, "query too long (over 10,000 characters) at 10000", id="long"),
    ],
)
def test_bad_queries_say_what_and_where(query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        compile_query(query)
    assert str(caught.value) == message
    assert caught.value.position == int(message.rsplit(" ", 1)[1])


def test_what_looks_like_a_field_but_is_not_is_a_word() -> None:
    stories = [story("Kickoff at 10:30"), story("a<b and c=d"), story("Quality time")]
    assert titles("10:30", stories) == ["Kickoff at 10:30"]
    assert titles("a<b c=d", stories) == ["a<b and c=d"]
    assert titles("quality", stories) == ["Quality time"]
    assert titles('"https://example.com"', stories) == []  # quoted: a phrase


# -- hostile queries -------------------------------------------------------------------------

HOSTILE = [
    "(" * 1000 + "tide" + ")" * 1000,
    "(" * 1000,
    ")" * 1000,
    "-(" * 1000 + "tide" + ")" * 1000,
    "-" * 5000 + "tide",
    "tide OR " * 1250,
    "tide " * 2000,
    '"' * 10_000,
    "x" * 10_000,
    "x" * 10_001,
    "(a|b)*+?{1000}[^x]\\1" * 400,
    ".*" * 5000,
    "title:" + "(" * 9000,
    "quality>=" + "9" * 9000,
    "after:" + "1" * 9000 + "d",
    "\x00\x1b[2J\u202e" * 2000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q[:16]))
def test_hostile_queries_are_answered_or_refused(query: str) -> None:
    stories = [story("tide (a|b)*+?{1000}[^x]\\1 .* x"), story("quay")]
    try:
        result = compile_query(query).filter(stories)
    except QueryError as error:
        assert "\n" not in str(error)
        assert 0 <= error.position <= len(query)
    else:
        assert set(result) <= set(stories)


def nested(depth: int) -> tuple[str, Callable[[str], bool]]:
    """`depth` parentheses inside one another (now an OR, now an AND, mostly a NOT), and
    what they mean for a title."""
    text, predicate = "tide", lambda title: "tide" in title
    for level in range(depth):
        inner = predicate
        if level % 12 == 0:
            text, predicate = f"({text} OR quay)", lambda t, p=inner: p(t) or "quay" in t
        elif level % 12 == 6:
            text, predicate = f"(harbour {text})", lambda t, p=inner: p(t) and "harbour" in t
        else:
            text, predicate = f"-({text})", lambda t, p=inner: not p(t)
    return text, predicate


def test_the_deepest_allowed_query_runs_and_one_more_level_is_refused() -> None:
    stories = [story("tide"), story("quay"), story("harbour tide"), story("harbour")]
    text, predicate = nested(MAX_DEPTH)
    assert titles(text, stories) == [s.title for s in stories if predicate(s.title)]
    with pytest.raises(QueryError, match="too deeply nested"):
        compile_query(nested(MAX_DEPTH + 1)[0])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab:-()" ORtiqulyse>=<.\\*[]0123456789d'), max_size=60))
def test_any_query_is_read_or_refused_in_one_line(query: str) -> None:
    stories = [story("a tide"), story("b quay", quality=5, published=NOW)]
    try:
        compiled = compile_query(query)
    except QueryError as error:
        assert "\n" not in str(error)
        assert 0 <= error.position <= len(query)
    else:
        assert set(compiled.filter(stories)) <= set(stories)
