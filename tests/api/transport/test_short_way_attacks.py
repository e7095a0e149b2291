"""Attacks on the short way through HTTP (graphapi/api/transport/lane.py) and the caches it brought
(graphapi/api/policy/checked.py, the metrics' labels): what a hostile client can make the server hold."""

from __future__ import annotations

import asyncio
import gc
import json
import time
import tracemalloc
import weakref
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from graphql import DocumentNode, parse
from starlette.types import Message, Scope

from graphapi.api.policy.checked import CheckedLimits
from graphapi.api.policy.limits import CACHED_QUERIES
from graphapi.app import create_app
from graphapi.config import Limits, Settings
from graphapi.store import Store
from helpers import ask_either_way, graphql_view


@pytest.fixture
async def app(store: Store) -> AsyncIterator[Any]:
    application = create_app(Settings.from_env({}), store=store)
    async with application.router.lifespan_context(application):
        yield application


def _live_documents() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, DocumentNode))


async def test_documents_the_parse_cache_dropped_are_not_kept_by_the_limits_cache(app: Any) -> None:
    """Sent twice each, distinct documents reach the fast path's limits cache. The parse cache keeps
    CACHED_QUERIES of them ("tens of megabytes at most, whatever clients send"); the limits cache must not
    keep the rest alive (it kept 4096: ~290 KiB each for 2,000 dense characters, over a gigabyte)."""
    fast = graphql_view(app).schema.fast_path
    before = _live_documents()
    first: weakref.ref[DocumentNode] | None = None
    for i in range(CACHED_QUERIES + 100):
        body = json.dumps({"query": f"{{ a{i}: __typename }}"}).encode()
        for _ in range(2):  # the second asking finds it parsed: the fast path measures it
            assert (await ask_either_way(app, body, {}, short=True)).status_code == 200
        if first is None:
            first = weakref.ref(fast.parsed.get("{ a0: __typename }"))
    assert first is not None
    assert _live_documents() - before <= CACHED_QUERIES + 2
    assert first() is None, "a document the parse cache dropped is still alive"


def _scope() -> Scope:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(b"host", b"t"), (b"content-type", b"application/json")],
    }  # fmt: skip


async def _peak_of_a_trickled_body(application: Any, body: bytes) -> tuple[int, float, list[Message]]:
    """The peak memory and CPU of a request whose body arrives a byte at a message (a slow client's
    packets), the messages made as a server makes them (and dropped once read, unless kept)."""
    sent = 0

    async def receive() -> Message:
        nonlocal sent
        sent += 1
        if sent > len(body):
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": body[sent - 1 : sent], "more_body": sent < len(body)}

    answer: list[Message] = []

    async def send(message: Message) -> None:
        answer.append(message)

    gc.collect()
    tracemalloc.start()
    started = time.process_time()
    try:
        await application(_scope(), receive, send)
        return tracemalloc.get_traced_memory()[1], time.process_time() - started, answer
    finally:
        tracemalloc.stop()


async def test_a_body_in_many_small_parts_costs_the_short_way_no_more_memory_than_the_whole_way(
    app: Any,
) -> None:
    """The short way read the body keeping every ASGI message to replay them: 64 KiB in one-byte parts
    held ~18 MB a request (the whole way ~6), so slow clients could hold three times the memory."""
    body = b'{"query": "{ __typename }"}' + b" " * 60_000  # declined by the fast path: replayed
    view = graphql_view(app)
    short_peak, _, short_answer = await _peak_of_a_trickled_body(app, body)
    view._short_way = view._compressing  # type: ignore[method-assign]
    try:
        whole_peak, _, whole_answer = await _peak_of_a_trickled_body(app, body)
    finally:
        vars(view).pop("_short_way", None)
    assert short_answer[0]["status"] == whole_answer[0]["status"] == 200
    assert short_answer[1]["body"] == whole_answer[1]["body"]
    assert short_peak <= 1.25 * whole_peak, (short_peak, whole_peak)


NOBODY = b'{"query": "{ node(id: \\"person:nobody\\") { id } }"}'


async def test_a_request_the_fast_path_declines_late_gets_one_time_limit_not_two(
    app: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path reads a node that is not there, then declines (the resolvers word it), and the whole
    way reads again. The whole way's limit covers both; the short way gave the whole way a fresh limit, so
    a request could hold the database for twice the limit and be answered where the whole way refuses."""
    for short in (True, True):  # parsed, compiled: the fast path now takes it and declines after its read
        assert (await ask_either_way(app, NOBODY, {}, short=short)).json()["data"] == {"node": None}
    read = store.read

    async def slow(*args: Any, **kwargs: Any) -> Any:  # 40% of the limit a statement (the pipeline sends 2)
        await asyncio.sleep(0.08)
        return await read(*args, **kwargs)

    monkeypatch.setattr(store, "read", slow)
    graphql_view(app).request_timeout_s = 0.2
    whole = await ask_either_way(app, NOBODY, {}, short=False)
    assert whole.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE", whole.text
    short = await ask_either_way(app, NOBODY, {}, short=True)
    # (how many reads began before the limit depends on the machine's load: not compared)
    assert {**short.json(), "extensions": None} == {**whole.json(), "extensions": None}


COSTLY = "query($n: Int) { actors(first: $n) { nodes { id statements(first: 50) { id } } } }"
CHEAP = "query($n: Int) { positions(on: $n, first: $n) { nodes { stance } } }"


async def test_an_identity_reused_by_another_document_is_measured_and_labelled_afresh(app: Any) -> None:
    """The caches go by a document's identity; a document parsed after another was dropped often gets its
    identity. Neither cache may then answer for the dropped one (a cheap document's pass for a costly
    one, or its metrics label). A guard of the weak references: the parent commit kept its documents
    alive, so identities were not reused there and `reused` stays 0."""
    schema = graphql_view(app).schema
    metrics = schema.fast_path.metrics
    limits = CheckedLimits(replace(Limits(), max_cost=30), schema._schema)  # costs 56 and 6
    seen: set[int] = set()
    reused = 0
    for i in range(300):
        text = COSTLY if i % 2 else CHEAP
        document = parse(text)
        reused += id(document) in seen
        seen.add(id(document))
        refused = limits.check(document, {"n": 5})
        assert (refused is not None) == bool(i % 2), (i, refused)
        assert metrics.label_of(schema._schema, document) == ("query:actors" if i % 2 else "query:positions")
        del document
    assert reused > 10  # the identities were reused: the test tried what it means to


# 101,101 as executed with 100 items a list; measured as 4,221 (each list its declared 20) when `$n` is left
# to its default or sent as 100.0, which GraphQL's Int takes as 100
NESTED = "query($n: Int = 100) { measures(first: $n) { nodes { id parts(first: $n) { id parts(first: $n) { id } } } } }"


@pytest.mark.parametrize("variables", [{}, {"n": 100.0}, {"n": 100}])
async def test_a_size_variable_left_to_its_default_or_sent_as_a_float_is_measured_as_it_runs(
    app: Any, variables: dict[str, Any]
) -> None:
    """The measure read a size variable only when it was sent as a JSON integer, and counted it as not
    stated otherwise; but the executor takes the variable's default, and 100.0 as the Int 100. (Both ways:
    the pipeline's check is the same measure. The fast path's cache of checks must key on what the measure
    reads, so {} and {"n": null} are not one entry.)"""
    body = json.dumps({"query": NESTED, "variables": variables}).encode()
    for short in (False, True, True):
        refused = (await ask_either_way(app, body, {}, short=short)).json()
        assert "the query costs 101101" in refused["errors"][0]["message"], refused
    null = json.dumps({"query": NESTED, "variables": {"n": None}}).encode()
    assert "the query costs" not in (await ask_either_way(app, null, {}, short=True)).text
