"""The Cypher the read API sends. Every list query returns whole node records (the projection below) so
the per-request node loader can be primed with them, and pages by id (keyset), so a page costs the same
wherever it starts. Optional filters are `$x IS NULL OR ...`, so one text serves every combination."""

from __future__ import annotations

from graphapi.store.base import Cypher

# What a node record is everywhere in the API: its properties and its outgoing relationships.
NODE_RECORD = (
    "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, "
    "[(n)-[r]->(m:Node) | {type: type(r), dst: m.id, props: properties(r)}] AS out"
)

PAGE = "WITH n ORDER BY n.id LIMIT $limit "
AFTER = "($after IS NULL OR n.id > $after)"

NODES_BY_ID = Cypher("read.nodes_by_id", "MATCH (n:Node) WHERE n.id IN $ids " + NODE_RECORD)

INCOMING = Cypher(
    "read.incoming",
    "UNWIND $keys AS k "
    "MATCH (n:Node {id: k.id})<-[r]-(m:Node) WHERE type(r) = k.rel "
    "WITH k, m ORDER BY m.id "
    "RETURN k.id AS id, k.rel AS rel, collect(m.id) AS srcs",
)

_ACTOR_FILTER = "($label IS NULL OR $label IN labels(n))"
ACTORS_PAGE = Cypher(
    "read.actors_page", f"MATCH (n:Actor) WHERE {_ACTOR_FILTER} AND {AFTER} {PAGE}{NODE_RECORD}"
)
ACTORS_COUNT = Cypher("read.actors_count", f"MATCH (n:Actor) WHERE {_ACTOR_FILTER} RETURN count(n) AS total")

_MEASURE_FILTER = (
    "($status IS NULL OR n.status = $status) "
    "AND ($kind IS NULL OR n.kind = $kind) "
    "AND ($imposedBy IS NULL OR (n)-[:IMPOSED_BY]->(:Node {id: $imposedBy})) "
    "AND ($target IS NULL OR (n)-[:TARGETS]->(:Node {id: $target}))"
)
MEASURES_PAGE = Cypher(
    "read.measures_page", f"MATCH (n:Measure) WHERE {_MEASURE_FILTER} AND {AFTER} {PAGE}{NODE_RECORD}"
)
MEASURES_COUNT = Cypher(
    "read.measures_count", f"MATCH (n:Measure) WHERE {_MEASURE_FILTER} RETURN count(n) AS total"
)

_STATEMENT_FILTER = (
    "($by IS NULL OR (n)-[:SAID_BY]->(:Node {id: $by})) "
    "AND ($about IS NULL OR (n)-[:ABOUT]->(:Node {id: $about}))"
)
STATEMENTS_PAGE = Cypher(
    "read.statements_page", f"MATCH (n:Statement) WHERE {_STATEMENT_FILTER} AND {AFTER} {PAGE}{NODE_RECORD}"
)
STATEMENTS_COUNT = Cypher(
    "read.statements_count", f"MATCH (n:Statement) WHERE {_STATEMENT_FILTER} RETURN count(n) AS total"
)

_POSITION_FILTER = "($stance IS NULL OR n.stance = $stance)"
POSITIONS_PAGE = Cypher(
    "read.positions_page",
    f"MATCH (n:Position)-[:ON]->(:Node {{id: $on}}) WHERE {_POSITION_FILTER} AND {AFTER} {PAGE}{NODE_RECORD}",
)
POSITIONS_COUNT = Cypher(
    "read.positions_count",
    f"MATCH (n:Position)-[:ON]->(:Node {{id: $on}}) WHERE {_POSITION_FILTER} RETURN count(n) AS total",
)

SOURCES_PAGE = Cypher("read.sources_page", f"MATCH (n:Source) WHERE {AFTER} {PAGE}{NODE_RECORD}")
SOURCES_COUNT = Cypher("read.sources_count", "MATCH (n:Source) RETURN count(n) AS total")
