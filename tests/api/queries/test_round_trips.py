"""Database round-trips per request depend on the query's shape, never on how many results it has."""

from __future__ import annotations

from pathlib import Path

import httpx

from bench.synthetic import write_synthetic_seed
from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.seed.loader import load
from graphapi.store import Store
from helpers import gql

POSITIONS = """query($on: ID!, $first: Int) { positions(on: $on, first: $first) { totalCount nodes {
    id stance confidence
    actor { id name ... on Person { tenures { office { name } } } }
    evidence { quote span { start end } source { id title } statement { speaker { id } } }
} } }"""


async def test_positions_round_trips_do_not_grow_with_results(scratch_store: Store, tmp_path: Path) -> None:
    """On the resolver path (GRAPHAPI_COMPILE=false): one batched query per level of nesting."""
    await load(scratch_store, [write_synthetic_seed(tmp_path, statements=400, persons=30, measures=2)])
    # debug: for the query names in `extensions.dbQueries`
    resolvers = Settings.from_env({"GRAPHAPI_COMPILE": "false", "GRAPHAPI_DEBUG": "true"})
    app = create_app(resolvers, store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        counts = {}
        for first in (1, 10, 60):
            result = await gql(client, POSITIONS, on="measure:m0", first=first)
            assert not result.errors, result.errors
            assert len(result.data["positions"]["nodes"]) == first
            counts[first] = result.round_trips
            queries = result.body["extensions"]["dbQueries"]
    # `on` exists (1), the page (1), its total (1), then one batched node load per level of nesting that
    # reaches new nodes: actor and evidence; speaker and source; the actor's offices.
    assert counts[1] == counts[10] == counts[60] == 6, counts
    assert (
        queries
        == ["read.nodes_by_id", "read.positions_on_page_by_id", "read.positions_on_count"]
        + ["read.nodes_by_id"] * 3
    )


async def test_compiled_round_trips_are_one_per_root_field(scratch_store: Store, tmp_path: Path) -> None:
    await load(scratch_store, [write_synthetic_seed(tmp_path, statements=400, persons=30, measures=2)])
    app = create_app(Settings.from_env({"GRAPHAPI_DEBUG": "true"}), store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for first in (1, 10, 60):
            result = await gql(client, POSITIONS, on="measure:m0", first=first)
            assert not result.errors, result.errors
            assert len(result.data["positions"]["nodes"]) == first
            assert result.round_trips == 1
            assert result.body["extensions"]["dbQueries"] == ["compiled.positions"]


async def test_round_trips_of_the_seed_queries(client: httpx.AsyncClient) -> None:
    result = await gql(client, POSITIONS, on="measure:us-vehicle-tariff-2025", first=None)
    assert not result.errors and result.round_trips <= 6  # fewer when a level finds its nodes cached
    result = await gql(client, '{ node(id: "person:mark-carney") { id } }')
    assert result.round_trips == 1
