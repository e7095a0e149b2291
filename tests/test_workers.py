"""`graphapi serve --workers 2` is one service: a change made through either worker reaches every
subscriber once, every worker logs its operations as JSON lines, /metrics counts every worker, and
keep-alive connections are not held back by Nagle's algorithm. Real processes, real TCP."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from graphapi.cli import _metrics_dir
from graphapi.config import Settings
from graphapi.store.falkor_server import EmbeddedServer, ServerAddress
from graphapi.workers import listening_socket
from helpers import serving

pytestmark = pytest.mark.slow  # starts database and server processes of its own

PARTS = "measure:us-auto-parts-tariff-2025"
UPSERT = "mutation($input: PositionInput!) { upsertPosition(input: $input) { created } }"
DELETE = "mutation($id: ID!) { deleteNode(id: $id) { deletedId } }"
SUBSCRIBE = "subscription { positionChanges { kind id } }"


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    data_dir: Path
    tmp_dir: Path
    key: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def log(self) -> list[dict[str, Any]]:
        """serve's output: JSON lines only (json.loads fails the test on any other line)."""
        text = (self.data_dir / "serve.log").read_text()
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def operations(self, request_ids: set[str]) -> list[dict[str, Any]]:
        """The operation log lines of these requests, once all of them have been written."""
        deadline = time.monotonic() + 20
        while True:
            lines = [
                e
                for e in self.log()
                if e["message"] == "graphql operation" and e["request_id"] in request_ids
            ]
            if len(lines) >= len(request_ids) or time.monotonic() > deadline:
                return lines
            time.sleep(0.1)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data_dir = tmp_path_factory.mktemp("workers")
    tmp_dir = data_dir / "tmp"  # where `serve` makes its private metrics directory
    tmp_dir.mkdir()
    with serving(data_dir, "--workers", "2", TMPDIR=str(tmp_dir)) as (url, process):
        env = {**os.environ, "GRAPHAPI_DATA_DIR": str(data_dir)}
        create = [sys.executable, "-m", "graphapi", "keys", "create", "--name", "workers test"]
        key = subprocess.run(create, env=env, capture_output=True, text=True, check=True).stdout.strip()
        yield Served(url, process, data_dir, tmp_dir, key)


async def post(served: Served, query: str, request_id: str, **variables: Any) -> dict[str, Any]:
    """One request on a connection of its own, so that requests spread over the workers."""
    headers = {"X-Request-ID": request_id, "Authorization": f"Bearer {served.key}"}
    async with httpx.AsyncClient(base_url=served.url, timeout=30) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    return body


async def through_both_workers(served: Served, query: str, prefix: str) -> set[str]:
    """Batches of requests side by side until both workers have answered some (the kernel hands a new
    connection to whichever worker takes it first, often the same one); their request ids."""
    request_ids: set[str] = set()
    for _ in range(10):
        batch = {f"{prefix}-{uuid.uuid4().hex}" for _ in range(20)}
        await asyncio.gather(*(post(served, query, rid) for rid in batch))
        request_ids |= batch
        if len({line["pid"] for line in served.operations(request_ids)}) == 2:
            return request_ids
    raise AssertionError("200 requests all went to one worker")


async def subscribe(port: int) -> Any:
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "changes", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    return ws


async def received(ws: Any, count: int) -> list[tuple[str, str]]:
    changes = []
    for _ in range(count):
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=20))
        assert message["type"] == "next", message
        change = message["payload"]["data"]["positionChanges"]
        changes.append((change["kind"], change["id"]))
    with pytest.raises(asyncio.TimeoutError):  # and nothing more: no change twice
        await asyncio.wait_for(ws.recv(), timeout=1)
    return changes


async def test_every_change_reaches_every_subscriber_once_whichever_worker_made_it(
    two_workers: Served,
) -> None:
    served = two_workers
    clients = [await subscribe(served.port), await subscribe(served.port)]  # two connections
    await asyncio.sleep(0.5)  # the subscriptions are registered before the first write
    made: list[tuple[str, str]] = []
    request_ids: set[str] = set()
    for round_ in range(5):  # until the writes have gone through both workers
        ids = [f"position:workers-{round_}-{i}" for i in range(15)]

        def position(node_id: str, confidence: float) -> dict[str, Any]:
            return {"id": node_id, "actor": "person:jagmeet-singh", "on": PARTS, "stance": "OPPOSE",
                    "confidence": confidence, "evidence": ["statement:singh-betrayal"]}  # fmt: skip

        steps = (
            ("CREATED", lambda i, rid: post(served, UPSERT, rid, input=position(i, 0.5))),
            ("UPDATED", lambda i, rid: post(served, UPSERT, rid, input=position(i, 0.9))),
            ("DELETED", lambda i, rid: post(served, DELETE, rid, id=i)),
        )
        for kind, step in steps:  # each node created, changed, deleted; nodes side by side
            rids = [f"write-{uuid.uuid4().hex}" for _ in ids]
            await asyncio.gather(*(step(i, rid) for i, rid in zip(ids, rids, strict=True)))
            request_ids.update(rids)
            made += [(kind, i) for i in ids]
        writers = {line["pid"] for line in served.operations(request_ids)}
        if len(writers) == 2:
            break
    assert len(writers) == 2, "the writes all went through one worker"

    # one subscription per worker, on the graph's channel
    embedded = EmbeddedServer(served.data_dir / "falkordb")
    address = ServerAddress(unix_socket=embedded.socket_path)
    database = address.client(timeout=5)
    assert database.pubsub_numsub("graphapi:changes:graphapi") == [(b"graphapi:changes:graphapi", 2)]
    database.close()

    for ws in clients:
        changes = await received(ws, len(made))
        assert Counter(changes) == Counter(made)  # every change, each once
        for node_id in {i for _, i in made}:  # in order per node
            assert [k for k, i in changes if i == node_id] == ["CREATED", "UPDATED", "DELETED"]
        await ws.close()
    print(f"{len(made)} changes made through 2 workers; each of 2 subscribers received {len(made)}")


async def test_every_worker_logs_each_operation_as_a_json_line(two_workers: Served) -> None:
    served = two_workers
    request_ids = await through_both_workers(served, "{ sources { totalCount } }", "log")
    lines = served.operations(request_ids)  # every line of the output is JSON
    assert sorted(line["request_id"] for line in lines) == sorted(request_ids)  # one line each
    assert {line["operation"] for line in lines} == {"query:sources"}
    # the page and its total: one compiled statement
    assert all(line["db_round_trips"] == 1 and line["level"] == "INFO" for line in lines)
    pids = {line["pid"] for line in lines}
    assert len(pids) == 2 and served.process.pid not in pids  # both workers, not the parent


async def test_metrics_count_every_worker_whichever_answers(two_workers: Served) -> None:
    served = two_workers
    request_ids = await through_both_workers(served, "{ measures(first: 1) { totalCount } }", "metrics")
    totals = set()
    for _ in range(8):  # fresh connections: either worker may answer
        async with httpx.AsyncClient(base_url=served.url) as client:
            text = (await client.get("/metrics")).text
        line = next(
            x
            for x in text.splitlines()
            if x.startswith('graphapi_operations_total{operation="query:measures"}')
        )
        totals.add(float(line.rsplit(" ", 1)[1]))
    assert totals == {float(len(request_ids))}

    [metrics_dir] = list(served.tmp_dir.glob("graphapi-metrics-*"))  # private to this user
    assert metrics_dir.stat().st_mode & 0o777 == 0o700


def test_keep_alive_requests_are_not_held_back(two_workers: Served) -> None:
    """Each request after the first on a connection took ~43 ms more with Nagle's algorithm on."""
    with httpx.Client(base_url=two_workers.url) as client:
        client.get("/health")
        times = []
        for _ in range(20):
            started = time.perf_counter()
            assert client.get("/health").status_code == 200
            times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.030


def test_the_workers_sockets_turn_nagle_off_and_share_the_port() -> None:
    with listening_socket("127.0.0.1", 0) as first:
        port = first.getsockname()[1]
        first.listen()
        assert first.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY on connections accepted on it
        assert first.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        with listening_socket("127.0.0.1", port) as second:  # each worker its own, on the same port
            assert second.getsockname()[1] == port
        with pytest.raises(OSError):  # but nothing else: a taken port is refused, not shared
            listening_socket("127.0.0.1", port, shared=False)


def test_serve_refuses_a_port_already_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "GRAPHAPI_DATA_DIR": str(tmp_path)}
        command = [
            sys.executable,
            "-m",
            "graphapi",
            "serve",
            "--no-seed",
            "--port",
            str(port),
            "--workers",
            "2",
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_the_metrics_directory_is_private_and_fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given = tmp_path / "metrics"
    given.mkdir()
    (given / "counter_12345.db").write_bytes(b"counts of an earlier run")
    (given / "keep.txt").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(given))
    with _metrics_dir(2):
        assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(given)
        assert sorted(p.name for p in given.iterdir()) == ["keep.txt"]

    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    with _metrics_dir(1):
        assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ  # one process: metrics in memory
    with _metrics_dir(2):
        made = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
        assert made.is_dir() and made.stat().st_mode & 0o777 == 0o700
    assert not made.exists() and "PROMETHEUS_MULTIPROC_DIR" not in os.environ


async def test_a_worker_that_dies_is_replaced(two_workers: Served) -> None:
    served = two_workers
    started = [e["worker_pid"] for e in served.log() if e["message"] == "started worker process"]
    victim = started[-1]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while len([e for e in served.log() if e["message"] == "started worker process"]) == len(started):
        assert time.monotonic() < deadline, "no worker was started in place of the dead one"
        await asyncio.sleep(0.2)
    request_ids = await through_both_workers(served, "{ sources { totalCount } }", "after-death")
    pids = {line["pid"] for line in served.operations(request_ids)}
    assert victim not in pids and len(pids) == 2


def test_stopping_the_workers_removes_their_metrics_directory_and_stops_the_database(
    two_workers: Served,
) -> None:
    """Last in this module: it stops the service."""
    served = two_workers
    assert list(served.tmp_dir.glob("graphapi-metrics-*"))
    database = int((served.data_dir / "falkordb" / "falkordb.pid").read_text())
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(30) == 0
    assert list(served.tmp_dir.iterdir()) == []
    deadline = time.monotonic() + 10  # and the last one out stopped the database
    while Path(f"/proc/{database}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{database}").exists(), "the embedded database outlived the workers"


def test_logging_and_the_bus_are_configured_from_the_environment() -> None:
    env = {
        "GRAPHAPI_LOG_FORMAT": "text",
        "GRAPHAPI_LOG_LEVEL": "WARNING",
        "GRAPHAPI_BUS_URL": "redis://h:1/0",
    }
    settings = Settings.from_env(env)
    assert (settings.log_format, settings.log_level, settings.bus_url) == ("text", "WARNING", "redis://h:1/0")
    defaults = Settings.from_env({})
    assert (defaults.log_format, defaults.log_level, defaults.bus_url) == ("json", "INFO", None)
