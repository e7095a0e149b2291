"""Many sources, one graph: several seed files state the same records, each as a claim of its source, and
the graph answers by the claim rule (graphapi/graph/claims.py). The follow-up articles are fictional
fixtures (tests/fixtures/sources/README.md). Every answer is asked of the compiled path and of the
resolvers, which must agree."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.seed.loader import load
from graphapi.store import Store
from helpers import SEED_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
FOLLOW_UP = "canada-strikes-back.yaml"
DISPUTE = "vehicle-tariff-rate-dispute.yaml"
VEHICLE = "measure:us-vehicle-tariff-2025"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """The fixtures, copied where a test may change them."""
    shutil.copytree(FIXTURES, tmp_path / "sources")
    return tmp_path / "sources"


Ask = Any


@pytest.fixture
async def ask(scratch_store: Store) -> AsyncIterator[Ask]:
    """A query asked of the compiled path and of the resolvers: both must give the same answer."""
    apps = [
        create_app(Settings.from_env({}), store=scratch_store),
        create_app(Settings.from_env({"GRAPHAPI_COMPILE": "false"}), store=scratch_store),
    ]
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://t") for a in apps]

    async def asking(query: str, **variables: Any) -> Any:
        answers = []
        for client in clients:
            body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
            assert "errors" not in body, body
            answers.append(json.dumps(body["data"], sort_keys=True))
        assert answers[0] == answers[1], "compiled and resolved answers differ"
        return json.loads(answers[0])

    try:
        yield asking
    finally:
        for client in clients:
            await client.aclose()


MEASURE = """query($id: ID!, $d: Day!) { node(id: $id) { ... on Measure { status rate disputed
    effectiveFrom { iso yearStated } inForce(on: $d) { certainty why } evidence { source { id } } } } }"""


async def test_a_later_source_moves_a_fact_and_the_first_keeps_its_claim(
    scratch_store: Store, ask: Ask, files: Path
) -> None:
    await load(scratch_store, [SEED_DIR])
    before = (await ask(MEASURE, id=VEHICLE, d="2025-04-03"))["node"]
    assert before["status"] == "ANNOUNCED" and before["inForce"]["certainty"] == "POSSIBLE"

    await load(scratch_store, [files / FOLLOW_UP])  # the follow-up alone: the first file's claims stay
    after = (await ask(MEASURE, id=VEHICLE, d="2025-04-03"))["node"]
    assert after["status"] == "IN_FORCE" and after["rate"] == 25 and after["disputed"] == []
    assert after["effectiveFrom"] == {"iso": "2025-04-02", "yearStated": True}
    assert after["inForce"] == {
        "certainty": "KNOWN",
        "why": "reported in force, starting 2025-04-02 ('April 2, 2025'); no end reported",
    }
    assert after["evidence"] == [{"source": {"id": "source:canada-strikes-back"}}]  # the latest report's
    # ... and past the follow-up's own date, only possible again
    later = (await ask(MEASURE, id=VEHICLE, d="2025-06-01"))["node"]["inForce"]
    assert later["certainty"] == "POSSIBLE"
    assert "last reported in force by source:canada-strikes-back, written by 2025-04-03" in later["why"]

    claims = await ask(
        """{ node(id: "measure:us-vehicle-tariff-2025") { claims(field: "status") { file writtenBy
            source { id } fields { name value stands disputed } } } }"""
    )
    assert claims["node"]["claims"] == [
        {
            "file": "us-canada-tariff-call.yaml",
            "writtenBy": "2025-04-02",
            "source": {"id": "source:us-canada-tariff-call"},
            "fields": [
                {"name": "status", "value": '{"status": "ANNOUNCED"}', "stands": False, "disputed": False}
            ],
        },
        {
            "file": FOLLOW_UP,
            "writtenBy": "2025-04-03",
            "source": {"id": "source:canada-strikes-back"},
            "fields": [
                {"name": "status", "value": '{"status": "IN_FORCE"}', "stands": True, "disputed": False}
            ],
        },
    ]
    # Fields only the first source gives still stand (the follow-up says nothing of aliases or effects).
    kept = await ask(
        f'{{ node(id: "{VEHICLE}") {{ ... on Measure {{ aliases effects {{ description }} }} }} }}'
    )
    assert kept["node"]["aliases"] == ["automotive tariffs", "tariffs on vehicles"]
    assert len(kept["node"]["effects"]) == 2


async def test_a_corroborated_fact_is_known_up_to_the_latest_report(scratch_store: Store, ask: Ask) -> None:
    query = '{ measures(filter: {inForceOn: "2025-04-03"}) { nodes { id } } }'
    await load(scratch_store, [SEED_DIR])
    assert (await ask(query))["measures"]["nodes"] == []  # the article alone: nothing known after April 2
    await load(scratch_store, [FIXTURES / FOLLOW_UP])
    known = [m["id"] for m in (await ask(query))["measures"]["nodes"]]
    # the blanket tariff, reported again in force on April 3; the vehicle tariffs, reported in force
    assert known == ["measure:us-blanket-tariff-canada", VEHICLE]


async def test_sources_of_the_same_date_that_disagree_are_disputed(scratch_store: Store, ask: Ask) -> None:
    await load(scratch_store, [SEED_DIR, FIXTURES / FOLLOW_UP, FIXTURES / DISPUTE])
    node = (await ask(MEASURE, id=VEHICLE, d="2025-04-03"))["node"]
    # both written on April 3: the file whose name sorts last stands, and the field says it is disputed
    assert node["disputed"] == ["rate"] and node["rate"] == 20
    rate = await ask(
        f'{{ node(id: "{VEHICLE}") {{ claims(field: "rate") {{ file fields {{ value stands disputed }} }} }} }}'
    )
    assert rate["node"]["claims"] == [
        {"file": "us-canada-tariff-call.yaml", "fields": [{"value": '{"rate": 25.0}', "stands": False, "disputed": False}]},
        {"file": FOLLOW_UP, "fields": [{"value": '{"rate": 25.0}', "stands": False, "disputed": True}]},
        {"file": DISPUTE, "fields": [{"value": '{"rate": 20.0}', "stands": True, "disputed": True}]},
    ]  # fmt: skip


async def test_positions_rest_on_evidence_from_several_sources(scratch_store: Store, ask: Ask) -> None:
    await load(scratch_store, [SEED_DIR, FIXTURES / FOLLOW_UP])
    position = await ask(
        """{ node(id: "position:carney-opposes-us-vehicle-tariff") { ... on Position { stance
            evidence { quote source { id } } } } }"""
    )
    sources = {e["source"]["id"] for e in position["node"]["evidence"]}
    assert sources == {"source:us-canada-tariff-call", "source:canada-strikes-back"}
    quotes = [e["quote"] for e in position["node"]["evidence"]]
    assert "dollar for dollar" in quotes and "maximum impact" in quotes


async def test_removing_a_files_claims_removes_only_them(scratch_store: Store, ask: Ask, files: Path) -> None:
    await load(scratch_store, [SEED_DIR, files / FOLLOW_UP, files / DISPUTE])
    # the dispute's file no longer states the measure: its claim goes, the record stays with the others'
    only_its_source(files / DISPUTE)
    await load(scratch_store, [files / DISPUTE])
    node = (await ask(MEASURE, id=VEHICLE, d="2025-04-03"))["node"]
    assert node["rate"] == 25 and node["disputed"] == [] and node["status"] == "IN_FORCE"
    # the follow-up no longer states its own new measure: no source states it, so it goes
    text = (files / FOLLOW_UP).read_text(encoding="utf-8")
    counter = text[text.index("  - id: measure:ca-vehicle-counter-tariffs") : text.index("\nstatements:")]
    (files / FOLLOW_UP).write_text(text.replace(counter, ""), encoding="utf-8")
    await load(scratch_store, [files / FOLLOW_UP])
    by_canada = await ask('{ measures(filter: {imposedBy: "country:CA"}) { nodes { id } } }')
    assert "measure:ca-vehicle-counter-tariffs" not in {m["id"] for m in by_canada["measures"]["nodes"]}
    assert "measure:ca-retaliatory-tariffs" in {m["id"] for m in by_canada["measures"]["nodes"]}
    # and without the follow-up's claims, the first article's answer is back
    only_its_source(files / FOLLOW_UP)
    await load(scratch_store, [files / FOLLOW_UP])
    node = (await ask(MEASURE, id=VEHICLE, d="2025-04-03"))["node"]
    assert node["status"] == "ANNOUNCED" and node["effectiveFrom"] == {
        "iso": "2025-04-02",
        "yearStated": False,
    }


async def test_a_load_of_several_files_is_idempotent(scratch_store: Store) -> None:
    paths = [SEED_DIR, FIXTURES / FOLLOW_UP, FIXTURES / DISPUTE]
    first = await load(scratch_store, paths)
    assert first.changed
    again = await load(scratch_store, paths)
    assert not again.changed and again.statements == 0


def only_its_source(path: Path) -> None:
    """The file, with every record but its source taken out (as a curator would delete them)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\nmeasures:")] + "\n", encoding="utf-8")


async def test_a_stance_that_changes_is_kept_as_its_history(scratch_store: Store, ask: Ask) -> None:
    await load(scratch_store, [SEED_DIR, FIXTURES / DISPUTE])
    singh = await ask(
        """{ node(id: "position:singh-opposes-us-vehicle-tariff") { ... on Position { stance
            first: stanceOn(on: "2025-04-02") later: stanceOn(on: "2025-04-03") before: stanceOn(on: "2025-01-01")
            claims(field: "stance") { file writtenBy fields { value stands } }
            evidence { quote } } } }"""
    )
    node = singh["node"]
    assert (node["stance"], node["first"], node["later"], node["before"]) == (
        "MIXED",
        "OPPOSE",
        "MIXED",
        None,
    )
    assert [(c["writtenBy"], c["fields"][0]["value"], c["fields"][0]["stands"]) for c in node["claims"]] == [
        ("2025-04-02", '{"stance": "OPPOSE"}', False),
        ("2025-04-03", '{"stance": "MIXED"}', True),
    ]
    assert {e["quote"] for e in node["evidence"]} >= {"betrayal", "partly deserved"}


async def test_positions_on_a_measure_and_its_parts_in_one_query(store: Store) -> None:
    app = create_app(Settings.from_env({}), store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        query = """query($parts: Boolean!) { positions(on: "measure:us-vehicle-tariff-2025", includeParts: $parts) {
            totalCount nodes { on { id } } } }"""
        alone = (await client.post("/graphql", json={"query": query, "variables": {"parts": False}})).json()
        both = (await client.post("/graphql", json={"query": query, "variables": {"parts": True}})).json()
    assert alone["data"]["positions"]["totalCount"] == 6
    assert both["data"]["positions"]["totalCount"] == 7
    assert {p["on"]["id"] for p in both["data"]["positions"]["nodes"]} == {
        VEHICLE,
        "measure:us-auto-parts-tariff-2025",
    }


async def test_positions_side_by_side(store: Store) -> None:
    app = create_app(Settings.from_env({}), store=store)
    query = """{ compare(actors: ["person:mark-carney", "country:US", "person:jagmeet-singh"],
        on: ["measure:us-vehicle-tariff-2025", "measure:us-blanket-tariff-canada"], includeParts: true) {
        actor { id } on { id } stance positions { id } } }"""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        body = (await client.post("/graphql", json={"query": query})).json()
        refused = (
            await client.post(
                "/graphql", json={"query": '{ compare(actors: [], on: ["measure:x"]) { stance } }'}
            )
        ).json()
    cells = {
        (c["actor"]["id"], c["on"]["id"]): (c["stance"], len(c["positions"])) for c in body["data"]["compare"]
    }
    assert cells == {
        ("person:mark-carney", VEHICLE): ("OPPOSE", 1),
        ("person:mark-carney", "measure:us-blanket-tariff-canada"): (None, 0),
        ("country:US", VEHICLE): ("SUPPORT", 2),  # on the vehicle tariffs, and on their parts
        ("country:US", "measure:us-blanket-tariff-canada"): ("SUPPORT", 1),
        ("person:jagmeet-singh", VEHICLE): ("OPPOSE", 1),
        ("person:jagmeet-singh", "measure:us-blanket-tariff-canada"): ("OPPOSE", 1),
    }
    assert [c["actor"]["id"] for c in body["data"]["compare"]][:2] == ["person:mark-carney"] * 2  # as asked
    assert refused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "actors"}


async def test_a_measures_timeline_in_date_order(scratch_store: Store, ask: Ask) -> None:
    await load(scratch_store, [SEED_DIR, FIXTURES / FOLLOW_UP])
    data = await ask(
        f'{{ node(id: "{VEHICLE}") {{ ... on Measure {{ timeline {{ kind date {{ earliest latest }} summary node {{ id }} }} }} }} }}'
    )
    moments = data["node"]["timeline"]
    kinds = [m["kind"] for m in moments]
    assert {"REPORTED", "TAKES_EFFECT", "STATEMENT", "POSITION", "ANSWERED"} <= set(kinds)
    reports = [m for m in moments if m["kind"] == "REPORTED"]
    assert [r["summary"] for r in reports] == [
        "reported announced by Trump and Carney Engage in Constructive Dialogue Amid Trade Tensions",
        "reported in force by Canada strikes back at U.S. auto tariffs (FICTIONAL TEST ARTICLE)",
    ]
    dated = [m for m in moments if m["date"]]
    starts = [m["date"]["earliest"] or "" for m in dated]
    assert starts == sorted(starts) and moments[: len(dated)] == dated  # by first possible day, undated last
    assert "Mark Carney opposes it" in [m["summary"] for m in moments if m["kind"] == "POSITION"]
    answered = {m["node"]["id"] for m in moments if m["kind"] == "ANSWERED"}
    assert answered == {"measure:ca-planned-retaliation-autos", "measure:ca-vehicle-counter-tariffs"}


def test_every_number_of_the_bundled_seed_has_a_quote_that_states_it() -> None:
    """No reading beyond the text: a rate is in its evidence as written (25%), an amount as the source
    writes it (C$60 billion); the parts tariff, whose rate the article does not give, has none."""
    from graphapi.seed.files import discover, read_all
    from graphapi.seed.plan import plan

    checked = 0
    for node, _, _ in plan(read_all(discover([SEED_DIR]))).nodes:
        quotes = " ".join(node.props.get("evidenceQuotes") or [])
        if "rate" in node.props:
            assert f"{node.props['rate']:g}%" in quotes, node.id
            checked += 1
        for written in node.props.get("valueAsWritten") or []:
            assert written and written in quotes, node.id
            checked += 1
    assert checked == 4
    parts = next(
        n for n, _, _ in plan(read_all(discover([SEED_DIR]))).nodes if n.id.endswith("auto-parts-tariff-2025")
    )
    assert "rate" not in parts.props


@pytest.mark.parametrize(
    ("status", "bound"),
    [("HELD", "latest"), ("ONGOING", "latest"), ("PLANNED", "earliest"), ("CANCELLED", None)],
)
def test_an_undated_event_is_bounded_by_its_sources_date(status: str, bound: str | None) -> None:
    """Reported by a source written by 2025-04-02 and given no date: held by then, or, still to come, on
    or after it; a cancelled one has no day to bound."""
    from graphapi.graph import records as r
    from graphapi.graph.dates import DateInterval as Day
    from graphapi.graph.mapping import node_write

    event = r.Event(
        id="event:x", name="X", kind="CALL", status=status, timing="recently",
        evidence=[r.Span(quote="x", start=0, end=1)],
    )  # fmt: skip
    written = r.DateIn(earliest="2025-03-14", latest="2025-04-02").fuzzy()
    props = node_write(event, "source:s", written).props
    date = Day.from_props(props, "date")
    if bound is None:
        assert date is None
        return
    assert date is not None and date.as_written == "recently" and date.relative
    day = "2025-04-02" if bound == "latest" else "2025-03-14"
    assert (
        str(getattr(date, bound)) == day
        and getattr(date, "earliest" if bound == "latest" else "latest") is None
    )
