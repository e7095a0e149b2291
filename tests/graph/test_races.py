"""Checks and writes are one atomic step: two clients racing a check against a write never leave the graph
inconsistent (a position without evidence, a quote that is not its source's text)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.store import Cypher, Store
from helpers import GraphQLResult

TRIALS = 200
SOURCE_TEXT = "Carney said the call was very constructive. Trump called it extremely productive."
QUOTE = "very constructive"
START = SOURCE_TEXT.index(QUOTE)


@pytest.fixture
async def clients(scratch_store: Store) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, Store]]:
    key = await create_key(scratch_store, "racer", Scope.ADMIN)
    headers = {"Authorization": f"Bearer {key}"}
    app = create_app(store=scratch_store)
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as one,
        httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as two,
    ):
        yield one, two, scratch_store


async def call(client: httpx.AsyncClient, query: str, **variables: Any) -> GraphQLResult:
    return GraphQLResult(await client.post("/graphql", json={"query": query, "variables": variables}))


async def later(seconds: float, client: httpx.AsyncClient, query: str, **variables: Any) -> GraphQLResult:
    await asyncio.sleep(seconds)
    return await call(client, query, **variables)


def head_starts(trial: int) -> tuple[float, float]:
    """Who starts first, and by how much: spread over the trials so that both orders, and the moments in
    between where the two requests' statements interleave, all occur."""
    step = (trial % 20) * 0.0005
    return (step, 0.0) if trial % 2 else (0.0, step)


SOURCE = "mutation($i: SourceInput!) { upsertSource(input: $i) { created } }"
ACTOR = "mutation($i: ActorInput!) { upsertActor(input: $i) { created } }"
MEASURE = "mutation($i: MeasureInput!) { upsertMeasure(input: $i) { created } }"
STATEMENT = "mutation($i: StatementInput!) { upsertStatement(input: $i) { created } }"
POSITION = "mutation($i: PositionInput!) { upsertPosition(input: $i) { created } }"
DELETE = "mutation($id: ID!) { deleteNode(id: $id, cascade: true) { deleted } }"


def statement(node_id: str, source: str) -> dict[str, Any]:
    return {"id": node_id, "speaker": "person:carney", "source": source, "quote": QUOTE, "start": START,
            "end": START + len(QUOTE), "direct": True}  # fmt: skip


async def setup(client: httpx.AsyncClient) -> None:
    for query, given in [
        (SOURCE, {"id": "source:race", "title": "Race", "text": SOURCE_TEXT}),
        (ACTOR, {"id": "person:carney", "name": "Carney"}),
        (ACTOR, {"id": "country:US", "name": "United States", "isoCode": "US"}),
        (MEASURE, {"id": "measure:t", "name": "Tariff", "kind": "TARIFF", "status": "IN_FORCE",
                   "imposedBy": ["country:US"], "source": "source:race",
                   "evidence": [{"quote": "call", "start": 16, "end": 20}]}),
    ]:  # fmt: skip
        result = await call(client, query, i=given)
        assert not result.errors, result.errors


ORPHANS = Cypher(
    "test.orphan_positions",
    "MATCH (p:Position) WHERE NOT (p)-[:EVIDENCED_BY]->(:Statement) RETURN p.id AS id",
)
SPANS = Cypher(
    "test.spans",
    "MATCH (s:Statement)-[:QUOTED_IN]->(src:Source) "
    "RETURN s.id AS id, s.quote AS quote, substring(src.text, s.spanStart, s.spanEnd - s.spanStart) AS text",
)


async def test_a_position_racing_the_delete_of_its_evidence(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient, Store],
) -> None:
    one, two, store = clients
    await setup(one)
    outcomes: dict[str, int] = {}
    for trial in range(TRIALS):
        statement_id, position_id = f"statement:race-{trial}", f"position:race-{trial}"
        assert not (await call(one, STATEMENT, i=statement(statement_id, "source:race"))).errors
        position = {"id": position_id, "actor": "person:carney", "on": "measure:t", "stance": "OPPOSE",
                    "confidence": 0.5, "evidence": [statement_id]}  # fmt: skip
        first, second = head_starts(trial)
        upsert, delete = await asyncio.gather(
            later(first, one, POSITION, i=position), later(second, two, DELETE, id=statement_id)
        )
        assert not delete.errors, delete.errors
        outcome = "position refused" if upsert.errors else "position deleted with its evidence"
        if upsert.errors:
            assert upsert.codes == ["BAD_USER_INPUT"] and "no node has the id" in upsert.errors[0]["message"]
        else:
            assert position_id in delete.data["deleteNode"]["deleted"]
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert await store.read(ORPHANS) == []
    assert len(outcomes) == 2, outcomes  # both orders happened
    print(f"position against delete, {TRIALS} trials: {outcomes}; 0 positions without evidence")


async def test_a_source_text_change_racing_a_new_quote(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient, Store],
) -> None:
    one, two, store = clients
    await setup(one)
    outcomes: dict[str, int] = {}
    for trial in range(TRIALS):
        source_id = f"source:race-{trial}"
        assert not (await call(one, SOURCE, i={"id": source_id, "title": "T", "text": SOURCE_TEXT})).errors
        rewritten = {
            "id": source_id,
            "title": "T",
            "text": "Someone else said something else entirely, later.",
        }
        first, second = head_starts(trial)
        quote, change = await asyncio.gather(
            later(first, one, STATEMENT, i=statement(f"statement:race-{trial}", source_id)),
            later(second, two, SOURCE, i=rewritten),
        )
        assert bool(quote.errors) != bool(change.errors), (quote.body, change.body)  # exactly one lands
        outcomes["quote first" if change.errors else "text first"] = (
            outcomes.get("quote first" if change.errors else "text first", 0) + 1
        )
    mismatched = [row for row in await store.read(SPANS) if row["quote"] != row["text"]]
    assert mismatched == []
    assert len(outcomes) == 2, outcomes
    print(f"source text against a new quote, {TRIALS} trials: {outcomes}; 0 quotes off their text")
