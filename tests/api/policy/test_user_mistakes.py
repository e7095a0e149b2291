"""Mistakes a careless client makes are its own: each is BAD_USER_INPUT naming the argument (never
INTERNAL), nothing is written, and the database stays up."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.graph.reads import COUNT_NODES
from graphapi.seed.loader import load
from graphapi.store import Store
from helpers import SOURCE_TEXT, GraphQLResult


@pytest.fixture
async def call(scratch_store: Store) -> AsyncIterator[Any]:
    await load(scratch_store)
    key = await create_key(scratch_store, "careless", Scope.ADMIN)
    app = create_app(store=scratch_store)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t", headers=headers
    ) as client:

        async def post(query: str, **variables: Any) -> GraphQLResult:
            return GraphQLResult(await client.post("/graphql", json={"query": query, "variables": variables}))

        post.store = scratch_store  # type: ignore[attr-defined]
        yield post


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


MISTAKES: list[tuple[str, dict[str, Any], str]] = [
    # an id with a trailing newline once crashed the embedded database for good
    ('mutation($i: ActorInput!) { upsertActor(input: $i) { created } }', {"i": {"id": "person:x\n", "name": "x"}}, "input.id"),
    ('mutation($i: ActorInput!) { upsertActor(input: $i) { created } }', {"i": {"id": "person:x", "name": "x\u0000"}}, "input.name"),
    ('mutation($i: MeasureInput!) { upsertMeasure(input: $i) { created } }',
     {"i": {"id": "measure:m", "name": "M", "kind": "TARIFF", "status": "THREATENED", "imposedBy": ["country:US"],
            "source": "source:us-canada-tariff-call", "evidence": [], "effectiveFrom": {"on": "0000"}}}, "input.effectiveFrom"),
    ('mutation($i: ActorInput!) { upsertActor(input: $i) { created } }', {"i": {"id": "person:x", "name": "x", "wikidata": "Q1\n"}}, "input.wikidata"),
    ('{ measures(filter: {inForceOn: "0000-05-01"}) { totalCount } }', {}, None),
    ('query($d: Day) { measures(filter: {inForceOn: $d}) { totalCount } }', {"d": "\u0662\u0660\u0662\u0665-\u0660\u0664-\u0660\u0662"}, None),
    ('{ actors(filter: {nameContains: "\\u0000"}) { totalCount } }', {}, "filter.nameContains"),
    ('query($a: String) { statements(after: $a) { totalCount } }', {"a": cursor('{"l":"statements","o":"ID:ASC","f":"x","p":[NaN,"s"]}')}, "after"),
    ('query($a: String) { statements(after: $a) { totalCount } }', {"a": cursor("[" * 10_000)}, "after"),
    ('query($a: String) { measures(after: $a) { totalCount } }', {"a": cursor('{"l":"measures","o":"ID:ASC","f":"x","p":[Infinity,"m"]}')}, "after"),
    ('{ node(id: "person:x\\n") { id } }', {}, "id"),
    ('mutation { deleteNode(id: "not an id") { deletedId } }', {}, "id"),
    ('mutation { removeTenure(holder: "junk", office: "office:ca-prime-minister") }', {}, "holder"),
    ('mutation { removeTenure(holder: "person:mark-carney", office: "x\\u0000") }', {}, "office"),
    ('mutation { revokeApiKey(id: "../../etc") }', {}, "id"),
    ('mutation { createApiKey(name: "a\\nb", scope: READ) { id } }', {}, "name"),
]  # fmt: skip


@pytest.mark.parametrize(("query", "variables", "argument"), MISTAKES)
async def test_each_mistake_is_bad_input(
    call: Any, query: str, variables: dict[str, Any], argument: str | None
) -> None:
    store: Store = call.store
    before = (await store.read(COUNT_NODES))[0]["nodes"]
    result = await call(query, **variables)
    assert result.codes == ["BAD_USER_INPUT"], result.body
    if argument is not None:
        assert result.errors[0]["extensions"].get("argument") == argument, result.body
    assert (await store.read(COUNT_NODES))[0]["nodes"] == before
    await store.ping()


async def test_far_dates_are_dates(call: Any) -> None:
    """9999-12 once ran past the calendar computing its last day."""
    made = await call(
        "mutation($i: PositionInput!) { upsertPosition(input: $i) { position { validTo { iso precision } } } }",
        i={"id": "position:far", "actor": "person:mark-carney", "on": "measure:us-vehicle-tariff-2025",
           "stance": "OPPOSE", "confidence": 0.5, "evidence": ["statement:carney-maximum-impact"],
           "validTo": {"on": "9999-12"}},
    )  # fmt: skip
    assert made.data["upsertPosition"]["position"]["validTo"] == {"iso": "9999-12", "precision": "MONTH"}


async def test_evidence_needs_its_source(call: Any) -> None:
    result = await call(
        "mutation($i: ActorInput!) { upsertActor(input: $i) { created } }",
        i={"id": "person:x", "name": "X", "evidence": [{"quote": "Carney", "start": 0, "end": 6}]},
    )
    assert result.codes == ["BAD_USER_INPUT"] and result.errors[0]["extensions"]["argument"] == "input.source"


# Spans whose offsets cannot hold their quote, in every place an input takes one: refused before the
# database (a negative length once reached FalkorDB's substring() and came back INTERNAL).
SOURCE = "source:us-canada-tariff-call"
BAD_OFFSETS: list[tuple[dict[str, Any], str]] = [
    ({"start": 959, "end": 942}, "start"),  # start after end
    ({"start": 1e3, "end": -0.0}, "start"),  # numbers that coerce to Int, still after the end
    ({"start": 10, "end": 11}, ""),  # not the quote's place
    ({"start": 10**6, "end": 10**6 + 6}, ""),  # past the end of the source's text
]
SPAN_PLACES: list[tuple[str, str, dict[str, Any], str]] = [
    ("upsertStatement", "StatementInput",
     {"id": "statement:s", "speaker": "person:mark-carney", "source": SOURCE, "quote": "Carney", "direct": True}, ""),
    ("upsertPosition", "PositionInput",
     {"id": "position:p", "actor": "country:US", "on": "measure:us-vehicle-tariff-2025", "stance": "SUPPORT",
      "confidence": 1, "basis": "ACTION", "source": SOURCE, "spans": ["SPAN"]}, "spans[0]"),
    ("upsertMeasure", "MeasureInput",
     {"id": "measure:m", "name": "M", "kind": "TARIFF", "status": "THREATENED", "imposedBy": ["country:US"],
      "source": SOURCE, "evidence": ["SPAN"]}, "evidence[0]"),
    ("upsertEvent", "EventInput",
     {"id": "event:e", "name": "E", "kind": "CALL", "status": "HELD", "source": SOURCE, "evidence": ["SPAN"]}, "evidence[0]"),
    ("upsertActor", "ActorInput", {"id": "person:x", "name": "X", "source": SOURCE, "evidence": ["SPAN"]}, "evidence[0]"),
    ("upsertOffice", "OfficeInput",
     {"id": "office:o", "name": "O", "of": "country:CA", "source": SOURCE, "evidence": ["SPAN"]}, "evidence[0]"),
    ("setTenure", "TenureInput",
     {"holder": "person:mark-carney", "office": "office:ca-prime-minister", "source": SOURCE, "evidence": ["SPAN"]}, "evidence[0]"),
]  # fmt: skip


GOOD_SPAN = {"quote": "Carney", "start": SOURCE_TEXT.index("Carney"), "end": SOURCE_TEXT.index("Carney") + 6}


def _with_span(given: dict[str, Any], offsets: dict[str, Any], prefix: str) -> Any:
    """The input with the bad offsets at `prefix` (a good span everywhere else)."""
    if not prefix:
        return {**given, **offsets}
    out = {k: ([GOOD_SPAN] if v == ["SPAN"] else v) for k, v in given.items()}
    out[prefix.split("[")[0]] = [{"quote": "Carney", **offsets}]
    return out


@pytest.mark.parametrize(
    ("offsets", "field"), BAD_OFFSETS, ids=["reversed", "coerced", "short", "past-the-end"]
)
@pytest.mark.parametrize(
    ("mutation", "input_type", "given", "prefix"),
    SPAN_PLACES,
    ids=[f"{p[0]}:{p[3] or 'quote'}" for p in SPAN_PLACES],
)
async def test_span_offsets_that_cannot_hold_are_bad_input(
    call: Any,
    offsets: dict[str, Any],
    field: str,
    mutation: str,
    input_type: str,
    given: dict[str, Any],
    prefix: str,
) -> None:
    store: Store = call.store
    before = (await store.read(COUNT_NODES))[0]["nodes"]
    selection = "{ held { certainty } }" if mutation == "setTenure" else "{ created }"
    result = await call(
        f"mutation($i: {input_type}!) {{ {mutation}(input: $i) {selection} }}",
        i=_with_span(given, offsets, prefix),
    )
    assert result.codes == ["BAD_USER_INPUT"], result.body
    argument = result.errors[0]["extensions"].get("argument", "")
    at = f"input.{prefix}" if prefix else "input"
    assert argument == (f"{at}.{field}" if field else (at if prefix else "input.quote")), result.body
    assert (await store.read(COUNT_NODES))[0]["nodes"] == before
    await store.ping()
