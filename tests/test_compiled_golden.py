"""Golden files of the compiler: the Cypher and the parameters each document of the compiled-path corpus
(tests/compiled_corpus.py) and each README question is compiled to, for both engines, kept in
`tests/golden/compiled/`. A change to the compiler shows in review as a diff of these files.

`GRAPHAPI_UPDATE_GOLDEN=1 ./dev test tests/test_compiled_golden.py` rewrites them (and removes the files
of documents no longer asked). No database: the statements are what the app sends to a recording store."""

from __future__ import annotations

import asyncio
import datetime
import enum
import functools
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import httpx
from compiled_corpus import DOCUMENTS, variables
from recording import RecordingStore

from bench.questions import QUESTIONS
from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.store import Cypher, Params, Record

GOLDEN = Path(__file__).parent / "golden" / "compiled"
UPDATE = os.environ.get("GRAPHAPI_UPDATE_GOLDEN") == "1"
ENGINES = ("falkordb", "neo4j")
# Clauses start a line of their own, so a diff shows the clause that changed (the statements are one
# line each, values are parameters: a keyword between spaces is a clause, never a value).
_CLAUSE = re.compile(
    r"(?<!OPTIONAL) (?=(?:OPTIONAL MATCH|MATCH|WITH|UNWIND|CALL|RETURN|ORDER BY|SKIP|LIMIT|WHERE|UNION) )"
)


class _Compiled(RecordingStore):
    """Keeps the compiled statements a request sends, with their parameters; answers nothing, so the
    resolvers take each root field over (and their statements are not kept)."""

    def __init__(self, engine: str) -> None:
        super().__init__()
        self.engine = engine
        self.statements: list[tuple[Cypher, dict[str, Any]]] = []

    def _answer(self, query: Cypher, params: Params | None) -> list[Record]:
        if query.name.startswith("compiled."):
            self.statements.append((query, dict(params or {})))
        return super()._answer(query, params)


def _value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return repr(value)


def _render(
    document: str, given: dict[str, Any], sent: dict[str, list[tuple[Cypher, dict[str, Any]]]]
) -> str:
    lines = ["# document", document.strip(), "", "# variables", json.dumps(given, sort_keys=True), ""]
    falkordb = sent["falkordb"]
    for engine in ENGINES:
        statements = sent[engine]
        if engine != "falkordb" and [(q.text, p) for q, p in statements] == [
            (q.text, p) for q, p in falkordb
        ]:
            lines += [f"# {engine}: the same statements", ""]
            continue
        if not statements:
            lines += [f"# {engine}: nothing compiled", ""]
        for query, params in statements:
            lines += [f"# {engine}: {query.name}", _CLAUSE.sub("\n", query.text), ""]
            lines += ["# parameters", json.dumps(params, sort_keys=True, indent=1, default=_value), ""]
    return "\n".join(lines).rstrip() + "\n"


def _asked() -> dict[str, tuple[str, dict[str, Any]]]:
    """Each document with its variables, by the name of its golden file."""
    asked: dict[str, tuple[str, dict[str, Any]]] = {}
    for document in DOCUMENTS:
        digest = hashlib.sha256(document.encode()).hexdigest()[:12]
        asked[f"corpus-{digest}.txt"] = (document, variables(document, "seed"))
    for question in QUESTIONS:
        slug = re.sub(r"[^a-z0-9]+", "-", question.name.lower()).strip("-")
        asked[f"question-{slug}.txt"] = (question.graphql, question.variables)
    return asked


@functools.cache
def generated() -> dict[str, str]:
    """The text of every golden file, as the compiler writes it now."""
    asked = _asked()

    async def collect(engine: str) -> dict[str, list[tuple[Cypher, dict[str, Any]]]]:
        store = _Compiled(engine)
        app = create_app(Settings.from_env({}), store=store)
        sent: dict[str, list[tuple[Cypher, dict[str, Any]]]] = {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            for name, (document, given) in asked.items():
                store.statements = []
                await client.post("/graphql", json={"query": document, "variables": given})
                sent[name] = store.statements
        return sent

    by_engine = {engine: asyncio.run(collect(engine)) for engine in ENGINES}
    return {
        name: _render(document, given, {engine: by_engine[engine][name] for engine in ENGINES})
        for name, (document, given) in asked.items()
    }


def test_compiled_statements_are_the_golden_files() -> None:
    files = generated()
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for stale in set(p.name for p in GOLDEN.glob("*.txt")) - set(files):
            (GOLDEN / stale).unlink()
        for name, text in files.items():
            (GOLDEN / name).write_text(text)
    kept = {p.name: p.read_text() for p in GOLDEN.glob("*.txt")}
    hint = "the compiler's output changed: GRAPHAPI_UPDATE_GOLDEN=1 rewrites tests/golden/compiled/"
    assert sorted(kept) == sorted(files), hint
    changed = [name for name in files if kept[name] != files[name]]
    assert not changed, f"{hint}; changed: {changed[:10]}"


def test_every_corpus_document_has_its_file_and_compiles_something() -> None:
    """The golden files are not empty shells: most of the corpus compiles (errors are the resolvers')."""
    files = generated()
    compiled = [name for name, text in files.items() if "# falkordb: compiled." in text]
    assert len(compiled) >= len(files) * 3 // 4
