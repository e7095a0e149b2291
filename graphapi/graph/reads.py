"""The Cypher the read API sends.

List queries return whole node records (`NODE_FIELDS`) so the per-request node loader can be primed with
them, and page by keyset: each row carries its sort key, and a cursor is (key, id) of the last row seen, so
a page costs the same wherever it starts. Every list has one text per sort field and direction, generated
here from an allow-list; optional filters are `$x IS NULL OR ...`, so one text serves every combination.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphapi.store.cypher import Cypher

# What a node record is everywhere in the API: its properties and its outgoing relationships.
NODE_FIELDS = (
    "n.id AS id, labels(n) AS labels, properties(n) AS props, "
    "[(n)-[r]->(m:Node) | {type: type(r), dst: m.id, props: properties(r)}] AS out"
)
NODE_RECORD = "RETURN " + NODE_FIELDS

NODES_BY_ID = Cypher("read.nodes_by_id", "MATCH (n:Node) WHERE n.id IN $ids " + NODE_RECORD)

INCOMING = Cypher(
    "read.incoming",
    "UNWIND $keys AS k "
    "MATCH (n:Node {id: k.id})<-[r]-(m:Node) WHERE type(r) = k.rel "
    "WITH k, m ORDER BY m.id "
    "RETURN k.id AS id, k.rel AS rel, collect(m.id) AS srcs",
)


@dataclass(frozen=True)
class ListQuery:
    """A filtered list: one page query per (sort field, descending), and its count."""

    pages: dict[tuple[str, bool], Cypher]
    count: Cypher

    def page(self, field: str, descending: bool) -> Cypher:
        return self.pages[(field, descending)]


def _list(name: str, match: str, keys: dict[str, str]) -> ListQuery:
    pages = {}
    for field, key in keys.items():
        for descending in (False, True):
            op, direction = ("<", "DESC") if descending else (">", "ASC")
            pages[(field, descending)] = Cypher(
                f"read.{name}_page_by_{field.lower()}{'_desc' if descending else ''}",
                f"{match} WITH n, {key} AS k "
                f"WHERE $afterId IS NULL OR k {op} $afterKey OR (k = $afterKey AND n.id {op} $afterId) "
                f"WITH n, k ORDER BY k {direction}, n.id {direction} LIMIT $limit "
                f"RETURN k AS sortKey, {NODE_FIELDS}",
            )
    return ListQuery(pages, Cypher(f"read.{name}_count", f"{match} RETURN count(n) AS total"))


# Sort keys never null, so keyset comparisons stay two-valued: missing text sorts last ("~" follows
# digits and letters), missing numbers first.
ACTORS = _list(
    "actors",
    "MATCH (n:Actor) WHERE ($label IS NULL OR $label IN labels(n)) "
    "AND ($nameContains IS NULL OR toLower(n.name) CONTAINS $nameContains)",
    {"ID": "n.id", "NAME": "n.name"},
)

# A measure is in force on a day when it is not a threat, it started on or before that day (its whole
# start period has passed, so "later in May" counts from May 31), and it has not ended before it. One the
# sources report as in force without a start date counts as in force until its end.
IN_FORCE_ON = (
    "n.status <> 'THREATENED' AND n.status <> 'PAUSED' "
    "AND (n.status <> 'REMOVED' OR n.effectiveToStart IS NOT NULL) "
    "AND (n.effectiveFromEnd <= $inForceOn OR (n.effectiveFromEnd IS NULL AND n.status = 'IN_FORCE')) "
    "AND (n.effectiveToStart IS NULL OR n.effectiveToStart >= $inForceOn)"
)
MEASURES = _list(
    "measures",
    "MATCH (n:Measure) WHERE ($status IS NULL OR n.status = $status) "
    "AND ($kind IS NULL OR n.kind = $kind) "
    "AND ($sector IS NULL OR $sector IN n.sectors) "
    "AND ($imposedBy IS NULL OR (n)-[:IMPOSED_BY]->(:Node {id: $imposedBy})) "
    "AND ($target IS NULL OR (n)-[:TARGETS]->(:Node {id: $target})) "
    f"AND ($inForceOn IS NULL OR ({IN_FORCE_ON}))",
    {
        "ID": "n.id",
        "NAME": "n.name",
        "EFFECTIVE_FROM": "coalesce(n.effectiveFromStart, '~')",
        "RATE": "coalesce(n.rate, -1.0)",
    },
)

STATEMENTS = _list(
    "statements",
    "MATCH (n:Statement) WHERE ($by IS NULL OR (n)-[:SAID_BY]->(:Node {id: $by})) "
    "AND ($about IS NULL OR (n)-[:ABOUT]->(:Node {id: $about})) "
    "AND ($direct IS NULL OR n.direct = $direct) "
    "AND ($saidFrom IS NULL OR n.saidOnEnd >= $saidFrom) "
    "AND ($saidTo IS NULL OR n.saidOnStart <= $saidTo)",
    {"ID": "n.id", "SAID_ON": "coalesce(n.saidOnStart, '~')", "SOURCE_POSITION": "n.spanStart"},
)

POSITIONS = _list(
    "positions",
    "MATCH (n:Position)-[:ON]->(target:Node) WHERE target.id IN $on "
    "AND ($stance IS NULL OR n.stance = $stance) "
    "AND ($minConfidence IS NULL OR n.confidence >= $minConfidence) "
    "AND ($actor IS NULL OR (n)-[:HELD_BY]->(:Node {id: $actor}))",
    {"ID": "n.id", "CONFIDENCE": "n.confidence"},
)

SOURCES = _list("sources", "MATCH (n:Source)", {"ID": "n.id", "TITLE": "n.title"})

LISTS = {"actors": ACTORS, "measures": MEASURES, "statements": STATEMENTS, "positions": POSITIONS,
         "sources": SOURCES}  # fmt: skip

# --- graph walks ---------------------------------------------------------------------------------

# Variable-length patterns need a literal bound; the caller's depth is applied with length(p).
MAX_WALK = 10

RETALIATION_CHAIN = Cypher(
    "read.retaliation_chain",
    f"MATCH p = (:Node {{id: $id}})-[:RETALIATES_AGAINST*1..{MAX_WALK}]->(:Measure) "
    "WHERE $against AND length(p) <= $maxDepth "
    "UNWIND relationships(p) AS r RETURN DISTINCT startNode(r).id AS src, endNode(r).id AS dst "
    "UNION "
    f"MATCH p = (:Node {{id: $id}})<-[:RETALIATES_AGAINST*1..{MAX_WALK}]-(:Measure) "
    "WHERE $by AND length(p) <= $maxDepth "
    "UNWIND relationships(p) AS r RETURN DISTINCT startNode(r).id AS src, endNode(r).id AS dst",
)

RETALIATIONS = Cypher(
    "read.retaliations",
    "MATCH (a:Measure)-[:RETALIATES_AGAINST]->(b:Measure) "
    "RETURN a.id AS src, b.id AS dst ORDER BY src, dst LIMIT $limit",
)

# One hop from many nodes at once: a breadth-first walk sends one of these per level.
NEIGHBOURS = Cypher(
    "read.neighbours",
    "UNWIND $ids AS id "
    "MATCH (n:Node {id: id})-[r]-(m:Node) WHERE $types IS NULL OR type(r) IN $types "
    "RETURN id AS origin, type(r) AS type, startNode(r).id AS src, endNode(r).id AS dst, m.id AS other "
    "LIMIT $limit",
)

# --- timelines -----------------------------------------------------------------------------------

ACTOR_ACTIVITY = Cypher(
    "read.actor_activity",
    "MATCH (:Node {id: $actor})<-[r:SAID_BY|IMPOSED_BY|PARTICIPANT]-(n:Node) "
    "RETURN type(r) AS rel, n.id AS id",
)
