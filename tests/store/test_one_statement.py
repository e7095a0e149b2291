"""A small load on FalkorDB is one statement (graphapi/store/falkordb_unit.py), not a copy of the graph.

What it rests on, FalkorDB's own behaviour, is shown first: a statement that writes and then fails is
undone whole, and a server killed while a statement runs comes back without any of it. Then the load:
the same graph as the copy makes, nothing written when the database refuses it half way or when another
write landed since the load was worked out (WriteConflict), the append-only file holding what landed and
nothing else, and the server's memory not doubled by a small reload of a larger graph."""

from __future__ import annotations

import asyncio
import copy
import os
import re
import signal
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import redis
from test_load_streamed import graph
from test_loader import SEED, write_seed

from bench.synthetic import write_synthetic_seed
from graphapi.errors import StoreError, WriteConflict
from graphapi.graph.writes import CREATE_NODES
from graphapi.seed.loader import load, prepare
from graphapi.store import Cypher, Store, WriteStep, falkordb_unit, load_schema
from graphapi.store.falkor_server import EmbeddedServer
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import server_of_its_own

pytestmark = pytest.mark.slow  # starts database servers of its own

COUNT = Cypher(
    "test.count", "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
)
RATE = Cypher("test.rate", "MATCH (m:Measure {id: $id}) RETURN m.rate AS rate")
VEHICLE = "measure:us-vehicle-tariff-2025"
POISON = WriteStep(CREATE_NODES["person"], {"rows": [{"props": {"id": "person:poison", "bad": {"a": 1}}}]})


def falkordb_only(store: Store) -> FalkorDBStore:
    if not isinstance(store, FalkorDBStore):
        pytest.skip("Neo4j writes a load in one transaction")
    return store


def rate_set_to(value: int) -> dict[str, Any]:
    edited = copy.deepcopy(SEED)
    next(m for m in edited["measures"] if m["id"] == VEHICLE)["rate"] = value
    return edited


def copies_made(store: FalkorDBStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The graph copies the store asks the server for, from now on."""
    made: list[str] = []
    slow = store._slow_command

    async def counting(*args: str) -> Any:
        made.extend(args[:1])
        return await slow(*args)

    monkeypatch.setattr(store, "_slow_command", counting)
    return made


# --- FalkorDB's own behaviour ---------------------------------------------------------------------------


async def test_a_statement_that_writes_then_fails_is_undone_whole(scratch_store: Store) -> None:
    store = falkordb_only(scratch_store)
    await load(store)
    before = await store.read(COUNT)
    failing = [
        # created 5,000 nodes, then divides by zero
        "UNWIND range(1, 5000) AS i CREATE (:Probe {i: i}) WITH count(*) AS made RETURN made / (made - made)",
        # changed every node and deleted every relationship, then a map is no property value
        "MATCH (n:Node) SET n.touched = true WITH count(*) AS c MATCH ()-[r]->() DELETE r "
        "WITH count(*) AS d CREATE (:Probe {bad: {a: 1}})",
        # deleted every node with its relationships, then the same
        "MATCH (n:Node) DETACH DELETE n WITH count(*) AS c CREATE (:Probe {bad: {a: c}})",
    ]
    for text in failing:
        with pytest.raises(StoreError):
            await store.write(Cypher("test.fails_late", text))
        assert await store.read(COUNT) == before
    touched = await store.read(Cypher("test.touched", "MATCH (n:Node) WHERE n.touched RETURN count(n) AS n"))
    assert touched == [{"n": 0}]


def test_a_server_killed_during_a_statement_comes_back_without_it(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "db")
    client = server.start().client(60)
    try:
        client.execute_command("GRAPH.QUERY", "g", "UNWIND range(1, 10) AS i CREATE (:Kept {i: i})")
        cut: list[BaseException] = []

        def long_write() -> None:
            writer = EmbeddedServer(tmp_path / "db").start().client(60)
            try:
                writer.execute_command(
                    "GRAPH.QUERY", "g", "UNWIND range(1, 20000000) AS i CREATE (:Gone {i: i})"
                )
            except redis.ConnectionError as exc:
                cut.append(exc)
            finally:
                writer.close()

        thread = threading.Thread(target=long_write)
        thread.start()
        threading.Event().wait(1.0)  # the statement runs for several seconds
        kill_hard(server)
        thread.join(30)
        assert cut, "the statement finished before the server was killed: make it longer"
        client.close()
        server = EmbeddedServer(tmp_path / "db")
        client = server.start().client(60)
        counts = client.execute_command("GRAPH.RO_QUERY", "g", "MATCH (n) RETURN labels(n)[0], count(n)")[1]
        assert [[label.decode(), n] for label, n in counts] == [["Kept", 10]]
    finally:
        client.close()
        server.start()  # whatever state the test left the server in, stop it
        assert server.stop()


# --- a small load as one statement -----------------------------------------------------------------------


async def test_a_small_reload_is_one_statement_and_writes_what_the_copy_writes(
    scratch_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nodes and relationships created, changed and deleted, claims and history: alike both ways."""
    store = falkordb_only(scratch_store)
    other = FalkorDBStore(store.address, f"{store.graph_name}_copy")
    await other.apply_schema(load_schema())
    try:
        edited = rate_set_to(30)
        singh = next(s for s in edited["statements"] if s["id"] == "statement:singh-betrayal")
        singh["about"] = singh["about"][:1]
        edited["positions"] = edited["positions"][1:]
        edited["persons"].append({"id": "person:new-one", "name": "New One"})
        for target in (store, other):
            await load(target, [write_seed(tmp_path / "first", SEED)])
        made = copies_made(store, monkeypatch)
        one = await load(store, [write_seed(tmp_path / "edited", edited)])
        assert made == [] and one.changed
        monkeypatch.setattr(falkordb_unit, "ONE_STATEMENT_ROWS", 0)  # the copy, for the other
        copied = await load(other, [write_seed(tmp_path / "edited", edited)])
        assert one == copied
        assert await graph(store) == await graph(other)
        assert await store.read(RATE, {"id": VEHICLE}) == [{"rate": 30}]
    finally:
        await other._drop_quietly(other.graph_name)
        await other.close()


async def test_a_small_load_refused_half_way_writes_nothing(scratch_store: Store, tmp_path: Path) -> None:
    store = falkordb_only(scratch_store)
    await load(store, [write_seed(tmp_path, SEED)])
    before = await graph(store)
    prepared = await prepare(store, [write_seed(tmp_path, rate_set_to(30))])
    assert falkordb_unit.one_statement([*prepared.steps, POISON]) is not None
    async with store.watching() as since:
        with pytest.raises(StoreError):
            await store.write_all([*prepared.steps, POISON], since=since)
    with pytest.raises(StoreError):
        await store.write_all([*prepared.steps, POISON])
    assert await graph(store) == before


async def test_a_write_since_the_load_was_worked_out_is_a_conflict(
    scratch_store: Store, tmp_path: Path
) -> None:
    store = falkordb_only(scratch_store)
    await load(store, [write_seed(tmp_path, SEED)])
    edited = write_seed(tmp_path, rate_set_to(30))
    async with store.watching() as since:
        prepared = await prepare(store, [edited])
        await store.write(
            Cypher("test.meanwhile", "CREATE (:Node:Person {id: 'person:meanwhile', name: 'M'})")
        )
        with pytest.raises(WriteConflict):
            await store.write_all(prepared.steps, since=since)
    assert await store.read(RATE, {"id": VEHICLE}) == [{"rate": 25}]
    async with store.watching() as since:  # nothing meanwhile: it lands
        prepared = await prepare(store, [edited])
        await store.write_all(prepared.steps, since=since)
    assert await store.read(RATE, {"id": VEHICLE}) == [{"rate": 30}]


async def test_a_reload_during_api_writes_loses_none_of_them(scratch_store: Store, tmp_path: Path) -> None:
    """The loader works a conflicting reload out again (holding writes back), as it does with a copy."""
    store = falkordb_only(scratch_store)
    await load(store, [write_seed(tmp_path, SEED)])
    written: list[str] = []

    async def writes() -> None:
        for i in range(40):
            node = f"person:during-{i}"
            await store.write(
                Cypher("test.during", "CREATE (:Node:Person {id: $id, name: 'D'})"), {"id": node}
            )
            written.append(node)
            await asyncio.sleep(0.005)

    writer = asyncio.create_task(writes())
    for rate in (30, 31, 32, 33):
        await load(store, [write_seed(tmp_path, rate_set_to(rate))])
    await writer
    assert await store.read(RATE, {"id": VEHICLE}) == [{"rate": 33}]
    found = await store.read(
        Cypher("test.found", "MATCH (n:Person) WHERE n.id IN $ids RETURN count(n) AS n"), {"ids": written}
    )
    assert found == [{"n": 40}]


# --- on a server of its own: its file and its memory -----------------------------------------------------


@pytest.fixture
async def own_store(tmp_path: Path) -> AsyncIterator[tuple[EmbeddedServer, FalkorDBStore]]:
    async with server_of_its_own(tmp_path / "db", "own") as own:
        yield own


def server_pid(server: EmbeddedServer) -> int:
    pid = server.pid
    assert pid is not None
    return pid


def kill_hard(server: EmbeddedServer) -> None:
    os.kill(server_pid(server), signal.SIGKILL)
    if server.process is not None:
        server.process.wait()


def peak_rss_mb(pid: int) -> float:
    found = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    assert found
    return int(found.group(1)) / 1024


def rss_mb(pid: int) -> float:
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    assert found
    return int(found.group(1)) / 1024


def reset_peak(pid: int) -> None:
    """The server's peak RSS (VmHWM) starts again from its present RSS."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def flip_a_stance(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    flipped = re.sub(r"stance: SUPPORT", "stance: OPPOSE", text, count=1)
    assert flipped != text
    path.write_text(flipped, encoding="utf-8")


async def test_a_small_reload_does_not_double_the_servers_memory(
    own_store: tuple[EmbeddedServer, FalkorDBStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A graph of 1,500 statements and 150,000 other nodes (about 90 MB); one stance changed in the
    file: the server's peak memory during the reload grows by a few MB (the reload's reads: about 9 MB
    here), less than a fifth of what the copy adds; with the copy, it grows by most of the graph again
    (the check's own check)."""
    server, store = own_store
    pid = server_pid(server)
    corpus = write_synthetic_seed(tmp_path / "corpus", statements=1500)
    await load(store, [corpus])
    await store.write(
        Cypher(
            "test.ballast",
            "UNWIND range(1, 150000) AS i CREATE (:Ballast {i: i, text: 'x' + toString(i * 7919)})",
        )
    )
    file = sorted((tmp_path / "corpus").glob("*.yaml"))[-1]
    peaks = []
    for rows in (falkordb_unit.ONE_STATEMENT_ROWS, 0):
        monkeypatch.setattr(falkordb_unit, "ONE_STATEMENT_ROWS", rows)
        flip_a_stance(file)
        reset_peak(pid)
        held = rss_mb(pid)
        report = await load(store, [corpus])
        assert report.nodes_updated == {"Position": 1}
        peaks.append((held, peak_rss_mb(pid)))
    (held, peak), (copy_held, copy_peak) = peaks
    print("server RSS held and peak, MB: one statement", peaks[0], "copy", peaks[1])
    assert copy_peak > copy_held * 1.4, peaks
    assert peak - held < (copy_peak - copy_held) / 5, peaks


async def test_the_append_only_file_holds_the_statement_and_not_the_refused_one(
    own_store: tuple[EmbeddedServer, FalkorDBStore], tmp_path: Path
) -> None:
    server, store = own_store
    await load(store, [write_seed(tmp_path, SEED)])
    await load(store, [write_seed(tmp_path, rate_set_to(30))])  # one statement, in MULTI/EXEC
    prepared = await prepare(store, [write_seed(tmp_path, rate_set_to(40))])
    async with store.watching() as since:
        with pytest.raises(StoreError):
            await store.write_all([*prepared.steps, POISON], since=since)
    before = await graph(store)
    kill_hard(server)  # the server comes back from its file alone
    EmbeddedServer(tmp_path / "db").start()
    await store.reconnect(store.address)
    assert await store.read(RATE, {"id": VEHICLE}) == [{"rate": 30}]
    assert await graph(store) == before
