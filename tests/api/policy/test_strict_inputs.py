"""Every string a client can send, to every argument and every field of every mutation input, is checked:
control characters, NUL, a trailing newline, oversized values each get a coded BAD_USER_INPUT naming the
argument; the database stays up and nothing is written. Generated from the schema, so an argument added
later is covered without touching this test."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLScalarType,
    build_schema,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SEED_DIR, SOURCE_TEXT, serving

pytestmark = pytest.mark.slow  # starts a server process of its own

SCHEMA = build_schema((SEED_DIR.parent / "schema" / "schema.graphql").read_text(encoding="utf-8"))
TEXT_SCALARS = {"String", "ID", "Day"}
# Fields of running text (a quote, a source's text, a note): line breaks and tabs are allowed there.
RUNNING_TEXT = {"quote", "text", "note", "condition", "onText"}

QUOTE = "very constructive"
START = SOURCE_TEXT.index(QUOTE)
SPAN = {"quote": QUOTE, "start": START, "end": START + len(QUOTE)}
SOURCE = "source:us-canada-tariff-call"
# A valid input for each mutation: each test breaks one string of it.
VALID: dict[str, dict[str, Any]] = {
    "upsertStatement": {"input": {"id": "statement:s", "speaker": "person:mark-carney", "source": SOURCE,
                                  "direct": True, "about": ["measure:us-vehicle-tariff-2025"], **SPAN}},
    "upsertPosition": {"input": {"id": "position:p", "actor": "person:mark-carney", "stance": "OPPOSE",
                                 "on": "measure:us-vehicle-tariff-2025", "confidence": 0.5,
                                 "evidence": ["statement:carney-maximum-impact"], "note": "a note"}},
    "upsertMeasure": {"input": {"id": "measure:m", "name": "M", "kind": "TARIFF", "status": "THREATENED",
                                "imposedBy": ["country:US"], "source": SOURCE, "evidence": [SPAN],
                                "aliases": ["m"], "sectors": ["steel"], "condition": "if so",
                                "value": [{"amount": 1.0, "currency": "USD", "asWritten": "$1"}],
                                "effectiveFrom": {"on": "2025-05", "asWritten": "later in May"}}},
    "upsertEvent": {"input": {"id": "event:e", "name": "E", "kind": "CALL", "status": "HELD", "source": SOURCE,
                              "evidence": [SPAN], "timing": "soon", "topics": ["trade"],
                              "participants": ["country:CA"]}},
    "upsertActor": {"input": {"id": "person:x", "name": "X", "aliases": ["x"], "wikidata": "Q1"}},
    "upsertOffice": {"input": {"id": "office:o", "name": "O", "of": "country:CA"}},
    "upsertSource": {"input": {"id": "source:new", "title": "T", "text": "Some text.", "publisher": "P",
                               "url": "https://example.org", "language": "en"}},
    "setTenure": {"input": {"holder": "person:mark-carney", "office": "office:us-president", "source": SOURCE,
                            "evidence": [SPAN], "from": {"on": "2025-03-14"}}},
    "removeTenure": {"holder": "person:mark-carney", "office": "office:ca-prime-minister"},
    "deleteNode": {"id": "statement:trump-51st-state"},
    "retractClaim": {"id": "person:mark-carney", "source": SOURCE},
    "createApiKey": {"name": "k", "scope": "READ"},
    "draftSource": {"text": "Carney said he was \"ready.\"", "title": "T", "id": "source:drafted"},
    "revokeApiKey": {"id": "0123456789ab"},
}  # fmt: skip
QUERY_ARGS: dict[str, dict[str, Any]] = {
    "node": {"id": "person:mark-carney"},
    "nodes": {"ids": ["person:mark-carney"]},
    "actors": {"filter": {"nameContains": "car"}, "after": None},
    "measures": {"filter": {"sector": "steel", "imposedBy": "country:US", "target": "country:CA",
                            "inForceOn": "2025-04-03"}},
    "statements": {"by": "person:mark-carney", "about": "measure:us-vehicle-tariff-2025",
                   "filter": {"saidFrom": "2025-01-01", "saidTo": "2025-12-31"}},
    "positions": {"onText": "auto tariffs", "filter": {"actor": "person:mark-carney"}},
    "timeline": {"actor": "person:mark-carney", "from": "2025-01-01", "to": "2025-12-31"},
    "officeHolders": {"office": "office:ca-prime-minister", "on": "2025-04-03"},
    "neighbourhood": {"id": "person:mark-carney"},
    "path": {"from": "person:mark-carney", "to": "person:donald-trump"},
    "retaliationChain": {"measure": "measure:us-vehicle-tariff-2025"},
    "provenance": {"id": "statement:singh-betrayal"},
    "search": {"text": "tariffs"},
}  # fmt: skip


def _named(kind: Any) -> GraphQLNamedType:
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind  # type: ignore[no-any-return]


def string_paths(
    args: dict[str, Any], definitions: dict[str, Any]
) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(path into `args`, the leaf's name, its scalar) for every text value the arguments hold."""
    for name, value in args.items():
        definition = definitions[name]
        kind = _named(definition.type)
        if isinstance(kind, GraphQLInputObjectType) and isinstance(value, dict):
            for path, leaf, scalar in string_paths(value, kind.fields):
                yield (name, *path), leaf, scalar
        elif isinstance(kind, GraphQLInputObjectType) and isinstance(value, list):
            for i, item in enumerate(value):
                for path, leaf, scalar in string_paths(item, kind.fields):
                    yield (name, i, *path), leaf, scalar
        elif isinstance(kind, GraphQLScalarType) and kind.name in TEXT_SCALARS:
            yield ((name, 0) if isinstance(value, list) else (name,)), name, kind.name


def _targets() -> list[tuple[str, str, tuple[Any, ...], str, str]]:
    out = []
    for operation, table, root in (
        ("mutation", VALID, SCHEMA.mutation_type),
        ("query", QUERY_ARGS, SCHEMA.query_type),
    ):
        assert root is not None
        for field, args in table.items():
            for path, leaf, scalar in string_paths(args, root.fields[field].args):
                out.append((operation, field, path, leaf, scalar))
    return out


TARGETS = _targets()


def test_every_argument_and_input_field_is_covered() -> None:
    """The tables above reach every text argument of the schema's root fields (all of them for mutations)."""
    assert SCHEMA.mutation_type is not None
    assert set(VALID) == set(SCHEMA.mutation_type.fields)
    reached = {(op, field, path[0]) for op, field, path, _, _ in TARGETS}
    for field in VALID:
        for name, arg in SCHEMA.mutation_type.fields[field].args.items():
            if isinstance(_named(arg.type), GraphQLScalarType) and _named(arg.type).name in TEXT_SCALARS:
                assert ("mutation", field, name) in reached, (field, name)
    assert len(TARGETS) > 70


BAD_EVERYWHERE = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\ufeff\u0000"]
BAD_IN_LINES = ["\n", "\r", "\t", "\u2028\n"]


def bad_values(leaf: str) -> st.SearchStrategy[str]:
    controls = BAD_EVERYWHERE + ([] if leaf in RUNNING_TEXT else BAD_IN_LINES)
    placed = st.tuples(st.sampled_from(controls), st.sampled_from(["start", "middle", "end"])).map(
        lambda pair: {"start": pair[0] + "value", "middle": "va" + pair[0] + "lue", "end": "value" + pair[0]}[
            pair[1]
        ]
    )
    if leaf == "text":  # a source's text may be long: its bound is the request body's size
        return placed
    return st.one_of(placed, st.just("x" * 5_000))


def set_path(args: dict[str, Any], path: tuple[Any, ...], value: str) -> dict[str, Any]:
    changed = copy.deepcopy(args)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def document(operation: str, field: str, args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    root = SCHEMA.mutation_type if operation == "mutation" else SCHEMA.query_type
    assert root is not None
    declared = root.fields[field].args
    variables = ", ".join(f"${name}: {declared[name].type}" for name in args)
    passed = ", ".join(f"{name}: ${name}" for name in args)
    selection = "" if isinstance(_named(root.fields[field].type), GraphQLScalarType) else " { __typename }"
    return f"{operation}({variables}) {{ {field}({passed}){selection} }}", args


FINGERPRINT = (
    "{ a: actors { totalCount } m: measures { totalCount } s: statements { totalCount } so: sources { totalCount } "
    'p: positions(on: "measure:us-vehicle-tariff-2025") { totalCount } '
    'o: officeHolders(office: "office:ca-prime-minister") { holder { id } } }'
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data_dir = tmp_path_factory.mktemp("strict")
    with serving(data_dir, GRAPHAPI_LOG_LEVEL="WARNING", GRAPHAPI_MAX_BODY_BYTES="200000") as (url, _):
        made = subprocess.run(
            [sys.executable, "-m", "graphapi", "keys", "create", "--name", "strict", "--scope", "admin"],
            env={**__import__("os").environ, "GRAPHAPI_DATA_DIR": str(data_dir)},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        yield url, made.stdout.strip().split()[-1]
    logged = (data_dir / "serve.log").read_text()
    assert "Traceback" not in logged and '"level": "ERROR"' not in logged, logged[-3000:]


def test_control_characters_and_oversized_values_are_refused_everywhere(server: tuple[str, str]) -> None:
    url, key = server
    http = httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {key}"})
    before = http.post("/graphql", json={"query": FINGERPRINT}).json()["data"]

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(target=st.sampled_from(TARGETS), data=st.data())
    def probe(target: tuple[str, str, tuple[Any, ...], str, str], data: st.DataObject) -> None:
        operation, field, path, leaf, _ = target
        table = VALID if operation == "mutation" else QUERY_ARGS
        value = data.draw(bad_values(leaf))
        query, variables = document(operation, field, set_path(table[field], path, value))
        response = http.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
        assert codes and set(codes) == {"BAD_USER_INPUT"}, (field, path, repr(value)[:80], str(body)[:600])

    probe()
    assert http.get("/ready").status_code == 200
    assert http.post("/graphql", json={"query": FINGERPRINT}).json()["data"] == before
    # the refusals came from the bad values: every baseline, sent as it is, is answered
    for operation, table in (("query", QUERY_ARGS), ("mutation", VALID)):
        for field, args in table.items():
            query, variables = document(operation, field, args)
            body = http.post("/graphql", json={"query": query, "variables": variables}).json()
            codes = [e["extensions"]["code"] for e in body.get("errors") or []]
            assert codes == ([] if field != "revokeApiKey" else ["NOT_FOUND"]), (field, body)
