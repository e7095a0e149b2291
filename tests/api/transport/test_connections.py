"""Long-lived connections, bounded and strict, against a running `graphapi serve`: open WebSockets, event
streams and subscriptions (per connection and in all) each have a limit, past which the new one is refused
with a code (a WebSocket closes with 4429, a stream is answered 429, a subscription gets an error with
TOO_MANY_REQUESTS) while what is open keeps working; a malformed WebSocket message closes the socket with
4400 and a reason, never an exception; and the server's memory comes back after 1,000 connections close.
Every connection is to 127.0.0.1, every count bounded."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from helpers import serving

pytestmark = pytest.mark.slow  # starts a server process of its own

SUBSCRIBE = "subscription { positionChanges { kind id } }"
LIMITS = {
    "GRAPHAPI_MAX_WEBSOCKETS": "4",
    "GRAPHAPI_MAX_SSE_STREAMS": "2",
    "GRAPHAPI_MAX_SUBSCRIPTIONS_PER_CONNECTION": "2",
    "GRAPHAPI_MAX_SUBSCRIPTIONS": "5",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data_dir = tmp_path_factory.mktemp("connections")
    with serving(data_dir, GRAPHAPI_LOG_LEVEL="INFO", **LIMITS) as (url, _):
        yield url, data_dir / "serve.log"


def ws_url(url: str) -> str:
    return url.replace("http://", "ws://") + "/graphql"


@contextlib.asynccontextmanager
async def connected(url: str, *, init: bool = True) -> AsyncIterator[ClientConnection]:
    async with websockets.connect(ws_url(url), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        if init:
            await ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
        yield ws


async def subscribe(ws: ClientConnection, sub_id: str) -> None:
    await ws.send(json.dumps({"id": sub_id, "type": "subscribe", "payload": {"query": SUBSCRIBE}}))


async def closed_with(ws: ClientConnection) -> tuple[int | None, str]:
    with contextlib.suppress(websockets.ConnectionClosed):
        while True:
            await asyncio.wait_for(ws.recv(), timeout=5)
    assert ws.close_code is not None, "the server did not send a close frame"
    return ws.close_code, ws.close_reason or ""


JUNK: list[tuple[str, Any, bool]] = [
    ("a list", [], True),
    ("a number", 7, True),
    ("null payload of a subscribe", {"type": "subscribe", "id": "1", "payload": None}, True),
    ("a numeric id", {"type": "subscribe", "id": 1, "payload": {"query": SUBSCRIBE}}, True),
    ("an empty id", {"type": "subscribe", "id": "", "payload": {"query": SUBSCRIBE}}, True),
    ("a query that is not text", {"type": "subscribe", "id": "1", "payload": {"query": 5}}, True),
    ("variables that are a list", {"type": "subscribe", "id": "1", "payload": {"query": SUBSCRIBE, "variables": []}}, True),
    ("no type", {"id": "1"}, True),
    ("a type that is not text", {"type": ["subscribe"]}, True),
    ("an unknown type", {"type": "hello"}, True),
    ("a complete with a numeric id", {"type": "complete", "id": 3}, True),
    ("a ping with a list payload", {"type": "ping", "payload": [1]}, True),
    ("a connection_init with a text payload", {"type": "connection_init", "payload": "x"}, False),
    ("not JSON", "{", True),
]  # fmt: skip


@pytest.mark.parametrize(("frame", "initialised"), [(j[1], j[2]) for j in JUNK], ids=[j[0] for j in JUNK])
async def test_a_malformed_message_closes_with_4400(
    served: tuple[str, Path], frame: Any, initialised: bool
) -> None:
    url, log = served
    async with connected(url, init=initialised) as ws:
        await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
        code, reason = await closed_with(ws)
    assert code == 4400 and reason, (code, reason)
    assert "Traceback" not in log.read_text()
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{url}/health")).status_code == 200


async def test_a_connection_init_with_null_payload_is_accepted(served: tuple[str, Path]) -> None:
    url, _ = served
    async with connected(url, init=False) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": None}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"


async def test_subscriptions_per_connection_are_limited_with_a_code(served: tuple[str, Path]) -> None:
    url, _ = served
    async with connected(url) as ws:
        for sub_id in ("a", "b", "c"):
            await subscribe(ws, sub_id)
        refusal = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        assert refusal["type"] == "error" and refusal["id"] == "c", refusal
        assert refusal["payload"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS", refusal
        # the two it holds still run: completing one makes room
        await ws.send(json.dumps({"type": "complete", "id": "a"}))
        await asyncio.sleep(0.2)
        await subscribe(ws, "d")
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), timeout=5))["type"] == "pong"


async def test_subscriptions_in_all_are_limited_with_a_code(served: tuple[str, Path]) -> None:
    url, _ = served
    async with contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(connected(url)) for _ in range(3)]
        for i, ws in enumerate(sockets):
            for j in range(2):
                await subscribe(ws, f"s{i}{j}")
                # one at a time: messages on different sockets sent at once may be read in any order
                await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        # five in all: the sixth is refused, as an error of its operation
        answer = json.loads(await asyncio.wait_for(sockets[2].recv(), timeout=5))
        assert answer["id"] == "s21", answer
        errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "TOO_MANY_REQUESTS", answer
        assert "subscriptions" in errors[0]["message"]


async def test_open_websockets_are_limited_with_4429(served: tuple[str, Path]) -> None:
    url, _ = served
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(4):
            await stack.enter_async_context(connected(url))
        async with connected(url, init=False) as fifth:
            code, reason = await closed_with(fifth)
        assert code == 4429 and "WebSockets" in reason, (code, reason)
    # once they close, new ones are let in
    async with connected(url):
        pass


async def test_event_streams_are_limited_with_429(served: tuple[str, Path]) -> None:
    url, _ = served
    headers = {"Accept": "text/event-stream"}
    body = {"query": SUBSCRIBE}
    async with httpx.AsyncClient(base_url=url, timeout=10) as client, contextlib.AsyncExitStack() as stack:
        for _ in range(2):
            response = await stack.enter_async_context(
                client.stream("POST", "/graphql", json=body, headers=headers)
            )
            assert response.status_code == 200
        await asyncio.sleep(0.3)
        refused = await client.post("/graphql", json=body, headers=headers)
        assert refused.status_code == 429, refused.text
        assert refused.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
    await asyncio.sleep(0.3)
    async with (
        httpx.AsyncClient(base_url=url, timeout=10) as client,
        client.stream("POST", "/graphql", json=body, headers=headers) as response,
    ):
        assert response.status_code == 200  # closed: room again


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


CONNECTIONS = 1000
SUBSCRIPTIONS_EACH = 5
# Measured on Python 3.11, 1,000 connections with 5 subscriptions each: with Python's own allocator, whose
# 1 MiB arenas stay while one live object holds each, 152 MB at rest, 325 MB open, 173 MB after (+14%);
# `serve` runs with the C allocator (graphapi/launch.py), whose free pages go back: 157, 335, 152 MB.
RETURNS_WITHIN = 1.10


async def _open_and_close(url: str, count: int, pid: int) -> int:
    """Opens `count` WebSockets (250 at a time, all open together), each with its subscriptions; closes
    them all; answers the server's RSS while they were open."""

    async def one(i: int, stack: contextlib.AsyncExitStack) -> None:
        ws = await stack.enter_async_context(connected(url))
        for j in range(SUBSCRIPTIONS_EACH):
            await subscribe(ws, f"{i}-{j}")

    async with contextlib.AsyncExitStack() as stack:
        for start in range(0, count, 250):
            await asyncio.gather(*(one(i, stack) for i in range(start, min(count, start + 250))))
        await asyncio.sleep(0.5)
        return rss_kb(pid)


def test_memory_comes_back_after_1000_connections_close(tmp_path: Path) -> None:
    env = {
        "GRAPHAPI_MAX_WEBSOCKETS": str(CONNECTIONS),
        "GRAPHAPI_MAX_SUBSCRIPTIONS_PER_CONNECTION": str(SUBSCRIPTIONS_EACH),
        "GRAPHAPI_MAX_SUBSCRIPTIONS": str(CONNECTIONS * SUBSCRIPTIONS_EACH),
        "GRAPHAPI_LOG_LEVEL": "WARNING",
    }
    with serving(tmp_path, **env) as (url, process):
        asyncio.run(_open_and_close(url, 50, process.pid))  # warm up: what the first ones create once
        time.sleep(1)
        baseline = rss_kb(process.pid)
        peak = asyncio.run(_open_and_close(url, CONNECTIONS, process.pid))
        deadline = 15.0
        after = rss_kb(process.pid)
        while after > baseline * RETURNS_WITHIN and deadline > 0:
            time.sleep(1)
            deadline -= 1
            after = rss_kb(process.pid)
        print(
            f"RSS: baseline {baseline} kB, {CONNECTIONS} connections open {peak} kB, after they closed {after} kB"
        )
        assert after <= baseline * RETURNS_WITHIN, (baseline, peak, after)
        assert httpx.get(f"{url}/health").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "subscription { positionChanges { nope } }",  # a validation error
        'subscription { positionChanges(on: "not an id") { kind } }',  # an argument refused by its resolver
        "query { __typename }",  # not a subscription
    ],
)
async def test_every_error_on_the_socket_carries_a_code(served: tuple[str, Path], query: str) -> None:
    url, _ = served
    async with connected(url) as ws:
        await ws.send(json.dumps({"id": "e", "type": "subscribe", "payload": {"query": query}}))
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        except websockets.ConnectionClosed:
            assert ws.close_code == 4400, ws.close_code
            return
        errors = message["payload"] if message["type"] == "error" else message["payload"].get("errors") or []
        if message["type"] == "next" and not errors:
            return  # answered (a query over the socket)
        assert errors and all(e.get("extensions", {}).get("code") for e in errors), message


@pytest.mark.parametrize(
    "frame",
    [
        [],
        {"type": "start", "id": 1, "payload": {"query": SUBSCRIBE}},
        {"type": "start", "id": "1", "payload": None},
    ],
    ids=["a list", "a numeric id", "null payload"],
)
async def test_the_legacy_protocol_is_strict_too(served: tuple[str, Path], frame: Any) -> None:
    url, log = served
    async with websockets.connect(ws_url(url), subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps(frame))
        code, reason = await closed_with(ws)
    assert code == 4400 and reason, (code, reason)
    assert "Traceback" not in log.read_text()
