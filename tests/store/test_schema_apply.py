"""The schema applied by two processes at once (two loads into a new data dir): both succeed, and the
graph has every index and constraint once."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from graphapi.store import Store, load_schema
from graphapi.store.falkordb_store import FalkorDBStore


async def test_two_writers_applying_the_schema_at_once_both_succeed(engine_store: Store) -> None:
    if not isinstance(engine_store, FalkorDBStore):
        pytest.skip("Neo4j's schema statements are IF NOT EXISTS already")
    name = f"schema_race_{uuid.uuid4().hex[:8]}"
    first, second = (FalkorDBStore(engine_store.address, name) for _ in range(2))
    schema = load_schema()
    try:
        made = await asyncio.gather(first.apply_schema(schema), second.apply_schema(schema))
        assert made[0] or made[1]  # one of them made them (the graph was new)
        assert await first.missing_schema(schema) == []
        assert await first.apply_schema(schema) == []  # and again: nothing to make
    finally:
        await first._drop_quietly(name)
        await first.close()
        await second.close()
