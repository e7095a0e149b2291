"""The lock on the embedded server's forks: copies of graphs (GRAPH.COPY) and rewrites of the append-only
file (BGREWRITEAOF)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from graphapi.errors import StoreError, Unavailable

FORK_LOCK = "graphapi:fork"  # one per server: its forks, whatever the graph
FORK_LOCK_MS = 60_000
FORK_WAIT_S = 600.0
_CHILDREN = ("aof_rewrite_in_progress", "rdb_bgsave_in_progress", "module_fork_in_progress")

Command = Callable[..., Awaitable[Any]]


@contextlib.asynccontextmanager
async def forking(command: Command) -> AsyncIterator[None]:
    """Held while this process runs a command that forks the server (GRAPH.COPY, an append-only file
    rewrite) and until the child has finished. Redis runs one child at a time, and FalkorDB 4.x hangs
    when GRAPH.COPY cannot fork ("Can't fork for module"): every fork goes through this lock, across
    processes (a Redis key, which expires if its holder dies). `command` sends one command to the
    server (FalkorDBStore._command)."""
    token = uuid.uuid4().hex
    deadline = asyncio.get_running_loop().time() + FORK_WAIT_S
    while not await command("SET", FORK_LOCK, token, "NX", "PX", str(FORK_LOCK_MS)):
        if asyncio.get_running_loop().time() > deadline:
            raise Unavailable("the database is busy compacting its files; try again")
        await asyncio.sleep(0.05)
    try:
        await _wait_for_children(command)
        yield
        await _wait_for_children(command)
    finally:
        with contextlib.suppress(Unavailable, StoreError):
            if await command("GET", FORK_LOCK) == token:
                await command("DEL", FORK_LOCK)


async def _wait_for_children(command: Command) -> None:
    """Until the server runs no child (a rewrite, a module's fork), keeping the fork lock alive."""
    while True:
        info = await command("INFO", "persistence")
        if not any(int(info.get(busy, 0)) for busy in _CHILDREN):
            return
        await command("PEXPIRE", FORK_LOCK, str(FORK_LOCK_MS))
        await asyncio.sleep(0.05)
