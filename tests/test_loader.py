"""The seed loader: idempotent, all-or-nothing, and precise about what is wrong."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from graphapi.graph.reads import COUNT_NODES
from graphapi.graph.writes import CREATE_NODES
from graphapi.seed.loader import check, load, prepare, validate_files
from graphapi.seed.problems import SeedInvalid
from graphapi.seed.yaml_loader import load_yaml
from graphapi.store import Cypher, Store, WriteStep
from helpers import SEED_DIR, SEED_NODES

SEED_FILE = SEED_DIR / "us-canada-tariff-call.yaml"
SEED: dict[str, Any] = load_yaml(SEED_FILE.read_text(encoding="utf-8"))


def write_seed(directory: Path, document: dict[str, Any], name: str = "us-canada-tariff-call.yaml") -> Path:
    """A copy of the bundled seed (with its source) in `directory`, with `document` as the seed file."""
    (directory / "sources").mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED_DIR / "sources" / "us-canada-tariff-call.txt", directory / "sources")
    path = directory / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


async def node_count(store: Store) -> int:
    return int((await store.read(COUNT_NODES))[0]["nodes"])


async def test_the_bundled_seed_validates_offline() -> None:
    checked = validate_files()
    assert checked.files == [SEED_FILE]
    assert len(checked.plan.nodes) == SEED_NODES
    assert checked.unchecked == []  # it refers to nothing outside itself


async def test_a_second_load_changes_nothing(scratch_store: Store) -> None:
    first = await load(scratch_store)
    assert first.changed
    assert first.nodes_created["Statement"] == 15 and first.nodes_created["Position"] == 20
    assert first.nodes_created["Measure"] == 7 and first.rels_created["HOLDS"] == 8
    count = await node_count(scratch_store)
    second = await load(scratch_store)  # the file has not changed since: not read
    assert not second.changed and second.statements == 0
    assert second.skipped == second.files and second.skipped_records == SEED_NODES
    forced = await load(scratch_store, force=True)  # read, and compared record by record
    assert not forced.changed and forced.statements == 0 and forced.skipped == []
    assert sum(forced.nodes_unchanged.values()) == SEED_NODES
    assert await node_count(scratch_store) == count == SEED_NODES


async def test_an_edited_seed_updates_only_what_changed(scratch_store: Store, tmp_path: Path) -> None:
    await load(scratch_store)
    edited = copy.deepcopy(SEED)
    vehicle = next(m for m in edited["measures"] if m["id"] == "measure:us-vehicle-tariff-2025")
    vehicle["rate"] = 30
    singh = next(s for s in edited["statements"] if s["id"] == "statement:singh-betrayal")
    singh["about"] = singh["about"][:1]
    report = await load(scratch_store, [write_seed(tmp_path, edited)])
    assert dict(report.nodes_updated) == {"Measure": 1}
    assert dict(report.rels_deleted) == {"ABOUT": 2} and not report.rels_created
    rows = await scratch_store.read(
        Cypher("test.rate", "MATCH (m:Measure {id: $id}) RETURN m.rate AS rate"),
        {"id": "measure:us-vehicle-tariff-2025"},
    )
    assert rows == [{"rate": 30}]
    about = await scratch_store.read(
        Cypher("test.about", "MATCH (:Statement {id: $id})-[:ABOUT]->(m) RETURN m.id AS id"),
        {"id": "statement:singh-betrayal"},
    )
    assert about == [{"id": "measure:us-vehicle-tariff-2025"}]


async def test_a_bad_file_among_good_ones_loads_nothing(scratch_store: Store, tmp_path: Path) -> None:
    good = write_seed(tmp_path / "good", SEED)
    broken = copy.deepcopy(SEED)
    broken["positions"][0]["confidence"] = 7
    bad = write_seed(tmp_path / "bad", broken, name="zz-broken.yaml")
    with pytest.raises(SeedInvalid) as caught:
        await load(scratch_store, [good, bad])
    assert "zz-broken.yaml" in str(caught.value)
    assert await node_count(scratch_store) == 0


async def test_a_write_failing_halfway_leaves_the_graph_as_it_was(scratch_store: Store) -> None:
    """The database itself refuses the last batch (a map is not a property value on either engine): the
    batches before it must not land."""
    prepared = await prepare(scratch_store)
    assert len(prepared.steps) > 10
    poison = WriteStep(
        CREATE_NODES["person"],
        {"rows": [{"props": {"id": "person:poison", "bad": {"a": 1}}}]},
    )
    with pytest.raises(Exception):  # noqa: B017 - which error the engine raises is the engine's business
        await scratch_store.write_all([*prepared.steps, poison])
    assert await node_count(scratch_store) == 0
    # and the same load, unpoisoned, still goes through
    await scratch_store.write_all(prepared.steps)
    assert await node_count(scratch_store) == SEED_NODES


Edit = Callable[[dict[str, Any]], None]


def _set(section: str, index: int, field: str, value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc[section][index][field] = value

    return edit


def _drop(section: str, index: int, field: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        del doc[section][index][field]

    return edit


def _shift_span(doc: dict[str, Any]) -> None:
    doc["statements"][0]["start"] += 1
    doc["statements"][0]["end"] += 1


def _duplicate_person(doc: dict[str, Any]) -> None:
    doc["persons"].append(dict(doc["persons"][0]))


def _misplace_evidence(doc: dict[str, Any]) -> None:
    span = doc["measures"][2]["evidence"][0]
    span["start"], span["end"] = 0, len(span["quote"])


def _reverse_offsets(doc: dict[str, Any]) -> None:
    span = doc["measures"][2]["evidence"][0]
    span["start"], span["end"] = span["end"], span["start"]


def _unknown_section(doc: dict[str, Any]) -> None:
    doc["tariffs"] = []


BAD_RECORDS: dict[str, tuple[Edit, str]] = {
    "unknown field": (
        _set("measures", 0, "colour", "red"),
        "measures[0] (measure:us-vehicle-tariff-2025): field 'colour': unknown field",
    ),
    "unknown section": (_unknown_section, "unknown section 'tariffs'"),
    "id of the wrong kind": (
        _set("persons", 0, "id", "human:trump"),
        "persons[0] (human:trump): field 'id': 'human:trump' is not an id of the form 'person:<slug>'",
    ),
    "missing required field": (
        _drop("measures", 1, "status"),
        "measures[1] (measure:us-auto-parts-tariff-2025): field 'status': Field required",
    ),
    "unknown enum value": (
        _set("positions", 0, "stance", "LOVE"),
        "positions[0] (position:carney-opposes-us-vehicle-tariff): field 'stance'",
    ),
    "rate out of range": (
        _set("measures", 0, "rate", 5000),
        "field 'rate': Input should be less than or equal to 1000",
    ),
    "confidence out of range": (_set("positions", 1, "confidence", 1.5), "field 'confidence'"),
    "impossible date": (_set("measures", 0, "effective_from", "2025-02-30"), "field 'effective_from'"),
    "dates in the wrong order": (
        _set("tenures", 1, "to", "2024-01-01"),
        "from (2025-03-14) is after to (2024-01-01)",
    ),
    "reference of the wrong kind": (_set("positions", 0, "on", "person:mark-carney"), "field 'on'"),
    "quote not at its span": (
        _shift_span,
        "statements[0] (statement:trump-call-extremely-productive): field 'quote': "
        "source text [536:556] is not the quote; the quote is at start 535, end 555",
    ),
    "evidence not at its span": (
        _misplace_evidence,
        "measures[2] (measure:us-blanket-tariff-canada): field 'evidence[0]'",
    ),
    "evidence's start after its end": (
        _reverse_offsets,
        "measures[2] (measure:us-blanket-tariff-canada): field 'evidence[0].start': the start (",
    ),
    "quote not in the source": (
        _set("statements", 3, "quote", "words nobody wrote"),
        "the quote does not occur in the source text",
    ),
    "duplicate id": (_duplicate_person, "person:donald-trump is already defined at"),
    "negative offset": (
        _set("statements", 0, "start", -4),
        "field 'start': Input should be greater than or equal to 0",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_each_kind_of_bad_record_is_named_precisely(case: str, tmp_path: Path) -> None:
    edit, expected = BAD_RECORDS[case]
    document = copy.deepcopy(SEED)
    edit(document)
    path = write_seed(tmp_path, document)
    with pytest.raises(SeedInvalid) as caught:
        validate_files([path])
    message = str(caught.value)
    assert str(path) in message
    assert expected in message, message


def test_offline_a_reference_outside_the_files_is_noted_not_judged(tmp_path: Path) -> None:
    """Without the graph, an id the files do not define may be in the graph or nowhere: validation says
    it did not look, and does not claim it is undefined."""
    document = copy.deepcopy(SEED)
    document["positions"][2]["actor"] = "person:nobody"
    checked = validate_files([write_seed(tmp_path, document)])
    notes = [str(note) for note in checked.unchecked]
    assert len(notes) == 1
    assert (
        "positions[2] (position:poilievre-opposes-us-vehicle-tariff): field 'actor': person:nobody"
        in notes[0]
    )
    assert "the graph was not read (--offline), so it was not checked" in notes[0]


async def test_with_the_graph_a_dangling_reference_is_named(scratch_store: Store, tmp_path: Path) -> None:
    document = copy.deepcopy(SEED)
    document["positions"][2]["actor"] = "person:nobody"
    path = write_seed(tmp_path, document)
    with pytest.raises(SeedInvalid) as validated:
        await check(scratch_store, [path])
    expected = (
        "positions[2] (position:poilievre-opposes-us-vehicle-tariff): field 'actor': "
        "person:nobody is not defined in the files loaded or the graph"
    )
    assert expected in str(validated.value) and "nothing was loaded" not in str(validated.value)
    with pytest.raises(SeedInvalid) as loaded:
        await load(scratch_store, [path])
    assert expected in str(loaded.value) and "nothing was loaded" in str(loaded.value)
    assert await node_count(scratch_store) == 0


def test_unreadable_files_are_named(tmp_path: Path) -> None:
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("persons: [\n  - id: person:x\n", encoding="utf-8")
    no_source = copy.deepcopy(SEED)
    no_source["source"]["file"] = "sources/missing.txt"
    cases = [
        (broken_yaml, "broken.yaml: not valid YAML"),
        (
            write_seed(tmp_path / "nosource", no_source),
            "source (source:us-canada-tariff-call): field 'file': cannot read",
        ),
        (tmp_path / "absent.yaml", "absent.yaml: no such file or directory"),
    ]
    for path, expected in cases:
        with pytest.raises(SeedInvalid) as caught:
            validate_files([path])
        assert expected in str(caught.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    document = copy.deepcopy(SEED)
    document["positions"][0]["stance"] = "LOVE"
    document["measures"][0]["rate"] = -1
    with pytest.raises(SeedInvalid) as caught:
        validate_files([write_seed(tmp_path, document)])
    assert len(caught.value.problems) == 2


def test_yaml_one_point_one_booleans_stay_strings(tmp_path: Path) -> None:
    """`on` and `no` are words here, as YAML 1.2 has it: the NO country code must not become False."""
    document = copy.deepcopy(SEED)
    document["countries"].append({"id": "country:NO", "name": "Norway", "iso_code": "NO"})
    path = write_seed(tmp_path, document)
    path.write_text(
        path.read_text(encoding="utf-8").replace("iso_code: 'NO'", "iso_code: NO"), encoding="utf-8"
    )
    checked = validate_files([path])
    norway = next(n for n, _, _ in checked.plan.nodes if n.id == "country:NO")
    assert norway.props["isoCode"] == "NO"
