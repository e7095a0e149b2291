"""A seed load and writes through the API, at the same time, on the embedded FalkorDB: a load writes into
a copy of the graph and swaps it in, and a write that lands on the live graph meanwhile must not vanish
under the swap. Every acknowledged write is there afterwards, and the load lands whole."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from bench.synthetic import write_synthetic_seed
from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.seed.loader import load
from graphapi.store import Cypher, Store
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import GraphQLResult

UPSERT = "mutation($i: ActorInput!) { upsertActor(input: $i) { created } }"


async def test_writes_during_a_load_are_not_lost(scratch_store: Store, tmp_path: Path) -> None:
    if not isinstance(scratch_store, FalkorDBStore):
        pytest.skip("Neo4j writes a load in one transaction: nothing to swap")
    seed = write_synthetic_seed(tmp_path, statements=600, persons=10, measures=5)
    key = await create_key(scratch_store, "writer", Scope.WRITE)
    app = create_app(store=scratch_store)
    acknowledged: list[str] = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://t",
        headers={"Authorization": f"Bearer {key}"},
    ) as client:

        async def writes() -> None:
            for i in range(60):
                node_id = f"person:during-{i}"
                body = {"query": UPSERT, "variables": {"i": {"id": node_id, "name": f"During {i}"}}}
                result = GraphQLResult(await client.post("/graphql", json=body))
                assert not result.errors, result.errors
                acknowledged.append(node_id)
                await asyncio.sleep(0.01)

        writer = asyncio.create_task(writes())
        report = await load(scratch_store, [seed])  # retried against the graph as it now is, if need be
        await writer
    assert report.nodes_created["Statement"] == 600
    found = await scratch_store.read(
        Cypher("test.during", "MATCH (n:Person) WHERE n.id IN $ids RETURN n.id AS id"), {"ids": acknowledged}
    )
    assert sorted(row["id"] for row in found) == sorted(acknowledged)
    statements = await scratch_store.read(Cypher("test.count", "MATCH (n:Statement) RETURN count(n) AS n"))
    assert statements == [{"n": 600}]
