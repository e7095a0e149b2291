"""The embedded FalkorDB server: started as a child process, shared by a second app process, recovered
after a crash, stopped by the last one out; a dead server gives UNAVAILABLE fast."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
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
        assert not first.stop() and _alive(pid)  # the second still uses it
    finally:
        second.detach()
        first.start()
        assert first.stop()
    assert pid is not None and not _alive(pid)


# A process attached to the data directory's server, holding no connection to it.
ATTACHED = (
    "import sys, time; from pathlib import Path; from graphapi.store.falkor_server import EmbeddedServer; "
    "server = EmbeddedServer(Path(sys.argv[1])); server.start(); print('attached', flush=True); time.sleep(600)"
)


def test_the_last_user_out_stops_the_server_though_the_others_hold_no_connection(tmp_path: Path) -> None:
    """Another process attached keeps the server running while it has no connection open (between two,
    or before its first); once it is gone, even killed without a word, the last one out stops it."""
    server = EmbeddedServer(tmp_path)
    server.start()
    pid = server.pid
    other = subprocess.Popen(
        [sys.executable, "-c", ATTACHED, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "attached"
        client = server.address.client(timeout=5) if server.address else None
        assert client is not None and not [
            c for c in client.client_list() if c["id"] != str(client.client_id())
        ]
        client.close()
        assert not server.stop()  # another user: left running
        assert pid is not None and _alive(pid)
        server.start()  # a user again
    finally:
        other.kill()  # no clean exit: its lock goes with the process
        other.wait()
    assert server.stop()
    assert not _alive(pid) and not (tmp_path / "falkordb.sock").exists()


def test_a_stop_stops_the_server_of_its_own_socket_whatever_its_pid_file_says(tmp_path: Path) -> None:
    """A pid file naming another live server (a stale file whose number was reused) does not make a stop
    signal that server: the pid is the one the server on the socket gives."""
    mine, other = EmbeddedServer(tmp_path / "mine"), EmbeddedServer(tmp_path / "other")
    mine.start()
    other.start()
    try:
        assert mine.pid is not None and other.pid is not None
        kept = other.pid
        mine.pid_file.write_text(str(kept))
        assert mine.stop() and not (tmp_path / "mine" / "falkordb.sock").exists()
        assert _alive(kept) and other.start().client(5).ping()
    finally:
        assert other.stop()


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
        assert server.stop()


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
    server.detach()  # (as its process would have, by dying)
    restarted = EmbeddedServer(tmp_path)
    address = restarted.start()
    try:
        client = redis.Redis(unix_socket_path=str(address.unix_socket), decode_responses=True)
        rows = client.execute_command("GRAPH.QUERY", "g", "MATCH (n:Node) RETURN n.id")
        client.close()
        assert rows[1] == [["person:kept"]]
    finally:
        assert restarted.stop()


async def test_a_dead_database_answers_unavailable_within_seconds(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path)
    store = FalkorDBStore(server.start(), "g", query_timeout_s=2, connect_timeout_s=1)
    try:
        await store.read(COUNT_NODES)
        assert server.stop()
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
