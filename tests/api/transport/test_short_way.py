"""The short way through HTTP (graphapi/api/transport/lane.py): a compiled query answered by the fast path
gets, byte for byte, the response the whole way gives it (status, every header, the body), under every
media type and encoding a client may ask for; and everything the short way does not take, or that the fast
path declines after the body was read, is answered by the whole way exactly as before."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from compiled_corpus import DOCUMENTS, variables
from starlette.types import Message, Scope

from graphapi.api.transport.http import GraphQLView
from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.store import Store
from helpers import ask_either_way, graphql_view

HEADERS: list[dict[str, str]] = [
    {},
    {"accept": "application/json"},
    {"accept": "application/graphql-response+json"},
    {"accept": "application/graphql-response+json, application/json;q=0.9"},
    {"accept": "*/*", "accept-encoding": "gzip"},
    {"content-type": "application/json; charset=utf-8"},
    {"content-type": "Application/JSON;charset=UTF-8"},
]
# a page long enough to be gzipped for a client that accepts it
LONG_PAGE = "{ actors(first: 100) { nodes { id name aliases description } } }"


@pytest.fixture
async def app(store: Store) -> AsyncIterator[Any]:
    application = create_app(Settings.from_env({}), store=store)
    async with application.router.lifespan_context(application):
        yield application


def _seen(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = sorted((k, v) for k, v in response.headers.multi_items() if k != "date")
    return response.status_code, headers, response.content


async def _runs_of_strawberry(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the requests Strawberry's own request handling saw."""
    calls = [0]
    original = GraphQLView.run

    async def counted(self: GraphQLView, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(GraphQLView, "run", counted)
    return calls


async def test_a_compiled_query_gets_the_whole_ways_response_to_the_byte(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    strawberry_runs = await _runs_of_strawberry(app, monkeypatch)
    answered_short = 0
    for document in [*DOCUMENTS, LONG_PAGE]:
        body = json.dumps({"query": document, "variables": variables(document, "seed")}).encode()
        for headers in HEADERS:
            # (the first asking caches the plans)
            whole = await ask_either_way(app, body, headers, short=False)
            before = strawberry_runs[0]
            short = await ask_either_way(app, body, headers, short=True)
            assert _seen(short) == _seen(whole), (document, headers)
            answered_short += strawberry_runs[0] == before
    # every compiled document the fast path takes was answered without Strawberry's request handling
    assert answered_short >= 40 * len(HEADERS)


def _message(body: bytes, more: bool = False) -> Message:
    return {"type": "http.request", "body": body, "more_body": more}


async def _call(app: Any, headers: list[tuple[bytes, bytes]], messages: list[Message]) -> list[Message]:
    """The app called as a server calls it, the body arriving in the messages given."""
    scope: Scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(b"host", b"t"), (b"x-request-id", b"r1"), *headers],
    }  # fmt: skip
    pending = list(messages)
    sent: list[Message] = []

    async def receive() -> Message:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


JSON_HEADERS = [(b"content-type", b"application/json")]
QUERY = b'{"query": "{ node(id: \\"person:mark-carney\\") { id } }"}'


async def test_a_body_in_parts_is_read_whole(app: Any) -> None:
    for _ in range(2):  # the second asking is the fast path's
        sent = await _call(app, JSON_HEADERS, [_message(QUERY[:10], True), _message(QUERY[10:])])
        assert sent[0]["status"] == 200
        assert json.loads(sent[1]["body"])["data"] == {"node": {"id": "person:mark-carney"}}


async def test_a_client_that_goes_away_mid_body_gets_nothing(app: Any) -> None:
    sent = await _call(app, JSON_HEADERS, [_message(QUERY[:10], True), {"type": "http.disconnect"}])
    assert sent == []


async def test_a_body_past_the_limit_in_parts_is_refused(store: Store) -> None:
    app = create_app(Settings.from_env({"GRAPHAPI_MAX_BODY_BYTES": "40"}), store=store)
    sent = await _call(app, JSON_HEADERS, [_message(QUERY[:30], True), _message(QUERY[30:])])
    assert sent[0]["status"] == 413
    assert "larger than 40 bytes" in json.loads(sent[1]["body"])["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "headers", "status", "words"),
    [
        (b"{not json", {}, 400, "is not JSON"),
        (b"[]", {}, 400, "batches of operations are not supported"),
        (b'{"query": 5}', {}, 400, "`query` must be a string"),
        (b'{"query": "{ __typename }", "variables": []}', {}, 400, "`variables` must be an object"),
        (b'{"query": "{ __typename }"}', {"content-type": "text/plain"}, 415, "send the request as"),
        (b'{"query": "{ __typename }"}', {"content-type": "application/json; charset=latin-1"}, 415, "UTF-8"),
        (b'{"query": "{ __typename }"}', {"accept": "text/html"}, 406, "`Accept` allows none"),
        (b'{"query": "{ nope }"}', {}, 200, "Cannot query field 'nope'"),
        (b'{"query": "query A { __typename }", "operationName": "B"}', {}, 200, "no operation named 'B'"),
        (b'{"query": "{ node(id: \\"person:nobody\\") { id } }"}', {}, 200, '"node":null'),
    ],
)
async def test_what_the_short_way_does_not_take_is_answered_the_whole_way(
    app: Any, body: bytes, headers: dict[str, str], status: int, words: str
) -> None:
    for _ in range(2):  # the second asking finds the document parsed (and compiled, where it compiles)
        whole = await ask_either_way(app, body, headers, short=False)
        short = await ask_either_way(app, body, headers, short=True)
        assert _seen(short) == _seen(whole)
        assert short.status_code == status and words in short.text, short.text


async def test_a_compiled_query_past_the_time_limit_is_refused_by_the_short_way_too(
    app: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await ask_either_way(app, QUERY, {}, short=True)
    assert first.json()["data"] == {"node": {"id": "person:mark-carney"}}
    read = store.read

    async def slow(*args: Any, **kwargs: Any) -> Any:  # a database that takes its time
        await asyncio.sleep(0.2)
        return await read(*args, **kwargs)

    monkeypatch.setattr(store, "read", slow)
    graphql_view(app).request_timeout_s = 0.05
    for short in (True, False):
        refused = await ask_either_way(app, QUERY, {}, short=short)
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE", refused.text
        assert "took longer than" in refused.json()["errors"][0]["message"]


async def test_a_declined_request_is_not_tried_twice(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A request the fast path declines after the short way read it (a node that is not there, whose
    error the resolvers word) goes the whole way, which does not ask the fast path again."""
    from graphapi.api.transport.fast import FastPath

    tried = [0]
    original = FastPath.run

    async def counted(self: FastPath, *args: Any) -> Any:
        tried[0] += 1
        return await original(self, *args)

    monkeypatch.setattr(FastPath, "run", counted)
    body = b'{"query": "{ node(id: \\"person:nobody\\") { id } }"}'
    await ask_either_way(app, body, {}, short=True)
    tried[0] = 0
    answer = await ask_either_way(app, body, {}, short=True)
    assert answer.json()["data"] == {"node": None}
    assert tried[0] == 1
