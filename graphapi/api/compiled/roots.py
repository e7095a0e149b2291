"""The root fields that compile, each into one statement returning one row: lookups by id, the lists
(Relay connections, their totals counted in the same statement only when asked), office holders,
provenance, search, the timeline and the walks. Arguments are checked as the resolvers check them
(graphapi/api/queries/root.py); a value they would refuse, or a node the request names that does not
exist, is left to them (Refused, or Fallback from `finish`), so errors keep their codes, messages and
paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphapi.api.compiled.clauses import OptionalMatch, Raw, Scope, Var
from graphapi.api.compiled.evidence import position_evidence, quote_evidence, spans_evidence
from graphapi.api.compiled.list_roots import list_root
from graphapi.api.compiled.objects import Compiler, NodeVar
from graphapi.api.compiled.pipeline import Binding, Fallback, Refused, Selected
from graphapi.api.compiled.plan_cache import Plan
from graphapi.api.compiled.root_plans import make_plan, refused_id
from graphapi.api.compiled.tenure_rules import day_asked, holders
from graphapi.api.compiled.timeline_and_search import search, timeline
from graphapi.api.compiled.walk_roots import neighbourhood, retaliation_chain, retaliations
from graphapi.api.reading.arguments import (
    MAX_IDS,
    NESTED_MAX,
)
from graphapi.graph.kinds import kind_of
from graphapi.store.base import Record

# --- lookups -------------------------------------------------------------------------------------


def node(c: Compiler, field: Selected) -> Plan:
    node_id = c.p.param(lambda b: refused_id(b.args(field)["id"], "id"))
    n = Var("n")
    c.p.add(OptionalMatch(f"({n}:Node {{id: {node_id}}})", (n,)))
    return _one_node(c, field, n, c.nested(NodeVar(n), field))


def nodes(c: Compiler, field: Selected) -> Plan:
    def ids(b: Binding) -> list[str]:
        given = b.args(field)["ids"]
        if len(given) > MAX_IDS:
            raise Refused("too many ids")
        return [refused_id(i, "ids") for i in given]

    c.p.add(f"UNWIND range(0, size({c.p.param(ids)}) - 1) AS i")
    given = next(iter(c.p.params))
    c.p.add(Raw(f"WITH i, ${given}[i] AS nid OPTIONAL MATCH (n:Node {{id: nid}})", Scope.of("i", "n")))
    expression, shape = c.nested(NodeVar(Var("n")), field)
    c.p.add(f"WITH i, {expression} AS o ORDER BY i WITH collect([o]) AS found RETURN found")

    def finish(row: Record, binding: Binding) -> Any:
        return [o if shape is None else shape(o) for [o] in row["found"]]

    return make_plan(c, field, finish)


def provenance(c: Compiler, field: Selected) -> Plan:
    node_id = c.p.param(lambda b: refused_id(b.args(field)["id"], "id"))
    kind = c.p.chosen_by(lambda b: getattr(kind_of(b.args(field)["id"]), "label", None), c.binding)
    n = Var("n")
    c.p.add(OptionalMatch(f"({n}:Node {{id: {node_id}}})", (n,)))
    if kind == "Statement":
        expression, shape = quote_evidence(c, n, field)
    elif kind == "Position":
        expression, shape = position_evidence(c, NodeVar(n), field)
    else:
        expression, shape = spans_evidence(c, n, field)
    return _one_node(c, field, n, (expression, shape))


def office_holders(c: Compiler, field: Selected) -> Plan:
    office = c.p.param(lambda b: refused_id(b.args(field)["office"], "office", ("office",)))
    on = day_asked(c, field)
    o = Var("o")
    c.p.add(OptionalMatch(f"({o}:Node {{id: {office}}})", (o,)))
    limit = c.p.param(lambda b: NESTED_MAX)
    return _one_node(c, field, o, holders(c, o, field, limit, on))


def _one_node(c: Compiler, field: Selected, var: Var, value: tuple[str, Any]) -> Plan:
    """A root field about the node `var` names, answering `value`: when there is no such node, the
    resolver answers (with its NOT_FOUND)."""
    expression, shape = value
    c.p.add(f"RETURN {var} IS NOT NULL AS found, {expression} AS value")

    def finish(row: Record, binding: Binding) -> Any:
        if not row["found"]:
            raise Fallback("no such node: the resolver raises NOT_FOUND")
        return row["value"] if shape is None else shape(row["value"])

    return make_plan(c, field, finish)


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
    "neighbourhood": neighbourhood,
    "retaliationChain": retaliation_chain,
    "retaliations": retaliations,
}
# Root fields left to the resolvers on purpose: the shortest path (a search from both ends, a level per
# round-trip, cut short by limits: as one statement, FalkorDB's allShortestPaths was several times slower
# and breaks ties otherwise; see the README), the API keys (admin scope checked first), the history of changes
# (beside the graph, paged by time), and the side-by-side comparison of positions.
RESOLVED = frozenset({"path", "apiKeys", "changes", "compare"})
