"""Opening the configured store: Neo4j when NEO4J_URI is set, the embedded FalkorDB otherwise."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from graphapi.config import Settings
from graphapi.store.base import CountingStore, Creates, Cypher, Params, Record, Store, WriteStep
from graphapi.store.dialect import GraphSchema, load_schema

if TYPE_CHECKING:
    from graphapi.store.disk import Disk
    from graphapi.store.falkor_server import EmbeddedServer, ServerAddress
    from graphapi.store.falkordb_store import FalkorDBStore

__all__ = [
    "CountingStore",
    "Creates",
    "Cypher",
    "GraphSchema",
    "Params",
    "Record",
    "Store",
    "WriteStep",
    "load_schema",
    "open_store",
]


@asynccontextmanager
async def open_store(settings: Settings, *, apply_schema: bool = True) -> AsyncIterator[Store]:
    """Yield a connected store with the schema applied; start the embedded server when needed."""
    if settings.neo4j_uri:
        from graphapi.store.neo4j_store import Neo4jStore

        store: Store = Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
            query_timeout_s=settings.query_timeout_s,
            connect_timeout_s=settings.connect_timeout_s,
        )
        async with _pinged(store, apply_schema):
            yield store
        return

    from graphapi.store.falkor_server import ServerAddress

    if settings.falkordb_url:
        # A FalkorDB server of its own (the compose file's falkordb profile): kept up by whoever runs it.
        # Not drop_abandoned_loads(): it judges a staging copy by its pid, which means nothing for a
        # load from another machine on a shared server.
        external = _falkordb(settings, ServerAddress(url=settings.falkordb_url))
        async with _pinged(external, apply_schema):
            yield external
        return

    async with _embedded(settings, apply_schema) as falkor:
        yield falkor


@asynccontextmanager
async def _pinged(store: Store, apply_schema: bool) -> AsyncIterator[None]:
    """A store of a server someone else keeps up: answering, with the schema applied; closed after."""
    try:
        await store.ping()
        if apply_schema:
            await store.apply_schema(load_schema())
        yield
    finally:
        await store.close()


def _falkordb(settings: Settings, address: ServerAddress, disk: Disk | None = None) -> FalkorDBStore:
    from graphapi.store.falkordb_store import FalkorDBStore

    return FalkorDBStore(
        address,
        settings.graph_name,
        query_timeout_s=settings.query_timeout_s,
        connect_timeout_s=settings.connect_timeout_s,
        schema=load_schema(),
        disk=disk,
    )


async def _started(server: EmbeddedServer) -> ServerAddress:
    """The server started (in a thread: it waits for the server). Stopped meanwhile (Ctrl-C, SIGTERM), the
    command still lets it finish starting and then stops it, unless another process uses it: else it
    would be left running with no one to stop it."""
    # a future, not a task: a run being stopped cancels its tasks, and this must see the start through
    starting = asyncio.get_running_loop().run_in_executor(None, server.start)
    try:
        return await asyncio.shield(starting)
    except BaseException:  # cancelled, interrupted, or the start failed (then there is nothing to stop)
        with contextlib.suppress(Exception):
            await starting
            await asyncio.to_thread(server.stop)
        raise


@asynccontextmanager
async def _embedded(settings: Settings, apply_schema: bool) -> AsyncIterator[Store]:
    """The embedded server started (and stopped after), supervised, with a store connected to it."""
    from graphapi.store.disk import MB, Disk
    from graphapi.store.falkor_server import EmbeddedServer
    from graphapi.store.supervisor import supervised

    server = EmbeddedServer(settings.data_dir / "falkordb")
    # the disk under the embedded server: writes are refused while it is full (graphapi/store/disk.py)
    disk = Disk(server.data_dir, int(settings.min_free_disk_mb * MB))
    falkor = None
    try:  # (from before the start: a SIGTERM landing between it and the store must still stop it)
        falkor = _falkordb(settings, await _started(server), disk)
        await falkor.drop_abandoned_loads()
        if apply_schema:
            await falkor.apply_schema(load_schema())
        async with supervised(server, falkor, disk_full_grace_s=settings.disk_full_grace_s):
            yield falkor
    finally:
        if falkor is not None:
            await falkor.close()
        await asyncio.to_thread(server.stop)
