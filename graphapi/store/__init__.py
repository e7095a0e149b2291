"""Opening the configured store: Neo4j when NEO4J_URI is set, the embedded FalkorDB otherwise."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from graphapi.config import Settings
from graphapi.store.base import CountingStore, Cypher, Params, Record, Store, WriteStep
from graphapi.store.dialect import GraphSchema, load_schema

__all__ = [
    "CountingStore",
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
        try:
            await store.ping()
            if apply_schema:
                await store.apply_schema(load_schema())
            yield store
        finally:
            await store.close()
        return

    from graphapi.store.falkor_server import EmbeddedServer, ServerAddress
    from graphapi.store.falkordb_store import FalkorDBStore
    from graphapi.store.supervisor import supervised

    def connect(address: ServerAddress) -> FalkorDBStore:
        return FalkorDBStore(
            address,
            settings.graph_name,
            query_timeout_s=settings.query_timeout_s,
            connect_timeout_s=settings.connect_timeout_s,
            schema=load_schema(),
        )

    if settings.falkordb_url:
        # A FalkorDB server of its own (the compose file's falkordb profile): kept up by whoever runs it.
        external = connect(ServerAddress(url=settings.falkordb_url))
        try:
            # Not drop_abandoned_loads(): it judges a staging copy by its pid, which means nothing for a
            # load from another machine on a shared server.
            await external.ping()
            if apply_schema:
                await external.apply_schema(load_schema())
            yield external
        finally:
            await external.close()
        return

    server = EmbeddedServer(settings.data_dir / "falkordb")
    falkor = connect(await asyncio.to_thread(server.start))
    try:
        await falkor.drop_abandoned_loads()
        if apply_schema:
            await falkor.apply_schema(load_schema())
        async with supervised(server, falkor):
            yield falkor
    finally:
        await falkor.close()
        await asyncio.to_thread(server.stop, falkor.client_name)
