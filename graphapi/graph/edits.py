"""The Cypher of edits made through the API: each is one statement, so it lands whole or not at all, on
both engines (FalkorDB runs each query atomically; Neo4j runs it in one transaction)."""

from __future__ import annotations

from graphapi.graph.model import NODE_KINDS, NodeKind, Rel
from graphapi.store.cypher import Cypher

# Relationship types are fixed in the text (no parameter can name one); one branch per type the kind owns.
OWNED: dict[str, tuple[Rel, ...]] = {
    "statement": (Rel.SAID_BY, Rel.IN_ROLE, Rel.AT_EVENT, Rel.ABOUT, Rel.QUOTED_IN),
    "position": (Rel.HELD_BY, Rel.ON, Rel.EVIDENCED_BY),
    "measure": (
        Rel.IMPOSED_BY,
        Rel.TARGETS,
        Rel.CONDITION_INVOLVES,
        Rel.RETALIATES_AGAINST,
        Rel.PART_OF,
        Rel.EVIDENCE_IN,
    ),
    "event": (Rel.PARTICIPANT, Rel.LOCATED_IN, Rel.AFTER, Rel.EVIDENCE_IN),
    "country": (Rel.EVIDENCE_IN,),
    "person": (Rel.EVIDENCE_IN,),  # a person's HOLDS belong to tenures, set on their own
    "party": (Rel.BASED_IN, Rel.EVIDENCE_IN),
    "org": (Rel.EVIDENCE_IN,),
    "office": (Rel.OFFICE_OF, Rel.EVIDENCE_IN),
    "source": (),
}


def _upsert(kind: NodeKind, owned: tuple[Rel, ...]) -> Cypher:
    branches = " ".join(
        f"FOREACH (_ IN CASE WHEN link.type = '{rel.value}' THEN [1] ELSE [] END | "
        f"CREATE (n)-[:{rel.value}]->(m))"
        for rel in owned
    )
    return Cypher(
        f"edit.upsert_{kind.prefix}",
        # Who and when: the creation stays as it was, the last change is the one made now.
        f"MERGE (n:Node {{id: $id}}) ON CREATE SET n:{':'.join(kind.labels[1:])} "
        "WITH n, n.createdAt AS createdAt, n.createdBy AS createdBy "
        "SET n = $props "
        "SET n.createdAt = coalesce(createdAt, $now), n.createdBy = coalesce(createdBy, $who), "
        "n.updatedAt = $now, n.updatedBy = $who "
        "WITH n "
        "OPTIONAL MATCH (n)-[old]->(:Node) WHERE type(old) IN $owned DELETE old "
        "WITH DISTINCT n "
        "UNWIND $links AS link MATCH (m:Node {id: link.dst}) "
        f"{branches} "
        "RETURN count(*) AS links",
    )


UPSERTS: dict[str, Cypher] = {prefix: _upsert(NODE_KINDS[prefix], owned) for prefix, owned in OWNED.items()}

SET_TENURE = Cypher(
    "edit.set_tenure",
    "MATCH (p:Node {id: $holder}) MATCH (o:Node {id: $office}) "
    "MERGE (p)-[h:HOLDS]->(o) "
    "WITH h, h.createdAt AS createdAt, h.createdBy AS createdBy "
    "SET h = $props "
    "SET h.createdAt = coalesce(createdAt, $now), h.createdBy = coalesce(createdBy, $who), "
    "h.updatedAt = $now, h.updatedBy = $who "
    "RETURN count(h) AS tenures",
)

REMOVE_TENURE = Cypher(
    "edit.remove_tenure",
    "MATCH (:Node {id: $holder})-[h:HOLDS]->(:Node {id: $office}) DELETE h RETURN count(*) AS removed",
)

DEPENDENTS = Cypher(
    "edit.dependents",
    "MATCH (:Node {id: $id})<-[r]-(m:Node) RETURN type(r) AS rel, m.id AS id ORDER BY id, rel LIMIT 101",
)

DELETE = Cypher(
    "edit.delete",
    "MATCH (n:Node {id: $id}) WITH n, n.id AS id DETACH DELETE n RETURN id",
)
