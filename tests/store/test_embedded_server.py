"""The embedded FalkorDB server: started as a child process, shared by a second app process, recovered
after a crash, stopped by the last one out; a dead server gives UNAVAILABLE fast."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from graphapi.app import create_app
from graphapi.errors import Unavailable
from graphapi.graph.reads import COUNT_NODES
from graphapi.store.falkor_server import EmbeddedServer
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import gql

pytestmark = pytest.mark.slow  # starts database or server processes of its own


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_a_second_app_attaches_instead_of_starting_a_rival(tmp_path: Path) -> None:
    first, second = EmbeddedServer(tmp_path), EmbeddedServer(tmp_path)
    address = first.start()
    try:
        pid = first.pid
        assert address.unix_socket == tmp_path / "falkordb.sock"
        assert second.start() == address
        assert second.process is None and second.pid == pid  # attached: no process of its own
        assert (tmp_path / "appendonlydir").is_dir()  # append-only persistence is on
    finally:
        assert first.stop("nobody")
    assert pid is not None and not _alive(pid)


def test_the_last_client_out_stops_the_server(tmp_path: Path) -> None:
    import redis

    server = EmbeddedServer(tmp_path)
    address = server.start()
    other = redis.Redis(unix_socket_path=str(address.unix_socket), client_name="graphapi-other-process")
    other.ping()
    try:
        assert not server.stop("graphapi-mine")  # another app still uses it
        assert server.pid is not None and _alive(server.pid)
    finally:
        other.close()
    assert server.stop("graphapi-mine")
    assert not (tmp_path / "falkordb.sock").exists()


def test_a_stale_pid_and_socket_from_a_crash_are_recovered(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / "falkordb.pid").write_text(str(dead.pid))
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(tmp_path / "falkordb.sock"))  # a socket file nobody listens on
    stale.close()
    server = EmbeddedServer(tmp_path)
    server.start()
    try:
        assert server.pid != dead.pid and server.pid is not None and _alive(server.pid)
    finally:
        server.stop("nobody")


def test_a_crashed_server_is_replaced_and_keeps_its_data(tmp_path: Path) -> None:
    import redis

    server = EmbeddedServer(tmp_path)
    address = server.start()
    client = redis.Redis(unix_socket_path=str(address.unix_socket))
    client.execute_command("GRAPH.QUERY", "g", "CREATE (:Node {id: 'person:kept'})")
    client.close()
    assert server.pid is not None
    os.kill(server.pid, signal.SIGKILL)  # no clean shutdown: pid and socket files stay behind
    server.process.wait() if server.process else None
    restarted = EmbeddedServer(tmp_path)
    address = restarted.start()
    try:
        client = redis.Redis(unix_socket_path=str(address.unix_socket), decode_responses=True)
        rows = client.execute_command("GRAPH.QUERY", "g", "MATCH (n:Node) RETURN n.id")
        client.close()
        assert rows[1] == [["person:kept"]]
    finally:
        restarted.stop("nobody")


async def test_a_dead_database_answers_unavailable_within_seconds(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path)
    store = FalkorDBStore(server.start(), "g", query_timeout_s=2, connect_timeout_s=1)
    try:
        await store.read(COUNT_NODES)
        assert server.stop(store.client_name)
        started = time.monotonic()
        with pytest.raises(Unavailable, match="not reachable"):
            await store.read(COUNT_NODES)
        assert time.monotonic() - started < 3
        app = create_app(store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            result = await gql(client, '{ node(id: "person:mark-carney") { id } }')
            assert result.codes == ["UNAVAILABLE"] and "Traceback" not in str(result.body)
            assert "not reachable" in result.errors[0]["message"]
            ready = await client.get("/ready")
            assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
            assert (await client.get("/health")).status_code == 200
    finally:
        await store.close()
