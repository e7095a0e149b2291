"""The lists that compile (actors, measures, statements, positions, events, sources): each its own page
query (graphapi/graph/reads.py), its filters as the resolvers make them (graphapi/api/reading/
arguments.py), the selection of its rows, the total when asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphapi.api.compiled.objects import Compiler
from graphapi.api.compiled.pages import Page, PageSelection
from graphapi.api.compiled.pipeline import Binding, Fallback, Refused, Selected
from graphapi.api.compiled.plan_cache import Plan
from graphapi.api.compiled.root_plans import id_rule, plan, refusing
from graphapi.api.reading.arguments import (
    POSITION_TARGET_LABELS,
    actor_filters,
    checked_terms,
    checked_words,
    event_filters,
    measure_filters,
    position_filters,
    statement_filters,
)
from graphapi.api.reading.cursors import CursorScope, decoded
from graphapi.api.reading.pagination import page_limit
from graphapi.graph import reads
from graphapi.graph.words import Term
from graphapi.store.base import Record
from graphapi.store.dialect import FULLTEXT_CALL, fulltext_query

POSITION_TARGETS = 50  # the measures and events `onText` finds, best first (as the resolver asks)


def _order(args: dict[str, Any]) -> tuple[str, bool]:
    order = args.get("orderBy") or {}
    field = order.get("field")
    direction = order.get("direction")
    return (field.value if field is not None else "ID"), (direction is not None and direction.value == "DESC")


# The filters of each list, as its resolver builds them (graphapi/api/reading/arguments.py); ids are checked
# there and their existence in the statement.
def _position_filters(args: dict[str, Any]) -> dict[str, Any]:
    on, on_text = args.get("on"), args.get("onText")
    if on is not None and on_text is not None:
        raise Refused("both `on` and `onText`: the resolver says why")
    if args.get("includeParts") and on is not None:
        raise Refused("`includeParts`: the resolver looks the parts up first")
    filters = refusing(lambda: position_filters(args.get("stance"), args.get("filter") or {}))
    return {
        # by words, the measures and events found are only known to the statement
        "on": [id_rule(on, "on", ("measure", "event"))] if on is not None else None,
        **filters,
    }


FILTERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "actors": lambda args: refusing(lambda: actor_filters(args.get("filter") or {})),
    "measures": lambda args: refusing(lambda: measure_filters(args.get("filter") or {})),
    "statements": lambda args: refusing(
        lambda: statement_filters(args.get("by"), args.get("about"), args.get("filter") or {})
    ),
    "positions": _position_filters,
    "events": lambda args: refusing(lambda: event_filters(args.get("filter") or {})),
    "sources": lambda args: {},
}


def _search_terms(on_text: str) -> list[list[Term]]:
    text = refusing(lambda: checked_words(on_text, "onText")) or ""
    return list(refusing(lambda: checked_terms(text, "onText")))


def list_root(c: Compiler, field: Selected) -> Plan:
    """actors, measures, statements, positions, sources: the list's own page query (graphapi/graph/
    reads.py) up to its LIMIT, the selection of its rows, the total when asked, and whether each node
    the filters name exists."""
    name = field.name
    query = reads.LISTS[name]

    def filters(b: Binding) -> dict[str, Any]:
        found: dict[str, Any] = b.once((field, "filters"), lambda b: FILTERS[name](b.args(field)))
        return found

    order = c.p.chosen_by(lambda b: _order(b.args(field)), c.binding)
    anchors = c.p.chosen_by(
        lambda b: frozenset(a for a in query.anchors if filters(b)[a] is not None), c.binding
    )
    by_words = name == "positions" and c.p.chosen_by(
        lambda b: b.args(field).get("onText") is not None, c.binding
    )

    def filter_value(filter_name: str) -> Callable[[Binding], Any]:
        return lambda b: filters(b)[filter_name]

    for filter_name in FILTERS_PARAMS[name]:
        if not (by_words and filter_name == "on"):
            c.p.param(filter_value(filter_name), filter_name)

    def page(b: Binding) -> tuple[int, Any, Any, CursorScope]:
        def make(b: Binding) -> tuple[int, Any, Any, CursorScope]:
            args = b.args(field)
            size = refusing(lambda: page_limit(args.get("first")))
            field_name, descending = _order(args)
            order_name = f"{field_name}:{'DESC' if descending else 'ASC'}"
            after = args.get("after")
            if by_words:  # the cursor's filters are checked once the statement has found the targets
                payload = decoded(after) if after is not None else None
                if after is not None and payload is None:
                    raise Refused("not a cursor")
                scope = CursorScope(name, order_name, payload["f"] if payload else "")
            else:
                scope = CursorScope.of(name, order_name, filters(b))
            position = refusing(lambda: scope.decode(after, (object, str)))
            key, after_id = position if position else (None, None)
            return size, key, after_id, scope

        found: tuple[int, Any, Any, CursorScope] = b.once((field, "page"), make)
        return found

    c.p.param(lambda b: page(b)[1], "afterKey")
    c.p.param(lambda b: page(b)[2], "afterId")
    c.p.param(lambda b: page(b)[0] + 1, "limit")
    parts = query.parts
    field_name, descending = order
    if by_words:
        engine = c.p.engine
        c.p.param(lambda b: fulltext_query(engine, _search_terms(b.args(field)["onText"])), "query")
        c.p.param(lambda b: POSITION_TARGETS, "targets")
        c.p.own_engine = True
        used = [f"(n){parts.anchors[a]}" for a in sorted(anchors)]
        match = ", ".join(["(n:Position)-[:ON]->(target)", *used])
        # The labels written out: testing each hit's labels against a list parameter took a third of the
        # statement's time when the words match thousands of nodes.
        targets = " OR ".join(f"node:{label}" for label in POSITION_TARGET_LABELS)
        c.p.add(
            f"{FULLTEXT_CALL[c.p.engine]} WITH node, score "
            f"WHERE {targets} "
            "WITH node, score ORDER BY score DESC, node.id LIMIT $targets "
            "WITH collect(node) AS hits "
            f"CALL {{ WITH hits UNWIND hits AS target MATCH {match} WITH n WHERE {parts.where} "
            f"{parts.keyset(field_name, descending)}"
        )
    else:
        c.p.add(query.heads[(anchors, field_name, descending)])
    c.p.scope = ["n", "k"]
    connection = PageSelection(c, field, "n")
    direction = "DESC" if descending else "ASC"
    columns = ", ".join(f"o{i}" for i in range(len(connection.projections)))
    projected = "".join(f", {e} AS o{i}" for i, e in enumerate(connection.projections))
    c.p.add(f"WITH k, n.id AS id{projected} ORDER BY k {direction}, id {direction}")
    c.p.add(f"WITH collect([k, id, null{', ' + columns if columns else ''}]) AS page")
    carried = ["page"]
    if by_words:
        c.p.add("RETURN page } WITH hits, page")
        carried = ["hits", "page"]
    if connection.counted:
        if by_words:
            used = [f"(n){parts.anchors[a]}" for a in sorted(anchors)]
            match = ", ".join(["(n:Position)-[:ON]->(target)", *used])
            count = (
                f"WITH hits UNWIND hits AS target MATCH {match} WITH n WHERE {parts.where} "
                "RETURN count(n) AS total"
            )
        else:
            count = query.count(anchors).text
        c.p.add(f"CALL {{ {count} }} WITH {', '.join(carried)}, total")
        carried.append("total")
    checks = sorted(anchors)
    for i, anchor in enumerate(checks):
        value = f"${anchor}[0]" if anchor == "on" else f"${anchor}"
        c.p.add(f"OPTIONAL MATCH (a{i}:Node {{id: {value}}}) WITH {', '.join(carried)}, a{i}")
        carried.append(f"a{i}")
    found = [f"a{i} IS NOT NULL AS found{i}" for i in range(len(checks))]
    c.p.add(
        "RETURN "
        + ", ".join(
            [
                "page",
                "total" if connection.counted else "null AS total",
                "[h IN hits | h.id] AS targets" if by_words else "null AS targets",
                *found,
            ]
        )
    )

    def finish(row: Record, binding: Binding) -> Any:
        if not all(row[f"found{i}"] for i in range(len(checks))):
            raise Fallback("a node the filters name does not exist: the resolver raises NOT_FOUND")
        size, _key, _after_id, scope = page(binding)
        if by_words:
            real = CursorScope.of(name, scope.order, {**filters(binding), "on": row["targets"]})
            if binding.args(field).get("after") is not None and real.filters != scope.filters:
                raise Fallback("a cursor of other filters: the resolver refuses it")
            scope = real
        rows = row["page"]
        made = Page(
            rows, size, scope, binding.args(field).get("after"), row["total"], lambda i, r: [r[0], r[1]]
        )
        return connection.build(made)

    return plan(c, field, finish)


# The parameters of each list's filters, by name (the statements of graphapi/graph/reads.py use them).
FILTERS_PARAMS = {
    "actors": ("label", "nameContains"),
    "measures": ("status", "kind", "sector", "imposedBy", "target", "inForceOn", "possible"),
    "statements": ("by", "about", "direct", "saidFrom", "saidTo"),
    "positions": ("on", "stance", "minConfidence", "actor", "basis"),
    "events": ("kind", "status", "participant", "from", "to", "possible"),
    "sources": (),
}
