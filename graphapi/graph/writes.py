"""Batched writes: one `UNWIND` statement per node kind or relationship type, never one per row.

Labels and relationship types are pasted into the text from the allow-lists in graphapi.graph.model;
every value is a parameter.
"""

from __future__ import annotations

from graphapi.graph.model import NODE_KINDS, NodeKind, Rel
from graphapi.store.base import Cypher


def _upsert_nodes(kind: NodeKind) -> Cypher:
    # `SET n = row.props` replaces every property, so a property removed from a seed disappears too.
    labels = ":".join(kind.labels[1:])
    return Cypher(
        f"write.upsert_{kind.prefix}",
        f"UNWIND $rows AS row MERGE (n:Node {{id: row.id}}) SET n = row.props, n:{labels}",
    )


def _upsert_edges(rel: Rel) -> Cypher:
    return Cypher(
        f"write.upsert_{rel.value.lower()}",
        "UNWIND $rows AS row "
        "MATCH (a:Node {id: row.src}) "
        "MATCH (b:Node {id: row.dst}) "
        f"MERGE (a)-[r:{rel.value}]->(b) "
        "SET r = row.props",
    )


def _delete_edges(rel: Rel) -> Cypher:
    return Cypher(
        f"write.delete_{rel.value.lower()}",
        "UNWIND $rows AS row "
        f"MATCH (:Node {{id: row.src}})-[r:{rel.value}]->(:Node {{id: row.dst}}) "
        "DELETE r",
    )


UPSERT_NODES: dict[str, Cypher] = {prefix: _upsert_nodes(kind) for prefix, kind in NODE_KINDS.items()}
UPSERT_EDGES: dict[Rel, Cypher] = {rel: _upsert_edges(rel) for rel in Rel}
DELETE_EDGES: dict[Rel, Cypher] = {rel: _delete_edges(rel) for rel in Rel}

# Everything about the nodes a load touches, every property included, to compare with the seed.
CURRENT_STATE = Cypher(
    "write.current_state",
    "MATCH (n:Node) WHERE n.id IN $ids "
    "RETURN n.id AS id, properties(n) AS props, "
    "[(n)-[r]->(m:Node) | {type: type(r), dst: m.id, props: properties(r)}] AS out",
)

EXISTING_IDS = Cypher("write.existing_ids", "MATCH (n:Node) WHERE n.id IN $ids RETURN n.id AS id")

COUNT_NODES = Cypher("write.count_nodes", "MATCH (n:Node) RETURN count(n) AS nodes")
