"""Writes through the API are claims (graphapi/graph/api_claims.py): an upsert of a record the seed files
state adds the API's claim of the source it names beside theirs, and the record is what the claims make by
the rule of README, Sources and claims. A load keeps the API's claims; a record goes when neither a file nor
the API states it; concurrent writers of one record leave it as its claims say. The follow-up article is a
fictional fixture (tests/fixtures/sources/README.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_curation import without
from test_loader import SEED, write_seed

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.config import Settings
from graphapi.graph import reads
from graphapi.graph.claims import Claim, merged_write
from graphapi.graph.kinds import kind_of
from graphapi.graph.nodes import NodeRecord
from graphapi.seed.loader import check, load
from graphapi.store import Cypher, Store

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
FOLLOW_UP = "source:canada-strikes-back"
VEHICLE = "measure:us-vehicle-tariff-2025"
SEED_FILE = "us-canada-tariff-call.yaml"
IN_FORCE_QUOTE = "The U.S. tariffs of 25% on vehicle imports took effect on April 2, 2025"

UPSERT_SOURCE = "mutation($i: SourceInput!) { upsertSource(input: $i) { changed } }"
UPSERT_MEASURE = "mutation($i: MeasureInput!) { upsertMeasure(input: $i) { created changed } }"
UPSERT_ACTOR = "mutation($i: ActorInput!) { upsertActor(input: $i) { changed } }"
UPSERT_POSITION = "mutation($i: PositionInput!) { upsertPosition(input: $i) { created changed } }"
DELETE = "mutation($id: ID!) { deleteNode(id: $id, cascade: true) { deleted } }"
CLAIMS_OF = Cypher(
    "test.claims_of", "MATCH (c:Claim) WHERE c.record = $id RETURN c.owner AS owner ORDER BY owner"
)

EDITED = "query($id: ID!) { node(id: $id) { ... on Measure { status edited { updatedBy } } } }"
MEASURE = """query($id: ID!) { node(id: $id) { ... on Measure { status rate aliases disputed
    inForce(on: "2025-04-03") { certainty }
    evidence { source { id } }
    claims(field: "status") { file writtenBy fields { name value stands } } } } }"""


class Api:
    """The API over HTTP with a write key, asked of the compiled path and of the resolvers alike."""

    def __init__(self, clients: list[httpx.AsyncClient], key: str) -> None:
        self.clients, self.headers = clients, {"Authorization": f"Bearer {key}"}

    async def write(self, query: str, **variables: Any) -> Any:
        body = (
            await self.clients[0].post(
                "/graphql", json={"query": query, "variables": variables}, headers=self.headers
            )
        ).json()
        assert "errors" not in body, body
        return body["data"]

    async def ask(self, query: str, **variables: Any) -> Any:
        answers = []
        for client in self.clients:
            body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
            assert "errors" not in body, body
            answers.append(json.dumps(body["data"], sort_keys=True))
        assert answers[0] == answers[1], "compiled and resolved answers differ"
        return json.loads(answers[0])


@pytest.fixture
async def api(scratch_store: Store) -> AsyncIterator[Api]:
    await load(scratch_store)
    key = await create_key(scratch_store, "claims key", Scope.ADMIN)
    apps = [
        create_app(Settings.from_env({}), store=scratch_store),
        create_app(Settings.from_env({"GRAPHAPI_COMPILE": "false"}), store=scratch_store),
    ]
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://t") for a in apps]
    try:
        yield Api(clients, key)
    finally:
        for client in clients:
            await client.aclose()


async def add_follow_up(api: Api) -> None:
    text = (FIXTURES / "sources" / "canada-strikes-back.txt").read_text(encoding="utf-8")
    await api.write(
        UPSERT_SOURCE,
        i={
            "id": FOLLOW_UP,
            "title": "Canada strikes back (FICTIONAL)",
            "text": text,
            "writtenOn": {"on": "2025-04-03"},
        },
    )


IN_FORCE = {
    "id": VEHICLE, "name": "US tariffs on vehicle imports", "kind": "TARIFF", "status": "IN_FORCE",
    "imposedBy": ["country:US"], "source": FOLLOW_UP, "evidence": [{"quote": IN_FORCE_QUOTE}],
}  # fmt: skip


async def test_a_write_naming_a_later_source_moves_a_fact_and_the_file_keeps_its_claim(api: Api) -> None:
    before = await api.ask(MEASURE, id=VEHICLE)
    assert before["node"]["status"] == "ANNOUNCED" and before["node"]["inForce"]["certainty"] != "KNOWN"
    await add_follow_up(api)
    assert (await api.write(UPSERT_MEASURE, i=IN_FORCE))["upsertMeasure"] == {
        "created": False,
        "changed": True,
    }

    node = (await api.ask(MEASURE, id=VEHICLE))["node"]
    assert node["status"] == "IN_FORCE" and node["inForce"]["certainty"] == "KNOWN"
    # what the write leaves out keeps the file's value; the record is evidenced in both sources
    assert node["rate"] == 25 and node["aliases"] == before["node"]["aliases"]
    assert {e["source"]["id"] for e in node["evidence"]} >= {FOLLOW_UP}
    assert node["disputed"] == []
    assert [
        (c["file"], c["writtenBy"], json.loads(c["fields"][0]["value"]), c["fields"][0]["stands"])
        for c in node["claims"]
    ] == [
        (SEED_FILE, "2025-04-02", {"status": "ANNOUNCED"}, False),
        (f"api {FOLLOW_UP}", "2025-04-03", {"status": "IN_FORCE"}, True),
    ]


async def test_the_same_write_again_changes_nothing_and_a_load_keeps_the_api_claim(
    api: Api, scratch_store: Store
) -> None:
    await add_follow_up(api)
    await api.write(UPSERT_MEASURE, i=IN_FORCE)
    assert (await api.write(UPSERT_MEASURE, i=IN_FORCE))["upsertMeasure"]["changed"] is False

    # the files loaded again: nothing in the way, nothing to change, the API's claim and its author kept
    dry = await check(scratch_store)
    assert dry.problems == [] and dry.prepared is not None
    assert [d.id for d in dry.prepared.report.details if d.action != "created"] == []
    await load(scratch_store)
    node = (await api.ask(EDITED, id=VEHICLE))["node"]
    assert node["status"] == "IN_FORCE" and node["edited"]["updatedBy"].endswith("(claims key)")
    assert [row["owner"] for row in await scratch_store.read(CLAIMS_OF, {"id": VEHICLE})] == [
        f"api {FOLLOW_UP}", SEED_FILE
    ]  # fmt: skip


async def test_a_write_naming_no_source_is_the_curators_word_of_that_day(api: Api) -> None:
    await api.write(UPSERT_ACTOR, i={"id": "person:mark-carney", "name": "Mark Carney", "wikidata": "Q1"})
    query = """{ node(id: "person:mark-carney") { ... on Person { wikidata aliases
        claims { file writtenBy fields { name stands } } } } }"""
    node = (await api.ask(query))["node"]
    assert node["wikidata"] == "Q1" and "Carney" in node["aliases"]  # the file's other names stay
    api_claim = node["claims"][-1]
    assert api_claim["file"] == "api" and api_claim["writtenBy"] == dt.datetime.now(dt.UTC).date().isoformat()
    assert {f["name"]: f["stands"] for f in api_claim["fields"]} == {"name": True, "wikidata": True}


async def test_changes_keep_the_claim_a_write_made(api: Api) -> None:
    await add_follow_up(api)
    await api.write(UPSERT_MEASURE, i=IN_FORCE)
    changes = await api.ask(
        "query($id: ID!) { changes(id: $id, first: 10) { edges { node { by fields { name } } } } }",
        id=VEHICLE,
    )
    change = changes["changes"]["edges"][-1]["node"]  # the seed load's comes first
    assert change["by"].endswith("(claims key)")
    assert {"status", f"claim of api {FOLLOW_UP}"} <= {f["name"] for f in change["fields"]}


async def test_a_record_goes_when_neither_a_file_nor_the_api_states_it(
    api: Api, scratch_store: Store, tmp_path: Path
) -> None:
    position = "position:trump-supports-eu-coordination-tariffs"
    restated = {
        "id": position, "actor": "person:donald-trump", "on": "measure:us-threatened-tariffs-eu-coordination",
        "stance": "SUPPORT", "confidence": 0.7, "evidence": ["statement:trump-cautions-canada-eu"],
    }  # fmt: skip
    await api.write(UPSERT_POSITION, i=restated)
    # the file no longer states it: it stays, as the API's claim makes it
    await load(scratch_store, [write_seed(tmp_path, without(SEED, position))])
    query = "query($id: ID!) { node(id: $id) { ... on Position { confidence note claims { file } } } }"
    node = (await api.ask(query, id=position))["node"]
    assert node == {"confidence": 0.7, "note": None, "claims": [{"file": "api"}]}
    # deleted through the API: its claims go with it, and nothing states it any more
    assert (await api.write(DELETE, id=position))["deleteNode"]["deleted"] == [position]
    assert await scratch_store.read(CLAIMS_OF, {"id": position}) == []


async def test_concurrent_writers_of_one_record_leave_it_as_its_claims_say(
    api: Api, scratch_store: Store
) -> None:
    """Writers naming different sources race on one record: each write is worked out from the claims it
    read and lands only if they still stand, so the record is always what the stored claims make."""
    await add_follow_up(api)
    writes = []
    for round_ in range(6):
        for source, status in ((FOLLOW_UP, "IN_FORCE"), ("source:us-canada-tariff-call", "ANNOUNCED")):
            evidence = IN_FORCE_QUOTE if source == FOLLOW_UP else "25% tariffs on vehicle imports"
            given = {**IN_FORCE, "source": source, "status": status, "evidence": [{"quote": evidence}]}
            given["sectors"] = [f"sector {round_} {source}"]
            writes.append(api.write(UPSERT_MEASURE, i=given))
        if round_ % 2:
            writes.append(api.write(RETRACT, id=VEHICLE, source=FOLLOW_UP))
    answers = await asyncio.gather(*writes, return_exceptions=True)
    # a writer that lost the race three times is told so (CONFLICT, to try again); none is told anything else
    refused = [a for a in answers if isinstance(a, AssertionError)]
    assert all("'CONFLICT'" in str(a) for a in refused), refused
    assert len(refused) < len(answers)
    stored = [Claim.from_row(row) for row in await scratch_store.read(reads.CLAIMS_OF, {"ids": [VEHICLE]})]
    kind = kind_of(VEHICLE)
    assert kind is not None and len(stored) in (2, 3)
    expected = {k: v for k, v in merged_write(kind, stored).props.items() if k != "searchText"}
    [row] = await scratch_store.read(reads.NODES_BY_ID, {"ids": [VEHICLE]})
    audit = {"createdAt", "createdBy", "updatedAt", "updatedBy", "id"}
    props = {k: v for k, v in NodeRecord.from_row(row).props.items() if k not in audit}
    assert props == expected


def stated(sector: str) -> dict[str, Any]:
    return {**IN_FORCE, "sectors": [sector]}


@pytest.mark.parametrize("statement", ["edit.retract_claim_measure", "edit.upsert_claimed_measure"])
async def test_a_writer_that_loses_each_race_to_writers_of_its_own_claim_is_told_to_try_again(
    api: Api, scratch_store: Store, monkeypatch: pytest.MonkeyPatch, statement: str
) -> None:
    """Each attempt is declined because another writer did the same first (the claim taken back, or stated
    alike), and before its diagnosis a third states the claim anew: the diagnosis, read after the
    statement, sees a record that differs and cannot say why. That is a race (CONFLICT, try again), not
    a statement and diagnosis that disagree (INTERNAL)."""
    await add_follow_up(api)
    await api.write(UPSERT_MEASURE, i=stated("first"))
    mine = {"query": RETRACT, "variables": {"id": VEHICLE, "source": FOLLOW_UP}}
    if statement.startswith("edit.upsert"):
        mine = {"query": UPSERT_MEASURE, "variables": {"i": stated("mine")}}
    write, racing, rounds = scratch_store.write, False, iter(range(10))

    async def raced(query: Cypher, params: Any = None) -> Any:
        nonlocal racing
        if racing or query.name != statement:
            return await write(query, params)
        racing = True
        try:
            await api.clients[0].post("/graphql", json=mine, headers=api.headers)  # the same, first
            rows = await write(query, params)
            await api.write(UPSERT_MEASURE, i=stated(f"anew {next(rounds)}"))  # before the diagnosis
            return rows
        finally:
            racing = False

    monkeypatch.setattr(scratch_store, "write", raced)
    body = (await api.clients[0].post("/graphql", json=mine, headers=api.headers)).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["CONFLICT"], body
    assert next(rounds) == 3  # lost all three attempts


RETRACT = """mutation($id: ID!, $source: ID) { retractClaim(id: $id, source: $source) {
    retracted deleted node { id ... on Measure { status } ... on Person { wikidata } } } }"""


async def test_a_retracted_claim_leaves_the_record_as_the_other_claims_make_it(
    api: Api, scratch_store: Store
) -> None:
    await add_follow_up(api)
    await api.write(UPSERT_MEASURE, i=IN_FORCE)
    taken = (await api.write(RETRACT, id=VEHICLE, source=FOLLOW_UP))["retractClaim"]
    assert taken == {"retracted": True, "deleted": False, "node": {"id": VEHICLE, "status": "ANNOUNCED"}}
    assert [row["owner"] for row in await scratch_store.read(CLAIMS_OF, {"id": VEHICLE})] == [SEED_FILE]
    # nothing more to take back; the history says what went
    again = (await api.write(RETRACT, id=VEHICLE, source=FOLLOW_UP))["retractClaim"]
    assert again == {"retracted": False, "deleted": False, "node": {"id": VEHICLE, "status": "ANNOUNCED"}}
    changes = await api.ask(
        "query($id: ID!) { changes(id: $id, first: 10) { edges { node { fields { name old new } } } } }",
        id=VEHICLE,
    )
    last = changes["changes"]["edges"][-1]["node"]["fields"]
    assert {"name": "status", "old": '"IN_FORCE"', "new": '"ANNOUNCED"'} in last
    assert {"name": f"claim of api {FOLLOW_UP}", "old": "true", "new": None} in last


async def test_a_record_only_the_api_states_goes_with_its_last_claim(api: Api, scratch_store: Store) -> None:
    await api.write(UPSERT_ACTOR, i={"id": "person:someone-new", "name": "Someone New", "wikidata": "Q9"})
    # the API's own word on a seed record goes back to the file's
    await api.write(UPSERT_ACTOR, i={"id": "person:mark-carney", "name": "Mark Carney", "wikidata": "Q1"})
    carney = (await api.write(RETRACT, id="person:mark-carney"))["retractClaim"]
    assert carney == {
        "retracted": True,
        "deleted": False,
        "node": {"id": "person:mark-carney", "wikidata": None},
    }
    gone = (await api.write(RETRACT, id="person:someone-new"))["retractClaim"]
    assert gone == {"retracted": True, "deleted": True, "node": None}
    assert await scratch_store.read(reads.NODES_BY_ID, {"ids": ["person:someone-new"]}) == []
    assert await scratch_store.read(CLAIMS_OF, {"id": "person:someone-new"}) == []


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"id": "statement:carney-very-constructive"}, "id"),  # one source's words: not a claim
        ({"id": "nothing"}, "id"),
        ({"id": VEHICLE, "source": "person:mark-carney"}, "source"),
    ],
)
async def test_retracting_names_what_is_wrong(api: Api, variables: dict[str, Any], argument: str) -> None:
    body = (
        await api.clients[0].post(
            "/graphql", json={"query": RETRACT, "variables": variables}, headers=api.headers
        )
    ).json()
    assert [e["extensions"] for e in body["errors"]] == [{"code": "BAD_USER_INPUT", "argument": argument}]
