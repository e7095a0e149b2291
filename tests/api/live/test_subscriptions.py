"""Live updates over WebSocket (graphql-transport-ws) from a running `graphapi serve`: a mutation made by
one client reaches the subscriptions of another whose filter selects it, and only those."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from helpers import serving

pytestmark = pytest.mark.slow  # starts database or server processes of its own

PARTS = "measure:us-auto-parts-tariff-2025"
SUBSCRIBE = "subscription($on: ID) { positionChanges(on: $on) { kind id position { stance actor { name } on { id } } } }"
UPSERT = "mutation($input: PositionInput!) { upsertPosition(input: $input) { created } }"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    data_dir = tmp_path_factory.mktemp("live")
    with serving(data_dir, GRAPHAPI_LOG_LEVEL="WARNING") as (url, _):
        # a second process, attached to the same database, makes the key
        env = {**os.environ, "GRAPHAPI_DATA_DIR": str(data_dir)}
        create = [sys.executable, "-m", "graphapi", "keys", "create", "--name", "live test"]
        key = subprocess.run(create, env=env, capture_output=True, text=True, check=True).stdout.strip()
        yield int(url.rsplit(":", 1)[1]), key


async def subscribe(port: int, sub_id: str, variables: dict[str, Any]) -> Any:
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(
        json.dumps(
            {"id": sub_id, "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": variables}}
        )
    )
    return ws


async def test_a_mutation_reaches_the_matching_subscriptions(served: tuple[int, str]) -> None:
    port, key = served
    on_parts = await subscribe(port, "parts", {"on": PARTS})
    on_vehicles = await subscribe(port, "vehicles", {"on": "measure:us-vehicle-tariff-2025"})
    everything = await subscribe(port, "all", {})
    await asyncio.sleep(0.3)  # the subscriptions are registered before the write
    position = {
        "id": "position:singh-opposes-parts", "actor": "person:jagmeet-singh", "on": PARTS, "stance": "OPPOSE",
        "confidence": 0.6, "evidence": ["statement:singh-betrayal"],
    }  # fmt: skip
    async with httpx.AsyncClient() as http:
        response = await http.post(f"http://127.0.0.1:{port}/graphql", json={"query": UPSERT, "variables": {"input": position}},
                                   headers={"Authorization": f"Bearer {key}"})  # fmt: skip
        assert response.json()["data"]["upsertPosition"]["created"] is True
    for ws, sub_id in ((on_parts, "parts"), (everything, "all")):
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        assert message["type"] == "next" and message["id"] == sub_id
        change = message["payload"]["data"]["positionChanges"]
        assert change["kind"] == "CREATED" and change["id"] == "position:singh-opposes-parts"
        assert change["position"] == {
            "stance": "OPPOSE",
            "actor": {"name": "Jagmeet Singh"},
            "on": {"id": PARTS},
        }
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(on_vehicles.recv(), timeout=0.5)  # filtered out
    for ws in (on_parts, on_vehicles, everything):
        await ws.close()
    # the history tells the same story: the change the subscribers heard, and who made it
    history = '{ changes(id: "position:singh-opposes-parts") { nodes { kind nodeId label by } } }'
    async with httpx.AsyncClient() as http:
        kept = (await http.post(f"http://127.0.0.1:{port}/graphql", json={"query": history})).json()
    [entry] = kept["data"]["changes"]["nodes"]
    assert (entry["kind"], entry["nodeId"], entry["label"]) == (
        "CREATED",
        "position:singh-opposes-parts",
        "Position",
    )
    assert entry["by"].endswith("(live test)")


@pytest.mark.parametrize(
    "document",
    ["query { actors { totalCount } }", 'mutation { deleteNode(id: "person:x") { deleted } }'],
)
async def test_the_legacy_graphql_ws_protocol_refuses_what_is_not_a_subscription(
    served: tuple[int, str], document: str
) -> None:
    """graphql-ws (the protocol before graphql-transport-ws) runs subscriptions; a query or mutation sent
    over it is the client's mistake, coded and explained, and the connection carries on."""
    port, _ = served
    async with websockets.connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "start", "payload": {"query": document}}))
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        assert message["type"] == "error" and message["id"] == "1"
        assert message["payload"]["extensions"] == {"code": "BAD_USER_INPUT"}
        assert "subscriptions only" in message["payload"]["message"]
        await ws.send(json.dumps({"id": "2", "type": "start", "payload": {"query": SUBSCRIBE}}))
        with pytest.raises(asyncio.TimeoutError):  # a subscription: nothing until a change
            await asyncio.wait_for(ws.recv(), timeout=0.5)


async def handshake(port: int, origin: str | None) -> int:
    """The HTTP status of a WebSocket handshake from a page on `origin` (101 when it is accepted)."""
    try:
        ws = await websockets.connect(
            f"ws://127.0.0.1:{port}/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            origin=origin,  # type: ignore[arg-type]
        )
    except websockets.InvalidStatus as refused:
        return int(refused.response.status_code)
    await ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.close()
    return 101


def test_websockets_accept_the_origins_cors_allows(tmp_path: Path) -> None:
    """A page on an origin that GRAPHAPI_CORS_ORIGINS allows subscribes as it queries; a page on the
    service's own origin and a client that is not a browser (no Origin) too; any other page is refused."""
    env = {
        "GRAPHAPI_LOG_LEVEL": "WARNING",
        "GRAPHAPI_CORS_ORIGINS": "https://app.example,http://localhost:5173",
    }
    with serving(tmp_path, **env) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        statuses = {
            origin: asyncio.run(handshake(port, origin))
            for origin in ["https://app.example", "http://localhost:5173", url, None, "https://evil.example",
                           "http://app.example", "https://app.example.evil.example"]
        }  # fmt: skip
    assert statuses == {
        "https://app.example": 101, "http://localhost:5173": 101, url: 101, None: 101,
        "https://evil.example": 403, "http://app.example": 403, "https://app.example.evil.example": 403,
    }  # fmt: skip
    with serving(tmp_path, GRAPHAPI_LOG_LEVEL="WARNING", GRAPHAPI_CORS_ORIGINS="*") as (url, _):
        assert asyncio.run(handshake(int(url.rsplit(":", 1)[1]), "https://any.example")) == 101
