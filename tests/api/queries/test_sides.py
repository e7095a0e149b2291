"""Every side of a question, through the API: positions that rest on deeds (with the spans that report
them), people who impose measures in an office for their country, and bounded dates, written with the
same records and checks as the seed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.seed.loader import load
from graphapi.store import Store
from helpers import SOURCE_TEXT, GraphQLResult

SOURCE = "source:us-canada-tariff-call"
DEED = "Thus far, Canada has retaliated"
UPSERT_POSITION = """mutation($input: PositionInput!) { upsertPosition(input: $input) {
    created position { id basis stance note statements { id } evidence { quote span { start end } statement { id } } } } }"""
UPSERT_MEASURE = """mutation($input: MeasureInput!) { upsertMeasure(input: $input) {
    created measure { id imposers { actor { id } office { id } actingFor { id } }
    effectiveFrom { iso precision earliest latest asWritten } inForce(on: "2025-04-20") { certainty why } } } }"""


def span(quote: str) -> dict[str, Any]:
    start = SOURCE_TEXT.index(quote)
    return {"quote": quote, "start": start, "end": start + len(quote)}


def deed_position(**changes: Any) -> dict[str, Any]:
    return {
        "id": "position:canada-opposes-parts", "actor": "country:CA", "on": "measure:us-auto-parts-tariff-2025",
        "stance": "OPPOSE", "confidence": 0.5, "basis": "ACTION", "source": SOURCE, "spans": [span(DEED)],
        "note": "Read from its retaliation so far.", **changes,
    }  # fmt: skip


def measure(**changes: Any) -> dict[str, Any]:
    return {
        "id": "measure:us-threat-2", "name": "Another threat", "kind": "TARIFF", "status": "IN_FORCE",
        "imposedBy": ["country:US", "person:donald-trump"], "source": SOURCE,
        "actingAs": [{"actor": "person:donald-trump", "office": "office:us-president"}],
        "evidence": [span("large-scale tariffs")], **changes,
    }  # fmt: skip


class Api:
    def __init__(self, client: httpx.AsyncClient, key: str) -> None:
        self.client, self.key = client, key

    async def __call__(self, query: str, **variables: Any) -> GraphQLResult:
        headers = {"Authorization": f"Bearer {self.key}"}
        body = {"query": query, "variables": variables}
        return GraphQLResult(await self.client.post("/graphql", json=body, headers=headers))


@pytest.fixture
async def api(scratch_store: Store) -> AsyncIterator[Api]:
    await load(scratch_store)
    key = await create_key(scratch_store, "write key", Scope.WRITE)
    app = create_app(store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield Api(client, key)


def refused(result: GraphQLResult, argument: str, words: str) -> bool:
    error = result.errors[0] if result.errors else {}
    return (
        result.codes == ["BAD_USER_INPUT"]
        and error["extensions"].get("argument") == argument
        and words in error["message"]
    )


async def test_a_position_on_a_deed_has_the_spans_that_report_it(api: Api) -> None:
    made = await api(UPSERT_POSITION, input=deed_position())
    assert not made.errors, made.errors
    position = made.data["upsertPosition"]["position"]
    assert (position["basis"], position["statements"]) == ("ACTION", [])
    start = SOURCE_TEXT.index(DEED)
    assert position["evidence"] == [
        {"quote": DEED, "span": {"start": start, "end": start + len(DEED)}, "statement": None}
    ]
    # words and a deed together: the statements first, then the span
    both = await api(UPSERT_POSITION, input=deed_position(evidence=["statement:carney-assures-retaliation"]))
    evidence = both.data["upsertPosition"]["position"]["evidence"]
    assert [e["statement"] for e in evidence] == [{"id": "statement:carney-assures-retaliation"}, None]


@pytest.mark.parametrize(
    ("changes", "argument", "words"),
    [
        ({"spans": []}, "input.spans", "spans of the source that report it"),
        ({"basis": "STATEMENT", "spans": []}, "input.evidence", "statements it is read from"),
        ({"spans": [{**span(DEED), "start": 0}]}, "input.spans[0]", "is not the quote"),
        ({"source": None}, "input.source", "source its spans point into"),
        ({"source": "source:nowhere"}, "input.source", "no node has the id"),
    ],
)
async def test_a_position_on_a_deed_is_checked(
    api: Api, changes: dict[str, Any], argument: str, words: str
) -> None:
    result = await api(UPSERT_POSITION, input=deed_position(**changes))
    assert refused(result, argument, words), result.body


async def test_a_person_imposes_in_an_office_for_a_country(api: Api) -> None:
    made = await api(UPSERT_MEASURE, input=measure())
    assert not made.errors, made.errors
    assert made.data["upsertMeasure"]["measure"]["imposers"] == [
        {"actor": {"id": "country:US"}, "office": None, "actingFor": None},
        {
            "actor": {"id": "person:donald-trump"},
            "office": {"id": "office:us-president"},
            "actingFor": {"id": "country:US"},
        },
    ]
    trump = await api('{ node(id: "person:donald-trump") { ... on Actor { measuresImposed { id } } } }')
    assert {"id": "measure:us-threat-2"} in trump.data["node"]["measuresImposed"]


@pytest.mark.parametrize(
    ("changes", "argument", "words"),
    [
        (
            {"actingAs": [{"actor": "person:mark-carney", "office": "office:ca-prime-minister"}]},
            "input.actingAs",
            "not among imposed_by",
        ),
        (
            {"actingAs": [{"actor": "person:donald-trump", "office": "office:nowhere"}]},
            "input.actingAs",
            "no node has the id 'office:nowhere'",
        ),
        (
            {"actingAs": [{"actor": "country:US", "office": "office:us-president"}]},
            "input.actingAs[0].actor",
            "",
        ),
    ],
)
async def test_acting_in_an_office_is_checked(
    api: Api, changes: dict[str, Any], argument: str, words: str
) -> None:
    result = await api(UPSERT_MEASURE, input=measure(**changes))
    assert refused(result, argument, words), result.body


async def test_bounded_dates_through_the_api(api: Api) -> None:
    made = await api(
        UPSERT_MEASURE,
        input=measure(
            effectiveFrom={"earliest": "2025-03-14", "latest": "2025-04-02", "asWritten": "already"}
        ),
    )
    assert not made.errors, made.errors
    result = made.data["upsertMeasure"]["measure"]
    assert result["effectiveFrom"] == {
        "iso": None,
        "precision": "RANGE",
        "earliest": "2025-03-14",
        "latest": "2025-04-02",
        "asWritten": "already",
    }
    # Written through the API, it is still the article's report: known at most up to the article's date.
    assert result["inForce"]["certainty"] == "POSSIBLE"
    assert (
        "last reported in force by source:us-canada-tariff-call, written by 2025-04-02"
        in result["inForce"]["why"]
    )
    impossible = await api(
        UPSERT_MEASURE, input=measure(effectiveFrom={"earliest": "2025-05", "latest": "2025-04"})
    )
    assert refused(impossible, "input.effectiveFrom", "leave no day")
    empty = await api(UPSERT_MEASURE, input=measure(effectiveFrom={"asWritten": "already"}))
    assert refused(empty, "input.effectiveFrom", "needs `on`")
    # the source's own date, as in a seed file: resolved against the source the write names
    relative = await api(UPSERT_MEASURE, input=measure(effectiveFrom={"latest": "written"}))
    assert not relative.errors, relative.body
    assert relative.data["upsertMeasure"]["measure"]["effectiveFrom"]["latest"] == "2025-04-02"


async def test_a_source_s_own_date_through_the_api(api: Api) -> None:
    """A source written between two days, published on or after it was written."""
    query = """mutation($input: SourceInput!) { upsertSource(input: $input) { source {
        writtenOn { precision earliest latest } publishedOn { earliest latest relativeToSource } } } }"""
    given = {
        "id": "source:later", "title": "Later", "text": "Some text.",
        "writtenOn": {"earliest": "2025-04-03", "latest": "2025-04-10"}, "publishedOn": {"earliest": "written"},
    }  # fmt: skip
    made = await api(query, input=given)
    assert not made.errors, made.errors
    assert made.data["upsertSource"]["source"] == {
        "writtenOn": {"precision": "RANGE", "earliest": "2025-04-03", "latest": "2025-04-10"},
        "publishedOn": {"earliest": "2025-04-03", "latest": None, "relativeToSource": True},
    }
    circular = await api(query, input={**given, "writtenOn": {"latest": "written"}})
    assert refused(circular, "input.writtenOn", "relative to itself")
