"""The README's questions, each as the GraphQL a client sends and as the one hand-written Cypher statement
that answers it with the same data, for the synthetic graph of bench/synthetic.py. The hand-written
statements are the ceiling: what a Python HTTP endpoint running one statement per question can do on
this store (bench/ceiling.py serves them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphapi.graph.temporal import KNOWN_IN_FORCE
from graphapi.graph.words import query_terms
from graphapi.store import Cypher
from graphapi.store.dialect import FULLTEXT_CALL, fulltext_query

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Question:
    name: str
    graphql: str
    variables: dict[str, Any]
    cypher: Cypher | dict[str, Cypher]  # per engine where the engines' Cypher differs
    params: dict[str, Any]
    data: Callable[[Rows], dict[str, Any]]  # the response's `data` from the statement's rows
    compiled: bool = True  # whether the GraphQL path compiles it

    def raw(self, engine: str) -> tuple[Cypher, dict[str, Any]]:
        cypher = self.cypher[engine] if isinstance(self.cypher, dict) else self.cypher
        params = dict(self.params)
        if "query" in params:  # full-text: the engine's own query syntax
            params["query"] = fulltext_query(engine, query_terms(params["query"]))
        return cypher, params


def _per_engine(name: str, text: str) -> dict[str, Cypher]:
    """A statement starting with the engine's full-text call (`{fulltext}` in `text`)."""
    return {
        engine: Cypher(name, text.replace("{fulltext}", call), frozenset({engine}))
        for engine, call in FULLTEXT_CALL.items()
    }


PAGE = 20
# Statements behind a position: the speakers' own words first, then in source order.
_EVIDENCE_ORDER = "CASE WHEN s.direct THEN 0 ELSE 1 END, s.spanStart, s.id"
_POSITION_PAGE = (
    "OPTIONAL MATCH (p)-[:HELD_BY]->(a:Actor) "
    "OPTIONAL MATCH (p)-[:EVIDENCED_BY]->(s:Statement)-[:QUOTED_IN]->(src:Source) "
)
# known to be in force on $d (graphapi/graph/temporal.py)
_IN_FORCE = KNOWN_IN_FORCE.replace("$inForceOn", "$d")

QUESTIONS = [
    Question(
        "positions on a measure",
        """query($on: ID!) { positions(on: $on, first: 20) { nodes {
            stance confidence actor { name } evidence { quote span { start end } source { title } } } } }""",
        {"on": "measure:m0"},
        Cypher(
            "bench.positions",
            "MATCH (p:Position)-[:ON]->(:Node {id: $on}) "
            f"WITH p ORDER BY p.id LIMIT $limit {_POSITION_PAGE}"
            f"WITH p, a, s, src ORDER BY p.id, {_EVIDENCE_ORDER} "
            "WITH p, a, collect(CASE WHEN s IS NULL THEN null ELSE "
            "{quote: s.quote, span: {start: s.spanStart, end: s.spanEnd}, source: {title: src.title}} END) "
            "AS evidence "
            "WITH p, a, evidence ORDER BY p.id "
            "RETURN collect({stance: p.stance, confidence: p.confidence, actor: {name: a.name}, "
            "evidence: evidence}) AS nodes",
        ),
        {"on": "measure:m0", "limit": PAGE},
        lambda rows: {"positions": {"nodes": rows[0]["nodes"]}},
    ),
    Question(
        "positions by words",
        """query($text: String!) { positions(onText: $text) { totalCount nodes {
            stance confidence actor { name }
            evidence { quote span { start end } source { title } statement { speaker { name } } } } } }""",
        {"text": "measure 1"},
        _per_engine(
            "bench.positions_by_words",
            "{fulltext} WITH node, score WHERE node:Measure OR node:Event "
            "WITH node, score ORDER BY score DESC, node.id LIMIT 50 WITH collect(node) AS targets "
            "CALL { WITH targets UNWIND targets AS t MATCH (p:Position)-[:ON]->(t) "
            "RETURN count(p) AS total } "
            "WITH targets, total UNWIND targets AS t MATCH (p:Position)-[:ON]->(t) "
            f"WITH total, p ORDER BY p.id LIMIT $limit {_POSITION_PAGE}"
            "OPTIONAL MATCH (s)-[:SAID_BY]->(sp:Actor) "
            f"WITH total, p, a, s, src, sp ORDER BY p.id, {_EVIDENCE_ORDER} "
            "WITH total, p, a, collect(CASE WHEN s IS NULL THEN null ELSE "
            "{quote: s.quote, span: {start: s.spanStart, end: s.spanEnd}, source: {title: src.title}, "
            "statement: {speaker: {name: sp.name}}} END) AS evidence "
            "WITH total, p, a, evidence ORDER BY p.id "
            "RETURN total, collect({stance: p.stance, confidence: p.confidence, actor: {name: a.name}, "
            "evidence: evidence}) AS nodes",
        ),
        {"query": "measure 1", "limit": PAGE},
        lambda rows: {"positions": {"totalCount": rows[0]["total"], "nodes": rows[0]["nodes"]}},
    ),
    Question(
        "measures in force on a day",
        """query($d: Day!) { measures(filter: {inForceOn: $d}, first: 20) { nodes {
            name rate imposedBy { name } targets { name } } } }""",
        {"d": "2025-06-15"},
        Cypher(
            "bench.in_force",
            f"MATCH (n:Measure) WHERE {_IN_FORCE} WITH n ORDER BY n.id LIMIT $limit "
            "OPTIONAL MATCH (n)-[:IMPOSED_BY]->(i:Actor) WITH n, i ORDER BY i.id "
            "WITH n, collect(CASE WHEN i IS NULL THEN null ELSE {name: i.name} END) AS imposers "
            "OPTIONAL MATCH (n)-[:TARGETS]->(t:Actor) WITH n, imposers, t ORDER BY t.id "
            "WITH n, imposers, collect(CASE WHEN t IS NULL THEN null ELSE {name: t.name} END) AS targets "
            "WITH n, imposers, targets ORDER BY n.id "
            "RETURN collect({name: n.name, rate: n.rate, imposedBy: imposers, targets: targets}) AS nodes",
        ),
        {"d": "2025-06-15", "limit": PAGE},
        lambda rows: {"measures": {"nodes": rows[0]["nodes"]}},
    ),
    Question(
        "threats and their conditions",
        """{ measures(filter: {status: THREATENED}, first: 20) { nodes {
            condition targets { name } conditionInvolves { name } } } }""",
        {},
        Cypher(
            "bench.threats",
            "MATCH (n:Measure) WHERE n.status = 'THREATENED' WITH n ORDER BY n.id LIMIT $limit "
            "OPTIONAL MATCH (n)-[:TARGETS]->(t:Actor) WITH n, t ORDER BY t.id "
            "WITH n, collect(CASE WHEN t IS NULL THEN null ELSE {name: t.name} END) AS targets "
            "OPTIONAL MATCH (n)-[:CONDITION_INVOLVES]->(c:Actor) WITH n, targets, c ORDER BY c.id "
            "WITH n, targets, collect(CASE WHEN c IS NULL THEN null ELSE {name: c.name} END) AS involved "
            "WITH n, targets, involved ORDER BY n.id "
            "RETURN collect({condition: n.condition, targets: targets, conditionInvolves: involved}) "
            "AS nodes",
        ),
        {"limit": PAGE},
        lambda rows: {"measures": {"nodes": rows[0]["nodes"]}},
    ),
    Question(
        "retaliation chain",
        """query($m: ID!) { retaliationChain(measure: $m, maxDepth: 5) { nodes { id ... on Measure { name } }
            edges { from to } } }""",
        {"m": "measure:m5"},
        Cypher(
            "bench.retaliation",
            "MATCH (m:Node {id: $m}) "
            "OPTIONAL MATCH p = (m)-[:RETALIATES_AGAINST*1..5]->(:Measure) WITH m, collect(p) AS up "
            "OPTIONAL MATCH q = (m)<-[:RETALIATES_AGAINST*1..5]-(:Measure) WITH m, up, collect(q) AS down "
            "UNWIND up + down AS path UNWIND relationships(path) AS r "
            "WITH DISTINCT m, startNode(r) AS a, endNode(r) AS b ORDER BY a.id, b.id "
            "WITH m, collect({from: a.id, to: b.id}) AS edges, collect(a) + collect(b) AS ends "
            "UNWIND ends AS e WITH DISTINCT m, edges, e WHERE e <> m WITH m, edges, e ORDER BY e.id "
            "WITH m, edges, collect({id: e.id, name: e.name}) AS others "
            "RETURN [{id: m.id, name: m.name}] + others AS nodes, edges",
        ),
        {"m": "measure:m5"},
        lambda rows: {"retaliationChain": {"nodes": rows[0]["nodes"], "edges": rows[0]["edges"]}},
    ),
    Question(
        "statements by a person",
        """query($by: ID!) { statements(by: $by, first: 20, orderBy: {field: SAID_ON}) { nodes {
            quote saidOn { iso precision } about { id } source { title } } } }""",
        {"by": "person:p0"},
        Cypher(
            "bench.statements",
            "MATCH (s:Statement)-[:SAID_BY]->(:Node {id: $by}) "
            "WITH s ORDER BY coalesce(s.saidOnStart, '~'), s.id LIMIT $limit "
            "OPTIONAL MATCH (s)-[:ABOUT]->(m:Node) WITH s, m ORDER BY m.id "
            "WITH s, collect(CASE WHEN m IS NULL THEN null ELSE {id: m.id} END) AS about "
            "OPTIONAL MATCH (s)-[:QUOTED_IN]->(src:Source) "
            "WITH s, about, src ORDER BY coalesce(s.saidOnStart, '~'), s.id "
            "RETURN collect({quote: s.quote, saidOn: CASE WHEN s.saidOn IS NULL THEN null ELSE "
            "{iso: s.saidOn, precision: s.saidOnPrecision} END, about: about, "
            "source: {title: src.title}}) AS nodes",
        ),
        {"by": "person:p0", "limit": PAGE},
        lambda rows: {"statements": {"nodes": rows[0]["nodes"]}},
    ),
    Question(
        "timeline of a person",
        """query($a: ID!) { timeline(actor: $a, from: "2025-03-01", to: "2025-06-30", first: 20) { nodes {
            kind date { iso precision } summary } } }""",
        {"a": "person:p0"},
        Cypher(
            "bench.timeline",
            "MATCH (a:Node {id: $a}) "
            "OPTIONAL MATCH (a)<-[:SAID_BY]-(s:Statement) "
            "WHERE s.saidOnStart <= $to AND s.saidOnEnd >= $from "
            "WITH a, collect(CASE WHEN s IS NULL THEN null ELSE "
            "{day: s.saidOnStart, precision: s.saidOnPrecision, "
            "id: s.id, kind: 'STATEMENT', iso: s.saidOn, summary: s.quote} END) AS said "
            "OPTIONAL MATCH (a)-[h:HOLDS]->(o:Office) WHERE h.fromStart <= $to AND h.fromEnd >= $from "
            "WITH said, collect(CASE WHEN h IS NULL THEN null ELSE "
            "{day: h.fromStart, precision: h.fromPrecision, "
            "id: o.id, kind: 'TENURE_STARTED', iso: h.from, summary: o.name} END) AS held "
            "UNWIND said + held AS e "
            "WITH e ORDER BY e.day, CASE e.precision WHEN 'YEAR' THEN 0 WHEN 'MONTH' THEN 1 ELSE 2 END, "
            "e.id, e.kind "
            "LIMIT $limit RETURN collect({kind: e.kind, date: {iso: e.iso, precision: e.precision}, "
            "summary: e.summary}) AS nodes",
        ),
        {"a": "person:p0", "from": "2025-03-01", "to": "2025-06-30", "limit": PAGE},
        lambda rows: {"timeline": {"nodes": rows[0]["nodes"] if rows else []}},
    ),
    Question(
        "neighbourhood",
        """query($id: ID!) { neighbourhood(id: $id, limit: 100) { nodes { id } edges { type from to } } }""",
        {"id": "person:p1"},
        Cypher(
            "bench.neighbourhood",
            "MATCH (n:Node {id: $id}) OPTIONAL MATCH (n)-[r]-(m:Node) WITH n, r, m LIMIT 400 "
            "WITH n, collect(DISTINCT m) AS others, "
            "collect({type: type(r), from: startNode(r).id, to: endNode(r).id}) AS edges "
            "RETURN [{id: n.id}] + [x IN others[0..99] | {id: x.id}] AS nodes, edges",
        ),
        {"id": "person:p1"},
        lambda rows: {"neighbourhood": {"nodes": rows[0]["nodes"], "edges": rows[0]["edges"]}},
    ),
    Question(
        "office holders on a day",
        """query($o: ID!) { officeHolders(office: $o, on: "2025-06-01") { holder { name } from { iso } } }""",
        {"o": "office:o3"},
        Cypher(
            "bench.holders",
            "MATCH (p:Person)-[h:HOLDS]->(:Node {id: $o}) "
            "WHERE h.fromEnd <= $d AND (h.toStart IS NULL OR $d < h.toStart) "
            "WITH p, h ORDER BY p.id "
            "RETURN collect({holder: {name: p.name}, from: CASE WHEN h.from IS NULL THEN null ELSE "
            "{iso: h.from} END}) AS holders",
        ),
        {"o": "office:o3", "d": "2025-06-01"},
        lambda rows: {"officeHolders": rows[0]["holders"]},
    ),
    Question(
        "provenance of a statement",
        """query($id: ID!) { provenance(id: $id) { quote span { start end } source { title }
            context(chars: 40) { before quote after } } }""",
        {"id": "statement:s7"},
        Cypher(
            "bench.provenance",
            "MATCH (s:Node {id: $id})-[:QUOTED_IN]->(src:Source) "
            "WITH s, src, CASE WHEN s.spanStart - $chars > 0 THEN s.spanStart - $chars ELSE 0 END AS origin "
            "RETURN [{quote: s.quote, span: {start: s.spanStart, end: s.spanEnd}, "
            "source: {title: src.title}, "
            "context: {before: substring(src.text, origin, s.spanStart - origin), "
            "quote: substring(src.text, s.spanStart, s.spanEnd - s.spanStart), "
            "after: substring(src.text, s.spanEnd, $chars)}}] AS evidence",
        ),
        {"id": "statement:s7", "chars": 40},
        lambda rows: {"provenance": rows[0]["evidence"]},
    ),
    Question(
        "full-text search",
        """query($t: String!) { search(text: $t, first: 20) { edges { score node { id } } } }""",
        {"t": "statement number 12"},
        _per_engine(
            "bench.search",
            "{fulltext} WITH node, score ORDER BY score DESC, node.id LIMIT $limit "
            "RETURN collect({score: score, node: {id: node.id}}) AS edges",
        ),
        {"query": "statement number 12", "limit": PAGE},
        lambda rows: {"search": {"edges": rows[0]["edges"]}},
    ),
]
