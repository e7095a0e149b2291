"""The walks compiled: a node's neighbourhood, a retaliation chain and the list of retaliations, each one
statement. The statement reads what the resolvers read round-trip by round-trip (graphapi/api/queries/
walks.py), each level in a subquery of its own, works out which nodes the walk keeps, and returns their
selected objects with it; the walk's own bookkeeping (which relationships are edges, in what order, and
whether a limit cut it short) is the code both paths share (graphapi/api/reading/walking.py), run on the
statement's rows, so both answer alike. The answer is a `Subgraph`: its `nodes` are compiled as any node
is, its `edges` and `truncated` made in Python. The shortest path is left to the resolvers (README,
"The walks in one statement")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLObjectType, get_named_type

from graphapi.api.compiled.clauses import Raw, Scope
from graphapi.api.compiled.objects import Compiler, NodeVar
from graphapi.api.compiled.pipeline import Binding, Fallback, Selected
from graphapi.api.compiled.plan_cache import Plan
from graphapi.api.compiled.root_plans import make_plan, refused_id, refusing
from graphapi.api.reading import walking as walks
from graphapi.graph import reads
from graphapi.store.base import Record

# A subgraph from the statement's row (None: no subgraph, the field is null).
Assemble = Callable[[Record, Binding], "walks.Walked | None"]
Build = Callable[[Record, "walks.Walked"], Any]

# One level of a walk from the ids in `{ids}`: the rows of reads.NEIGHBOURS, read as it reads them, each a
# list of walking.LEVEL_COLUMNS.
_LEVEL = (
    "UNWIND {ids} AS id MATCH (n:Node {{id: id}})-[r]-(m:Node) WHERE $types IS NULL OR type(r) IN $types "
    "WITH id, r, m LIMIT $fetch "
    "RETURN collect([id, type(r), startNode(r).id, endNode(r).id, m.id]) AS {level}"
)
# The nodes a level adds, in the order first found, at most $room of them (the level's first $cap rows).
_ADDED = (
    "UNWIND range(0, size({level}) - 1) AS i WITH {carried}{level}[i][4] AS other, i "
    "WHERE i < $cap AND other <> $id{unseen} WITH other, min(i) AS first ORDER BY first LIMIT $room "
    "RETURN collect(other) AS {added}"
)


# What a chain's or the retaliations' rows carry before their nodes are read.
SUBGRAPH_ROWS = Scope.of("found", "rows", "ids")

# The fields of a subgraph (each made by _subgraph_plan) and of its edges (made in Python).
SUBGRAPH_FIELDS = frozenset({"nodes", "edges", "truncated"})
GRAPH_EDGE_FIELDS: dict[str, Callable[[walks.Hop], Any]] = {
    "type": lambda e: e.rel.value,
    "from": lambda e: e.src,
    "to": lambda e: e.dst,
}


def _edge(c: Compiler, field: Selected) -> Callable[[walks.Hop], dict[str, Any]]:
    """A GraphEdge's selected fields."""
    runtime = get_named_type(field.definition.type)
    assert isinstance(runtime, GraphQLObjectType)
    name = runtime.name
    getters: dict[str, Callable[[walks.Hop], Any]] = {**GRAPH_EDGE_FIELDS, "__typename": lambda e: name}
    chosen = [(f.key, getters[f.name]) for f in c.selection(runtime, field.details)]
    return lambda edge: {k: get(edge) for k, get in chosen}


def _id_keys(c: Compiler, field: Selected) -> list[str] | None:
    """The response keys of a selection of nothing but `id`, the same for every kind of node (None when
    it selects anything else): such nodes are answered from the walk's ids, without reading them."""
    keys: list[str] | None = None
    for runtime in c.runtimes(get_named_type(field.definition.type)):
        selected = c.selection(runtime, field.details)
        if any(s.name != "id" for s in selected) or keys not in (None, [s.key for s in selected]):
            return None
        keys = [s.key for s in selected]
    return keys


def _reads_nodes(c: Compiler, field: Selected) -> bool:
    """Whether a subgraph's selection reads its nodes (selects more of them than their ids)."""
    runtime = get_named_type(field.definition.type)
    assert isinstance(runtime, GraphQLObjectType)
    return any(s.name == "nodes" and _id_keys(c, s) is None for s in c.selection(runtime, field.details))


def _nodes(c: Compiler, field: Selected, ids: str) -> Build:
    """The selected objects of the nodes whose ids the statement has in `ids`, in the subgraph's order."""
    id_keys = _id_keys(c, field)
    if id_keys is not None:
        return lambda row, subgraph: [{k: i for k in id_keys} for i in subgraph.node_ids]
    outer = c.p.scope
    nid, n, collected = c.p.var("i"), c.p.var("n"), c.p.var("l")
    # in a subquery of their own: collecting them next to the walk's rows would group by those lists
    head = f"CALL {{ WITH {ids} UNWIND {ids} AS {nid} MATCH ({n}:Node {{id: {nid}}})"
    c.p.add(Raw(head, Scope((nid, n))))
    expression, shape = c.nested(NodeVar(n), field)
    c.p.add(Raw(f"RETURN collect([{nid}, {expression}]) AS {collected} }}", outer.plus(collected)))

    def build(row: Record, subgraph: walks.Walked) -> Any:
        found = {i: o for i, o in row[str(collected)]}
        if not set(subgraph.node_ids) <= set(found):
            raise Fallback("the statement kept other nodes than the walk: the resolvers answer")
        return [found[i] if shape is None else shape(found[i]) for i in subgraph.node_ids]

    return build


def _subgraph_plan(c: Compiler, field: Selected, ids: str, assemble: Assemble) -> Plan:
    """The plan of a walk whose statement so far has `found` (whether its node exists), what `assemble`
    reads, and the ids of the nodes it may keep in `ids`."""
    runtime = get_named_type(field.definition.type)
    assert isinstance(runtime, GraphQLObjectType)
    parts: list[tuple[str, Build]] = []
    for selected in c.selection(runtime, field.details):
        if selected.name == "__typename":
            parts.append((selected.key, lambda row, s: runtime.name))
        elif selected.name == "truncated":
            parts.append((selected.key, lambda row, s: s.truncated))
        elif selected.name == "edges":
            edge = _edge(c, selected)
            parts.append((selected.key, lambda row, s, edge=edge: [edge(e) for e in s.hops]))  # type: ignore[misc]
        elif selected.name == "nodes":
            parts.append((selected.key, _nodes(c, selected, ids)))
        else:
            raise Fallback(f"{runtime.name}.{selected.name}")
    c.p.add(f"RETURN {c.p.scope.listed()}")

    def finish(row: Record, binding: Binding) -> Any:
        if not row["found"]:
            raise Fallback("no such node: the resolver raises NOT_FOUND")
        subgraph = assemble(row, binding)
        if subgraph is None:
            return None
        return {key: build(row, subgraph) for key, build in parts}

    return make_plan(c, field, finish)


def neighbourhood(c: Compiler, field: Selected) -> Plan:
    """Both levels of the neighbourhood, each as the resolver reads it (at most $cap relationships, one
    more to know there were more), the second from the nodes the first added."""

    def args(b: Binding) -> dict[str, Any]:
        found: dict[str, Any] = b.args(field)
        return found

    def cap(b: Binding) -> int:
        a = args(b)
        return int(refusing(lambda: walks.checked_neighbourhood(a["depth"], a["limit"])))

    def types(b: Binding) -> list[str] | None:
        walked = walks.walked_types(args(b)["types"], args(b)["includeProvenance"])
        return [t.value for t in walked] if walked else None

    c.p.param(lambda b: refused_id(args(b)["id"], "id"), "id")
    c.p.param(types, "types")
    c.p.param(lambda b: cap(b) + 1, "fetch")
    c.p.param(cap, "cap")
    c.p.param(lambda b: args(b)["limit"] - 1, "room")

    def assemble(row: Record, binding: Binding) -> walks.Walked:
        size, a = cap(binding), args(binding)
        walk = walks.NeighbourhoodWalk(a["id"], a["limit"])
        if walk.take(*walks.level_of(row["one"], size)) and a["depth"] == 2:
            walk.take(*walks.level_of(row["two"], size))
        return walk.walked()

    c.p.add("OPTIONAL MATCH (c:Node {id: $id})")
    c.p.add(f"CALL {{ {_LEVEL.format(ids='[$id]', level='one')} }}")
    two = c.p.chosen_by(lambda b: args(b)["depth"] == 2, c.binding)
    if not two and not _reads_nodes(c, field):
        # one level and no node to read: the walk is worked out from the level's rows alone
        c.p.add(Raw("WITH c IS NOT NULL AS found, one", Scope.of("found", "one")))
        return _subgraph_plan(c, field, "ids", assemble)
    c.p.add(f"CALL {{ WITH one {_ADDED.format(level='one', carried='', unseen='', added='frontier')} }}")
    if two:  # the second level's subqueries only in the text of a walk of two levels
        c.p.add(f"CALL {{ WITH frontier {_LEVEL.format(ids='frontier', level='two')} }}")
        added = _ADDED.format(
            level="two", carried="frontier, ", unseen=" AND NOT other IN frontier", added="more"
        )
        c.p.add(f"CALL {{ WITH frontier, two {added} }}")
        kept = "[$id] + frontier + more[..($room - size(frontier))] AS ids"
        c.p.add(Raw(f"WITH c IS NOT NULL AS found, one, two, {kept}", Scope.of("found", "one", "two", "ids")))
    else:
        kept = "[$id] + frontier AS ids"
        c.p.add(Raw(f"WITH c IS NOT NULL AS found, one, {kept}", Scope.of("found", "one", "ids")))
    return _subgraph_plan(c, field, "ids", assemble)


def _distinct_ids(rows: str, first: str) -> str:
    """A clause: `ids`, the id `first` then the other ends of the relationships in `rows`, each once."""
    return (
        f"CALL {{ WITH {rows} UNWIND [r IN {rows} | r.src] + [r IN {rows} | r.dst] AS x "
        f"WITH x WHERE x <> {first} RETURN collect(DISTINCT x) AS others }} "
    )


def retaliation_chain(c: Compiler, field: Selected) -> Plan:
    """The chain as the resolver reads it (reads.RETALIATION_CHAIN, both ways), and its measures."""

    def params(b: Binding) -> dict[str, Any]:
        def make(b: Binding) -> dict[str, Any]:
            a = b.args(field)
            measure = refused_id(a["measure"], "measure", ("measure",))
            found: dict[str, Any] = refusing(
                lambda: walks.chain_params(measure, a["direction"].value, a["maxDepth"])
            )
            return found

        found: dict[str, Any] = b.once((field, "chain"), make)
        return found

    for name in ("id", "against", "by", "maxDepth"):
        c.p.param(lambda b, name=name: params(b)[name], name)  # type: ignore[misc]
    c.p.add(f"CALL {{ {reads.RETALIATION_CHAIN.text} }} WITH collect({{src: src, dst: dst}}) AS rows")
    c.p.add(_distinct_ids("rows", "$id") + "OPTIONAL MATCH (c:Node {id: $id})")
    c.p.add(Raw("WITH c IS NOT NULL AS found, rows, [$id] + others AS ids", SUBGRAPH_ROWS))

    def assemble(row: Record, binding: Binding) -> walks.Walked:
        return walks.chain_walked(params(binding)["id"], row["rows"])

    return _subgraph_plan(c, field, "ids", assemble)


def retaliations(c: Compiler, field: Selected) -> Plan:
    """Every RETALIATES_AGAINST relationship up to the limit (reads.RETALIATIONS), and their measures."""

    def limit(b: Binding) -> int:
        return int(refusing(lambda: walks.checked_limit(b.args(field)["limit"])))

    c.p.param(lambda b: limit(b) + 1, "limit")
    c.p.add(f"CALL {{ {reads.RETALIATIONS.text} }} WITH collect({{src: src, dst: dst}}) AS rows")
    c.p.add(Raw(_distinct_ids("rows", "''") + "WITH true AS found, rows, others AS ids", SUBGRAPH_ROWS))

    def assemble(row: Record, binding: Binding) -> walks.Walked:
        return walks.retaliations_walked(row["rows"], limit(binding))

    return _subgraph_plan(c, field, "ids", assemble)
