"""An actor's timeline and full-text search, compiled: each one statement, paged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphapi.api.compiled.clauses import Carry, OptionalMatch, Raw, Scope, Subquery, Var
from graphapi.api.compiled.objects import Compiler
from graphapi.api.compiled.pages import Page, PageSelection
from graphapi.api.compiled.pipeline import Binding, Fallback, Refused, Selected
from graphapi.api.compiled.plan_cache import Plan
from graphapi.api.compiled.root_plans import make_plan, refused_id, refusing
from graphapi.api.compiled.tenure_rules import possible_asked
from graphapi.api.reading.arguments import (
    ACTORS,
    checked_terms,
    checked_words,
    offset_after,
)
from graphapi.api.reading.cursors import CursorScope
from graphapi.api.reading.pagination import page_limit
from graphapi.graph import reads
from graphapi.graph.words import Term
from graphapi.store.base import Record
from graphapi.store.dialect import FULLTEXT_CALL, fulltext_query


def _timeline_filters(args: dict[str, Any]) -> dict[str, Any]:
    """The timeline's arguments checked as the resolver checks them, named as its cursor scope names them."""
    refusing(lambda: page_limit(args.get("first")))
    possible = possible_asked(args.get("certainty"), "certainty")
    actor = refused_id(args["actor"], "actor", ACTORS)
    start, end = args.get("from"), args.get("to")
    if start and end and start > end:
        raise Refused("`from` after `to`: the resolver says why")
    return {"actor": actor, "from": start, "to": end, "undated": args["includeUndated"], "possible": possible}


def _timeline_rows(c: Compiler, connection: PageSelection) -> None:
    """The page's entries collected, the total when asked, and whether the actor exists."""
    columns = ", ".join(f"o{i}" for i in range(len(connection.projections)))
    projected = "".join(f", {e} AS o{i}" for i, e in enumerate(connection.projections))
    c.p.add(f"WITH key{projected} ORDER BY key")
    c.p.add(
        Raw(f"WITH collect([key, null, null{', ' + columns if columns else ''}]) AS page", Scope.of("page"))
    )
    if connection.counted:
        # sum() is a double on FalkorDB: an Int goes out as one
        counted = f"CALL {{ {reads.TIMELINE_ENTRY_COUNTS} }} WITH page, toInteger(sum(total)) AS total"
        c.p.add(Raw(counted, Scope.of("page", "total")))
    actor = Var("a")
    c.p.add(OptionalMatch(f"({actor}:Node {{id: $actor}})", (actor,)))
    c.p.add(Carry())
    total = "total" if connection.counted else "null AS total"
    c.p.add(f"RETURN page, {total}, a IS NOT NULL AS found")


def timeline(c: Compiler, field: Selected) -> Plan:
    """An actor's timeline (graphapi/api/queries/actor_timeline.py): every part's page and the tenures,
    merged by their keys in the statement, with the total when asked."""

    def filters(b: Binding) -> dict[str, Any]:
        found: dict[str, Any] = b.once((field, "filters"), lambda b: _timeline_filters(b.args(field)))
        return found

    def page(b: Binding) -> tuple[int, str | None, CursorScope]:
        def make(b: Binding) -> tuple[int, str | None, CursorScope]:
            args = b.args(field)
            scope = CursorScope.of("timeline", "DATE:ASC", filters(b))
            position = refusing(lambda: scope.decode(args.get("after"), (str,)))
            return page_limit(args.get("first")), (position[0] if position else None), scope

        found: tuple[int, str | None, CursorScope] = b.once((field, "page"), make)
        return found

    def filter_value(name: str) -> Callable[[Binding], Any]:
        return lambda b: filters(b)[name]

    for name in ("actor", "from", "to", "undated", "possible"):
        c.p.param(filter_value(name), name)
    c.p.param(lambda b: page(b)[1], "after")
    c.p.param(lambda b: page(b)[0] + 1, "limit")
    ranged = c.p.chosen_by(
        lambda b: (filters(b)["from"], filters(b)["to"], filters(b)["undated"]) != (None, None, True),
        c.binding,
    )
    entries = reads.TIMELINE_ENTRIES if ranged else reads.TIMELINE_ALL_ENTRIES
    c.p.add(f"CALL {{ {entries} }} WITH n, kind, dm, key WHERE n IS NOT NULL")
    c.p.add(Raw("WITH n, kind, dm, key ORDER BY key LIMIT $limit", Scope.of("n", "kind", "dm", "key")))
    connection = PageSelection(c, field, Var("n"))
    _timeline_rows(c, connection)

    def finish(row: Record, binding: Binding) -> Any:
        if not row["found"]:
            raise Fallback("no such actor: the resolver raises NOT_FOUND")
        size, _after, scope = page(binding)
        made = Page(
            row["page"], size, scope, binding.args(field).get("after"), row["total"], lambda i, r: [r[0]]
        )
        return connection.build(made)

    return make_plan(c, field, finish)


def search(c: Compiler, field: Selected) -> Plan:
    """Full-text search, ranked by the engine: one page of hits from an offset, with their nodes."""

    def prepared(b: Binding) -> tuple[int, int, CursorScope, list[list[Term]], list[str] | None]:
        def make(b: Binding) -> tuple[int, int, CursorScope, list[list[Term]], list[str] | None]:
            args = b.args(field)
            text = refusing(lambda: checked_words(args["text"], "text")) or ""
            size = refusing(lambda: page_limit(args.get("first")))
            kinds = args.get("kinds")
            labels = sorted(k.value for k in kinds) if kinds else None
            scope = CursorScope.of("search", "SCORE:DESC", {"text": text, "kinds": labels})
            position = refusing(lambda: scope.decode(args.get("after"), (int,)))
            offset = refusing(lambda: offset_after(position))
            words = refusing(lambda: checked_terms(text, "text"))
            return size, offset, scope, words, labels

        found: tuple[int, int, CursorScope, list[list[Term]], list[str] | None] = b.once(
            (field, "search"), make
        )
        return found

    engine = c.p.engine
    c.p.param(lambda b: fulltext_query(engine, prepared(b)[3]), "query")
    c.p.param(lambda b: prepared(b)[4], "labels")
    c.p.param(lambda b: prepared(b)[1], "offset")
    c.p.param(lambda b: prepared(b)[0] + 1, "limit")
    c.p.own_engine = True
    call = FULLTEXT_CALL[c.p.engine]
    in_labels = "$labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)"
    c.p.add(
        Raw(
            f"{call} WITH node, score WHERE {in_labels} "
            "WITH node AS n, score ORDER BY score DESC, node.id SKIP $offset LIMIT $limit",
            Scope.of("n", "score"),
        )
    )
    connection = PageSelection(c, field, Var("n"))
    columns = "".join(f", o{i}" for i in range(len(connection.projections)))
    projected = "".join(f", {e} AS o{i}" for i, e in enumerate(connection.projections))
    c.p.add(f"WITH score, n.id AS id{projected} ORDER BY score DESC, id")
    c.p.add(Raw(f"WITH collect([null, id, score{columns}]) AS page", Scope.of("page")))
    if connection.counted:
        count = call.replace(", score", "")
        c.p.add(Subquery(f"{count} WITH node WHERE {in_labels} RETURN count(node) AS total", Var("total")))
    c.p.add("RETURN page" + (", total" if connection.counted else ", null AS total"))

    def finish(row: Record, binding: Binding) -> Any:
        size, offset, scope, _words, _labels = prepared(binding)
        after = binding.args(field).get("after")
        made = Page(row["page"], size, scope, after, row["total"], lambda i, r: [offset + i])
        return connection.build(made)

    return make_plan(c, field, finish)


# Root fields and how they compile.
