"""A file is the truth for what it holds: records removed from a file are removed from the graph, unless
something outside the file still needs them; records changed through the API are not silently overwritten;
validation and loading apply the same checks."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from test_loader import SEED, node_count, write_seed

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.graph.load_claims import CLAIMS
from graphapi.seed.loader import check, load
from graphapi.seed.problems import SeedInvalid
from graphapi.store import Cypher, Store
from helpers import SEED_NODES, GraphQLResult

POSITION = "position:trump-supports-eu-coordination-tariffs"
STATEMENT = "statement:trump-large-scale-tariffs"
# the other reading of the statement: the United States, through its president's words
COUNTRY_POSITION = "position:us-supports-eu-coordination-tariffs"
MEASURE = "measure:us-threatened-tariffs-eu-coordination"

IDS = Cypher("test.ids", "MATCH (n:Node) WHERE n.id IN $ids RETURN n.id AS id ORDER BY id")
RELS = Cypher("test.rels", "MATCH (n:Node {id: $id})-[r]-() RETURN count(r) AS rels")
HOLDS = Cypher(
    "test.holds", "MATCH (:Person {id: $holder})-[h:HOLDS]->(o:Office) RETURN o.id AS office ORDER BY office"
)


def without(document: dict[str, Any], *ids: str) -> dict[str, Any]:
    """The seed without the records of these ids."""
    edited = copy.deepcopy(document)
    for section, records in edited.items():
        if isinstance(records, list):
            edited[section] = [rec for rec in records if rec.get("id") not in ids]
    return edited


async def existing(store: Store, *ids: str) -> list[str]:
    return [row["id"] for row in await store.read(IDS, {"ids": list(ids)})]


async def test_records_removed_from_a_file_leave_the_graph(scratch_store: Store, tmp_path: Path) -> None:
    await load(scratch_store, [write_seed(tmp_path, SEED)])
    gone = [POSITION, STATEMENT, COUNTRY_POSITION]
    assert await existing(scratch_store, *gone) == sorted(gone)
    path = write_seed(tmp_path, without(SEED, *gone))

    # the dry run says what would go, and writes nothing
    dry = await check(scratch_store, [path])
    assert dry.problems == [] and dry.prepared is not None
    assert sorted((d.action, d.id) for d in dry.prepared.report.details) == [
        ("deleted", i) for i in sorted(gone)
    ]
    assert await node_count(scratch_store) == SEED_NODES

    report = await load(scratch_store, [path])
    assert dict(report.nodes_deleted) == {"Position": 2, "Statement": 1}
    cited = sum(len(p.get("evidence", [])) for p in SEED["positions"] if p["id"] in gone)
    assert report.rels_deleted["QUOTED_IN"] == 1 and report.rels_deleted["EVIDENCED_BY"] == cited
    assert await existing(scratch_store, *gone) == []
    assert await node_count(scratch_store) == SEED_NODES - 3
    # the measure the statement was about keeps no trace of it, and the next load changes nothing
    about = await scratch_store.read(
        Cypher("test.about", "MATCH (:Node {id: $id})<-[:ABOUT]-(s) RETURN s.id AS id"), {"id": MEASURE}
    )
    assert about and STATEMENT not in {row["id"] for row in about}
    again = await load(scratch_store, [path])
    assert not again.changed and again.statements == 0


async def test_a_tenure_removed_from_a_file_leaves_the_graph(scratch_store: Store, tmp_path: Path) -> None:
    await load(scratch_store, [write_seed(tmp_path, SEED)])
    edited = copy.deepcopy(SEED)
    edited["tenures"] = [t for t in edited["tenures"] if t["holder"] != "person:howard-lutnick"]
    report = await load(scratch_store, [write_seed(tmp_path, edited)])
    assert report.rels_deleted["HOLDS"] == 1 and not report.nodes_deleted
    assert await scratch_store.read(HOLDS, {"holder": "person:howard-lutnick"}) == []


CLAIM_OWNERS = Cypher("test.claim_owners", "MATCH (c:Claim) WHERE c.record IN $ids RETURN c.owner AS owner")


async def test_a_record_moved_to_another_file_stays(scratch_store: Store, tmp_path: Path) -> None:
    await load(scratch_store, [write_seed(tmp_path, SEED)])
    position = next(p for p in SEED["positions"] if p["id"] == POSITION)
    main = write_seed(tmp_path, without(SEED, POSITION))
    other = tmp_path / "readings.yaml"
    other.write_text(yaml.safe_dump({"positions": [position]}), encoding="utf-8")
    report = await load(scratch_store, [main, other])
    assert not report.nodes_deleted and await existing(scratch_store, POSITION) == [POSITION]
    claims = {row["name"]: row["nodes"] for row in await scratch_store.read(CLAIMS)}
    assert claims["readings.yaml"] == [POSITION] and POSITION not in claims["us-canada-tariff-call.yaml"]
    # loaded alone, the first file states it again: both files state it now, each as a claim of its own
    await load(scratch_store, [write_seed(tmp_path, SEED)])
    claims = {row["name"]: row["nodes"] for row in await scratch_store.read(CLAIMS)}
    assert POSITION in claims["readings.yaml"] and POSITION in claims["us-canada-tariff-call.yaml"]
    owners = await scratch_store.read(CLAIM_OWNERS, {"ids": [POSITION]})
    assert sorted(row["owner"] for row in owners) == ["readings.yaml", "us-canada-tariff-call.yaml"]


async def test_a_removal_another_file_depends_on_is_refused(scratch_store: Store, tmp_path: Path) -> None:
    main = write_seed(tmp_path, without(SEED, POSITION))
    position = next(p for p in SEED["positions"] if p["id"] == POSITION)
    other = tmp_path / "readings.yaml"
    other.write_text(yaml.safe_dump({"positions": [position]}), encoding="utf-8")
    await load(scratch_store, [main, other])
    # the statement the other file's position rests on goes from the first file, loaded alone
    with pytest.raises(SeedInvalid) as caught:
        await load(
            scratch_store, [write_seed(tmp_path, without(SEED, POSITION, COUNTRY_POSITION, STATEMENT))]
        )
    message = " ".join(str(caught.value).split())
    assert (
        f"{STATEMENT} is no longer in us-canada-tariff-call.yaml, but {POSITION} (stated by readings.yaml) "
        "still refers to it (EVIDENCED_BY)"
    ) in message
    assert await existing(scratch_store, STATEMENT) == [STATEMENT]


# --- the API and the files --------------------------------------------------------------------------------


class Api:
    def __init__(self, client: httpx.AsyncClient, keys: dict[str, str]) -> None:
        self.client, self.keys = client, keys

    async def __call__(self, query: str, scope: str = "write", **variables: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.keys[scope]}"}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        result = GraphQLResult(response)
        assert not result.errors, result.errors
        return result.data


@pytest.fixture
async def api(scratch_store: Store, tmp_path: Path) -> AsyncIterator[Api]:
    await load(scratch_store, [write_seed(tmp_path, SEED)])
    keys = {
        name: await create_key(scratch_store, f"{name} key", Scope[name.upper()])
        for name in ("write", "admin")
    }
    app = create_app(store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield Api(client, keys)


UPSERT_POSITION = "mutation($i: PositionInput!) { upsertPosition(input: $i) { created } }"
UPSERT_STATEMENT = "mutation($i: StatementInput!) { upsertStatement(input: $i) { created } }"
DELETE = "mutation($id: ID!) { deleteNode(id: $id, cascade: true) { deleted } }"
SET_TENURE = "mutation($i: TenureInput!) { setTenure(input: $i) { holder { id } } }"


async def test_a_removal_an_api_node_depends_on_is_refused(
    api: Api, scratch_store: Store, tmp_path: Path
) -> None:
    reading = {
        "id": "position:eu-reading", "actor": "org:eu", "on": MEASURE, "stance": "OPPOSE",
        "confidence": 0.5, "evidence": [STATEMENT],
    }  # fmt: skip
    await api(UPSERT_POSITION, i=reading)
    path = write_seed(tmp_path, without(SEED, POSITION, COUNTRY_POSITION, STATEMENT))
    dry = await check(scratch_store, [path])
    assert [str(p) for p in dry.problems] == [
        f"{path}: {STATEMENT} is no longer in us-canada-tariff-call.yaml, but position:eu-reading "
        "(made through the API) still refers to it (EVIDENCED_BY); change or delete that first"
    ]
    with pytest.raises(SeedInvalid):
        await load(scratch_store, [path])
    assert await existing(scratch_store, POSITION, STATEMENT) == [POSITION, STATEMENT]  # nothing went


async def test_a_tenure_made_through_the_api_is_kept_by_a_load(
    api: Api, scratch_store: Store, tmp_path: Path
) -> None:
    tenure = {
        "holder": "person:mark-carney", "office": "office:us-commerce-secretary", "source": "source:us-canada-tariff-call",
        "evidence": [{"quote": "Mark Carney", "start": 519, "end": 530}],
    }  # fmt: skip
    await api(SET_TENURE, i=tenure)
    report = await load(scratch_store, [write_seed(tmp_path, SEED)])
    assert not report.changed
    offices = [row["office"] for row in await scratch_store.read(HOLDS, {"holder": "person:mark-carney"})]
    assert "office:us-commerce-secretary" in offices
    # and a file that drops the person may not take the API's tenure with it
    path = write_seed(tmp_path, _without_carney())
    with pytest.raises(SeedInvalid) as caught:
        await load(scratch_store, [path])
    assert (
        "the tenure person:mark-carney -[HOLDS]-> office:us-commerce-secretary (made through the API)"
        in str(caught.value)
    )


def _without_carney() -> dict[str, Any]:
    """The seed without Mark Carney and everything that needs him."""
    carney = "person:mark-carney"
    doc = copy.deepcopy(SEED)
    said = {s["id"] for s in doc["statements"] if s["speaker"] == carney}
    doc["persons"] = [p for p in doc["persons"] if p["id"] != carney]
    doc["tenures"] = [t for t in doc["tenures"] if t["holder"] != carney]
    doc["statements"] = [s for s in doc["statements"] if s["speaker"] != carney]
    doc["positions"] = [
        p for p in doc["positions"] if p["actor"] != carney and not set(p.get("evidence", [])) & said
    ]
    for event in doc["events"]:
        event["participants"] = [a for a in event.get("participants", []) if a != carney]
    for measure in doc["measures"]:
        measure["imposed_by"] = [a for a in measure["imposed_by"] if a != carney]
        measure["acting_as"] = [a for a in measure.get("acting_as", []) if a["actor"] != carney]
    return doc


async def test_api_edits_of_seed_records_are_reported_not_lost(
    api: Api, scratch_store: Store, tmp_path: Path
) -> None:
    statement = next(s for s in SEED["statements"] if s["id"] == STATEMENT)
    edited = {
        **{k: v for k, v in statement.items() if k not in ("role", "about")},
        "source": "source:us-canada-tariff-call", "channel": "Truth Social",
    }  # fmt: skip
    await api(UPSERT_STATEMENT, i=edited)
    path = write_seed(tmp_path, SEED)
    # the difference, and who made it
    diff = await check(scratch_store, [path])
    [detail] = diff.prepared.report.details if diff.prepared else []
    assert detail.id == STATEMENT and detail.edited and "(write key) at " in detail.edited
    assert set(detail.fields) >= {"channel", "+IN_ROLE office:us-president", f"+ABOUT {MEASURE}"}
    assert [p.message for p in diff.problems] == [
        f"{STATEMENT} was changed through the API ({detail.edited}) since it was loaded"
    ]
    # a load neither loses it silently nor keeps it silently: it is refused, and nothing is written
    with pytest.raises(SeedInvalid) as caught:
        await load(scratch_store, [path])
    assert "was changed through the API" in str(caught.value)
    channel = Cypher("test.channel", "MATCH (s:Statement {id: $id}) RETURN s.channel AS channel")
    assert await scratch_store.read(channel, {"id": STATEMENT}) == [{"channel": "Truth Social"}]
    # overwriting is a decision the curator makes
    report = await load(scratch_store, [path], overwrite=True)
    assert [d.id for d in report.details if d.edited] == [STATEMENT]
    assert await scratch_store.read(channel, {"id": STATEMENT}) == [{"channel": None}]
    assert not (await load(scratch_store, [path])).changed


async def test_a_seed_record_deleted_through_the_api_is_not_silently_brought_back(
    api: Api, scratch_store: Store, tmp_path: Path
) -> None:
    await api(DELETE, "admin", id=POSITION)
    path = write_seed(tmp_path, SEED)
    with pytest.raises(SeedInvalid) as caught:
        await load(scratch_store, [path])
    assert f"{POSITION} was deleted through the API since it was loaded" in str(caught.value)
    assert await existing(scratch_store, POSITION) == []
    await load(scratch_store, [path], overwrite=True)
    assert await existing(scratch_store, POSITION) == [POSITION]


async def test_validation_and_loading_apply_the_same_checks(
    api: Api, scratch_store: Store, tmp_path: Path
) -> None:
    """What validation with the graph finds is exactly what refuses a load."""
    await api(DELETE, "admin", id=POSITION)
    path = write_seed(tmp_path, without(SEED, STATEMENT))
    with pytest.raises(SeedInvalid) as validated:
        await check(scratch_store, [path])
    with pytest.raises(SeedInvalid) as loaded:
        await load(scratch_store, [path])
    assert validated.value.problems == loaded.value.problems
    # the file's position still rests on the statement the same load would delete
    expected = (
        f"field 'evidence': {STATEMENT} is no longer in us-canada-tariff-call.yaml, so this load deletes it"
    )
    assert expected in " ".join(str(validated.value).split())


def test_a_file_is_known_by_its_name(tmp_path: Path) -> None:
    from graphapi.seed.loader import validate_files

    first = write_seed(tmp_path / "one", SEED)
    second = tmp_path / "two" / first.name
    second.parent.mkdir()
    second.write_text(yaml.safe_dump({"persons": [{"id": "person:x", "name": "X"}]}), encoding="utf-8")
    with pytest.raises(SeedInvalid) as caught:
        validate_files([first, second])
    assert f"{second}: a file is known by its name, and {first} has the same one" in str(caught.value)


async def test_a_removal_failing_halfway_changes_nothing(scratch_store: Store, tmp_path: Path) -> None:
    """The database refuses the last statement of a load that deletes: the deletions before it, and the
    file's new list of what it states, must not land."""
    from graphapi.graph.writes import CREATE_NODES
    from graphapi.seed.loader import prepare
    from graphapi.store import WriteStep

    await load(scratch_store, [write_seed(tmp_path, SEED)])
    claims = await scratch_store.read(CLAIMS)
    prepared = await prepare(
        scratch_store, [write_seed(tmp_path, without(SEED, POSITION, COUNTRY_POSITION, STATEMENT))]
    )
    poison = WriteStep(
        CREATE_NODES["person"], {"rows": [{"props": {"id": "person:poison", "bad": {"a": 1}}}]}
    )
    with pytest.raises(Exception):  # noqa: B017 - which error the engine raises is the engine's business
        await scratch_store.write_all([*prepared.steps, poison])
    assert await existing(scratch_store, POSITION, STATEMENT) == [POSITION, STATEMENT]  # nothing went
    assert await scratch_store.read(CLAIMS) == claims


async def test_an_emptied_graph_is_seeded_again_at_start(scratch_store: Store, tmp_path: Path) -> None:
    """Everything deleted (through the API, say): the service's start loads the seed again, though the
    graph remembers that its file stated those records."""
    from graphapi.app import seed_if_empty

    await load(scratch_store)
    await scratch_store.write(Cypher("test.empty", "MATCH (n:Node) DETACH DELETE n"))
    await seed_if_empty(scratch_store)
    assert await node_count(scratch_store) == SEED_NODES
