"""The root fields that compile, each into one statement returning one row: lookups by id, the lists
(Relay connections, their totals counted in the same statement only when asked), office holders,
provenance and search. Arguments are checked as the resolvers check them (graphapi/api/queries/root.py); a
value they would refuse, or a node the request names that does not exist, is left to them (Refused, or
Fallback from `finish`), so errors keep their codes, messages and paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import get_named_type

from graphapi.api.compiled.evidence import position_evidence, quote_evidence, spans_evidence
from graphapi.api.compiled.objects import Compiler, NodeVar
from graphapi.api.compiled.pipeline import Binding, Fallback, Refused, Selected
from graphapi.api.compiled.plan_cache import Plan
from graphapi.api.compiled.tenure_rules import day_asked, holders, possible_asked
from graphapi.api.reading.arguments import (
    ACTORS,
    MAX_IDS,
    NESTED_MAX,
    POSITION_TARGET_LABELS,
    actor_filters,
    checked_id,
    checked_terms,
    checked_words,
    event_filters,
    measure_filters,
    offset_after,
    position_filters,
    statement_filters,
)
from graphapi.api.reading.cursors import CursorScope, decoded
from graphapi.api.reading.pagination import page_limit
from graphapi.errors import GraphApiError
from graphapi.graph import reads
from graphapi.graph.kinds import kind_of
from graphapi.graph.words import Term
from graphapi.store.base import Record
from graphapi.store.cypher import Cypher
from graphapi.store.dialect import FULLTEXT_CALL, fulltext_query

POSITION_TARGETS = 50  # the measures and events `onText` finds, best first (as the resolver asks)


def refusing(check: Callable[[], Any]) -> Any:
    """What `check` returns; Refused when it raises the project's error (the resolver raises it)."""
    try:
        return check()
    except GraphApiError as exc:
        raise Refused(str(exc)) from None


def _id(value: Any, argument: str, kinds: tuple[str, ...] = ()) -> str:
    return str(refusing(lambda: checked_id(value, argument, kinds=kinds)))


def _statement(c: Compiler, field: Selected) -> Cypher:
    """The statement, named for its root field; one with a full-text call names its engine."""
    engines = frozenset({c.p.engine}) if c.p.own_engine else frozenset({"neo4j", "falkordb"})
    return Cypher(f"compiled.{field.name}", c.p.text, engines)


# --- lookups -------------------------------------------------------------------------------------


def node(c: Compiler, field: Selected) -> Plan:
    node_id = c.p.param(lambda b: _id(b.args(field)["id"], "id"))
    c.p.add(f"OPTIONAL MATCH (n:Node {{id: {node_id}}})")
    c.p.scope = ["n"]
    return _one_node(c, field, "n", c.nested(NodeVar("n"), field))


def nodes(c: Compiler, field: Selected) -> Plan:
    def ids(b: Binding) -> list[str]:
        given = b.args(field)["ids"]
        if len(given) > MAX_IDS:
            raise Refused("too many ids")
        return [_id(i, "ids") for i in given]

    c.p.add(f"UNWIND range(0, size({c.p.param(ids)}) - 1) AS i")
    given = next(iter(c.p.params))
    c.p.add(f"WITH i, ${given}[i] AS nid OPTIONAL MATCH (n:Node {{id: nid}})")
    c.p.scope = ["i", "n"]
    expression, shape = c.nested(NodeVar("n"), field)
    c.p.add(f"WITH i, {expression} AS o ORDER BY i WITH collect([o]) AS found RETURN found")

    def finish(row: Record, binding: Binding) -> Any:
        return [o if shape is None else shape(o) for [o] in row["found"]]

    return _plan(c, field, finish)


def provenance(c: Compiler, field: Selected) -> Plan:
    node_id = c.p.param(lambda b: _id(b.args(field)["id"], "id"))
    kind = c.p.chosen_by(lambda b: getattr(kind_of(b.args(field)["id"]), "label", None), c.binding)
    c.p.add(f"OPTIONAL MATCH (n:Node {{id: {node_id}}})")
    c.p.scope = ["n"]
    if kind == "Statement":
        expression, shape = quote_evidence(c, "n", field)
    elif kind == "Position":
        expression, shape = position_evidence(c, NodeVar("n"), field)
    else:
        expression, shape = spans_evidence(c, "n", field)
    return _one_node(c, field, "n", (expression, shape))


def office_holders(c: Compiler, field: Selected) -> Plan:
    office = c.p.param(lambda b: _id(b.args(field)["office"], "office", ("office",)))
    on = day_asked(c, field)
    c.p.add(f"OPTIONAL MATCH (o:Node {{id: {office}}})")
    c.p.scope = ["o"]
    limit = c.p.param(lambda b: NESTED_MAX)
    return _one_node(c, field, "o", holders(c, "o", field, limit, on))


def _one_node(c: Compiler, field: Selected, var: str, value: tuple[str, Any]) -> Plan:
    """A root field about the node `var` names, answering `value`: when there is no such node, the
    resolver answers (with its NOT_FOUND)."""
    expression, shape = value
    c.p.add(f"RETURN {var} IS NOT NULL AS found, {expression} AS value")

    def finish(row: Record, binding: Binding) -> Any:
        if not row["found"]:
            raise Fallback("no such node: the resolver raises NOT_FOUND")
        return row["value"] if shape is None else shape(row["value"])

    return _plan(c, field, finish)


def _plan(c: Compiler, field: Selected, finish: Callable[[Record, Binding], Any], **kwargs: Any) -> Plan:
    return Plan(_statement(c, field), dict(c.p.params), list(c.p.guards), finish, **kwargs)


# --- connections ---------------------------------------------------------------------------------


# The fields of connections, their edges and their page info, as PageSelection reads them.
CONNECTION_FIELDS = frozenset({"__typename", "edges", "nodes", "pageInfo", "totalCount"})
EDGE_FIELDS = frozenset({"__typename", "cursor", "node", "score"})
# A search hit's snippet is cut from the matched text in Python (graphapi/api/queries/search.py).
EDGE_FALLBACK = frozenset({"snippet"})
PAGE_INFO_FIELDS = frozenset({"__typename", "hasNextPage", "hasPreviousPage", "startCursor", "endCursor"})


class PageSelection:
    """The selection of a connection (edges, nodes, pageInfo, totalCount) over the rows of a page: each
    row is [sort key, id, score, one projection of the node per selection of it]."""

    def __init__(self, c: Compiler, field: Selected, node: str) -> None:
        self.c = c
        self.projections: list[str] = []
        self.counted = False
        self.builders: list[tuple[str, Callable[[Page], Any]]] = []
        named = get_named_type(field.definition.type)
        for sub in c.selection(named, field.details):  # type: ignore[arg-type]
            self.builders.append((sub.key, self._part(sub, node, named.name)))

    def _node(self, node: str, field: Selected) -> Callable[[list[Any]], Any]:
        """A projection of the row's node for this selection of it, and how to read it from a row."""
        expression, shape = self.c.nested(NodeVar(node), field)
        self.projections.append(expression)
        column = 2 + len(self.projections)  # after the sort key, the id and the score
        if shape is None:
            return lambda row: row[column]
        return lambda row: shape(row[column])

    def _part(self, sub: Selected, node: str, typename: str) -> Callable[[Page], Any]:
        if sub.name == "__typename":
            return lambda page: typename
        if sub.name == "totalCount":
            self.counted = True
            return lambda page: page.total
        if sub.name == "nodes":
            read = self._node(node, sub)
            return lambda page: [read(row) for row in page.rows]
        if sub.name == "pageInfo":
            return self._page_info(sub)
        if sub.name == "edges":
            return self._edges(sub, node)
        raise Fallback(f"{typename}.{sub.name}")  # a field not in CONNECTION_FIELDS

    def _edges(self, field: Selected, node: str) -> Callable[[Page], Any]:
        named = get_named_type(field.definition.type)
        parts: list[tuple[str, Callable[[Page, int, list[Any]], Any]]] = []
        for sub in self.c.selection(named, field.details):  # type: ignore[arg-type]
            if sub.name == "__typename":
                parts.append((sub.key, _constant(named.name)))
            elif sub.name == "cursor":
                parts.append((sub.key, lambda page, i, row: page.cursor(i)))
            elif sub.name == "score":
                parts.append((sub.key, lambda page, i, row: row[2]))
            elif sub.name == "node":
                parts.append((sub.key, _reading(self._node(node, sub))))
            else:
                raise Fallback(f"{named.name}.{sub.name}")
        return lambda page: [
            {response: make(page, i, row) for response, make in parts} for i, row in enumerate(page.rows)
        ]

    def _page_info(self, field: Selected) -> Callable[[Page], Any]:
        named = get_named_type(field.definition.type)
        values: dict[str, Callable[[Page], Any]] = {
            "__typename": lambda page: named.name,
            "hasNextPage": lambda page: page.has_next,
            "hasPreviousPage": lambda page: page.after is not None,
            "startCursor": lambda page: page.cursor(0) if page.rows else None,
            "endCursor": lambda page: page.cursor(len(page.rows) - 1) if page.rows else None,
        }
        parts = []
        for sub in self.c.selection(named, field.details):  # type: ignore[arg-type]
            if sub.name not in values:
                raise Fallback(f"PageInfo.{sub.name}")
            parts.append((sub.key, values[sub.name]))
        return lambda page: {response: make(page) for response, make in parts}

    def build(self, page: Page) -> dict[str, Any]:
        return {response: make(page) for response, make in self.builders}


def _constant(value: Any) -> Callable[[Page, int, list[Any]], Any]:
    return lambda page, i, row: value


def _reading(read: Callable[[list[Any]], Any]) -> Callable[[Page, int, list[Any]], Any]:
    return lambda page, i, row: read(row)


class Page:
    """One page of rows as the resolvers' `connection` makes it: one row more than asked tells whether
    there is a next page; cursors are encoded when asked for."""

    def __init__(
        self,
        rows: list[list[Any]],
        size: int,
        scope: CursorScope,
        after: str | None,
        total: int | None,
        position: Callable[[int, list[Any]], list[Any]],
    ) -> None:
        self.rows = rows[:size]
        self.has_next = len(rows) > size
        self.scope = scope
        self.after = after
        self.total = total
        self.position = position

    def cursor(self, i: int) -> str:
        return self.scope.encode(self.position(i, self.rows[i]))


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
        "on": [_id(on, "on", ("measure", "event"))] if on is not None else None,
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

    return _plan(c, field, finish)


# The parameters of each list's filters, by name (the statements of graphapi/graph/reads.py use them).
FILTERS_PARAMS = {
    "actors": ("label", "nameContains"),
    "measures": ("status", "kind", "sector", "imposedBy", "target", "inForceOn", "possible"),
    "statements": ("by", "about", "direct", "saidFrom", "saidTo"),
    "positions": ("on", "stance", "minConfidence", "actor", "basis"),
    "events": ("kind", "status", "participant", "from", "to", "possible"),
    "sources": (),
}


def timeline(c: Compiler, field: Selected) -> Plan:
    """An actor's timeline (graphapi/api/queries/actor_timeline.py): every part's page and the tenures,
    merged by their keys in the statement, with the total when asked."""

    def filters(b: Binding) -> dict[str, Any]:
        def make(b: Binding) -> dict[str, Any]:
            args = b.args(field)
            refusing(lambda: page_limit(args.get("first")))
            possible = possible_asked(args.get("certainty"), "certainty")
            actor = _id(args["actor"], "actor", ACTORS)
            start, end = args.get("from"), args.get("to")
            if start and end and start > end:
                raise Refused("`from` after `to`: the resolver says why")
            # as the resolver's cursor scope names them
            return {"actor": actor, "from": start, "to": end, "undated": args["includeUndated"],
                    "possible": possible}  # fmt: skip

        found: dict[str, Any] = b.once((field, "filters"), make)
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
    c.p.add("WITH n, kind, dm, key ORDER BY key LIMIT $limit")
    c.p.scope = ["n", "kind", "dm", "key"]
    connection = PageSelection(c, field, "n")
    columns = ", ".join(f"o{i}" for i in range(len(connection.projections)))
    projected = "".join(f", {e} AS o{i}" for i, e in enumerate(connection.projections))
    c.p.add(f"WITH key{projected} ORDER BY key")
    c.p.add(f"WITH collect([key, null, null{', ' + columns if columns else ''}]) AS page")
    carried = ["page"]
    if connection.counted:
        # sum() is a double on FalkorDB: an Int goes out as one
        c.p.add(f"CALL {{ {reads.TIMELINE_ENTRY_COUNTS} }} WITH page, toInteger(sum(total)) AS total")
        carried.append("total")
    c.p.add(f"OPTIONAL MATCH (a:Node {{id: $actor}}) WITH {', '.join(carried)}, a")
    total = "total" if connection.counted else "null AS total"
    c.p.add(f"RETURN page, {total}, a IS NOT NULL AS found")

    def finish(row: Record, binding: Binding) -> Any:
        if not row["found"]:
            raise Fallback("no such actor: the resolver raises NOT_FOUND")
        size, _after, scope = page(binding)
        made = Page(
            row["page"], size, scope, binding.args(field).get("after"), row["total"], lambda i, r: [r[0]]
        )
        return connection.build(made)

    return _plan(c, field, finish)


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
        f"{call} WITH node, score WHERE {in_labels} "
        "WITH node AS n, score ORDER BY score DESC, node.id SKIP $offset LIMIT $limit"
    )
    c.p.scope = ["n", "score"]
    connection = PageSelection(c, field, "n")
    columns = "".join(f", o{i}" for i in range(len(connection.projections)))
    projected = "".join(f", {e} AS o{i}" for i, e in enumerate(connection.projections))
    c.p.add(f"WITH score, n.id AS id{projected} ORDER BY score DESC, id")
    c.p.add(f"WITH collect([null, id, score{columns}]) AS page")
    if connection.counted:
        count = call.replace(", score", "")
        c.p.add(
            f"CALL {{ {count} WITH node WHERE {in_labels} RETURN count(node) AS total }} WITH page, total"
        )
    c.p.add("RETURN page" + (", total" if connection.counted else ", null AS total"))

    def finish(row: Record, binding: Binding) -> Any:
        size, offset, scope, _words, _labels = prepared(binding)
        after = binding.args(field).get("after")
        made = Page(row["page"], size, scope, after, row["total"], lambda i, r: [offset + i])
        return connection.build(made)

    return _plan(c, field, finish)


# Root fields and how they compile.
ROOTS: dict[str, Callable[[Compiler, Selected], Plan]] = {
    "node": node,
    "nodes": nodes,
    "actors": list_root,
    "measures": list_root,
    "statements": list_root,
    "positions": list_root,
    "sources": list_root,
    "events": list_root,
    "officeHolders": office_holders,
    "provenance": provenance,
    "search": search,
    "timeline": timeline,
}
# Root fields left to the resolvers on purpose: walks (a level per round-trip, cut short by limits),
# the timeline (merged in Python with a person's tenures), the API keys (admin scope checked first), the
# history of changes (beside the graph, paged by time), and the side-by-side comparison of positions.
RESOLVED = frozenset(
    {"neighbourhood", "path", "retaliationChain", "retaliations", "apiKeys", "changes", "compare"}
)
