"""What a frontend builds on: orderings, filters and pagination that behave alike on every list; error
codes without stack traces; unexpected errors masked and logged with the request id; CORS."""

from __future__ import annotations

import logging

import httpx
import pytest
import strawberry

from graphapi.api.policy.error_codes import ErrorCodes
from graphapi.api.reading.list_inputs import DAY_SCALAR, Day
from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.errors import Unavailable
from graphapi.store import Store
from helpers import gql, ok


async def test_orderings_on_every_list(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        byRate: measures(orderBy: {field: RATE, direction: DESC}) { nodes { id rate } }
        byStart: measures(orderBy: {field: EFFECTIVE_FROM}) { nodes { id effectiveFrom { earliest } } }
        byName: actors(filter: {kind: PARTY}, orderBy: {field: NAME}) { nodes { name } }
        byNameDesc: actors(filter: {nameContains: "PARTY"}, orderBy: {field: NAME, direction: DESC}) { nodes { name } }
        bySource: statements(orderBy: {field: SOURCE_POSITION}, first: 3) { nodes { span { start } } }
        sources(orderBy: {field: TITLE}) { nodes { title } }
    }""",
    )
    rates = [m["rate"] for m in data["byRate"]["nodes"]]
    assert rates[:2] == [25.0, 25.0] and rates[2:] == [None] * 5  # missing rates last when descending
    # by first possible day: an open one ("already") first, measures without a start last
    starts = [m["effectiveFrom"]["earliest"] if m["effectiveFrom"] else "-" for m in data["byStart"]["nodes"]]
    assert starts == [None, None, None, "2025-04-02", "2025-05-01", "-", "-"]
    assert [p["name"] for p in data["byName"]["nodes"]] == ["Conservative Party", "Liberal Party", "NDP"]
    assert [p["name"] for p in data["byNameDesc"]["nodes"]] == ["Liberal Party", "Conservative Party"]
    positions = [s["span"]["start"] for s in data["bySource"]["nodes"]]
    assert positions == sorted(positions)
    assert data["sources"]["nodes"][0]["title"].startswith("Trump and Carney")


async def test_ordered_pages_do_not_repeat_or_skip(client: httpx.AsyncClient) -> None:
    """Keyset pages over a sort key with ties (two measures at 25%, five without a rate) still visit every
    row once."""
    query = """query($a: String) { measures(orderBy: {field: RATE, direction: DESC}, first: 2, after: $a) {
        edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"""
    seen, after = [], None
    while True:
        page = (await ok(client, query, a=after))["measures"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 7
    # a cursor of one ordering is refused by another list that sorts by a different key type
    result = await gql(client, '{ statements(after: "WzFd") { totalCount } }')
    assert result.codes == ["BAD_USER_INPUT"] and "not a cursor of this list" in result.errors[0]["message"]


async def test_statement_filters(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        direct: statements(filter: {direct: true}) { totalCount }
        reported: statements(filter: {direct: false}) { totalCount }
        dated: statements(filter: {saidFrom: "2025-01-01"}) { totalCount }
        after: statements(filter: {saidFrom: "2025-04-03"}) { totalCount }
    }""",
    )
    assert data["direct"]["totalCount"] + data["reported"]["totalCount"] == 15
    assert data["reported"]["totalCount"] == 7
    # the four said at the call (March 14 to April 2), and the eleven the article gives no date for, said
    # by the time it was written (April 2 at the latest): any of them may be from this year; none later
    assert data["dated"]["totalCount"] == 15 and data["after"]["totalCount"] == 0


async def test_errors_have_codes_and_no_traces(client: httpx.AsyncClient) -> None:
    for query in [
        '{ node(id: "person:nobody") { id } }',
        "{ nope }",
        '{ measures(filter: {inForceOn: "tomorrow"}) { totalCount } }',
    ]:
        result = await gql(client, query)
        assert result.errors and all(code in {"BAD_USER_INPUT", "NOT_FOUND"} for code in result.codes), (
            result.body
        )
        assert "Traceback" not in str(result.body) and 'File "' not in str(result.body)


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @strawberry.type
    class Query:
        @strawberry.field
        def broken(self) -> int:
            raise RuntimeError("secret internal detail")

        @strawberry.field
        def down(self) -> int:
            raise Unavailable("FalkorDB at /tmp/secret/falkordb.sock is not reachable (driver text)")

    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])

    class Context:
        request_id = "req-123"

    with caplog.at_level(logging.ERROR, logger="graphapi.errors"):
        result = await schema.execute("{ broken }", context_value=Context())
    [error] = result.errors or []
    assert error.message == "Internal server error." and "secret" not in error.message
    assert error.extensions == {"code": "INTERNAL", "requestId": "req-123"}
    assert "req-123" in caplog.text and "secret internal detail" in caplog.text
    with caplog.at_level(logging.WARNING, logger="graphapi.errors"):
        result = await schema.execute("{ down }", context_value=Context())
    [error] = result.errors or []  # the socket path and the driver's words go to the log, not the client
    assert error.extensions == {"code": "UNAVAILABLE", "requestId": "req-123"}
    assert error.message == "the database is not reachable or did not answer in time; try again shortly"
    assert "/tmp/secret/falkordb.sock" in caplog.text


async def test_request_ids_are_echoed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ sources { totalCount } }"}, headers={"X-Request-ID": "abc-1"}
    )
    assert response.headers["x-request-id"] == "abc-1"
    fresh = await client.post("/graphql", json={"query": "{ sources { totalCount } }"})
    assert len(fresh.headers["x-request-id"]) == 32


async def test_cors_is_configured_from_the_environment(store: Store) -> None:
    settings = Settings.from_env({"GRAPHAPI_CORS_ORIGINS": "https://app.example, https://other.example"})
    app = create_app(settings, store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        preflight = await client.options("/graphql", headers={
            "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})  # fmt: skip
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        refused = await client.options(
            "/graphql", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
        assert "access-control-allow-origin" not in refused.headers
    closed = create_app(Settings.from_env({}), store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=closed), base_url="http://t") as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ sources { totalCount } }"},
            headers={"Origin": "https://app.example"},
        )
        assert "access-control-allow-origin" not in response.headers


def test_day_inputs_are_strict() -> None:
    parse = DAY_SCALAR.parse_value
    assert parse is not None
    assert parse("2025-04-03") == Day("2025-04-03")
    for bad in ("2025-4-3", "2025-02-30", "20250403", "2025-04", 20250403):
        with pytest.raises(ValueError):
            parse(bad)


def test_the_neo4j_driver_runs_with_its_rust_extension() -> None:
    import importlib

    assert importlib.util.find_spec("neo4j._rust") is not None
