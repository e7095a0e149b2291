"""Everything that differs between Neo4j and FalkorDB, in one place.

The queries themselves are shared; what differs is the schema DDL (constraints and indexes) and the
Python types the drivers hand back.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "graph.toml"


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
class GraphSchema:
    indexes: tuple[IndexSpec, ...]


def load_schema(path: Path = SCHEMA_FILE) -> GraphSchema:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    specs = [IndexSpec(u["label"], u["property"], True) for u in data.get("unique", [])]
    specs += [IndexSpec(i["label"], i["property"], False) for i in data.get("index", [])]
    return GraphSchema(indexes=tuple(specs))


# --- Neo4j ---------------------------------------------------------------------------------------


def neo4j_ddl(schema: GraphSchema) -> list[str]:
    """Neo4j 5 DDL; `IF NOT EXISTS` makes every statement idempotent."""
    out = []
    for spec in schema.indexes:
        if spec.unique:
            out.append(
                f"CREATE CONSTRAINT {spec.name} IF NOT EXISTS "
                f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE"
            )
        else:
            out.append(f"CREATE INDEX {spec.name} IF NOT EXISTS FOR (n:{spec.label}) ON (n.{spec.key})")
    return out


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


def from_falkordb(value: Any) -> Any:
    """FalkorDB hands back OrderedDicts and datetime values already; make maps plain dicts."""
    if isinstance(value, list):
        return [from_falkordb(v) for v in value]
    if isinstance(value, dict):
        return {k: from_falkordb(v) for k, v in value.items()}
    return value
