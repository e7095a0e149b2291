"""Everything that differs between Neo4j and FalkorDB, in one place.

The queries themselves are shared; what differs is the schema DDL (constraints and indexes) and the
Python types the drivers hand back.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphapi.store.cypher import Cypher

# schema/graph.toml, inside the package (graphapi/bundled/ links to the repository's schema/ and seed/).
SCHEMA_FILE = (Path(__file__).resolve().parents[1] / "bundled" / "schema" / "graph.toml").resolve()


@dataclass(frozen=True)
class IndexSpec:
    label: str
    key: str
    unique: bool

    @property
    def name(self) -> str:
        kind = "unique" if self.unique else "index"
        return f"{self.label.lower()}_{self.key.lower()}_{kind}"


@dataclass(frozen=True)
class FulltextSpec:
    name: str
    label: str
    key: str


@dataclass(frozen=True)
class GraphSchema:
    indexes: tuple[IndexSpec, ...]
    fulltext: tuple[FulltextSpec, ...] = ()


def load_schema(path: Path = SCHEMA_FILE) -> GraphSchema:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    specs = [IndexSpec(u["label"], u["property"], True) for u in data.get("unique", [])]
    specs += [IndexSpec(i["label"], i["property"], False) for i in data.get("index", [])]
    fulltext = [FulltextSpec(f["name"], f["label"], f["property"]) for f in data.get("fulltext", [])]
    return GraphSchema(indexes=tuple(specs), fulltext=tuple(fulltext))


# --- full-text search ----------------------------------------------------------------------------

NEO4J = frozenset({"neo4j"})
FALKORDB = frozenset({"falkordb"})

# Each engine's call of its full-text index, yielding `node` and `score` (as SEARCH below makes it), for
# statements that search and read on in one (graphapi/api/compiled/).
FULLTEXT_CALL = {
    "neo4j": "CALL db.index.fulltext.queryNodes('node_search', $query) YIELD node, score",
    "falkordb": "CALL db.idx.fulltext.queryNodes('Node', $query) YIELD node, score",
}
_SEARCH_TAIL = (
    "WITH node, score WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels) "
    "RETURN node.id AS id, score ORDER BY score DESC, id LIMIT $limit"
)
_COUNT_TAIL = (
    "WITH node WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels) RETURN count(node) AS total"
)
SEARCH = {
    "neo4j": Cypher(
        "search.neo4j",
        "CALL db.index.fulltext.queryNodes('node_search', $query) YIELD node, score " + _SEARCH_TAIL,
        NEO4J,
    ),
    "falkordb": Cypher(
        "search.falkordb",
        "CALL db.idx.fulltext.queryNodes('Node', $query) YIELD node, score " + _SEARCH_TAIL,
        FALKORDB,
    ),
}
SEARCH_COUNT = {
    "neo4j": Cypher(
        "search_count.neo4j",
        "CALL db.index.fulltext.queryNodes('node_search', $query) YIELD node " + _COUNT_TAIL,
        NEO4J,
    ),
    "falkordb": Cypher(
        "search_count.falkordb",
        "CALL db.idx.fulltext.queryNodes('Node', $query) YIELD node " + _COUNT_TAIL,
        FALKORDB,
    ),
}


def fulltext_query(engine: str, groups: Sequence[Sequence[tuple[str, bool]]]) -> str:
    """Every group must match, by any of its terms; a term is (word, prefix). The words are normalized
    \\w+ words (graphapi/graph/words.py), so nothing in them is query syntax. Lucene needs `+` to require a
    group; RediSearch requires every group already, and writes alternatives with `|`."""
    rendered = [[f"{word}*" if prefix else word for word, prefix in group] for group in groups]
    if engine == "neo4j":
        return " ".join(f"+({' '.join(g)})" if len(g) > 1 else f"+{g[0]}" for g in rendered)
    return " ".join(f"({'|'.join(g)})" if len(g) > 1 else g[0] for g in rendered)


# --- Neo4j ---------------------------------------------------------------------------------------


def neo4j_ddl(schema: GraphSchema) -> list[str]:
    """Neo4j 5 DDL; `IF NOT EXISTS` makes every statement idempotent."""
    out = [
        f"CREATE FULLTEXT INDEX {f.name} IF NOT EXISTS FOR (n:{f.label}) ON EACH [n.{f.key}]"
        for f in schema.fulltext
    ]
    for spec in schema.indexes:
        if spec.unique:
            out.append(
                f"CREATE CONSTRAINT {spec.name} IF NOT EXISTS "
                f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE"
            )
        else:
            out.append(f"CREATE INDEX {spec.name} IF NOT EXISTS FOR (n:{spec.label}) ON (n.{spec.key})")
    return out


def neo4j_schema_names(schema: GraphSchema) -> list[str]:
    """The names neo4j_ddl gives its constraints and indexes (a unique constraint brings its own index)."""
    return [f.name for f in schema.fulltext] + [spec.name for spec in schema.indexes]


def from_neo4j(value: Any) -> Any:
    """neo4j.time types to the standard library; containers converted recursively."""
    if isinstance(value, list):
        return [from_neo4j(v) for v in value]
    if isinstance(value, dict):
        return {k: from_neo4j(v) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        return to_native()
    return value


# --- FalkorDB ------------------------------------------------------------------------------------


def falkordb_index_ddl(spec: IndexSpec) -> str:
    """A range index. FalkorDB needs one under every unique constraint too; the constraint itself is a
    server command (GRAPH.CONSTRAINT), not Cypher."""
    return f"CREATE INDEX FOR (n:{spec.label}) ON (n.{spec.key})"


def falkordb_fulltext_ddl(spec: FulltextSpec) -> str:
    return f"CALL db.idx.fulltext.createNodeIndex('{spec.label}', '{spec.key}')"


def falkordb_fulltext_drop(spec: FulltextSpec) -> str:
    return f"CALL db.idx.fulltext.drop('{spec.label}')"


def from_falkordb(value: Any) -> Any:
    """FalkorDB's client already hands back plain Python values (maps as OrderedDict, a dict): nothing to
    convert, and walking every result to copy it would cost more than the query on small answers."""
    return value


# FalkorDB's catalogue of a graph's indexes and constraints, and whether they are built yet.
LIST_INDEXES = Cypher(
    "schema.list_indexes",
    "CALL db.indexes() YIELD label, properties, types RETURN label, properties, types",
    FALKORDB,
)
LIST_CONSTRAINTS = Cypher(
    "schema.list_constraints",
    "CALL db.constraints() YIELD label, properties RETURN label, properties",
    FALKORDB,
)
SCHEMA_STATUS = Cypher("schema.index_status", "CALL db.indexes() YIELD status RETURN status", FALKORDB)
CONSTRAINT_STATUS = Cypher(
    "schema.constraint_status", "CALL db.constraints() YIELD status RETURN status", FALKORDB
)
