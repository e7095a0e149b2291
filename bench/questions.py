"""The headline questions, each as the GraphQL a client sends and the raw Cypher that answers the same
question directly, for the synthetic graph of bench/synthetic.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphapi.graph.words import query_terms
from graphapi.store import Cypher
from graphapi.store.dialect import SEARCH, fulltext_query


@dataclass(frozen=True)
class Question:
    name: str
    graphql: str
    variables: dict[str, Any]
    cypher: Cypher | dict[str, Cypher]  # per engine where the engines' Cypher differs
    params: dict[str, Any]

    def raw(self, engine: str) -> tuple[Cypher, dict[str, Any]]:
        cypher = self.cypher[engine] if isinstance(self.cypher, dict) else self.cypher
        params = dict(self.params)
        if "query" in params:  # full-text: the engine's own query syntax
            params["query"] = fulltext_query(engine, query_terms(params["query"]))
        return cypher, params


PAGE = 20

QUESTIONS = [
    Question(
        "positions on a measure",
        """query($on: ID!) { positions(on: $on, first: 20) { nodes {
            stance confidence actor { name } evidence { quote span { start end } source { title } } } } }""",
        {"on": "measure:m0"},
        Cypher(
            "bench.positions",
            "MATCH (p:Position)-[:ON]->(:Node {id: $on}) WITH p ORDER BY p.id LIMIT $limit "
            "MATCH (p)-[:HELD_BY]->(a:Node) "
            "MATCH (p)-[:EVIDENCED_BY]->(s:Statement)-[:QUOTED_IN]->(src:Source) "
            "RETURN p.id AS id, p.stance AS stance, p.confidence AS confidence, a.name AS actor, "
            "s.quote AS quote, s.spanStart AS start, s.spanEnd AS end, src.title AS source",
        ),
        {"on": "measure:m0", "limit": PAGE},
    ),
    Question(
        "measures in force on a day",
        """query($d: Day!) { measures(filter: {inForceOn: $d}, first: 20) { nodes {
            name rate imposedBy { name } targets { name } } } }""",
        {"d": "2025-06-15"},
        Cypher(
            "bench.in_force",
            # known to be in force (graphapi/graph/temporal.py)
            "MATCH (n:Measure) WHERE n.status IN ['IN_FORCE', 'REMOVED'] AND n.effectiveFromEnd <= $d "
            "AND ((n.effectiveToStart IS NULL AND n.status = 'IN_FORCE') OR n.effectiveToStart >= $d) "
            "WITH n ORDER BY n.id LIMIT $limit "
            "MATCH (n)-[:IMPOSED_BY]->(i:Node) MATCH (n)-[:TARGETS]->(t:Node) "
            "RETURN n.name AS name, n.rate AS rate, i.name AS imposer, t.name AS target",
        ),
        {"d": "2025-06-15", "limit": PAGE},
    ),
    Question(
        "retaliation chain",
        """query($m: ID!) { retaliationChain(measure: $m, maxDepth: 5) { nodes { id ... on Measure { name } }
            edges { from to } } }""",
        {"m": "measure:m5"},
        Cypher(
            "bench.retaliation",
            "MATCH p = (:Node {id: $m})-[:RETALIATES_AGAINST*1..5]-(:Measure) "
            "UNWIND relationships(p) AS r WITH DISTINCT r "
            "RETURN startNode(r).id AS src, startNode(r).name AS srcName, "
            "endNode(r).id AS dst, endNode(r).name AS dstName",
        ),
        {"m": "measure:m5"},
    ),
    Question(
        "statements by a person",
        """query($by: ID!) { statements(by: $by, first: 20, orderBy: {field: SAID_ON}) { nodes {
            quote saidOn { iso precision } about { id } source { title } } } }""",
        {"by": "person:p0"},
        Cypher(
            "bench.statements",
            "MATCH (s:Statement)-[:SAID_BY]->(:Node {id: $by}) "
            "WITH s ORDER BY s.saidOnStart, s.id LIMIT $limit "
            "MATCH (s)-[:ABOUT]->(m:Node) MATCH (s)-[:QUOTED_IN]->(src:Source) "
            "RETURN s.quote AS quote, s.saidOn AS saidOn, m.id AS about, src.title AS source",
        ),
        {"by": "person:p0", "limit": PAGE},
    ),
    Question(
        "timeline of a person",
        """query($a: ID!) { timeline(actor: $a, from: "2025-03-01", to: "2025-06-30", first: 20) { nodes {
            kind date { iso precision } summary } } }""",
        {"a": "person:p0"},
        Cypher(
            "bench.timeline",
            "MATCH (s:Statement)-[:SAID_BY]->(:Node {id: $a}) "
            "WITH s WHERE s.saidOnStart >= $from AND s.saidOnEnd <= $to "
            "RETURN s.saidOn AS date, s.quote AS summary ORDER BY s.saidOnStart, s.id LIMIT $limit",
        ),
        {"a": "person:p0", "from": "2025-03-01", "to": "2025-06-30", "limit": PAGE},
    ),
    Question(
        "neighbourhood",
        """query($id: ID!) { neighbourhood(id: $id, limit: 100) { nodes { id } edges { type from to } } }""",
        {"id": "person:p1"},
        Cypher(
            "bench.neighbourhood",
            "MATCH (n:Node {id: $id})-[r]-(m:Node) "
            "RETURN type(r) AS type, startNode(r).id AS src, endNode(r).id AS dst, m.id AS other "
            "LIMIT $limit",
        ),
        {"id": "person:p1", "limit": 100},
    ),
    Question(
        "office holders on a day",
        """query($o: ID!) { officeHolders(office: $o, on: "2025-06-01") { holder { name } from { iso } } }""",
        {"o": "office:o3"},
        Cypher(
            "bench.holders",
            "MATCH (p:Person)-[h:HOLDS]->(:Node {id: $o}) "
            "WHERE h.fromEnd <= $d AND (h.toStart IS NULL OR $d < h.toStart) "
            "RETURN p.name AS holder, h.from AS start",
        ),
        {"o": "office:o3", "d": "2025-06-01"},
    ),
    Question(
        "full-text search",
        """query($t: String!) { search(text: $t, first: 20) { edges { score node { id } } } }""",
        {"t": "statement number 12"},
        SEARCH,
        {"query": "statement number 12", "labels": None, "limit": PAGE},
    ),
]
