"""The plain reader's commands about the list: pages, topics, views, folders, search, order, and
marking the list read. Each takes the reader and the words typed after the command."""

from __future__ import annotations

from collections.abc import Sequence

from reader.model.order import Order
from reader.model.scope import ALL, STARRED, UNREAD, Scope, ScopeKind
from reader.model.text import clean_line
from reader.plain.output import Line
from reader.plain.render import plural, problem_lines, scope_lines, scope_name
from reader.plain.state import CONFIRM_OVER, PAGE, PlainReader


def more(reader: PlainReader, argument: str) -> None:
    """`more` (or Enter): the next page of the list."""
    if reader.end >= len(reader.listed):
        count = plural(len(reader.listed), "story", "stories")
        reader.out.say(f"No more stories: that was the end of the list ({count}).")
        return
    reader.show_page(reader.end)


def list_again(reader: PlainReader, argument: str) -> None:
    """`list`: the page again, from the list as it is now (new stories numbered in)."""
    reader.list_view(page=reader.start // PAGE if reader.listed else 0)


def _choose(reader: PlainReader, scope: Scope) -> None:
    reader.session.navigation.choose(scope)
    reader.list_view()


def _named(names: Sequence[str], wanted: str) -> str | None:
    """The name `wanted` stands for: the same name (in any case), else the one it begins."""
    folded = wanted.strip().casefold()
    exact = [name for name in names if name.casefold() == folded]
    if exact:
        return exact[0]
    begun = [name for name in names if name.casefold().startswith(folded)]
    return begun[0] if len(begun) == 1 else None


def topics(reader: PlainReader, argument: str) -> None:
    """`topics`: every topic with its counts."""
    lines = scope_lines(reader.snapshot.sidebar, {ScopeKind.TOPIC}, "Topics")
    reader.out.write([*lines, Line("Type topic and a name to see its stories.", "dim")])


def topic(reader: PlainReader, argument: str) -> None:
    """`topic NAME`: that topic's stories; `topic` alone: every story."""
    if not argument:
        _choose(reader, ALL)
        return
    library = reader.snapshot.library
    names = [name for name, _ in library.topics] if library is not None else []
    name = _named(names, argument)
    if name is None:
        reader.out.say(f"No topic called {clean_line(argument)}. Type topics for the list.")
        return
    _choose(reader, Scope.topic(name))


def every_story(reader: PlainReader, argument: str) -> None:
    """`all`: every story of the folder (no topic, view or folder)."""
    _choose(reader, ALL)


def views(reader: PlainReader, argument: str) -> None:
    """`views`: Starred, Unread and the saved views, with their counts."""
    kinds = {ScopeKind.STARRED, ScopeKind.UNREAD, ScopeKind.VIEW}
    lines = scope_lines(reader.snapshot.sidebar, kinds, "Views")
    reader.out.write([*lines, Line("Type view and a name to see its stories.", "dim")])


def view(reader: PlainReader, argument: str) -> None:
    """`view NAME`: a saved view's stories (or Starred, Unread, All)."""
    built_in = {"starred": STARRED, "unread": UNREAD, "all": ALL}
    scopes = {name: Scope.view(name) for name in reader.snapshot.views}
    scopes.update({name: scope for name, scope in built_in.items() if name not in scopes})
    name = _named(list(scopes), argument) if argument else None
    if name is None:
        reader.out.say(f"No view called {clean_line(argument)}. Type views for the list.")
        return
    _choose(reader, scopes[name])


def folders(reader: PlainReader, argument: str) -> None:
    """`folders`: the folders read, with their counts and where they are."""
    snapshot = reader.snapshot
    counts = {e.scope.name: e for e in snapshot.sidebar if e.scope.kind is ScopeKind.FOLDER}
    lines = [Line(f"Folders ({len(snapshot.sources)}):", "heading")]
    for label, path in snapshot.sources:
        entry = counts.get(label)
        total = entry.total if entry is not None else snapshot.status.stories
        where = f"{clean_line(label)}: {plural(total, 'story', 'stories')}, in {clean_line(path)}."
        lines.append(Line(where, hang=2))
    if len(snapshot.sources) > 1:
        lines.append(Line("Type folder and a name to see its stories.", "dim"))
    reader.out.write(lines)


def folder(reader: PlainReader, argument: str) -> None:
    """`folder NAME`: one folder's stories, when several are read as one."""
    labels = [label for label, _ in reader.snapshot.sources]
    if len(labels) < 2:
        reader.out.say("There is one folder: its stories are the list. Type all to see them.")
        return
    name = _named(labels, argument) if argument else None
    if name is None:
        reader.out.say(f"No folder called {clean_line(argument)}. Type folders for the list.")
        return
    _choose(reader, Scope.folder(name))


def search(reader: PlainReader, argument: str) -> None:
    """`/QUERY`: the stories the query matches; `/` alone: every story of the list again."""
    from reader.library.query.compiled import QueryError, compile_query

    try:
        compile_query(argument)
    except QueryError as error:
        where = f"at character {error.position + 1}"
        reader.out.say(
            f"Bad query: {clean_line(error.message)} {where} of {argument.strip()!r}; "
            "the list is as it was."
        )
        return
    reader.session.navigation.search(argument)
    reader.list_view()


def order(reader: PlainReader, argument: str) -> None:
    """`order quality|newest|heat|title`: sort the list."""
    names = [o.value for o in Order]
    name = _named(names, argument) if argument else None
    if name is None:
        now = reader.snapshot.status.order
        reader.out.say(f"The list is sorted {now}. Type order and one of: {', '.join(names)}.")
        return
    reader.session.navigation.set_order(Order(name))
    reader.list_view()


def reverse(reader: PlainReader, argument: str) -> None:
    """`reverse`: the same order the other way round."""
    reader.session.navigation.reverse_order()
    reader.list_view()


def read_all(reader: PlainReader, argument: str) -> None:
    """`read-all`: mark every unread story of the list read (asks first over 50)."""
    session = reader.session
    unread = session.unread_in_view()
    if not unread:
        reader.out.say("Every story here is read already.")
        return

    def mark(yes: bool) -> None:
        if not yes:
            reader.out.say("Nothing marked.")
            return
        changed = session.mark_read(unread)
        session.navigation.refresh()
        reader.out.say(f"Marked {plural(changed, 'story', 'stories')} read.")

    if len(session.snapshot.view) <= CONFIRM_OVER:
        mark(True)
        return
    scope = scope_name(session.snapshot.status.scope)
    reader.ask(f"Mark all {len(unread):,} unread stories in {scope} as read?", mark)


def problems(reader: PlainReader, argument: str) -> None:
    """`problems`: the files that could not be read, and why."""
    reader.out.write(problem_lines(reader.snapshot.library))
