"""A database that dies under the service: clear UNAVAILABLE errors within seconds, readiness that says
so, recovery without a restart when it is back, no acknowledged write lost, no half-done load."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from graphapi.app import create_app
from graphapi.errors import Unavailable
from graphapi.graph.reads import COUNT_NODES
from graphapi.seed.loader import load
from graphapi.store import Cypher, load_schema
from graphapi.store.falkor_server import EmbeddedServer, process_alive
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import SEED_NODES, gql, server_of_its_own

pytestmark = pytest.mark.slow  # starts database or server processes of its own

QUERY = '{ positions(on: "measure:us-vehicle-tariff-2025") { totalCount nodes { actor { name } } } }'


def kill_hard(server: EmbeddedServer) -> None:
    """SIGKILL: no clean shutdown, pid and socket files left behind, as in a crash."""
    pid = server.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    if server.process is not None:
        server.process.wait()
    deadline = time.monotonic() + 5
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.fixture
async def own_store(tmp_path: Path) -> AsyncIterator[tuple[EmbeddedServer, FalkorDBStore]]:
    """A store on a server of its own, so killing it harms no other test."""
    async with server_of_its_own(tmp_path / "db", "faults", query_timeout_s=2, connect_timeout_s=1) as own:
        yield own


async def test_killed_database_unavailable_then_recovered_without_restart(
    own_store: tuple[EmbeddedServer, FalkorDBStore],
) -> None:
    server, store = own_store
    await load(store)
    app = create_app(store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await gql(client, QUERY)).data["positions"]["totalCount"] == 6
        assert (await client.get("/ready")).status_code == 200

        kill_hard(server)
        started = time.monotonic()
        result = await gql(client, QUERY)
        assert time.monotonic() - started < 3
        assert result.codes == ["UNAVAILABLE"] and "not reachable" in result.errors[0]["message"]
        assert "Traceback" not in str(result.body)
        # nothing of the machine: no socket or data path, no driver text
        body = json.dumps(result.body)
        assert str(server.data_dir) not in body and ".sock" not in body and "Error" not in body
        ready = await client.get("/ready")
        assert str(server.data_dir) not in ready.text and ".sock" not in ready.text
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        assert (await client.get("/health")).status_code == 200  # alive, just not ready

        EmbeddedServer(server.data_dir).start()  # the database comes back: same socket, same files
        result = await gql(client, QUERY)
        assert not result.errors and result.data["positions"]["totalCount"] == 6
        assert (await client.get("/ready")).status_code == 200


async def test_acknowledged_writes_survive_a_crash(own_store: tuple[EmbeddedServer, FalkorDBStore]) -> None:
    server, store = own_store
    report = await load(store)  # acknowledged once it returns
    assert report.changed
    await store.write(Cypher("test.write", "CREATE (:Node:Person {id: 'person:written-last', name: 'Last'})"))
    kill_hard(server)
    EmbeddedServer(server.data_dir).start()
    assert (await store.read(COUNT_NODES))[0]["nodes"] == SEED_NODES + 1
    rows = await store.read(
        Cypher("test.read", "MATCH (n:Person {id: 'person:written-last'}) RETURN n.name AS name")
    )
    assert rows == [{"name": "Last"}]
    assert (await store.missing_schema(load_schema())) == []


async def test_a_load_cut_short_by_a_crash_leaves_nothing_half_loaded(
    own_store: tuple[EmbeddedServer, FalkorDBStore],
) -> None:
    server, store = own_store
    steps = 0

    def crash_after_a_few_steps() -> None:
        nonlocal steps
        steps += 1
        if steps == 3:
            kill_hard(server)

    with pytest.raises(Unavailable):
        await load(store, on_step=crash_after_a_few_steps)
    EmbeddedServer(server.data_dir).start()
    assert (await store.read(COUNT_NODES))[0]["nodes"] == 0  # the live graph never saw the batches
    report = await load(store)  # and the same load then goes through whole
    assert sum(report.nodes_created.values()) == SEED_NODES


async def test_staging_graphs_of_dead_loads_are_dropped(
    own_store: tuple[EmbeddedServer, FalkorDBStore],
) -> None:
    _, store = own_store
    dead = f"{store.graph_name}__load_999999999_abc"
    alive = f"{store.graph_name}__load_{os.getpid()}_def"
    for name in (dead, alive):
        await store._command("GRAPH.QUERY", name, "CREATE (:Node {id: 'person:x'})")
    assert await store.drop_abandoned_loads() == [dead]
    graphs = await store._command("GRAPH.LIST")
    assert dead not in graphs and alive in graphs
