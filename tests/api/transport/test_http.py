"""GraphQL over HTTP to the letter: media types from `Accept`, status codes by media type, no `data` on
request errors, and every refusal, transport errors included, a GraphQL JSON body with a code."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response

from graphapi.app import create_app
from graphapi.config import Limits, Settings
from graphapi.graph.keys import FIND_KEY
from graphapi.store import Store

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
SOURCES = "{ sources { totalCount } }"
UNKNOWN_KEY = "gapi_0123456789ab_" + "x" * 24


@asynccontextmanager
async def client_for(store: Store, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    limits = settings.pop("limits", {})
    base = Settings.from_env({})
    app = create_app(replace(base, limits=replace(Limits(), **limits), **settings), store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


async def post(client: httpx.AsyncClient, body: dict[str, Any], accept: str | None = None) -> httpx.Response:
    headers = {"accept": accept} if accept is not None else {}
    return await client.post("/graphql", json=body, headers=headers)


def media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def refusal(response: httpx.Response) -> dict[str, Any]:
    """The one error of a request error, checked to be GraphQL JSON with a code and no `data`."""
    assert media(response) in (JSON, GRAPHQL_RESPONSE), response.headers
    assert response.headers["content-type"].endswith("charset=utf-8")
    body = response.json()
    assert "data" not in body, body
    assert "Traceback" not in response.text and 'File "' not in response.text
    [error] = body["errors"]
    assert error["extensions"]["code"], error
    return dict(error)


@pytest.mark.parametrize(
    ("accept", "answered"),
    [
        (None, JSON),  # older clients: JSON, as before
        ("", JSON),
        ("*/*", JSON),
        (JSON, JSON),
        ("application/*", JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}; charset=utf-8, {JSON}; charset=utf-8", GRAPHQL_RESPONSE),  # the spec's advice
        (f"{JSON}, {GRAPHQL_RESPONSE}", JSON),  # the first of equals
        (f"{JSON};q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),  # the higher q
        (f"text/html, {GRAPHQL_RESPONSE};q=0.1", GRAPHQL_RESPONSE),
    ],
)
async def test_the_response_media_type_follows_accept(
    client: httpx.AsyncClient, accept: str | None, answered: str
) -> None:
    response = await post(client, {"query": SOURCES}, accept)
    assert response.status_code == 200 and media(response) == answered
    assert response.json()["data"] == {"sources": {"totalCount": 1}}


async def test_a_client_that_accepts_no_json_gets_406(client: httpx.AsyncClient) -> None:
    for accept in ("text/html", "text/xml, image/png", f"{JSON};q=0"):
        response = await post(client, {"query": SOURCES}, accept)
        assert response.status_code == 406, accept
        error = refusal(response)
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "Accept" in error["message"]


REQUEST_ERRORS = [
    ({"query": "{"}, "Syntax Error"),  # parse
    ({"query": "{ nope }"}, "Cannot query field 'nope'"),  # validation
    ({"query": "query($n: Int!) { actors(first: $n) { totalCount } }", "variables": {"n": None}}, "$n"),
    ({"query": "query($n: Int) { actors(first: $n) { totalCount } }", "variables": {"n": 2**40}}, "32-bit"),
    ({"query": "query($n: Int) { actors(first: $n) { totalCount } }", "variables": {"n": 1e300}}, "32-bit"),
    ({"query": "query A { __typename } query B { __typename }"}, "name the one to run in `operationName`"),
    ({"query": "query A { __typename }", "operationName": "B"}, "no operation named 'B'"),
    ({"query": "fragment F on Query { __typename }"}, "no operation"),
    ({"query": "subscription { positionChanges { kind } }"}, "Server-Sent Events"),
    ({"query": "{ " + "__typename " * 301 + "}"}, "more than the limit of 300"),
]


@pytest.mark.parametrize(("body", "words"), REQUEST_ERRORS)
async def test_request_errors_have_no_data_and_are_400_for_graphql_response_json(
    client: httpx.AsyncClient, body: dict[str, Any], words: str
) -> None:
    modern = await post(client, body, GRAPHQL_RESPONSE)
    assert modern.status_code == 400 and media(modern) == GRAPHQL_RESPONSE
    error = refusal(modern)
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and words in error["message"], error
    assert modern.json()["extensions"]["dbRoundTrips"] == 0
    legacy = await post(client, body)  # application/json: 200 for every well-formed request
    assert legacy.status_code == 200 and media(legacy) == JSON
    assert refusal(legacy) == error


async def test_a_subscription_over_plain_get_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql",
        params={"query": "subscription { positionChanges { kind } }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 400
    error = refusal(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "Server-Sent Events" in error["message"]


async def test_a_named_operation_of_several_runs_alone(client: httpx.AsyncClient) -> None:
    document = "query A { sources { totalCount } } query B { actors { totalCount } }"
    response = await post(client, {"query": document, "operationName": "B"}, GRAPHQL_RESPONSE)
    assert response.status_code == 200 and list(response.json()["data"]) == ["actors"]
    # over GET, an empty operationName is no name (the spec's rule for GET)
    response = await client.get("/graphql", params={"query": "query A { __typename }", "operationName": ""})
    assert response.json()["data"] == {"__typename": "Query"}


async def test_field_errors_keep_data_and_status_200(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": '{ node(id: "person:nobody") { id } }'}, GRAPHQL_RESPONSE)
    body = response.json()
    assert response.status_code == 200 and body["data"] == {"node": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


async def test_a_refused_credential_is_401_for_graphql_response_json(store: Store) -> None:
    async with client_for(store, limits={"reads_need_key": True}) as client:
        response = await client.post(
            "/graphql", json={"query": SOURCES}, headers={"accept": GRAPHQL_RESPONSE}
        )
        assert response.status_code == 401
        assert refusal(response)["extensions"]["code"] == "UNAUTHENTICATED"
        legacy = await client.post("/graphql", json={"query": SOURCES})
        assert legacy.status_code == 200 and refusal(legacy)["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_time_limit_is_503_for_graphql_response_json(store: Store) -> None:
    async with client_for(store, limits={"request_timeout_s": 0.000001}) as client:
        response = await post(client, {"query": SOURCES}, GRAPHQL_RESPONSE)
        assert response.status_code == 503 and refusal(response)["extensions"]["code"] == "UNAVAILABLE"


DEEP_JSON = "[" * 10_000 + "]" * 10_000
BAD_BODIES: list[tuple[str, bytes | str, str]] = [
    ("null", "null", "JSON object with `query`"),
    ("a number", "1", "JSON object with `query`"),
    ("a string", '"str"', "JSON object with `query`"),
    ("a batch", "[]", "batches of operations are not supported"),
    ("a batch of one", json.dumps([{"query": SOURCES}]), "batches"),
    ("invalid UTF-8", b'{"query": "{ __typename }\xff"}', "not UTF-8"),
    ("JSON nested 10,000 deep", DEEP_JSON, "nested too deeply"),
    ("JSON nested 10,000 deep in variables", '{"query": "{ __typename }", "variables": {"v": ' + DEEP_JSON + "}}", "nested too deeply"),
    ("a 5,000-digit integer", '{"query": "{ __typename }", "n": ' + "7" * 5000 + "}", "more than 40 characters"),
    ("a 5,000-digit variable", '{"query": "{ __typename }", "variables": {"n": ' + "7" * 5000 + "}}", "more than 40 characters"),
    ("an infinite number", '{"query": "{ __typename }", "variables": {"n": 1e999}}', "more than 40"),
    ("NaN", '{"query": "{ __typename }", "variables": {"n": NaN}}', "NaN is not JSON"),
    ("not JSON", "{ not json", "not JSON"),
    ("nothing", "", "not JSON"),
    ("no query", '{"qeury": "{ __typename }"}', "no `query`"),
    ("a query that is not a string", '{"query": 1}', "`query` must be a string"),
    ("variables that are not an object", '{"query": "{ __typename }", "variables": [1]}', "`variables` must be an object"),
    ("variables as a string", '{"query": "{ __typename }", "variables": "{}"}', "`variables` must be an object"),
    ("extensions that are not an object", '{"query": "{ __typename }", "extensions": 5}', "`extensions` must be an object"),
    ("an operationName that is not a string", '{"query": "{ __typename }", "operationName": false}', "`operationName`"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "body", "words"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
async def test_malformed_requests_are_coded_400(
    client: httpx.AsyncClient, what: str, body: bytes | str, words: str
) -> None:
    for accept in (JSON, GRAPHQL_RESPONSE):
        headers = {"content-type": JSON, "accept": accept}
        response = await client.post("/graphql", content=body, headers=headers)
        assert response.status_code == 400, (what, response.text)
        error = refusal(response)
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and words in error["message"], error
        assert media(response) == accept  # the refusal too is in the media type the client asked for


async def test_transport_errors_are_coded_json(client: httpx.AsyncClient) -> None:
    query = {"query": SOURCES}
    cases: list[tuple[httpx.Response, int, str, str]] = [
        (await client.get("/nope"), 404, "NOT_FOUND", "nothing at /nope"),
        (await client.put("/graphql", json=query), 405, "BAD_USER_INPUT", "PUT is not allowed"),
        (await client.delete("/health"), 405, "BAD_USER_INPUT", "DELETE is not allowed"),
        (await client.head("/graphql"), 405, "", ""),  # no body for HEAD
        (await client.post("/graphql", content=json.dumps(query)), 415, "BAD_USER_INPUT", "no Content-Type"),
        (
            await client.post("/graphql", content=json.dumps(query), headers={"content-type": "text/plain"}),
            415, "BAD_USER_INPUT", "not text/plain",
        ),
        (
            await client.post(
                "/graphql", content=json.dumps(query), headers={"content-type": "application/json; charset=latin-1"}
            ),
            415, "BAD_USER_INPUT", "UTF-8",
        ),
        (
            await client.get("/graphql", params={"query": 'mutation { deleteNode(id: "person:x") { deletedId } }'}),
            405, "BAD_USER_INPUT", "mutation is sent with POST",
        ),
        (await client.get("/graphql", params={"query": "{ __typename }", "variables": "[1]"}), 400, "BAD_USER_INPUT", "`variables`"),
        (await client.get("/graphql", params={"query": "{ __typename }", "variables": "{"}), 400, "BAD_USER_INPUT", "`variables` is not JSON"),
        (await client.get("/graphql", headers={"accept": JSON}), 400, "BAD_USER_INPUT", "no `query`"),
    ]  # fmt: skip
    for response, status, code, words in cases:
        assert response.status_code == status, (status, response.text)
        if not code:
            continue
        error = refusal(response)
        assert error["extensions"]["code"] == code and words in error["message"], error
        assert response.headers["x-request-id"]
    assert set(cases[1][0].headers["allow"].split(", ")) == {"GET", "POST", "HEAD"}
    assert cases[7][0].headers["allow"] == "POST"


async def test_unexpected_exceptions_are_a_coded_500_logged_with_the_request_id(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(store=store)

    async def broken(request: Request) -> Response:
        raise RuntimeError("secret internal detail")

    app.add_route("/broken", broken)  # a fault of ours, anywhere in the app
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        with caplog.at_level(logging.ERROR, logger="graphapi.http"):
            response = await client.get("/broken", headers={"x-request-id": "req-500"})
    assert response.status_code == 500
    error = refusal(response)
    assert error == {
        "message": "Internal server error.",
        "extensions": {"code": "INTERNAL", "requestId": "req-500"},
    }
    assert "secret" not in response.text
    assert "req-500" in caplog.text and "secret internal detail" in caplog.text


async def test_query_names_only_with_the_debug_setting(store: Store) -> None:
    mutation = {"query": 'mutation { deleteNode(id: "person:mark-carney") { deletedId } }'}
    headers = {"authorization": f"Bearer {UNKNOWN_KEY}"}
    async with client_for(store) as client:
        body = (await client.post("/graphql", json=mutation, headers=headers)).json()
        assert body["extensions"] == {"dbRoundTrips": 1}  # the key was looked up: a round-trip, not named
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    async with client_for(store, debug=True) as client:
        body = (await client.post("/graphql", json=mutation, headers=headers)).json()
        assert body["extensions"] == {"dbRoundTrips": 1, "dbQueries": [FIND_KEY.name]}
    assert Settings.from_env({"GRAPHAPI_DEBUG": "true"}).debug
    assert not Settings.from_env({}).debug


async def test_request_ids_are_plain_tokens(client: httpx.AsyncClient) -> None:
    given = await client.post("/graphql", json={"query": SOURCES}, headers={"x-request-id": "trace:42.a-b_c"})
    assert given.headers["x-request-id"] == "trace:42.a-b_c"
    for odd in ("has space", "x" * 200, "<script>"):
        response = await client.post("/graphql", json={"query": SOURCES}, headers={"x-request-id": odd})
        assert response.headers["x-request-id"] != odd and len(response.headers["x-request-id"]) == 32


def events(text: str) -> list[tuple[str, Any]]:
    """The events of a Server-Sent Events body: (event, parsed data)."""
    found = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":")
        )
        if "event" in fields:
            found.append((fields["event"], json.loads(fields["data"]) if fields.get("data") else None))
    return found


async def test_operations_over_server_sent_events(client: httpx.AsyncClient) -> None:
    """graphql-sse, distinct connections mode: results as `next` events, then `complete`; request errors
    are `next` events too (a 400 would make a browser's EventSource drop the details)."""
    headers = {"accept": "text/event-stream"}
    response = await client.post("/graphql", json={"query": SOURCES}, headers=headers)
    assert response.status_code == 200 and media(response) == "text/event-stream"
    assert events(response.text) == [
        (
            "next",
            {"data": {"sources": {"totalCount": 1}}, "extensions": {"dbRoundTrips": 1}},
        ),  # one compiled statement
        ("complete", None),
    ]
    response = await client.post("/graphql", json={"query": "{ nope }"}, headers=headers)
    [(kind, result), complete] = events(response.text)
    assert kind == "next" and "data" not in result and complete == ("complete", None)
    assert [e["extensions"]["code"] for e in result["errors"]] == ["BAD_USER_INPUT"]


INTROSPECTION = "{ __schema { types { name description fields { name description } } } }"


async def test_large_answers_are_gzipped_small_ones_are_not(client: httpx.AsyncClient) -> None:
    """GraphiQL's introspection (tens of kilobytes) comes gzipped to a client that accepts it; a small
    answer, most of them, is sent as it is; a client that accepts no gzip gets the JSON plain."""
    large = await client.post("/graphql", json={"query": INTROSPECTION}, headers={"accept-encoding": "gzip"})
    assert large.headers["content-encoding"] == "gzip"
    assert int(large.headers["content-length"]) < len(large.content) / 4  # what went over the wire
    assert large.json()["data"]["__schema"]["types"]  # httpx decoded it
    plain = await client.post(
        "/graphql", json={"query": INTROSPECTION}, headers={"accept-encoding": "identity"}
    )
    assert "content-encoding" not in plain.headers and plain.json() == large.json()
    small = await client.post(
        "/graphql", json={"query": "{ sources { totalCount } }"}, headers={"accept-encoding": "gzip"}
    )
    assert "content-encoding" not in small.headers
