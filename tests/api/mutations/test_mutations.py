"""Writes over GraphQL: only with a key of the write scope; inputs checked before anything is written;
idempotent upserts; deletes refused while facts depend on the node; who and when recorded."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from graphapi.app import create_app
from graphapi.auth import Scope, create_key, revoke_key
from graphapi.config import Limits, Settings
from graphapi.graph.reads import COUNT_NODES
from graphapi.seed.loader import load
from graphapi.store import Cypher, Store
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import SOURCE_TEXT, GraphQLResult

QUOTE = "unjustified and unprovoked"
START = SOURCE_TEXT.index(QUOTE)

UPSERT_STATEMENT = """mutation($input: StatementInput!) { upsertStatement(input: $input) {
    created changed statement { id quote speaker { id } about { id } source { id } span { start end }
                        edited { createdBy createdAt updatedBy updatedAt } } } }"""
UPSERT_POSITION = """mutation($input: PositionInput!) { upsertPosition(input: $input) {
    created position { id stance actor { id } on { id } statements { id } edited { createdBy } } } }"""
DELETE = "mutation($id: ID!, $cascade: Boolean!) { deleteNode(id: $id, cascade: $cascade) { deletedId deleted detached { id } } }"


def statement(**changes: Any) -> dict[str, Any]:
    return {
        "id": "statement:poilievre-again", "speaker": "person:pierre-poilievre", "source": "source:us-canada-tariff-call",
        "quote": QUOTE, "start": START, "end": START + len(QUOTE), "direct": True,
        "about": ["measure:us-auto-parts-tariff-2025"], **changes,
    }  # fmt: skip


class Api:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def __call__(self, query: str, key: str | None = None, **variables: Any) -> GraphQLResult:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return GraphQLResult(
            await self.client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        )


@pytest.fixture
async def api(scratch_store: Store) -> AsyncIterator[tuple[Api, Store, dict[str, str]]]:
    await load(scratch_store)
    keys = {
        scope.name.lower(): await create_key(scratch_store, f"{scope.name.lower()} key", scope)
        for scope in Scope
    }
    app = create_app(store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield Api(client), scratch_store, keys


async def nodes(store: Store) -> int:
    return int((await store.read(COUNT_NODES))[0]["nodes"])


async def test_writes_need_a_key_with_the_write_scope(api: tuple[Api, Store, dict[str, str]]) -> None:
    call, store, keys = api
    cases = [
        (None, "UNAUTHENTICATED", "needs an API key"),
        ("not-a-key", "UNAUTHENTICATED", "must be `Bearer gapi_"),
        ("gapi_0123456789ab_" + "x" * 43, "UNAUTHENTICATED", "not valid"),
        (keys["write"][:-4] + "abcd", "UNAUTHENTICATED", "not valid"),
        (keys["read"], "FORBIDDEN", "has scope read; this needs write"),
    ]
    before = await nodes(store)
    for key, code, words in cases:
        result = await call(UPSERT_STATEMENT, key, input=statement())
        assert result.codes == [code] and words in result.errors[0]["message"], (key, result.body)
    assert await nodes(store) == before
    for scope in ("write", "admin"):
        assert not (await call(UPSERT_STATEMENT, keys[scope], input=statement())).errors
    await revoke_key(store, keys["write"].split("_")[1])
    result = await call(UPSERT_STATEMENT, keys["write"], input=statement())
    assert result.codes == ["UNAUTHENTICATED"] and "revoked" in result.errors[0]["message"]


async def test_reads_are_open_unless_configured(scratch_store: Store) -> None:
    await load(scratch_store)
    key = await create_key(scratch_store, "reader", Scope.READ)
    settings = replace(Settings.from_env({}), limits=replace(Limits(), reads_need_key=True))
    app = create_app(settings, store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        call = Api(client)
        assert (await call("{ sources { totalCount } }")).codes == ["UNAUTHENTICATED"]
        assert (await call("{ sources { totalCount } }", key)).data == {"sources": {"totalCount": 1}}


async def test_upsert_statement_is_idempotent_and_records_who_and_when(
    api: tuple[Api, Store, dict[str, str]],
) -> None:
    call, store, keys = api
    before = await nodes(store)
    first = await call(UPSERT_STATEMENT, keys["write"], input=statement())
    assert not first.errors, first.errors
    payload = first.data["upsertStatement"]
    assert payload["created"] is True
    made = payload["statement"]
    assert made["quote"] == QUOTE and made["speaker"] == {"id": "person:pierre-poilievre"}
    assert made["about"] == [{"id": "measure:us-auto-parts-tariff-2025"}]
    assert made["source"] == {"id": "source:us-canada-tariff-call"}
    assert made["edited"]["createdBy"].startswith("key:") and "write key" in made["edited"]["createdBy"]
    assert await nodes(store) == before + 1

    again = await call(
        UPSERT_STATEMENT,
        keys["admin"],
        input=statement(about=["measure:us-vehicle-tariff-2025"], channel="TV"),
    )
    changed = again.data["upsertStatement"]
    assert changed["created"] is False
    assert changed["statement"]["about"] == [{"id": "measure:us-vehicle-tariff-2025"}]  # replaced, not added
    assert changed["statement"]["edited"]["createdBy"] == made["edited"]["createdBy"]  # creation kept
    assert "admin key" in changed["statement"]["edited"]["updatedBy"]
    assert await nodes(store) == before + 1
    found = await call('{ statements(about: "measure:us-vehicle-tariff-2025") { totalCount } }')
    assert found.data["statements"]["totalCount"] == 7  # the article's six, and this one


async def test_an_identical_upsert_writes_nothing_and_announces_nothing(scratch_store: Store) -> None:
    """`changed: false`, `edited` as it was, no event for subscribers, and (on FalkorDB) not one byte more
    in the append-only file."""
    await load(scratch_store)
    key = await create_key(scratch_store, "curator", Scope.WRITE)
    app = create_app(store=scratch_store)
    events: list[Any] = []

    async def listen() -> None:
        async for change in app.state.bus.listen("Statement", frozenset()):
            events.append(change)

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        call = Api(client)
        first = (await call(UPSERT_STATEMENT, key, input=statement())).data["upsertStatement"]
        assert (first["created"], first["changed"]) == (True, True)
        aof_before = await aof_size(scratch_store)
        for _ in range(3):
            again = await call(UPSERT_STATEMENT, key, input=statement())
            payload = again.data["upsertStatement"]
            assert (payload["created"], payload["changed"]) == (False, False), again.body
            assert payload["statement"]["edited"] == first["statement"]["edited"]
        assert await aof_size(scratch_store) == aof_before
        await asyncio.sleep(0.05)
        assert [e.kind.value for e in events] == ["CREATED"]
        changed = (await call(UPSERT_STATEMENT, key, input=statement(channel="TV"))).data["upsertStatement"]
        assert (changed["created"], changed["changed"]) == (False, True)
        grown = await aof_size(scratch_store)
        assert grown is None or (aof_before is not None and grown > aof_before)  # the measure can see a write
        await asyncio.sleep(0.05)
        assert [e.kind.value for e in events] == ["CREATED", "UPDATED"]
    listener.cancel()


async def aof_size(store: Store) -> int | None:
    """The append-only file's size, on the embedded FalkorDB (None elsewhere)."""
    if not isinstance(store, FalkorDBStore):
        return None
    info = await store._command("INFO", "persistence")
    return int(info["aof_current_size"]) if info.get("aof_enabled") else None


@pytest.mark.parametrize(
    ("changes", "argument", "words"),
    [
        (
            {"start": START + 1, "end": START + 1 + len(QUOTE)},
            "input.quote",
            f"the quote is at start {START}",
        ),
        ({"quote": "words nobody said", "end": START + 17}, "input.quote", "is not the quote"),
        ({"about": ["measure:nothing"]}, "input.about", "no node has the id 'measure:nothing'"),
        ({"speaker": "person:nobody"}, "input.speaker", "no node has the id 'person:nobody'"),
        ({"speaker": "measure:us-vehicle-tariff-2025"}, "input.speaker", "is not an id of the form"),
        ({"id": "position:x"}, "input.id", "'statement:<slug>'"),
        ({"source": "person:mark-carney"}, "input.source", "'source:...'"),
        ({"start": -1}, "input.start", "greater than or equal to 0"),
        ({"saidOn": {"on": "2025-02-30"}}, "input.saidOn", "day is out of range"),
    ],
)
async def test_bad_statements_are_refused_naming_the_field(
    api: tuple[Api, Store, dict[str, str]], changes: dict[str, Any], argument: str, words: str
) -> None:
    call, store, keys = api
    before = await nodes(store)
    result = await call(UPSERT_STATEMENT, keys["write"], input=statement(**changes))
    assert result.codes == ["BAD_USER_INPUT"], result.body
    error = result.errors[0]
    assert error["extensions"].get("argument") == argument and words in error["message"], error
    assert await nodes(store) == before


async def test_positions(api: tuple[Api, Store, dict[str, str]]) -> None:
    call, _, keys = api
    position = {
        "id": "position:poilievre-opposes-parts", "actor": "person:pierre-poilievre",
        "on": "measure:us-auto-parts-tariff-2025", "stance": "OPPOSE", "confidence": 0.6,
        "evidence": ["statement:poilievre-unjustified-unprovoked"],
    }  # fmt: skip
    made = await call(UPSERT_POSITION, keys["write"], input=position)
    assert not made.errors and made.data["upsertPosition"]["position"]["on"] == {
        "id": "measure:us-auto-parts-tariff-2025"
    }
    positions = await call('{ positions(on: "measure:us-auto-parts-tariff-2025") { nodes { id stance } } }')
    assert positions.data["positions"]["nodes"] == [
        {"id": "position:poilievre-opposes-parts", "stance": "OPPOSE"},
        {"id": "position:us-supports-us-auto-parts-tariff", "stance": "SUPPORT"},
    ]
    for changes, argument in [
        ({"confidence": 1.5}, "input.confidence"),
        ({"validFrom": {"on": "2025-05"}, "validTo": {"on": "2025-04"}}, "input.validFrom"),
        ({"evidence": []}, "input.evidence"),
        ({"on": "person:mark-carney"}, "input.on"),
    ]:
        result = await call(UPSERT_POSITION, keys["write"], input={**position, **changes})
        assert (
            result.codes == ["BAD_USER_INPUT"] and result.errors[0]["extensions"]["argument"] == argument
        ), result.body


async def test_a_clients_float_arithmetic_is_kept_to_fifteen_digits(
    api: tuple[Api, Store, dict[str, str]],
) -> None:
    """A frontend computing 0.5 + 7/100 sends 0.5700000000000001: stored and read back as 0.57, the
    database's 15 significant digits; a rate computed the same way too."""
    call, _, keys = api
    position = {
        "id": "position:poilievre-opposes-parts", "actor": "person:pierre-poilievre",
        "on": "measure:us-auto-parts-tariff-2025", "stance": "OPPOSE", "confidence": 0.5 + 7 / 100,
        "evidence": ["statement:poilievre-unjustified-unprovoked"],
    }  # fmt: skip
    assert position["confidence"] == 0.5700000000000001
    upsert = """mutation($input: PositionInput!) {
        upsertPosition(input: $input) { changed position { confidence } } }"""
    made = await call(upsert, keys["write"], input=position)
    assert made.data["upsertPosition"] == {"changed": True, "position": {"confidence": 0.57}}, made.body
    read = await call('{ node(id: "position:poilievre-opposes-parts") { ... on Position { confidence } } }')
    assert read.data["node"]["confidence"] == 0.57
    again = await call(upsert, keys["write"], input=position)
    assert again.data["upsertPosition"]["changed"] is False, again.body  # the same value, once rounded
    rate = await call(UPSERT_MEASURE, keys["write"], input=measure(rate=0.1 + 0.2))
    assert rate.data["upsertMeasure"]["measure"]["rate"] == 0.3, rate.body


async def test_deleting_what_facts_depend_on_needs_cascade(
    api: tuple[Api, Store, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    call, store, keys = api
    before = await nodes(store)
    refused = await call(DELETE, keys["write"], id="statement:singh-betrayal", cascade=False)
    assert refused.codes == ["BAD_USER_INPUT"]
    assert "position:singh-opposes-us-vehicle-tariff (EVIDENCED_BY)" in refused.errors[0]["message"]
    assert await nodes(store) == before
    # a cascade needs the admin scope
    forbidden = await call(DELETE, keys["write"], id="statement:singh-betrayal", cascade=True)
    assert forbidden.codes == ["FORBIDDEN"] and await nodes(store) == before

    # a position that keeps other evidence stays, without the relationship
    kept = await call(DELETE, keys["admin"], id="statement:carney-maximum-impact", cascade=True)
    assert kept.data["deleteNode"]["deleted"] == ["statement:carney-maximum-impact"]
    assert kept.data["deleteNode"]["detached"] == [
        {"id": "position:carney-opposes-us-vehicle-tariff"},
        {"id": "position:carney-supports-planned-retaliation"},
    ]
    assert await nodes(store) == before - 1

    # positions whose last evidence goes cannot stand: they go too, and the log says who did it
    with caplog.at_level(logging.INFO, logger="graphapi.edits"):
        done = await call(DELETE, keys["admin"], id="statement:singh-betrayal", cascade=True)
    [logged] = [r for r in caplog.records if r.name == "graphapi.edits"]
    assert logged.node_id == "statement:singh-betrayal" and "admin key" in logged.by  # type: ignore[attr-defined]
    payload = done.data["deleteNode"]
    assert payload["deletedId"] == "statement:singh-betrayal"
    assert payload["deleted"] == [
        "statement:singh-betrayal", "position:singh-opposes-us-blanket-tariff",
        "position:singh-opposes-us-steel-aluminum-duties", "position:singh-opposes-us-vehicle-tariff",
    ]  # fmt: skip
    assert payload["detached"] == []
    assert await nodes(store) == before - 5
    positions = await call('{ node(id: "person:jagmeet-singh") { ... on Person { positions { id } } } }')
    assert positions.data["node"]["positions"] == []
    gone = await call(DELETE, keys["write"], id="statement:singh-betrayal", cascade=False)
    assert gone.codes == ["NOT_FOUND"]
    malformed = await call(DELETE, keys["write"], id="statement:x\n", cascade=False)
    assert malformed.codes == ["BAD_USER_INPUT"] and malformed.errors[0]["extensions"]["argument"] == "id"
    free = await call(DELETE, keys["write"], id="statement:trump-51st-state", cascade=False)
    assert not free.errors and free.data["deleteNode"]["detached"] == []


async def test_a_cascade_follows_what_cannot_stand(api: tuple[Api, Store, dict[str, str]]) -> None:
    """A person's statements cannot stand without their speaker, nor positions without their holder or
    their last evidence: deleting the person takes them all, and no position is left without evidence
    (statements, or the spans that report a deed)."""
    call, store, keys = api
    before = await nodes(store)
    done = await call(DELETE, keys["admin"], id="person:pierre-poilievre", cascade=True)
    deleted = done.data["deleteNode"]["deleted"]
    assert deleted[0] == "person:pierre-poilievre"
    assert set(deleted[1:]) == {
        "statement:poilievre-unjustified-unprovoked", "position:poilievre-opposes-us-vehicle-tariff",
        "position:poilievre-opposes-us-blanket-tariff", "position:poilievre-opposes-us-steel-aluminum-duties",
    }  # fmt: skip
    assert await nodes(store) == before - 5
    orphans = await store.read(
        Cypher(
            "test.orphans",
            "MATCH (p:Position) WHERE NOT (p)-[:EVIDENCED_BY]->() AND NOT (p)-[:EVIDENCE_IN]->() "
            "RETURN p.id AS id",
        )
    )
    assert orphans == []


RETALIATION = "retaliatory tariffs"
UPSERT_MEASURE = """mutation($input: MeasureInput!) { upsertMeasure(input: $input) {
    created measure { id status rate imposedBy { id } retaliatesAgainst { id } evidence { quote source { id } }
                      effectiveFrom { iso precision } edited { createdBy } } } }"""
UPSERT_EVENT = """mutation($input: EventInput!) { upsertEvent(input: $input) {
    created event { id kind status participants { id } date { iso } evidence { quote } } } }"""


def measure(**changes: Any) -> dict[str, Any]:
    start = SOURCE_TEXT.index(RETALIATION)
    return {
        "id": "measure:ca-steel-retaliation", "name": "Canadian retaliation on steel", "kind": "TARIFF",
        "status": "THREATENED", "imposedBy": ["country:CA"], "targets": ["country:US"], "rate": 25,
        "retaliatesAgainst": ["measure:us-steel-aluminum-duties"], "source": "source:us-canada-tariff-call",
        "evidence": [{"quote": RETALIATION, "start": start, "end": start + len(RETALIATION)}], **changes,
    }  # fmt: skip


async def test_measures_and_events(api: tuple[Api, Store, dict[str, str]]) -> None:
    call, store, keys = api
    before = await nodes(store)
    made = await call(UPSERT_MEASURE, keys["write"], input=measure(effectiveFrom={"on": "2025-06"}))
    assert not made.errors, made.errors
    result = made.data["upsertMeasure"]["measure"]
    assert result["retaliatesAgainst"] == [{"id": "measure:us-steel-aluminum-duties"}]
    assert result["evidence"] == [{"quote": RETALIATION, "source": {"id": "source:us-canada-tariff-call"}}]
    assert result["effectiveFrom"] == {"iso": "2025-06", "precision": "MONTH"}
    chain = await call(
        '{ retaliationChain(measure: "measure:us-steel-aluminum-duties", direction: BY) { nodes { id } } }'
    )
    assert {"id": "measure:ca-steel-retaliation"} in chain.data["retaliationChain"]["nodes"]
    again = await call(UPSERT_MEASURE, keys["write"], input=measure(status="IN_FORCE"))
    assert (
        again.data["upsertMeasure"]["created"] is False
        and again.data["upsertMeasure"]["measure"]["status"] == "IN_FORCE"
    )
    assert await nodes(store) == before + 1
    for changes, argument in [
        ({"rate": 5000}, "input.rate"),
        ({"imposedBy": []}, "input.imposedBy"),
        ({"evidence": [{"quote": RETALIATION, "start": 0, "end": len(RETALIATION)}]}, "input.evidence[0]"),
        ({"effectiveFrom": {"on": "2025-06"}, "effectiveTo": {"on": "2025-05"}}, "input.effectiveFrom"),
        ({"partOf": "measure:nothing"}, "input.partOf"),
    ]:
        refused = await call(UPSERT_MEASURE, keys["write"], input=measure(**changes))
        assert (
            refused.codes == ["BAD_USER_INPUT"] and refused.errors[0]["extensions"]["argument"] == argument
        ), refused.body
    event_quote = "Both administrations agreed"
    start = SOURCE_TEXT.index(event_quote)
    event = {
        "id": "event:ottawa-talks", "name": "Talks in Ottawa", "kind": "TALKS", "status": "PLANNED",
        "participants": ["country:US", "country:CA"], "date": {"on": "2025-05-02", "yearStated": False},
        "source": "source:us-canada-tariff-call",
        "evidence": [{"quote": event_quote, "start": start, "end": start + len(event_quote)}],
    }  # fmt: skip
    made_event = await call(UPSERT_EVENT, keys["write"], input=event)
    assert not made_event.errors, made_event.errors
    assert made_event.data["upsertEvent"]["event"]["participants"] == [
        {"id": "country:CA"},
        {"id": "country:US"},
    ]
    unauthenticated = await call(UPSERT_EVENT, None, input=event)
    assert unauthenticated.codes == ["UNAUTHENTICATED"]


async def test_actors_offices_tenures_and_sources(api: tuple[Api, Store, dict[str, str]]) -> None:
    call, _, keys = api
    write = keys["write"]
    person = await call(
        "mutation($i: ActorInput!) { upsertActor(input: $i) { created actor { id name ... on Person { tenures { office { id } } } } } }",
        write, i={"id": "person:chrystia-freeland", "name": "Chrystia Freeland"},
    )  # fmt: skip
    assert person.data["upsertActor"] == {
        "created": True,
        "actor": {"id": "person:chrystia-freeland", "name": "Chrystia Freeland", "tenures": []},
    }
    party = await call(
        "mutation($i: ActorInput!) { upsertActor(input: $i) { actor { ... on Party { country { id } description } } } }",
        write, i={"id": "party:ca-green", "name": "Green Party", "country": "country:CA", "description": "green"},
    )  # fmt: skip
    assert party.data["upsertActor"]["actor"] == {"country": {"id": "country:CA"}, "description": "green"}
    bad_party = await call(
        "mutation($i: ActorInput!) { upsertActor(input: $i) { created } }",
        write,
        i={"id": "party:x", "name": "X"},
    )
    assert (
        bad_party.codes == ["BAD_USER_INPUT"]
        and bad_party.errors[0]["extensions"]["argument"] == "input.country"
    )
    office = await call(
        "mutation($i: OfficeInput!) { upsertOffice(input: $i) { office { id of { id } } } }",
        write, i={"id": "office:ca-finance-minister", "name": "Finance Minister of Canada", "of": "country:CA"},
    )  # fmt: skip
    assert office.data["upsertOffice"]["office"] == {
        "id": "office:ca-finance-minister",
        "of": {"id": "country:CA"},
    }

    quote = "Canadian Prime Minister Mark Carney"  # stands in as evidence: spans must hold in the source
    start = SOURCE_TEXT.index(quote)
    tenure = {
        "holder": "person:chrystia-freeland", "office": "office:ca-finance-minister", "from": {"on": "2025-03"},
        "source": "source:us-canada-tariff-call", "evidence": [{"quote": quote, "start": start, "end": start + len(quote)}],
    }  # fmt: skip
    set_tenure = "mutation($i: TenureInput!) { setTenure(input: $i) { holder { id } office { id } from { iso precision } evidence { quote } } }"
    result = await call(set_tenure, write, i=tenure)
    assert result.data["setTenure"] == {"holder": {"id": "person:chrystia-freeland"}, "office": {"id": "office:ca-finance-minister"},
                                        "from": {"iso": "2025-03", "precision": "MONTH"}, "evidence": [{"quote": quote}]}  # fmt: skip
    holders = await call(
        '{ officeHolders(office: "office:ca-finance-minister", on: "2025-04-01") { holder { id } } }'
    )
    assert holders.data["officeHolders"] == [{"holder": {"id": "person:chrystia-freeland"}}]
    wrong = await call(set_tenure, write, i={**tenure, "to": {"on": "2025-01"}})
    assert wrong.codes == ["BAD_USER_INPUT"] and "is after" in wrong.errors[0]["message"]
    removed = await call(
        'mutation { removeTenure(holder: "person:chrystia-freeland", office: "office:ca-finance-minister") }',
        write,
    )
    assert removed.data == {"removeTenure": True}

    upsert_source = (
        "mutation($i: SourceInput!) { upsertSource(input: $i) { created source { id checksum text } } }"
    )
    new = await call(
        upsert_source, write, i={"id": "source:note", "title": "A note", "text": "Carney spoke."}
    )
    assert (
        new.data["upsertSource"]["created"] is True
        and new.data["upsertSource"]["source"]["text"] == "Carney spoke."
    )
    changed = await call(
        upsert_source, write, i={"id": "source:note", "title": "A note", "text": "Carney spoke twice."}
    )
    assert not changed.errors  # nothing points into it yet
    quoted = await call(
        upsert_source, write, i={"id": "source:us-canada-tariff-call", "title": "T", "text": "rewritten"}
    )
    assert quoted.codes == ["BAD_USER_INPUT"] and "cannot change under them" in quoted.errors[0]["message"]
    hits = await call('{ search(text: "twice", kinds: [SOURCE]) { edges { node { id } } } }')
    assert hits.data["search"]["edges"] == [{"node": {"id": "source:note"}}]


async def test_a_position_on_a_deed_stands_without_the_statements_that_support_it(
    api: tuple[Api, Store, dict[str, str]],
) -> None:
    """A position read from a deed rests on the spans that report it: deleting a statement that also
    supports it leaves it standing (detached), where a position read from words would go."""
    call, store, keys = api
    rows = await store.read(
        Cypher(
            "test.deeds",
            "MATCH (p:Position {basis: 'ACTION'})-[:EVIDENCED_BY]->(s:Statement) RETURN p.id AS p, s.id AS s LIMIT 1",
        )
    )
    if not rows:
        made = await call(
            "mutation($i: PositionInput!) { upsertPosition(input: $i) { position { id } } }",
            keys["write"],
            i={"id": "position:us-deed", "actor": "country:US", "on": "measure:us-vehicle-tariff-2025",
               "stance": "SUPPORT", "basis": "ACTION", "confidence": 0.8, "evidence": ["statement:trump-51st-state"],
               "source": "source:us-canada-tariff-call",
               "spans": [{"quote": "planned 25% tariffs on vehicle imports", "start": START_OF_DEED,
                          "end": START_OF_DEED + len("planned 25% tariffs on vehicle imports")}]},
        )  # fmt: skip
        assert not made.errors, made.errors
        rows = [{"p": "position:us-deed", "s": "statement:trump-51st-state"}]
    position, statement = rows[0]["p"], rows[0]["s"]
    done = await call(DELETE, keys["admin"], id=statement, cascade=True)
    assert position not in done.data["deleteNode"]["deleted"]
    assert {"id": position} in done.data["deleteNode"]["detached"]


START_OF_DEED = SOURCE_TEXT.index("planned 25% tariffs on vehicle imports")


def without_offsets(**changes: Any) -> dict[str, Any]:
    return {k: v for k, v in statement(**changes).items() if k not in ("start", "end")}


async def test_a_quote_without_offsets_is_placed_in_its_source(
    api: tuple[Api, Store, dict[str, str]],
) -> None:
    call, _, keys = api
    made = await call(UPSERT_STATEMENT, keys["write"], input=without_offsets())
    assert not made.errors, made.body
    assert made.data["upsertStatement"]["statement"]["span"] == {"start": START, "end": START + len(QUOTE)}
    # a quote the text holds twice needs its occurrence; without it the error lists both places
    repeated = "Canada"
    places = [i for i in range(len(SOURCE_TEXT)) if SOURCE_TEXT.startswith(repeated, i)]
    refused = await call(UPSERT_STATEMENT, keys["write"], input=without_offsets(quote=repeated))
    assert refused.codes == ["BAD_USER_INPUT"], refused.body
    message = refused.errors[0]["message"]
    assert refused.errors[0]["extensions"]["argument"] == "input.quote"
    assert f"the quote occurs {len(places)} times" in message and f"at start {places[1]}," in message
    second = await call(UPSERT_STATEMENT, keys["write"], input=without_offsets(quote=repeated, occurrence=2))
    assert not second.errors, second.body
    assert second.data["upsertStatement"]["statement"]["span"]["start"] == places[1]
    # evidence spans too
    measure_quote = "blanket 25% tariff on Canadian goods"
    measure = {
        "id": "measure:placed", "name": "placed", "kind": "TARIFF", "status": "IN_FORCE",
        "imposedBy": ["country:US"], "source": "source:us-canada-tariff-call",
        "evidence": [{"quote": measure_quote}],
    }  # fmt: skip
    placed = await call(
        "mutation($input: MeasureInput!) { upsertMeasure(input: $input) { measure { id } } }",
        keys["write"],
        input=measure,
    )
    assert not placed.errors, placed.body
    evidence = await call('{ provenance(id: "measure:placed") { span { start end } } }')
    start = SOURCE_TEXT.index(measure_quote)
    assert {"start": start, "end": start + len(measure_quote)} in [
        p["span"] for p in evidence.data["provenance"]
    ], evidence.body


async def test_a_missing_quote_is_refused_with_the_nearest_words(
    api: tuple[Api, Store, dict[str, str]],
) -> None:
    call, store, keys = api
    before = await nodes(store)
    result = await call(
        UPSERT_STATEMENT, keys["write"], input=without_offsets(quote="unjustified and unprovokd")
    )
    assert result.codes == ["BAD_USER_INPUT"], result.body
    message = result.errors[0]["message"]
    assert result.errors[0]["extensions"]["argument"] == "input.quote"
    assert "does not occur in the source text" in message
    assert f"the nearest words are at start {START}, end {START + len(QUOTE) - 1}" in message, message
    missing = await call(UPSERT_STATEMENT, keys["write"], input=without_offsets(source="source:nothing"))
    assert (
        missing.codes == ["BAD_USER_INPUT"] and missing.errors[0]["extensions"]["argument"] == "input.source"
    )
    assert await nodes(store) == before
