"""A load that copies the live graph (GRAPH.COPY) while the API writes to it: FalkorDB 4.16 deadlocks when
a write commits to a graph as GRAPH.COPY reads it, and refuses a statement that opens the graph's key as a
swap replaces it. The copy's fence (graphapi/store/falkordb_gates.py) and the retry of a statement
swapped under (FalkorDBStore._run) leave every write acknowledged and the server answering."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphapi.errors import WriteConflict
from graphapi.store import Cypher, WriteStep
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import server_of_its_own

pytestmark = pytest.mark.slow  # a database server of the test's own

ROWS = Cypher("test.rows", "UNWIND $rows AS r CREATE (:Node:Thing {id: r.id, searchText: r.text})")
WRITE = Cypher("test.write", "MERGE (n:Node {id: $id}) SET n.searchText = $text, n.n = coalesce(n.n, 0) + 1")
LOADS = 30
COUNT = Cypher("test.count", "MATCH (n:Node) RETURN count(n) AS nodes, sum(coalesce(n.n, 0)) AS writes")


def load_steps(load: int) -> Iterator[WriteStep]:
    """A load of 25 statements, worked out as it is sent: too many for one statement, so it is written into
    a copy of the graph swapped in after."""
    for step in range(25):
        yield WriteStep(
            ROWS, {"rows": [{"id": f"load:{load}:{step}:{row}", "text": "x"} for row in range(4)]}
        )


async def swap_in(store: FalkorDBStore, load: int) -> None:
    """As a seed load does: swapped in only if nothing wrote to the graph meanwhile, else again, with the
    writes held at the gate."""
    for attempt in range(20):
        async with store.watching(priority=attempt > 0) as since:
            try:
                await store.write_all(load_steps(load), since=since)
                return
            except WriteConflict:
                continue
    pytest.fail(f"load {load} never got its copy swapped in")


async def test_loads_copying_the_graph_while_writes_commit_leave_every_write_and_the_server(
    tmp_path: Path,
) -> None:
    async with server_of_its_own(tmp_path / "db", "fence", query_timeout_s=10) as (server, store):
        await store.write(ROWS, {"rows": [{"id": f"thing:{i}", "text": f"words {i}"} for i in range(2000)]})
        stop = asyncio.Event()

        async def writer(name: int) -> tuple[int, list[str]]:
            done, refused = 0, []
            while not stop.is_set():
                try:
                    await store.write(WRITE, {"id": f"thing:{done % 50}", "text": f"{name} {done}"})
                    done += 1
                except Exception as exc:  # every refusal is a failure here
                    refused.append(f"{type(exc).__name__}: {exc}")
                    await asyncio.sleep(0.01)
            return done, refused

        writers = [asyncio.create_task(writer(name)) for name in range(3)]
        # a deadlocked server answers nothing, not even SIGTERM: killed, so the test fails instead of hanging
        assert server.pid is not None
        killed = threading.Event()
        pid = server.pid

        def kill() -> None:
            killed.set()
            os.kill(pid, signal.SIGKILL)

        watchdog = threading.Timer(120, kill)
        watchdog.start()
        try:
            for load in range(LOADS):
                await swap_in(store, load)
        finally:
            watchdog.cancel()
            stop.set()
            results = await asyncio.gather(*writers)
        assert not killed.is_set(), "the database stopped answering (deadlocked)"
        assert [refused for _, refused in results] == [[], [], []]
        written = sum(done for done, _ in results)
        assert written > 0
        [row] = await store.read(COUNT)
        assert row == {"nodes": 2000 + LOADS * 25 * 4, "writes": written}
