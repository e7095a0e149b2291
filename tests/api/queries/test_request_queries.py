"""Which database queries a request sends, checked against a recording store (no database): reads send
one batched query per level, refusals send none, writes send one checked statement and read back."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from recording import RecordingStore, node_row

from graphapi.app import create_app
from graphapi.config import Settings

KEY_ID, SECRET = "0123456789ab", "s" * 43
KEY = f"gapi_{KEY_ID}_{SECRET}"
NODES = [
    node_row("person:mark-carney", ["Actor", "Person"], name="Mark Carney"),
    node_row("measure:m", ["Measure"], name="Tariff", kind="TARIFF", status="IN_FORCE"),
    node_row("source:s", ["Source"], title="A source", checksum="x"),
    node_row(
        "statement:s",
        ["Statement"],
        [("SAID_BY", "person:mark-carney"), ("QUOTED_IN", "source:s")],
        quote="very constructive",
        spanStart=0,
        spanEnd=17,
        direct=True,
    ),
]


def _key(params: dict[str, Any]) -> list[dict[str, Any]]:
    digest = hashlib.sha256(SECRET.encode()).hexdigest()
    found = params["keyId"] == KEY_ID
    return [{"hash": digest, "name": "test", "scope": "admin", "revokedAt": None}] if found else []


@pytest.fixture
async def recorded() -> AsyncIterator[tuple[httpx.AsyncClient, RecordingStore]]:
    """The resolver path (compiled reads pin their one statement in tests/api/compiled/test_compiled.py)."""
    store = RecordingStore(NODES, {"keys.find": _key})
    app = create_app(Settings.from_env({"GRAPHAPI_COMPILE": "false"}), store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client, store


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {KEY}"}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    body: dict[str, Any] = response.json()
    return body


async def test_a_lookup_is_one_query(recorded: tuple[httpx.AsyncClient, RecordingStore]) -> None:
    client, store = recorded
    body = await post(client, '{ node(id: "statement:s") { id ... on Statement { quote } } }')
    assert body["data"] == {"node": {"id": "statement:s", "quote": "very constructive"}}
    assert store.names == ["read.nodes_by_id"]


async def test_one_batched_query_per_level(recorded: tuple[httpx.AsyncClient, RecordingStore]) -> None:
    client, store = recorded
    body = await post(
        client,
        '{ nodes(ids: ["statement:s", "statement:s"]) { ... on Statement { speaker { name } source { title } } } }',
    )
    assert body["data"]["nodes"][0] == {"speaker": {"name": "Mark Carney"}, "source": {"title": "A source"}}
    # the statements, then their speakers and sources together
    assert store.names == ["read.nodes_by_id", "read.nodes_by_id"]
    assert sorted(store.sent[1][1]["ids"]) == ["person:mark-carney", "source:s"]


async def test_the_total_is_counted_only_when_asked(
    recorded: tuple[httpx.AsyncClient, RecordingStore],
) -> None:
    client, store = recorded
    await post(client, '{ positions(on: "measure:m") { nodes { id } } }')
    assert store.names == ["read.nodes_by_id", "read.positions_on_page_by_id"]
    store.sent.clear()
    await post(client, '{ positions(on: "measure:m") { totalCount } }')
    assert store.names == ["read.nodes_by_id", "read.positions_on_page_by_id", "read.positions_on_count"]


@pytest.mark.parametrize(
    "query",
    [
        '{ node(id: "person:x\\n") { id } }',
        '{ measures(filter: {inForceOn: "\u0662\u0660\u0662\u0665-\u0660\u0664-\u0660\u0662"}) { totalCount } }',
        '{ actors(filter: {nameContains: "\\u0000"}) { totalCount } }',
        '{ statements(after: "WzFd") { totalCount } }',
        "{ actors(first: 1000) { totalCount } }",
        '{ timeline(actor: "person:mark-carney", from: "0000-01-01") { totalCount } }',
    ],
)
async def test_refused_arguments_send_nothing(
    recorded: tuple[httpx.AsyncClient, RecordingStore], query: str
) -> None:
    client, store = recorded
    body = await post(client, query)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body
    assert store.names == []


STATEMENT = {
    "id": "statement:t", "speaker": "person:mark-carney", "source": "source:s",
    "quote": "very constructive", "start": 0, "end": 17, "direct": True,
}  # fmt: skip
UPSERT = "mutation($i: StatementInput!) { upsertStatement(input: $i) { created changed statement { id } } }"


async def test_an_upsert_is_one_checked_statement_and_a_read_back(
    recorded: tuple[httpx.AsyncClient, RecordingStore],
) -> None:
    client, store = recorded
    store.answers["edit.upsert_statement"] = lambda params: [{"created": True}]
    store.nodes["statement:t"] = node_row("statement:t", ["Statement"], quote="very constructive")
    body = await post(client, UPSERT, i=STATEMENT)
    assert body["data"]["upsertStatement"] == {
        "created": True,
        "changed": True,
        "statement": {"id": "statement:t"},
    }
    # the node as it was and its source's date (what it reports is known up to it) in one read, the
    # checked write, the read back, and the change kept in the history
    assert store.names == [
        "keys.find", "read.nodes_by_id", "edit.upsert_statement", "read.nodes_by_id", "write.record_api_changes"
    ]  # fmt: skip
    sent = store.sent[2][1]
    assert sent["targets"] == ["person:mark-carney", "source:s"]
    assert sent["spans"] == [{"start": 0, "end": 17, "quote": "very constructive"}]


async def test_an_identical_upsert_says_unchanged(recorded: tuple[httpx.AsyncClient, RecordingStore]) -> None:
    client, store = recorded
    store.nodes["statement:t"] = node_row("statement:t", ["Statement"], quote="very constructive")
    same = {"found": ["person:mark-carney", "source:s"], "sourceExists": True, "badSpans": [], "same": True,
            "exists": True, "locked": False}  # fmt: skip
    store.answers["edit.upsert_diagnosis"] = lambda params: [same]
    body = await post(client, UPSERT, i=STATEMENT)
    assert body["data"]["upsertStatement"]["changed"] is False
    assert store.names == [  # nothing changed: nothing kept
        "keys.find", "read.nodes_by_id", "edit.upsert_statement", "edit.upsert_diagnosis", "read.nodes_by_id"
    ]  # fmt: skip


async def test_a_refused_upsert_names_the_field(recorded: tuple[httpx.AsyncClient, RecordingStore]) -> None:
    client, store = recorded
    missing = {"found": ["source:s"], "sourceExists": True, "badSpans": [], "same": False, "exists": False,
               "locked": False}  # fmt: skip
    store.answers["edit.upsert_diagnosis"] = lambda params: [missing]
    body = await post(client, UPSERT, i=STATEMENT)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "input.speaker"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "statement:t\n"), ("quote", "very\u0000constructive"), ("channel", "TV\n"), ("start", -1)],
)
async def test_bad_input_is_refused_before_any_write(
    recorded: tuple[httpx.AsyncClient, RecordingStore], field: str, value: object
) -> None:
    client, store = recorded
    body = await post(client, UPSERT, i={**STATEMENT, field: value})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["argument"] == f"input.{field}"
    assert store.names == ["keys.find"]
