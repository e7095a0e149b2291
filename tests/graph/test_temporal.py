"""Honest time: dates bounded rather than known, relative words resolved against the source's own date,
and temporal answers that say whether they are known or only possible. The rules live twice, as Cypher
filters and in Python (graphapi/graph/temporal.py): the tests here hold them to the same answers."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from graphapi.app import create_app
from graphapi.graph import records as r
from graphapi.graph.dates import OPEN_END, OPEN_START, DateInterval
from graphapi.graph.mapping import node_write, tenure_write
from graphapi.graph.model import Certainty, DatePrecision
from graphapi.graph.temporal import held_on, in_force, in_range
from graphapi.seed.loader import load, validate_files
from graphapi.seed.problems import SeedInvalid
from graphapi.store import Store
from helpers import gql, ok

WRITTEN = r.DateIn(earliest="2025-03-14", latest="2025-04-02").fuzzy()
EVIDENCE = [{"quote": "x", "start": 0, "end": 1}]


def _date(**given: Any) -> r.DateIn:
    return r.DateIn.model_validate(given)


# --- the date records ----------------------------------------------------------------------------


def test_a_date_can_be_a_period_bounds_or_both() -> None:
    period = _date(on="2025-05", as_written="later in May").fuzzy()
    assert (period.iso, period.precision, period.earliest, period.latest) == (
        "2025-05",
        DatePrecision.MONTH,
        dt.date(2025, 5, 1),
        dt.date(2025, 5, 31),
    )
    bounded = _date(earliest="2025-03-14", latest="2025-04").fuzzy()
    assert (bounded.iso, bounded.precision, bounded.earliest, bounded.latest) == (
        None,
        DatePrecision.RANGE,
        dt.date(2025, 3, 14),
        dt.date(2025, 4, 30),  # a bound given as a month reaches its last day
    )
    narrowed = _date(on="2025", latest="2025-04-02").fuzzy()
    assert (narrowed.iso, narrowed.earliest, narrowed.latest) == (
        "2025",
        dt.date(2025, 1, 1),
        dt.date(2025, 4, 2),
    )
    assert narrowed.describe() == "2025, by 2025-04-02"
    open_start = _date(latest="2025-04-02", as_written="already").fuzzy()
    assert (open_start.earliest, open_start.start_key, open_start.end_key) == (None, OPEN_START, "2025-04-02")
    assert open_start.describe() == "on or before 2025-04-02 ('already')"
    assert _date(earliest="2025-04-28").fuzzy().end_key == OPEN_END


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({}, "needs `on`"),
        ({"as_written": "already"}, "needs `on`"),
        ({"earliest": "2025-05-01", "latest": "2025-04-30"}, "leave no day"),
        ({"on": "2025-05", "earliest": "2025-06-01"}, "leave no day"),
        ({"latest": "2025-02-30"}, "not a day of the calendar"),
        ({"earliest": "yesterday"}, "or 'written'"),
        ({"latest": "written\n"}, "or 'written'"),
    ],
)
def test_impossible_dates_are_refused(given: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        _date(**given)


def test_written_resolves_against_the_source_s_own_date() -> None:
    already = _date(latest="written", as_written="already")
    assert already.relative
    resolved = already.fuzzy(WRITTEN)
    assert (resolved.earliest, resolved.latest, resolved.relative) == (None, dt.date(2025, 4, 2), True)
    meantime = _date(earliest="written", latest="2025-04-28").fuzzy(WRITTEN)
    assert (meantime.earliest, meantime.latest) == (dt.date(2025, 3, 14), dt.date(2025, 4, 28))
    with pytest.raises(ValueError, match="must give `written_on`"):
        already.fuzzy(None)
    with pytest.raises(ValueError, match="relative to itself"):
        r.Source(id="source:s", title="S", text="t", written_on=_date(latest="written"))


def test_a_bounded_date_is_stored_flat_and_read_back_whole() -> None:
    source = r.Source(
        id="source:s",
        title="S",
        text="since March 14",
        written_on=_date(earliest="2025-03-14", evidence=[{"quote": "March 14", "start": 6, "end": 14}]),
    )
    write = node_write(source, "source:s")
    props = write.props
    assert (props["writtenOnStart"], props["writtenOnEnd"], props["writtenOnPrecision"]) == (
        "2025-03-14",
        OPEN_END,
        "RANGE",
    )
    assert "writtenOn" not in props and props["writtenOnEvidenceQuotes"] == ["March 14"]
    assert (OPEN_START, OPEN_END) == ("0000-00-00", "9999-99-99")  # as README.md says
    assert [(s.field, s.start, s.end) for s in write.spans] == [("written_on.evidence[0]", 6, 14)]
    back = DateInterval.from_props(props, "writtenOn")
    assert back == source.written_on.fuzzy(source="source:s")  # type: ignore[union-attr]
    assert back is not None and back.evidence_source == "source:s"


def test_relative_bounds_need_the_source_s_date_when_mapped() -> None:
    measure = r.Measure(
        id="measure:m",
        name="M",
        kind="TARIFF",
        status="IN_FORCE",
        imposed_by=["country:US"],
        effective_from=_date(latest="written"),
        effective_to=_date(on="2025-03-01"),
        evidence=EVIDENCE,
    )
    without = node_write(measure, "source:s")
    assert [field for field, _ in without.problems] == ["effective_from"]
    # resolved, the bounds are checked as absolute ones are: this start can come after this end
    resolved = node_write(measure, "source:s", WRITTEN)
    assert resolved.problems == ()
    # ("after the article": from March 14 at the earliest, which an end in January cannot follow)
    late = measure.model_copy(
        update={"effective_from": _date(earliest="written"), "effective_to": _date(on="2025-01")}
    )
    assert [f for f, _ in node_write(late, "source:s", WRITTEN).problems] == ["effective_from"]
    tenure = r.Tenure.model_validate(
        {"holder": "person:p", "office": "office:o", "from": {"latest": "written"}, "evidence": EVIDENCE}
    )
    assert [f for f, _ in tenure_write(tenure, "source:s").problems] == ["from"]
    assert tenure_write(tenure, "source:s", WRITTEN).props["fromEnd"] == "2025-04-02"


def test_a_seed_relative_to_an_undated_source_is_refused_naming_file_record_and_field(
    tmp_path: Path,
) -> None:
    (tmp_path / "t.txt").write_text("already", encoding="utf-8")
    seed = {
        "source": {"id": "source:t", "title": "T", "file": "t.txt"},
        "countries": [{"id": "country:US", "name": "US", "iso_code": "US"}],
        "measures": [
            {
                "id": "measure:m", "name": "M", "kind": "TARIFF", "status": "IN_FORCE",
                "imposed_by": ["country:US"], "effective_from": {"latest": "written", "as_written": "already"},
                "evidence": [{"quote": "already", "start": 0, "end": 7}],
            }
        ],
    }  # fmt: skip
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(seed), encoding="utf-8")
    with pytest.raises(SeedInvalid) as caught:
        validate_files([path])
    message = str(caught.value)
    assert "t.yaml: measures[0] (measure:m): field 'effective_from'" in message and "written_on" in message
    seed["source"]["written_on"] = {"latest": "2025-04-02"}  # type: ignore[index]
    path.write_text(yaml.safe_dump(seed), encoding="utf-8")
    plan = validate_files([path]).plan
    measure = next(n for n, _, _ in plan.nodes if n.id == "measure:m")
    assert measure.props["effectiveFromEnd"] == "2025-04-02" and measure.props["effectiveFromRelative"]


# --- the rules, in Python ------------------------------------------------------------------------


def _measure(status: str, start: dict[str, Any] | None, end: dict[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {"status": status}
    for field, given in (("effectiveFrom", start), ("effectiveTo", end)):
        if given is not None:
            props |= _date(**given).fuzzy().to_props(field)
    return props


@pytest.mark.parametrize(
    ("props", "day", "certainty"),
    [
        (_measure("IN_FORCE", {"latest": "2025-04-02"}), "2020-01-01", Certainty.POSSIBLE),
        (_measure("IN_FORCE", {"latest": "2025-04-02"}), "2025-04-02", Certainty.KNOWN),
        (_measure("IN_FORCE", None), "2025-04-03", Certainty.POSSIBLE),  # a start not given is unknown
        (_measure("ANNOUNCED", {"on": "2025-04-02"}), "2025-04-03", Certainty.POSSIBLE),  # a plan
        (_measure("ANNOUNCED", {"on": "2025-04-02"}), "2025-04-01", Certainty.NO),
        (_measure("ANNOUNCED", None), "2025-04-03", Certainty.NO),
        (_measure("IN_FORCE", {"on": "2025-05"}), "2025-05-15", Certainty.POSSIBLE),
        (_measure("IN_FORCE", {"on": "2025-05"}), "2025-05-31", Certainty.KNOWN),
        (_measure("REMOVED", {"on": "2025-01"}, {"on": "2025-03"}), "2025-02-10", Certainty.KNOWN),
        (_measure("REMOVED", {"on": "2025-01"}, {"on": "2025-03"}), "2025-03-10", Certainty.POSSIBLE),
        (_measure("REMOVED", {"on": "2025-01"}, {"on": "2025-03"}), "2025-04-01", Certainty.NO),
        (_measure("REMOVED", {"on": "2025-01"}), "2025-02-10", Certainty.POSSIBLE),  # removed: some day
        (_measure("THREATENED", {"on": "2025-01"}), "2025-02-10", Certainty.NO),
        (_measure("PAUSED", {"on": "2025-01"}), "2025-02-10", Certainty.NO),
    ],
)
def test_in_force_rule(props: dict[str, Any], day: str, certainty: Certainty) -> None:
    answer = in_force(props, day)
    assert answer.certainty is certainty and answer.why


def test_held_on_rule() -> None:
    def tenure(start: dict[str, Any] | None, end: dict[str, Any] | None) -> dict[str, Any]:
        record = r.Tenure.model_validate(
            {"holder": "person:p", "office": "office:o", "from": start, "to": end, "evidence": EVIDENCE}
        )
        return tenure_write(record, "source:s").props

    trudeau = tenure(None, {"on": "2025-03-14"})
    assert held_on(trudeau, "1990-01-01").certainty is Certainty.POSSIBLE  # no start: never known
    assert held_on(trudeau, "2025-03-14").certainty is Certainty.NO  # the successor's first day
    carney = tenure({"on": "2025-03-14"}, None)
    assert held_on(carney, "2025-03-13").certainty is Certainty.NO
    assert held_on(carney, "2030-01-01").certainty is Certainty.KNOWN  # no end reported: open
    leader = tenure({"latest": "2025-04-02"}, {"earliest": "2025-06-01"})
    assert [
        held_on(leader, d).certainty for d in ("2025-04-01", "2025-04-02", "2025-06-01", "2030-01-01")
    ] == [
        Certainty.POSSIBLE,
        Certainty.KNOWN,
        Certainty.POSSIBLE,
        Certainty.POSSIBLE,
    ]


def test_in_range_rule() -> None:
    may = _date(on="2025-05").fuzzy()
    assert in_range(may, "2025-05-01", "2025-05-31").certainty is Certainty.KNOWN
    assert in_range(may, "2025-05-20", "2025-05-20").certainty is Certainty.POSSIBLE
    assert in_range(may, "2025-06-01", None).certainty is Certainty.NO
    already = _date(latest="2025-04-02").fuzzy()
    assert in_range(already, None, "2025-04-02").certainty is Certainty.KNOWN
    assert in_range(already, "2020-01-01", None).certainty is Certainty.POSSIBLE


# --- the rules in Cypher agree with the rules in Python --------------------------------------------

STARTS: list[dict[str, Any] | None] = [
    None,
    {"on": "2025-04-02"},
    {"on": "2025-05"},
    {"latest": "written"},
    {"earliest": "2025-03-01", "latest": "2025-04-10"},
    {"earliest": "2025-06-01"},
]
ENDS: list[dict[str, Any] | None] = [
    None,
    {"on": "2025-06-15"},
    {"earliest": "2025-06-01"},
    {"latest": "2025-07"},
]
STATUSES = ["IN_FORCE", "REMOVED", "ANNOUNCED", "PAUSED", "THREATENED"]
DAYS = ["0001-01-01", "2020-01-01", "2025-03-01", "2025-03-31", "2025-04-02", "2025-04-03", "2025-05-15",
        "2025-05-31", "2025-06-01", "2025-06-15", "2025-06-16", "2025-07-31", "2025-08-01", "9999-12-31"]  # fmt: skip


def _grid_seed(directory: Path) -> Path:
    (directory / "g.txt").write_text("tariff", encoding="utf-8")
    measures = []
    for i, (status, start, end) in enumerate(itertools.product(STATUSES, STARTS, ENDS)):
        measure: dict[str, Any] = {
            "id": f"measure:g{i:03d}", "name": f"G{i}", "kind": "TARIFF", "status": status,
            "imposed_by": ["country:US"], "evidence": [{"quote": "tariff", "start": 0, "end": 6}],
        }  # fmt: skip
        if start is not None:
            measure["effective_from"] = start
        if end is not None:
            measure["effective_to"] = end
        measures.append(measure)
    seed = {
        "source": {
            "id": "source:g", "title": "G", "file": "g.txt",
            "written_on": {"earliest": "2025-03-14", "latest": "2025-04-02"},
        },
        "countries": [{"id": "country:US", "name": "US", "iso_code": "US"}],
        "measures": measures,
    }  # fmt: skip
    path = directory / "g.yaml"
    path.write_text(yaml.safe_dump(seed), encoding="utf-8")
    return path


async def _all_pages(client: httpx.AsyncClient, day: str, certainty: str) -> dict[str, dict[str, str]]:
    query = """query($d: Day!, $c: Certainty!, $a: String) {
        measures(filter: {inForceOn: $d, certainty: $c}, first: 100, after: $a) {
        totalCount nodes { id inForce(on: $d) { certainty why } } pageInfo { hasNextPage endCursor } } }"""
    found: dict[str, dict[str, str]] = {}
    after = None
    while True:
        page = (await ok(client, query, d=day, c=certainty, a=after))["measures"]
        found |= {m["id"]: m["inForce"] for m in page["nodes"]}
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(found)
            return found
        after = page["pageInfo"]["endCursor"]


async def test_the_in_force_filter_and_its_explanation_agree(scratch_store: Store, tmp_path: Path) -> None:
    """Every combination of status, start and end, on days around each bound: the list keeps exactly what
    `inForce` calls KNOWN (and with POSSIBLE, what it does not call NO)."""
    await load(scratch_store, [_grid_seed(tmp_path)])
    app = create_app(store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        every = await ok(client, "{ measures { totalCount } }")
        assert every["measures"]["totalCount"] == len(STATUSES) * len(STARTS) * len(ENDS)
        seen = set()
        for day in DAYS:
            known = await _all_pages(client, day, "KNOWN")
            possible = await _all_pages(client, day, "POSSIBLE")
            assert {answer["certainty"] for answer in known.values()} <= {"KNOWN"}, day
            assert set(known) <= set(possible)
            assert {a["certainty"] for i, a in possible.items() if i not in known} <= {"POSSIBLE"}, day
            seen |= {a["certainty"] for a in possible.values()}
            # and what the lists leave out, `inForce` calls NO
            left_out = (await ok(client, "{ measures(first: 100) { nodes { id } } }"))["measures"]["nodes"]
            for node in left_out:
                if node["id"] not in possible:
                    answer = await ok(
                        client,
                        "query($id: ID!, $d: Day!) { node(id: $id) { ... on Measure { inForce(on: $d) { certainty } } } }",
                        id=node["id"],
                        d=day,
                    )
                    assert answer["node"]["inForce"]["certainty"] == "NO", (node["id"], day)
        assert seen == {"KNOWN", "POSSIBLE"}


async def test_timeline_ranges_and_their_explanation_agree(client: httpx.AsyncClient) -> None:
    query = """query($a: ID!, $f: Day, $t: Day, $c: Certainty!) {
        timeline(actor: $a, from: $f, to: $t, includeUndated: false, certainty: $c, first: 100) {
        nodes { kind node { id } inRange { certainty } } } }"""
    ranges = [
        ("2025-03-14", "2025-04-02"),
        ("2025-04-01", "2025-04-30"),
        (None, "2025-03-31"),
        ("2025-05-20", None),
    ]
    for actor in ("person:mark-carney", "country:US", "person:donald-trump"):
        for start, end in ranges:
            args = {"a": actor, "f": start, "t": end}
            known = (await ok(client, query, c="KNOWN", **args))["timeline"]["nodes"]
            possible = (await ok(client, query, c="POSSIBLE", **args))["timeline"]["nodes"]
            assert all(e["inRange"]["certainty"] == "KNOWN" for e in known), (actor, start, end)
            keys = {(e["kind"], e["node"]["id"]) for e in known}
            assert keys == {
                (e["kind"], e["node"]["id"]) for e in possible if e["inRange"]["certainty"] == "KNOWN"
            }
            assert all(e["inRange"]["certainty"] in ("KNOWN", "POSSIBLE") for e in possible)


async def test_statement_ranges_keep_what_can_fall_in_them(client: httpx.AsyncClient) -> None:
    """As README.md says: the statements said at the call (between March 14 and April 2) may have been said
    on April 1 or 2, so they are kept from April 1 on; the article's 11 statements it gives no date for
    were said by the time it was written (by April 2, 2025), so they can fall in a range up to then, and
    none after."""
    query = "query($f: Day, $t: Day) { statements(filter: {saidFrom: $f, saidTo: $t}) { totalCount } }"
    assert (await ok(client, query, f="2025-04-01", t=None))["statements"]["totalCount"] == 4 + 11
    assert (await ok(client, query, f=None, t="2025-03-14"))["statements"]["totalCount"] == 4 + 11
    assert (await ok(client, query, f="2025-04-03", t=None))["statements"]["totalCount"] == 0


async def test_certainty_no_is_not_a_question(client: httpx.AsyncClient) -> None:
    for query, argument in [
        ('{ measures(filter: {inForceOn: "2025-04-03", certainty: NO}) { totalCount } }', "filter.certainty"),
        ('{ officeHolders(office: "office:us-president", on: "2025-04-03", certainty: NO) { held { why } } }', "certainty"),
        ('{ timeline(actor: "country:US", certainty: NO) { totalCount } }', "certainty"),
        ('{ node(id: "person:mark-carney") { ... on Person { tenures(on: "2025-04-03", certainty: NO) { held { why } } } } }', "certainty"),
    ]:  # fmt: skip
        result = await gql(client, query)
        assert result.codes == ["BAD_USER_INPUT"], query
        assert result.errors[0]["extensions"]["argument"] == argument
