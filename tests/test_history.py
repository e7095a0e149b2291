"""History is data (graphapi/graph/history.py): every change a seed load or a write through the API makes is
kept with its old and new values, when and by what, and `changes` pages through them in order."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.config import Settings
from graphapi.seed.loader import load
from graphapi.store import Store
from helpers import SEED_DIR, SEED_NODES, gql

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
CHANGES = """query($since: String, $id: ID, $first: Int, $after: String) {
    changes(since: $since, id: $id, first: $first, after: $after) { totalCount
        edges { cursor node { at by kind nodeId label fields { name old new } } }
        pageInfo { hasNextPage endCursor } } }"""


@pytest.fixture
async def api(scratch_store: Store) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    await load(scratch_store, [SEED_DIR])
    key = await create_key(scratch_store, "curator", Scope.ADMIN)
    app = create_app(Settings.from_env({}), store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client, key


async def changes(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    result = await gql(client, CHANGES, **variables)
    assert not result.errors, result.body
    return result.data["changes"]  # type: ignore[no-any-return]


async def test_a_seed_load_is_kept_node_by_node(api: tuple[httpx.AsyncClient, str]) -> None:
    client, _ = api
    page = await changes(client, first=100)
    assert page["totalCount"] == SEED_NODES
    made = [e["node"] for e in page["edges"]]
    assert {c["kind"] for c in made} == {"CREATED"} and {c["by"] for c in made} == {
        "seed load of us-canada-tariff-call.yaml"
    }
    carney = next(c for c in made if c["nodeId"] == "person:mark-carney")
    assert {"name": "name", "old": None, "new": '"Mark Carney"'} in carney["fields"]


async def test_an_api_write_keeps_old_and_new_values_and_who(
    api: tuple[httpx.AsyncClient, str], scratch_store: Store
) -> None:
    client, key = api
    client.headers["authorization"] = f"Bearer {key}"
    await asyncio.sleep(0.01)
    mark = dt.datetime.now(dt.UTC).isoformat()  # after the load, before the write
    done = await gql(
        client,
        'mutation { upsertActor(input: {id: "person:howard-lutnick", name: "Howard W. Lutnick", aliases: ["Lutnick"]}) { changed } }',
    )
    assert done.data == {"upsertActor": {"changed": True}}, done.body
    page = await changes(client, id="person:howard-lutnick")
    assert page["totalCount"] == 2  # created by the load, changed through the API
    latest = page["edges"][-1]["node"]
    assert latest["kind"] == "UPDATED" and latest["by"].startswith("key:") and "(curator)" in latest["by"]
    assert {"name": "name", "old": '"Howard Lutnick"', "new": '"Howard W. Lutnick"'} in latest["fields"]
    assert {"name": "aliases", "old": None, "new": '["Lutnick"]'} in latest["fields"]
    # what changed since a moment: only that
    since = await changes(client, since=mark)
    assert [e["node"]["nodeId"] for e in since["edges"]] == ["person:howard-lutnick"]
    # the same write again changes nothing, and nothing is kept
    again = await gql(
        client,
        'mutation { upsertActor(input: {id: "person:howard-lutnick", name: "Howard W. Lutnick", aliases: ["Lutnick"]}) { changed } }',
    )
    assert again.data == {"upsertActor": {"changed": False}}
    assert (await changes(client, id="person:howard-lutnick"))["totalCount"] == 2
    # a delete keeps what the node was
    gone = await gql(
        client, 'mutation { deleteNode(id: "statement:singh-betrayal", cascade: true) { deleted } }'
    )
    deleted = gone.data["deleteNode"]["deleted"]
    for node_id in deleted:
        [last] = (await changes(client, id=node_id))["edges"][-1:]
        assert last["node"]["kind"] == "DELETED" and all(f["new"] is None for f in last["node"]["fields"])


async def test_pages_follow_on_and_cursors_belong_to_their_list(api: tuple[httpx.AsyncClient, str]) -> None:
    client, _ = api
    seen, after = [], None
    while True:
        page = await changes(client, first=30, after=after)
        seen += [(e["node"]["at"], e["node"]["nodeId"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == SEED_NODES and len(set(seen)) == SEED_NODES
    foreign = (await gql(client, "{ sources(first: 1) { pageInfo { endCursor } } }")).data["sources"]
    refused = await gql(client, CHANGES, after=foreign["pageInfo"]["endCursor"])
    assert refused.codes == ["BAD_USER_INPUT"] and refused.errors[0]["extensions"]["argument"] == "after"
    other_filter = await gql(client, CHANGES, id="person:mark-carney", after=after)
    assert other_filter.codes == ["BAD_USER_INPUT"]
    for since in ("yesterday", "2025-13-01", "x" * 500):
        bad = await gql(client, CHANGES, since=since)
        assert bad.codes == ["BAD_USER_INPUT"] and bad.errors[0]["extensions"]["argument"] == "since"
    assert (await gql(client, CHANGES, id="nobody")).codes == ["BAD_USER_INPUT"]


async def test_a_second_source_is_kept_as_the_change_it_makes(scratch_store: Store, tmp_path: Path) -> None:
    await load(scratch_store, [SEED_DIR])
    shutil.copytree(FIXTURES, tmp_path / "sources")
    await load(scratch_store, [tmp_path / "sources" / "canada-strikes-back.yaml"])
    app = create_app(Settings.from_env({}), store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        page = await changes(client, id="measure:us-vehicle-tariff-2025")
    created, updated = (e["node"] for e in page["edges"])
    assert created["kind"] == "CREATED" and updated["kind"] == "UPDATED"
    assert updated["by"] == "seed load of canada-strikes-back.yaml"
    assert {"name": "status", "old": '"ANNOUNCED"', "new": '"IN_FORCE"'} in updated["fields"]
    assert {"name": "EVIDENCE_IN source:canada-strikes-back", "old": None, "new": "true"} in updated["fields"]
