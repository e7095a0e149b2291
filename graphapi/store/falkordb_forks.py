"""The lock on the embedded server's forks: copies of graphs (GRAPH.COPY) and rewrites of the append-only
file (BGREWRITEAOF, `compact_file`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from graphapi.errors import StoreError, Unavailable
from graphapi.store.disk import Disk

log = logging.getLogger("graphapi.store.falkordb_store")  # (the store's log, as before)

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


async def compact_file(command: Command, disk: Disk | None, min_bytes: int) -> bool:
    """Rewrite the append-only file to a snapshot of the data once it has grown past `min_bytes` and
    to twice its last snapshot: a long history must not make start-up replay every write ever made.
    (The server's own automatic rewrite is off: it would fork in the middle of a GRAPH.COPY.)"""
    info = await command("INFO", "persistence")
    size, base = int(info.get("aof_current_size", 0)), int(info.get("aof_base_size", 0))
    if size < max(min_bytes, 2 * base):
        return False
    if disk is not None and disk.full(extra=size):
        log.warning(
            "the append-only file (%d MB) is not compacted: the disk has no room for its copy", size >> 20
        )
        return False
    async with forking(command):
        await command("BGREWRITEAOF")
        await asyncio.sleep(0.05)  # the rewrite shows in INFO once its child has started
    log.info("compacted the append-only file (%d MB of history)", size >> 20)
    return True
