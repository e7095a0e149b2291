"""The batched writes of seed loads: one `UNWIND` statement per node kind or relationship type, never one
per row. Labels and relationship types are pasted into the text from the kind registry and the model;
every value is a parameter.
"""

from __future__ import annotations

from graphapi.graph.claims import write_claim
from graphapi.graph.kinds import KINDS, Kind
from graphapi.graph.model import Rel
from graphapi.store.base import Cypher


def _create_nodes(kind: Kind) -> Cypher:
    # CREATE with every label at once: the loader knows these ids are new. (MERGE followed by SET n:Label
    # costs more the larger the graph grows, on FalkorDB.)
    return Cypher(
        f"write.create_{kind.prefix}",
        f"UNWIND $rows AS row CREATE (n:{':'.join(kind.labels)}) SET n = row.props",
    )


def _create_edges(rel: Rel) -> Cypher:
    # CREATE, not MERGE: the loader knows these do not exist yet, and MERGE would search the edges of
    # each end, which for a hub (a source quoted 100,000 times) makes a load quadratic.
    return Cypher(
        f"write.create_{rel.value.lower()}",
        "UNWIND $rows AS row "
        "MATCH (a:Node {id: row.src}) "
        "MATCH (b:Node {id: row.dst}) "
        f"CREATE (a)-[r:{rel.value}]->(b) "
        "SET r = row.props",
    )


def _update_edges(rel: Rel) -> Cypher:
    return Cypher(
        f"write.update_{rel.value.lower()}",
        "UNWIND $rows AS row "
        f"MATCH (:Node {{id: row.src}})-[r:{rel.value}]->(:Node {{id: row.dst}}) "
        "SET r = row.props",
    )


def _delete_edges(rel: Rel) -> Cypher:
    return Cypher(
        f"write.delete_{rel.value.lower()}",
        "UNWIND $rows AS row "
        f"MATCH (:Node {{id: row.src}})-[r:{rel.value}]->(:Node {{id: row.dst}}) "
        "DELETE r",
    )


CREATE_NODES: dict[str, Cypher] = {kind.prefix: _create_nodes(kind) for kind in KINDS}
# `SET n = row.props` replaces every property, so one removed from a seed disappears from the graph too.
UPDATE_NODES = Cypher(
    "write.update_nodes", "UNWIND $rows AS row MATCH (n:Node {id: row.id}) SET n = row.props"
)
CREATE_EDGES: dict[Rel, Cypher] = {rel: _create_edges(rel) for rel in Rel}
UPDATE_EDGES: dict[Rel, Cypher] = {rel: _update_edges(rel) for rel in Rel}
DELETE_EDGES: dict[Rel, Cypher] = {rel: _delete_edges(rel) for rel in Rel}

# The nodes a load deletes (what their owners no longer state), with every relationship they have.
DELETE_NODES = Cypher("write.delete_nodes", "UNWIND $ids AS id MATCH (n:Node {id: id}) DETACH DELETE n")

# What each owner (a seed file) states: a node beside the graph (no `Node` label, out of the API's reach).
SET_CLAIMS = Cypher(
    "write.set_claims",
    "UNWIND $rows AS row MERGE (f:SeedFile {name: row.name}) SET f = row.props, f.loadedSeen = timestamp()",
)
# The same time for the lists of a graph built apart, whose statements are not run (Store.write_new).
STAMP_NEW_FILES = Cypher(
    "write.stamp_new_files", "MATCH (f:SeedFile) WHERE f.loadedSeen IS NULL SET f.loadedSeen = timestamp()"
)
DROP_CLAIMS = Cypher("write.drop_claims", "UNWIND $names AS name MATCH (f:SeedFile {name: name}) DELETE f")

# The claims of each record by each file (graphapi/graph/claims.py): beside the graph, like SeedFile.
SET_RECORD_CLAIMS = Cypher(
    "write.set_record_claims",
    f"UNWIND $rows AS row MERGE (c:Claim {{key: row.key}}) {write_claim('c', 'row.props', 'c')}",
)
DROP_RECORD_CLAIMS = Cypher(
    "write.drop_record_claims", "UNWIND $keys AS key MATCH (c:Claim {key: key}) DELETE c"
)
