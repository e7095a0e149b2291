"""Shared fixtures. The embedded FalkorDB is a real server process, started once per test run in a
temporary directory. With NEO4J_URI set, every test also runs against that Neo4j (whose database the
suite wipes: point it at a throwaway one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.seed.loader import load
from graphapi.store import Cypher, Store, load_schema, open_store
from graphapi.store.falkordb_store import FalkorDBStore

ENGINES = ["falkordb", "neo4j"]
# Tests that use one of these fixtures start (or share) a database: they are the slow layer.
DATABASE_FIXTURES = frozenset({"engine_store", "store", "scratch_store", "client"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test that needs a database or a server process `slow`, so `-m "not slow"` runs the
    fast layer alone (modules that start their own servers carry the mark themselves)."""
    for item in items:
        if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


WIPE = Cypher("test.wipe", "MATCH (n) DETACH DELETE n")


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    env = {"GRAPHAPI_DATA_DIR": str(tmp_path_factory.mktemp("data")), "GRAPHAPI_GRAPH": "graphapi_test"}
    return Settings.from_env(env)


@pytest.fixture(scope="session", params=ENGINES)
async def engine_store(request: pytest.FixtureRequest, base_settings: Settings) -> AsyncIterator[Store]:
    """The store of one engine for the whole run: the embedded FalkorDB, or Neo4j when configured."""
    if request.param == "neo4j":
        if not os.environ.get("NEO4J_URI"):
            pytest.skip("NEO4J_URI is not set: the Neo4j run needs a Neo4j 5 database (see README, Tests)")
        settings = replace(
            base_settings,
            neo4j_uri=os.environ["NEO4J_URI"],
            neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
            neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
            neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
    else:
        settings = base_settings
    async with open_store(settings) as store:
        await store.write(WIPE)
        await load(store)
        yield store


@pytest.fixture
async def store(engine_store: Store) -> Store:
    """The seeded store. Tests must leave its data as they found it (use `scratch_store` to write)."""
    return engine_store


@pytest.fixture
async def scratch_store(engine_store: Store) -> AsyncIterator[Store]:
    """An empty graph of the same engine, for tests that write."""
    if isinstance(engine_store, FalkorDBStore):
        scratch = FalkorDBStore(engine_store.address, f"scratch_{uuid.uuid4().hex[:10]}")
        await scratch.apply_schema(load_schema())
        try:
            yield scratch
        finally:
            await scratch._drop_quietly(scratch.graph_name)
            await scratch.close()
        return
    # Neo4j has one database to write in: empty it, and put the seed back afterwards.
    await engine_store.write(WIPE)
    try:
        yield engine_store
    finally:
        await engine_store.write(WIPE)
        await load(engine_store)


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store=store)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://graphapi.test"
    ) as c:
        yield c
