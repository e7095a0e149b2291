"""The lists that compile (actors, measures, statements, positions, events, sources): each its own page
query (graphapi/graph/reads.py), its filters as the resolvers make them (graphapi/api/reading/
arguments.py), the selection of its rows, the total when asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphapi.api.compiled.clauses import Carry, OptionalMatch, Raw, Scope, Subquery, Var
from graphapi.api.compiled.objects import Compiler
from graphapi.api.compiled.pages import Page, PageSelection
from graphapi.api.compiled.pipeline import Binding, Fallback, Refused, Selected
from graphapi.api.compiled.plan_cache import Plan
from graphapi.api.compiled.root_plans import make_plan, refused_id, refusing
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
from graphapi.graph.list_queries import POSSIBLE
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
        "on": [refused_id(on, "on", ("measure", "event"))] if on is not None else None,
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
    return ListRoot(c, field).compile()


class ListRoot:
    """One list root field being compiled: the values its text is chosen by (the ordering, the filters
    set, whether positions are found by words), then its clauses in order."""

    def __init__(self, c: Compiler, field: Selected) -> None:
        self.c = c
        self.field = field
        self.name = field.name
        self.query = reads.LISTS[self.name]
        self.order = c.p.chosen_by(lambda b: _order(b.args(field)), c.binding)
        self.anchors: frozenset[str] = c.p.chosen_by(
            lambda b: frozenset(a for a in self.query.anchors if self.filters(b)[a] is not None), c.binding
        )
        self.by_words = self.name == "positions" and c.p.chosen_by(
            lambda b: b.args(field).get("onText") is not None, c.binding
        )
        # the filters this request sets: the statement tests those alone (list_queries.ListParts.where_set);
        # `possible` is a flag, set when true
        self.given: frozenset[str] = c.p.chosen_by(
            lambda b: frozenset(
                name
                for name, set_to in self.filters(b).items()
                if set_to is not None and (name != POSSIBLE or set_to)
            ),
            c.binding,
        )
        self.where = self.query.parts.where_set(self.given)
        self.checks = sorted(self.anchors)

    def filters(self, b: Binding) -> dict[str, Any]:
        name, field = self.name, self.field
        found: dict[str, Any] = b.once((field, "filters"), lambda b: FILTERS[name](b.args(field)))
        return found

    def page(self, b: Binding) -> tuple[int, Any, Any, CursorScope]:
        """The page asked: its size, the key and id it starts after, the cursors' scope."""
        found: tuple[int, Any, Any, CursorScope] = b.once((self.field, "page"), self._page)
        return found

    def _page(self, b: Binding) -> tuple[int, Any, Any, CursorScope]:
        args = b.args(self.field)
        size = refusing(lambda: page_limit(args.get("first")))
        field_name, descending = _order(args)
        order_name = f"{field_name}:{'DESC' if descending else 'ASC'}"
        after = args.get("after")
        if self.by_words:  # the cursor's filters are checked once the statement has found the targets
            payload = decoded(after) if after is not None else None
            if after is not None and payload is None:
                raise Refused("not a cursor")
            scope = CursorScope(self.name, order_name, payload["f"] if payload else "")
        else:
            scope = CursorScope.of(self.name, order_name, self.filters(b))
        position = refusing(lambda: scope.decode(after, (object, str)))
        key, after_id = position if position else (None, None)
        return size, key, after_id, scope

    def compile(self) -> Plan:
        self._params()
        parts = self.query.parts
        head = self._by_words() if self.by_words else f"{self._match()} {parts.keyset(*self.order)}"
        self.c.p.add(Raw(head, Scope.of("n", "k")))  # a row per node `n`, with its sort key `k`
        connection = PageSelection(self.c, self.field, Var("n"))
        self._rows(connection)
        return make_plan(self.c, self.field, self._finish(connection))

    def _params(self) -> None:
        def filter_value(filter_name: str) -> Callable[[Binding], Any]:
            return lambda b: self.filters(b)[filter_name]

        for filter_name in FILTERS_PARAMS[self.name]:
            if not (self.by_words and filter_name == "on"):
                self.c.p.param(filter_value(filter_name), filter_name)
        self.c.p.param(lambda b: self.page(b)[1], "afterKey")
        self.c.p.param(lambda b: self.page(b)[2], "afterId")
        self.c.p.param(lambda b: self.page(b)[0] + 1, "limit")

    def _target_match(self) -> str:
        parts = self.query.parts
        used = [f"(n){parts.anchors[a]}" for a in sorted(self.anchors)]
        match = ", ".join(["(n:Position)-[:ON]->(target)", *used])
        return f"WITH hits UNWIND hits AS target MATCH {match} WITH n WHERE {self.where} "

    def _match(self) -> str:
        return self.query.parts.match(self.anchors, self.where)

    def _by_words(self) -> str:
        """The positions on the measures and events the words find, best first: the head of the statement."""
        c, field = self.c, self.field
        engine = c.p.engine
        c.p.param(lambda b: fulltext_query(engine, _search_terms(b.args(field)["onText"])), "query")
        c.p.param(lambda b: POSITION_TARGETS, "targets")
        c.p.own_engine = True
        # The labels written out: testing each hit's labels against a list parameter took a third of the
        # statement's time when the words match thousands of nodes.
        targets = " OR ".join(f"node:{label}" for label in POSITION_TARGET_LABELS)
        return (
            f"{FULLTEXT_CALL[c.p.engine]} WITH node, score "
            f"WHERE {targets} "
            "WITH node, score ORDER BY score DESC, node.id LIMIT $targets "
            "WITH collect(node) AS hits "
            f"CALL {{ {self._target_match()}"
            f"{self.query.parts.keyset(*self.order)}"
        )

    def _rows(self, connection: PageSelection) -> None:
        """The page's rows collected, the total when asked, whether the nodes the filters name exist."""
        p = self.c.p
        direction = "DESC" if self.order[1] else "ASC"
        columns = ", ".join(f"o{i}" for i in range(len(connection.projections)))
        projected = "".join(f", {e} AS o{i}" for i, e in enumerate(connection.projections))
        p.add(f"WITH k, n.id AS id{projected} ORDER BY k {direction}, id {direction}")
        p.add(
            Raw(f"WITH collect([k, id, null{', ' + columns if columns else ''}]) AS page", Scope.of("page"))
        )
        if self.by_words:
            p.add(Raw("RETURN page } WITH hits, page", Scope.of("hits", "page")))
        if connection.counted:
            if self.by_words:
                count = f"{self._target_match()}RETURN count(n) AS total"
            else:
                count = f"{self._match()} RETURN count(n) AS total"
            p.add(Subquery(count, Var("total")))
        for i, anchor in enumerate(self.checks):
            value = f"${anchor}[0]" if anchor == "on" else f"${anchor}"
            named = Var(f"a{i}")
            p.add(OptionalMatch(f"({named}:Node {{id: {value}}})", (named,)))
            p.add(Carry())
        found = [f"a{i} IS NOT NULL AS found{i}" for i in range(len(self.checks))]
        total = "total" if connection.counted else "null AS total"
        targets = "[h IN hits | h.id] AS targets" if self.by_words else "null AS targets"
        p.add("RETURN " + ", ".join(["page", total, targets, *found]))

    def _finish(self, connection: PageSelection) -> Callable[[Record, Binding], Any]:
        field, checks = self.field, self.checks

        def finish(row: Record, binding: Binding) -> Any:
            if not all(row[f"found{i}"] for i in range(len(checks))):
                raise Fallback("a node the filters name does not exist: the resolver raises NOT_FOUND")
            size, _key, _after_id, scope = self.page(binding)
            if self.by_words:
                real = CursorScope.of(self.name, scope.order, {**self.filters(binding), "on": row["targets"]})
                if binding.args(field).get("after") is not None and real.filters != scope.filters:
                    raise Fallback("a cursor of other filters: the resolver refuses it")
                scope = real
            after = binding.args(field).get("after")
            made = Page(row["page"], size, scope, after, row["total"], lambda i, r: [r[0], r[1]])
            return connection.build(made)

        return finish


# The parameters of each list's filters, by name (the statements of graphapi/graph/reads.py use them).
FILTERS_PARAMS = {
    "actors": ("label", "nameContains"),
    "measures": ("status", "kind", "sector", "imposedBy", "target", "inForceOn", "possible"),
    "statements": ("by", "about", "direct", "saidFrom", "saidTo"),
    "positions": ("on", "stance", "minConfidence", "actor", "basis"),
    "events": ("kind", "status", "participant", "from", "to", "possible"),
    "sources": (),
}
