"""A load leaves out the files that have not changed since their last load (their digest, kept on the
file's SeedFile node: graphapi/seed/digests.py): it does not read them, and it reads the claims of the
records the files it does read need, not the graph's. What it reads, and what it decides, is what a load
of those files alone (the others not named) would: tested here with the bundled seed and the two
follow-up fixtures in one directory, on the real database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_loader import SEED

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.errors import WriteConflict
from graphapi.graph.reads import CLAIMS_OF, COUNT_NODES
from graphapi.graph.writes import CREATE_NODES
from graphapi.seed import digests
from graphapi.seed.loader import check, load, unstated
from graphapi.seed.problems import SeedInvalid
from graphapi.store import Cypher, Store, WriteStep
from helpers import SEED_NODES

SEED_FILE = "us-canada-tariff-call.yaml"
FOLLOW_UP = "canada-strikes-back.yaml"
DISPUTE = "vehicle-tariff-rate-dispute.yaml"
SINGH = "position:singh-opposes-us-vehicle-tariff"  # stated by the seed and the dispute

DIGESTS = Cypher("test.digests", "MATCH (f:SeedFile) RETURN f.name AS name, f.digest AS digest ORDER BY name")
STANCE = Cypher("test.stance", "MATCH (p:Position {id: $id}) RETURN p.stance AS stance")
IDS = Cypher("test.ids", "MATCH (n:Node) WHERE n.id IN $ids RETURN n.id AS id ORDER BY id")


@pytest.fixture
def asked(scratch_store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the statements the loader reads from the graph."""
    names: list[str] = []
    read = scratch_store.read

    async def reading(query: Cypher, params: dict[str, Any] | None = None) -> Any:
        names.append(query.name)
        return await read(query, params)

    monkeypatch.setattr(scratch_store, "read", reading)
    return names


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def digests_of(store: Store) -> dict[str, str]:
    return {row["name"]: row["digest"] for row in await store.read(DIGESTS)}


async def test_a_second_load_reads_no_file_that_has_not_changed(
    scratch_store: Store, corpus: Path, parsed: list[Path], asked: list[str]
) -> None:
    first = await load(scratch_store, [corpus])
    assert first.changed
    kept = await digests_of(scratch_store)
    assert sorted(kept) == sorted([SEED_FILE, FOLLOW_UP, DISPUTE]) and all(
        len(d) == 64 for d in kept.values()
    )
    parsed.clear()
    asked.clear()
    again = await load(scratch_store, [corpus])
    assert parsed == []  # no file read, no YAML parsed
    assert not again.changed and again.statements == 0 and again.skipped == again.files
    assert len(again.files) == 3 and again.skipped_records == 78  # (each file's: shared records in each)
    # nor any claim: only the digests, and what the API changed since
    assert set(asked) == {"load.any_node", "load.digests", "load.api_changed_since"}, asked
    assert await digests_of(scratch_store) == kept


async def test_one_changed_record_in_one_of_several_files_changes_exactly_that(
    scratch_store: Store, corpus: Path, parsed: list[Path], asked: list[str]
) -> None:
    await load(scratch_store, [corpus])
    before = await digests_of(scratch_store)
    edit(corpus / DISPUTE, "stance: MIXED", "stance: SUPPORT")
    parsed.clear()
    asked.clear()
    report = await load(scratch_store, [corpus])
    assert parsed == [corpus / DISPUTE, Path("<a YAML text>")]
    assert report.skipped == [corpus / FOLLOW_UP, corpus / SEED_FILE]
    assert [(d.action, d.id, d.fields) for d in report.details] == [("updated", SINGH, ("stance",))]
    assert "load.claims" not in asked  # the claims of the records the file states, not every owner's
    assert await scratch_store.read(STANCE, {"id": SINGH}) == [{"stance": "SUPPORT"}]
    # the record merges both files' claims: the first article's stays, the dispute's (later) stands
    owners = [row["owner"] for row in await scratch_store.read(CLAIMS_OF, {"ids": [SINGH]})]
    assert owners == [SEED_FILE, DISPUTE]
    after = await digests_of(scratch_store)
    assert after[DISPUTE] != before[DISPUTE] and {k: v for k, v in after.items() if k != DISPUTE} == {
        k: v for k, v in before.items() if k != DISPUTE
    }
    # and the load after it reads nothing again
    parsed.clear()
    assert not (await load(scratch_store, [corpus])).changed and parsed == []


async def test_records_a_file_no_longer_states_go_and_a_file_gone_from_the_directory_stays(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    await load(scratch_store, [corpus])
    statement = "statement:singh-partly-deserved"
    # the dispute keeps only its source: its own statement goes, its claim of the shared position too
    text = (corpus / DISPUTE).read_text(encoding="utf-8")
    (corpus / DISPUTE).write_text(text[: text.index("\nmeasures:")] + "\n", encoding="utf-8")
    parsed.clear()
    report = await load(scratch_store, [corpus])
    assert [p for p in parsed if p.suffix] == [corpus / DISPUTE]
    assert ("deleted", statement) in {(d.action, d.id) for d in report.details}
    assert await scratch_store.read(IDS, {"ids": [statement, SINGH]}) == [{"id": SINGH}]
    assert await scratch_store.read(STANCE, {"id": SINGH}) == [{"stance": "OPPOSE"}]  # the first article's
    assert [row["owner"] for row in await scratch_store.read(CLAIMS_OF, {"ids": [SINGH]})] == [SEED_FILE]
    # a file no longer in the directory is outside the load, as a file not named is: what it said stays
    (corpus / FOLLOW_UP).unlink()
    again = await load(scratch_store, [corpus])
    assert not again.changed and FOLLOW_UP not in {p.name for p in again.files}
    assert await scratch_store.read(IDS, {"ids": ["measure:ca-vehicle-counter-tariffs"]}) != []


async def test_a_refused_or_failed_load_leaves_the_digests_it_found(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    await load(scratch_store, [corpus])
    kept = await digests_of(scratch_store)
    original = (corpus / DISPUTE).read_text(encoding="utf-8")

    # a file that does not validate
    edit(corpus / DISPUTE, "rate: 20", "rate: twenty")
    with pytest.raises(SeedInvalid):
        await load(scratch_store, [corpus])
    assert await digests_of(scratch_store) == kept

    # a load refused by the graph: the dispute claims a statement the first article states
    (corpus / DISPUTE).write_text(original, encoding="utf-8")
    edit(corpus / DISPUTE, "  - id: statement:singh-partly-deserved", "  - id: statement:trump-51st-state")
    edit(
        corpus / DISPUTE,
        "evidence: [statement:singh-partly-deserved]",
        "evidence: [statement:trump-51st-state]",
    )
    with pytest.raises(SeedInvalid) as refused:
        await load(scratch_store, [corpus])
    assert f"statement:trump-51st-state is stated by {SEED_FILE} in the graph" in str(refused.value)
    assert await digests_of(scratch_store) == kept

    # the database refusing the last statement of the load: nothing of it lands, the digest neither
    (corpus / DISPUTE).write_text(original.replace("stance: MIXED", "stance: SUPPORT"), encoding="utf-8")
    checked = await check(scratch_store, [corpus])
    assert checked.prepared is not None and checked.skipped == [corpus / FOLLOW_UP, corpus / SEED_FILE]
    poison = WriteStep(
        CREATE_NODES["person"], {"rows": [{"props": {"id": "person:poison", "bad": {"a": 1}}}]}
    )
    with pytest.raises(Exception):  # noqa: B017 - which error the engine raises is the engine's business
        await scratch_store.write_all([*checked.prepared.steps, poison])
    assert await digests_of(scratch_store) == kept

    # a load that conflicts with other writes every time it tries
    async def conflict(*args: Any, **kwargs: Any) -> None:
        raise WriteConflict("another write landed")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scratch_store, "write_all", conflict)
        with pytest.raises(WriteConflict):
            await load(scratch_store, [corpus])
    assert await digests_of(scratch_store) == kept

    # the changed file is read until a load of it lands
    parsed.clear()
    report = await load(scratch_store, [corpus])
    assert [p for p in parsed if p.suffix] == [corpus / DISPUTE] and report.changed
    assert (await digests_of(scratch_store))[DISPUTE] != kept[DISPUTE]


BY_TRUMP = """
  - id: position:trump-supports-us-vehicle-tariff-again
    actor: person:donald-trump
    on: measure:us-vehicle-tariff-2025
    stance: SUPPORT
    confidence: 0.5
    evidence: [statement:trump-51st-state]
"""


async def test_a_removal_an_unchanged_file_still_needs_is_refused_naming_it(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    # a position of the dispute's alone rests on a statement of the first article, which the article drops
    (corpus / DISPUTE).write_text((corpus / DISPUTE).read_text(encoding="utf-8") + BY_TRUMP, encoding="utf-8")
    await load(scratch_store, [corpus])
    seed = corpus / SEED_FILE
    text = seed.read_text(encoding="utf-8")
    start = text.index("  - id: statement:trump-51st-state")
    seed.write_text(text[:start] + text[text.index("  - id: ", start + 1) :], encoding="utf-8")
    parsed.clear()
    with pytest.raises(SeedInvalid) as refused:
        await load(scratch_store, [corpus])
    assert [p for p in parsed if p.suffix] == [seed]  # the dispute was not read: the graph says who refers
    message = " ".join(str(refused.value).split())
    assert (
        f"statement:trump-51st-state is no longer in {SEED_FILE}, but "
        f"position:trump-supports-us-vehicle-tariff-again (stated by {DISPUTE}) still refers to it"
    ) in message
    assert await scratch_store.read(IDS, {"ids": ["statement:trump-51st-state"]}) != []


async def test_a_removal_another_files_claim_of_a_shared_record_needs_is_refused(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    """The position both the first article and the dispute state rests, in the dispute's claim, on a
    statement of the first article: the article cannot drop it while that claim stands (loaded with
    the dispute, its own reference says so; left out, its claim in the graph does)."""
    edit(
        corpus / DISPUTE,
        "evidence: [statement:singh-partly-deserved]",
        "evidence: [statement:singh-partly-deserved, statement:trump-51st-state]",
    )
    await load(scratch_store, [corpus])
    seed = corpus / SEED_FILE
    text = seed.read_text(encoding="utf-8")
    start = text.index("  - id: statement:trump-51st-state")
    seed.write_text(text[:start] + text[text.index("  - id: ", start + 1) :], encoding="utf-8")
    for paths in ([corpus], [seed]):  # the dispute left out as unchanged, or not named
        with pytest.raises(SeedInvalid) as refused:
            await load(scratch_store, paths)
        message = " ".join(str(refused.value).split())
        assert f"statement:trump-51st-state is no longer in {SEED_FILE}, but {SINGH} (stated by" in message
    assert await scratch_store.read(IDS, {"ids": ["statement:trump-51st-state"]}) != []


async def test_a_changed_file_may_refer_to_what_an_unchanged_one_states(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    await load(scratch_store, [corpus])
    # the dispute's statement now also speaks of the blanket tariff, which only the other files state
    edit(
        corpus / DISPUTE,
        "about: [measure:us-vehicle-tariff-2025]",
        "about: [measure:us-vehicle-tariff-2025, measure:us-blanket-tariff-canada]",
    )
    parsed.clear()
    report = await load(scratch_store, [corpus])
    assert [p for p in parsed if p.suffix] == [corpus / DISPUTE]
    [detail] = report.details
    assert detail.id == "statement:singh-partly-deserved" and detail.fields == (
        "+ABOUT measure:us-blanket-tariff-canada",
    )
    # a reference to what no file states is still refused
    edit(corpus / DISPUTE, "measure:us-blanket-tariff-canada]", "measure:nowhere]")
    with pytest.raises(SeedInvalid) as refused:
        await load(scratch_store, [corpus])
    assert "measure:nowhere is not defined in the files loaded or the graph" in str(refused.value)


async def test_force_and_overwrite_read_every_file(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    await load(scratch_store, [corpus])
    for options in ({"force": True}, {"overwrite": True}):
        parsed.clear()
        report = await load(scratch_store, [corpus], **options)
        assert sorted(p for p in parsed if p.suffix) == sorted(report.files) and report.skipped == []
        assert not report.changed and sum(report.nodes_unchanged.values()) == SEED_NODES + 5


Change = Callable[[Path], None]


def _source_text(corpus: Path) -> None:
    edit(corpus / "sources" / "vehicle-tariff-rate-dispute.txt", "Conflicting", "Contradicting")


def _comment(corpus: Path) -> None:
    (corpus / DISPUTE).write_text((corpus / DISPUTE).read_text(encoding="utf-8") + "# a comment\n")


def _loader(corpus: Path) -> None:
    return None  # (the loader's version, monkeypatched in the test)


@pytest.mark.parametrize("change", [_source_text, _comment, _loader], ids=lambda c: c.__name__.strip("_"))
async def test_what_a_file_depends_on_changing_makes_it_read_again(
    scratch_store: Store, corpus: Path, parsed: list[Path], monkeypatch: pytest.MonkeyPatch, change: Change
) -> None:
    await load(scratch_store, [corpus])
    change(corpus)
    if change is _loader:  # a new version of the code that maps files to the graph: every file is read
        monkeypatch.setattr(digests, "loader_version", lambda: "another version")
    parsed.clear()
    report = await load(scratch_store, [corpus])
    read = [p for p in parsed if p.suffix]
    assert read == ([corpus / DISPUTE] if change is not _loader else report.files)
    if change is _source_text:  # the source's text is the Source node's
        changed = {d.id: d.fields for d in report.details}
        assert "text" in changed["source:vehicle-tariff-rate-dispute"]
    else:  # nothing else changes, but the digests are kept
        assert not report.changed and report.statements == 1
    parsed.clear()
    assert (await load(scratch_store, [corpus])).skipped == report.files and parsed == []


async def test_the_load_into_an_empty_graph_keeps_the_digests(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    first = await load(scratch_store, [corpus])  # streamed (graphapi/seed/streamed.py)
    assert first.changed
    assert sorted(await digests_of(scratch_store)) == sorted([SEED_FILE, FOLLOW_UP, DISPUTE])
    parsed.clear()
    again = await load(scratch_store, [corpus])
    assert parsed == [] and len(again.skipped) == 3


@pytest.fixture
async def client(scratch_store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        yield http


async def test_nothing_of_the_digests_shows_through_the_api(
    scratch_store: Store, corpus: Path, client: httpx.AsyncClient
) -> None:
    await load(scratch_store, [corpus])
    kept = await digests_of(scratch_store)
    digest = kept[SEED_FILE]
    query = """query($d: String!) {
        search(text: $d) { totalCount }
        changes(first: 100) { totalCount edges { node { nodeId } } }
    }"""
    body = (await client.post("/graphql", json={"query": query, "variables": {"d": digest}})).json()
    assert "errors" not in body, body
    data = body["data"]
    assert data["search"]["totalCount"] == 0  # (node(id:) takes records' ids only: a SeedFile has none)
    assert all(":" in edge["node"]["nodeId"] for edge in data["changes"]["edges"])  # records' ids only
    assert digest not in str(body)
    assert (await scratch_store.read(COUNT_NODES))[0]["nodes"] == SEED_NODES + 5
    assert await unstated(scratch_store) == []


async def test_a_record_changed_through_the_api_makes_its_unchanged_file_read(
    scratch_store: Store, corpus: Path, parsed: list[Path], client: httpx.AsyncClient
) -> None:
    """As before digests: a load neither loses an API edit silently nor keeps it silently."""
    await load(scratch_store, [corpus])
    key = await create_key(scratch_store, "write key", Scope.WRITE)
    statement = next(s for s in SEED["statements"] if s["id"] == "statement:trump-large-scale-tariffs")
    edited = {k: v for k, v in statement.items() if k not in ("role", "about")}
    edited |= {"source": "source:us-canada-tariff-call", "channel": "Truth Social"}
    mutation = "mutation($i: StatementInput!) { upsertStatement(input: $i) { created } }"
    headers = {"Authorization": f"Bearer {key}"}
    answer = await client.post(
        "/graphql", json={"query": mutation, "variables": {"i": edited}}, headers=headers
    )
    assert "errors" not in answer.json(), answer.json()
    parsed.clear()
    with pytest.raises(SeedInvalid) as refused:
        await load(scratch_store, [corpus])
    assert [p for p in parsed if p.suffix] == [corpus / SEED_FILE]  # read for the API's change
    assert "was changed through the API" in str(refused.value)
    # overwriting reads every file, and the seed file's time moves on: the next load reads nothing
    assert (await load(scratch_store, [corpus], overwrite=True)).changed
    parsed.clear()
    assert len((await load(scratch_store, [corpus])).skipped) == 3 and parsed == []
