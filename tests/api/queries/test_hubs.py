"""A hub (an actor with 10,000 statements): the timeline is keyset-paged in the database and nested lists
are bounded, so a page costs a few ms more than an ordinary actor's (the database sorts the hub's
adjacency), never the hub's statements carried through Python."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bench.synthetic import write_synthetic_seed
from graphapi.app import create_app
from graphapi.seed.loader import load
from graphapi.store import Store, load_schema
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import gql

# Each question asked of person:p0, who made every statement of the graph.
QUESTIONS = {
    "timeline": 'query { timeline(actor: "person:p0", first: 20) { nodes { kind date { iso } summary node { id } } } }',
    "statements by": '{ statements(by: "person:p0", first: 20, orderBy: {field: SAID_ON}) { nodes { quote } } }',
    "positions held": '{ node(id: "person:p0") { ... on Person { positions { stance on { id } } statements { id } } } }',
    "neighbourhood": '{ neighbourhood(id: "person:p0", limit: 50) { nodes { id } edges { type } truncated } }',
}  # fmt: skip


async def _graph(store: FalkorDBStore, tmp: Path, statements: int) -> FalkorDBStore:
    graph = FalkorDBStore(store.address, f"hub_{uuid.uuid4().hex[:8]}", schema=load_schema())
    await graph.apply_schema(load_schema())
    await load(graph, [write_synthetic_seed(tmp, statements=statements, persons=1, measures=5)])
    return graph


@pytest.fixture
async def graphs(engine_store: Store, tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    if not isinstance(engine_store, FalkorDBStore):
        pytest.skip("the hub graphs are built on the embedded FalkorDB")
    small = await _graph(engine_store, tmp_path / "small", 40)
    hub = await _graph(engine_store, tmp_path / "hub", 10_000)
    try:
        yield small, hub
    finally:
        for graph in (small, hub):
            await graph._drop_quietly(graph.graph_name)
            await graph.close()


async def test_a_hub_page_costs_at_most_three_times_an_ordinary_one(graphs: tuple[Store, Store]) -> None:
    small, hub = graphs
    clients = {
        name: httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(store=graph)), base_url="http://t"
        )
        for name, graph in (("small", small), ("hub", hub))
    }
    report = []
    for question, query in QUESTIONS.items():
        times: dict[str, list[float]] = {"small": [], "hub": []}
        for _ in range(21):  # interleaved, so a busy moment of the machine weighs on both alike
            for name, client in clients.items():
                started = time.perf_counter()
                result = await gql(client, query)
                times[name].append(time.perf_counter() - started)
                assert not result.errors, result.errors
        # The best of 21: what the question costs when the shared machine lets it run (a median moves
        # with other people's work, and the hub's longer statement waits longer for a busy core).
        small_ms, hub_ms = (min(times[n]) * 1000 for n in ("small", "hub"))
        report.append(f"{question}: {small_ms:.1f} ms with 40 statements, {hub_ms:.1f} ms with 10,000")
        # A page reads the hub's adjacency in the database (README, Tests): a few ms more, never the hub's
        # statements through Python (hundreds of ms). x3: a busy CI machine preempts the longer statement.
        assert hub_ms < 3 * small_ms + 2, report[-1]  # (+2 ms: below a few ms, the clock's noise)
    for client in clients.values():
        await client.aclose()
    print("\n".join(report))


async def test_a_hub_timeline_pages_through_everything_once(graphs: tuple[Store, Store]) -> None:
    _, hub = graphs
    app = create_app(store=hub)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        query = """query($after: String) { timeline(actor: "person:p0", first: 100, after: $after) {
            totalCount edges { cursor node { kind node { id } } } pageInfo { hasNextPage endCursor } } }"""
        seen: list[tuple[str, str]] = []
        after = None
        while True:
            page = (await gql(client, query, after=after)).data["timeline"]
            seen += [(e["node"]["kind"], e["node"]["node"]["id"]) for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert len(seen) == len(set(seen)) == page["totalCount"]
        assert sum(1 for kind, _ in seen if kind == "STATEMENT") == 10_000
