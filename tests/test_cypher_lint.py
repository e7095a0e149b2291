"""Every Cypher statement the app can send passes Neo4j's own Cypher front-end (the npm package
@neo4j-cypher/language-support, pinned in tests/cypher_lint/package.json): no error-level diagnostic."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import json
import os
import pkgutil
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from compiled_corpus import DOCUMENTS, variables
from recording import RecordingStore

import graphapi
from bench.questions import QUESTIONS
from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.graph import history, writes
from graphapi.graph.kinds import KINDS
from graphapi.graph.model import Rel
from graphapi.store import Cypher, WriteStep, load_schema
from graphapi.store.dialect import (
    falkordb_fulltext_ddl,
    falkordb_fulltext_drop,
    falkordb_index_ddl,
    neo4j_ddl,
)
from graphapi.store.falkordb_unit import one_statement

# slow: Neo4j's front-end runs in a Node.js process over every statement
pytestmark = pytest.mark.slow

LINT_DIR = Path(__file__).parent / "cypher_lint"
ERROR = 1  # LSP DiagnosticSeverity.Error
PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def all_statements() -> list[Cypher]:
    """Every Cypher constant of every module of the package (also inside dicts), plus the schema DDL."""
    found: dict[str, Cypher] = {}

    def collect(value: Any, depth: int = 0) -> None:
        if isinstance(value, Cypher):
            found[value.text] = value
        elif isinstance(value, dict) and depth < 3:
            for item in value.values():
                collect(item, depth + 1)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type) and depth < 3:
            for field in dataclasses.fields(value):
                collect(getattr(value, field.name), depth + 1)

    for module_info in pkgutil.walk_packages(graphapi.__path__, "graphapi."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            collect(value)
    schema = load_schema()
    for ddl in neo4j_ddl(schema):
        found[ddl] = Cypher("schema.neo4j", ddl, frozenset({"neo4j"}))
    for spec in schema.indexes:
        ddl = falkordb_index_ddl(spec)
        found[ddl] = Cypher("schema.falkordb", ddl, frozenset({"falkordb"}))
    for fulltext in schema.fulltext:
        for ddl in (falkordb_fulltext_ddl(fulltext), falkordb_fulltext_drop(fulltext)):
            found[ddl] = Cypher("schema.falkordb", ddl, frozenset({"falkordb"}))
    for combined in (one_statement_of_every_load_write(),):
        found[combined.text] = combined
    return sorted(found.values(), key=lambda c: c.name)


def one_statement_of_every_load_write() -> Cypher:
    """A small load's steps, sent to FalkorDB as one statement (graphapi/store/falkordb_unit.py): here a
    step of every statement a load writes, chained."""
    queries = [
        *writes.CREATE_NODES.values(),
        writes.UPDATE_NODES,
        *writes.DELETE_EDGES.values(),
        *writes.UPDATE_EDGES.values(),
        *writes.CREATE_EDGES.values(),
        writes.DELETE_NODES,
        writes.SET_CLAIMS,
        writes.DROP_CLAIMS,
        history.RECORD,
        writes.SET_RECORD_CLAIMS,
        writes.DROP_RECORD_CLAIMS,
    ]
    steps = [WriteStep(q, {name: [] for name in PARAMETER.findall(q.text)}) for q in queries]
    combined = one_statement(steps)
    assert combined is not None
    return combined[0]


class _Collecting(RecordingStore):
    """Keeps every compiled statement the app sends (and answers nothing, so the resolvers take over)."""

    def __init__(self, engine: str) -> None:
        super().__init__()
        self.engine = engine
        self.compiled: dict[str, Cypher] = {}

    def _answer(self, query: Cypher, params: Any) -> list[dict[str, Any]]:
        if query.name.startswith("compiled."):
            self.compiled[query.text] = query
        return super()._answer(query, params)


def compiled_statements() -> list[Cypher]:
    """The statements the compiler writes for the README's questions and the compiled-path corpus
    (tests/compiled_corpus.py), for each engine: generated, so no module constant holds them."""

    async def collect(engine: str) -> list[Cypher]:
        store = _Collecting(engine)
        app = create_app(Settings.from_env({}), store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            asked = [(d, variables(d, g)) for d in DOCUMENTS for g in ("seed", "synthetic")]
            asked += [(q.graphql, q.variables) for q in QUESTIONS]
            for query, given in asked:
                await client.post("/graphql", json={"query": query, "variables": given})
        return list(store.compiled.values())

    return [c for engine in ("falkordb", "neo4j") for c in asyncio.run(collect(engine))]


def lint(statements: list[Cypher]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        pytest.fail(
            "the Cypher linter is not installed: run `npm ci --prefix tests/cypher_lint` (./dev test does)"
        )
    payload = {
        "statements": [
            {
                "name": s.name,
                "text": s.text,
                "parameters": PARAMETER.findall(s.text),
                # Statements Neo4j receives are also checked against its catalogue of functions and procedures.
                "catalogue": "neo4j" in s.engines,
            }
            for s in statements
        ],
        "labels": sorted({label for kind in KINDS for label in kind.labels} | {"ApiKey"}),
        "relationshipTypes": sorted(rel.value for rel in Rel),
    }
    # The linter takes up to seconds per long statement (the compiled ones run to 26,000 characters): the
    # statements are shared between as many linter processes as there are cores.
    shares = max(1, min(os.cpu_count() or 1, 4))

    def run(i: int) -> list[dict[str, Any]]:
        share = {**payload, "statements": payload["statements"][i::shares]}
        done = subprocess.run(
            [node, str(LINT_DIR / "lint.mjs")],
            input=json.dumps(share),
            capture_output=True,
            text=True,
            check=True,
            # a few minutes alone on two cores; far more when the machine is shared with other work
            timeout=1800,
        )
        found: list[dict[str, Any]] = json.loads(done.stdout)
        return found

    results: list[dict[str, Any]] = [{} for _ in statements]
    with ThreadPoolExecutor(shares) as pool:
        for i, found in enumerate(pool.map(run, range(shares))):
            results[i::shares] = found  # back in the statements' order
    return results


def test_every_statement_passes_the_neo4j_linter() -> None:
    compiled = compiled_statements()
    assert len(compiled) >= 80 and {c.name for c in compiled} >= {"compiled.positions", "compiled.node"}
    statements = all_statements() + compiled
    names = {s.name for s in statements}
    # the collection really reaches every family of statements
    assert {
        "read.positions_page_by_confidence_desc",
        "read.retaliation_chain",
        "search.neo4j",
        "read.nodes_by_id",
        "write.create_measure",
        "write.delete_about",
        "schema.neo4j",
    } <= names
    assert len(statements) >= 60
    assert any(name.startswith("write.one_statement(") for name in names)
    # only schema and full-text statements are engine-specific; everything else the app sends is shared
    assert {s.name for s in statements if s.engines != {"neo4j", "falkordb"}} == {
        "schema.neo4j",
        "schema.falkordb",
        "schema.list_indexes",
        "schema.list_constraints",
        "schema.index_status",
        "schema.constraint_status",
        "schema.show_indexes",
        "schema.show_constraints",
        "search.neo4j",
        "search.falkordb",
        "search_count.neo4j",
        "search_count.falkordb",
        # compiled statements that start with the engine's full-text call
        "compiled.search",
        "compiled.positions",
    }
    failures = [
        f"{result['name']}: {d['message']}\n    {statement.text}"
        for statement, result in zip(statements, lint(statements), strict=True)
        for d in result["diagnostics"]
        if d["severity"] == ERROR
    ]
    assert not failures, "\n".join(failures)


def test_the_linter_does_catch_errors() -> None:
    """A guard on the guard: broken Cypher is reported, so a green run above means something."""
    broken = [
        Cypher("bad.syntax", "MATCH (n:Node RETURN n"),
        Cypher("bad.variable", "MATCH (n:Node) RETURN m"),
        Cypher("bad.function", "MATCH (n:Node) RETURN noSuchFunction(n)"),
        Cypher(
            "bad.procedure", "CALL db.indexes() YIELD label RETURN label"
        ),  # FalkorDB has it, Neo4j 5 does not
    ]
    results = lint(broken)
    assert all(any(d["severity"] == ERROR for d in r["diagnostics"]) for r in results), results
