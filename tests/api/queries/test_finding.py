"""Finding things: the events and all positions as lists, search that stems, knows aliases, effects and
spellings and says where it matched, walks that leave provenance out, nested pages the cost limit lets
through. Values are the article's."""

from __future__ import annotations

from typing import Any

import httpx

from graphapi.api.schema import build_schema
from graphapi.graph.words import index_text, normalize, query_terms
from helpers import SOURCE_TEXT, gql, ok

VEHICLE = "measure:us-vehicle-tariff-2025"
PARTS = "measure:us-auto-parts-tariff-2025"
STEEL = "measure:us-steel-aluminum-duties"
SOURCE = "source:us-canada-tariff-call"

# --- words (fast) -------------------------------------------------------------------------------------


def test_words_meet_at_their_stems_and_one_spelling() -> None:
    assert normalize("autos") == normalize("auto") == "auto"
    assert normalize("Tariffs") == normalize("tariff") == "tariff"
    assert normalize("aluminium") == normalize("aluminum") == "aluminum"
    assert normalize("Canada's") == normalize("Canada") == "canada"
    assert normalize("Québec") == "quebec"
    assert normalize("the") is None
    assert normalize("don't") == "dont"  # no apostrophe: RediSearch would split the word there
    assert index_text(["US tariffs on vehicle imports"]) == "us tariff vehicl import"


def test_query_words_carry_their_synonyms_and_short_ones_match_whole() -> None:
    car, tariffs = query_terms("car tariffs")
    assert {t.text for t in car} == {"car", "vehicl", "auto", "automobil"}
    assert not next(t for t in car if t.text == "car").prefix  # "car" does not find "Carney"
    assert tariffs[0].prefix and tariffs[0].matches("tariff")
    assert query_terms("the of and") == []
    [auto] = query_terms("auto")
    assert any(term.matches(normalize("automotive") or "") for term in auto)  # a beginning finds the word


# --- search -------------------------------------------------------------------------------------------

SEARCH = """query($text: String!) { search(text: $text) { totalCount edges { node { id }
    snippet { field text offset highlights { start end } truncatedBefore truncatedAfter } } } }"""


async def _search(client: httpx.AsyncClient, text: str) -> list[dict[str, Any]]:
    data = await ok(client, SEARCH, text=text)
    return list(data["search"]["edges"])


async def test_autos_find_the_vehicle_tariffs(client: httpx.AsyncClient) -> None:
    edges = await _search(client, "autos")
    ids = [e["node"]["id"] for e in edges]
    assert set(ids[:2]) == {VEHICLE, PARTS} and SOURCE in ids
    snippet = edges[ids.index(VEHICLE)]["snippet"]
    assert snippet["field"] == "name" and snippet["text"] == "US tariffs on vehicle imports"
    assert [snippet["text"][h["start"] : h["end"]] for h in snippet["highlights"]] == ["vehicle"]


async def test_car_tariffs_find_the_vehicle_tariff_by_its_words_and_aliases(
    client: httpx.AsyncClient,
) -> None:
    edges = await _search(client, "car tariffs")
    ids = [e["node"]["id"] for e in edges]
    assert set(ids[:2]) == {VEHICLE, PARTS}
    # "car" is a word of its own: Carney's name does not make every statement about tariffs a match
    assert "statement:carney-maximum-impact" not in ids
    positions = await ok(client, '{ positions(onText: "car tariffs") { nodes { id } } }')
    assert "position:singh-opposes-us-vehicle-tariff" in {n["id"] for n in positions["positions"]["nodes"]}


async def test_aluminium_finds_aluminum(client: httpx.AsyncClient) -> None:
    edges = await _search(client, "aluminium")
    assert [e["node"]["id"] for e in edges] == [STEEL, SOURCE]
    source = edges[1]["snippet"]
    # the snippet is a piece of the source's text, at its offset, not the whole text
    assert source["field"] == "text" and len(source["text"]) <= 200 and source["truncatedBefore"]
    assert SOURCE_TEXT[source["offset"] : source["offset"] + len(source["text"])] == source["text"]
    words = [source["text"][h["start"] : h["end"]] for h in source["highlights"]]
    assert words == ["aluminum"]
    start = source["offset"] + source["highlights"][0]["start"]
    assert SOURCE_TEXT[start : start + 8] == "aluminum" and start == SOURCE_TEXT.index("aluminum")


async def test_500000_jobs_are_found_in_the_measures_effects(client: httpx.AsyncClient) -> None:
    edges = await _search(client, "500,000 jobs")
    assert [e["node"]["id"] for e in edges] == [VEHICLE, SOURCE]
    snippet = edges[0]["snippet"]
    assert snippet["field"] == "effects[1].quote" and snippet["text"] == "around 500,000 jobs"
    assert [snippet["text"][h["start"] : h["end"]] for h in snippet["highlights"]] == ["500", "000", "jobs"]
    # the effect's description is searched too
    assert VEHICLE in {e["node"]["id"] for e in await _search(client, "jobs at risk")}


async def test_snippets_of_long_texts_show_the_densest_match(client: httpx.AsyncClient) -> None:
    edges = await _search(client, "vehicle imports severely")
    source = next(e["snippet"] for e in edges if e["node"]["id"] == SOURCE)
    words = {source["text"][h["start"] : h["end"]].lower() for h in source["highlights"]}
    assert {"vehicle", "imports", "severely"} <= words


# --- lists ----------------------------------------------------------------------------------------------

EVENTS = """query($filter: EventFilter, $order: EventOrder, $first: Int, $after: String) {
    events(filter: $filter, orderBy: $order, first: $first, after: $after) {
        totalCount nodes { id date { iso } } pageInfo { hasNextPage endCursor } } }"""


async def _events(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    return dict((await ok(client, EVENTS, **variables))["events"])


async def test_events_are_a_list_with_filters(client: httpx.AsyncClient) -> None:
    every = await _events(client)
    assert every["totalCount"] == 5
    carney = await _events(client, filter={"participant": "person:mark-carney"})
    assert [n["id"] for n in carney["nodes"]] == [
        "event:ca-general-election-2025",
        "event:trump-carney-call-2025",
        "event:trump-carney-meeting",
    ]
    planned_talks = await _events(client, filter={"kind": "TALKS", "status": "PLANNED"})
    assert {n["id"] for n in planned_talks["nodes"]} == {
        "event:leblanc-lutnick-talks",
        "event:us-ca-economic-security-talks",
    }
    # a date range keeps the events known to fall in it, or with POSSIBLE those that may
    april = await _events(client, filter={"from": "2025-04-01", "to": "2025-04-30"})
    assert [n["id"] for n in april["nodes"]] == ["event:ca-general-election-2025"]
    maybe = await _events(client, filter={"from": "2025-04-01", "to": "2025-04-30", "certainty": "POSSIBLE"})
    assert maybe["totalCount"] == 5  # the call was before April 2 or on it; the talks may run into April
    before = await _events(client, filter={"to": "2025-04-27"})
    assert [n["id"] for n in before["nodes"]] == ["event:trump-carney-call-2025"]  # by the article's date
    by_date = await _events(client, order={"field": "DATE"}, first=2)
    rest = await _events(client, order={"field": "DATE"}, first=10, after=by_date["pageInfo"]["endCursor"])
    assert len(by_date["nodes"]) + len(rest["nodes"]) == 5 and not rest["pageInfo"]["hasNextPage"]
    assert rest["nodes"][0]["id"] == "event:ca-general-election-2025"  # April 28, after March


async def test_bad_event_filters_are_named(client: httpx.AsyncClient) -> None:
    reversed_range = await gql(client, EVENTS, filter={"from": "2025-05-01", "to": "2025-04-01"})
    assert (
        reversed_range.codes == ["BAD_USER_INPUT"] and "`filter.from`" in reversed_range.errors[0]["message"]
    )
    unknown = await gql(client, EVENTS, filter={"participant": "person:nobody"})
    assert unknown.codes == ["NOT_FOUND"]


async def test_positions_list_all_and_filter_without_a_target(client: httpx.AsyncClient) -> None:
    query = """query($filter: PositionFilter, $on: ID, $stance: Stance) {
        positions(filter: $filter, on: $on, stance: $stance, first: 100) { totalCount nodes { id } } }"""
    everything = (await ok(client, query))["positions"]
    assert everything["totalCount"] == len(everything["nodes"]) == 20
    poilievre = (await ok(client, query, filter={"actor": "person:pierre-poilievre"}))["positions"]
    assert poilievre["totalCount"] == 3
    supports = (await ok(client, query, stance="SUPPORT"))["positions"]
    assert supports["totalCount"] == 10
    deeds = (await ok(client, query, stance="SUPPORT", filter={"basis": "ACTION"}))["positions"]
    assert {n["id"] for n in deeds["nodes"]} == {
        "position:canada-supports-ca-retaliatory-tariffs",
        "position:trump-supports-us-vehicle-tariff",
        "position:us-supports-us-auto-parts-tariff",
        "position:us-supports-us-blanket-tariff",
        "position:us-supports-us-steel-aluminum-duties",
        "position:us-supports-us-vehicle-tariff",
    }
    words = (await ok(client, query, filter={"basis": "STATEMENT"}))["positions"]
    assert words["totalCount"] == 12
    one = (await ok(client, query, on=VEHICLE, filter={"actor": "person:jagmeet-singh"}))["positions"]
    assert [n["id"] for n in one["nodes"]] == ["position:singh-opposes-us-vehicle-tariff"]


# --- walks ----------------------------------------------------------------------------------------------


async def test_walks_leave_provenance_out_unless_asked(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        plain: neighbourhood(id: "statement:singh-betrayal") { nodes { id } edges { type } }
        cited: neighbourhood(id: "statement:singh-betrayal", includeProvenance: true) { edges { type } }
        typed: neighbourhood(id: "statement:singh-betrayal", types: [QUOTED_IN]) { nodes { id } }
        path: path(from: "person:mark-carney", to: "person:donald-trump") { nodes { id } edges { type } }
    }""",
    )
    assert SOURCE not in {n["id"] for n in data["plain"]["nodes"]}
    assert {e["type"] for e in data["plain"]["edges"]} == {"SAID_BY", "IN_ROLE", "ABOUT", "EVIDENCED_BY"}
    assert "QUOTED_IN" in {e["type"] for e in data["cited"]["edges"]}
    assert {n["id"] for n in data["typed"]["nodes"]} == {"statement:singh-betrayal", SOURCE}
    assert [n["id"] for n in data["path"]["nodes"]] == [
        "person:mark-carney",
        "event:trump-carney-call-2025",
        "person:donald-trump",
    ]


# --- cost -----------------------------------------------------------------------------------------------


def test_a_nested_list_counts_its_declared_first() -> None:
    from graphql import parse

    from graphapi.api.policy.limits import measure

    schema = build_schema()._schema
    # statements: 1 + 20 (its default `first`) x speaker (1 + 1 x 0)
    nested = "{ actors(first: 1) { nodes { statements { speaker { id } } } } }"
    assert measure(schema, parse(nested), {}).cost == 1 + 1 * (1 + 10 * (1 + 20 * 1))
    stated = "{ actors(first: 1) { nodes { statements(first: 3) { speaker { id } } } } }"
    assert measure(schema, parse(stated), {}).cost == 1 + 1 * (1 + 10 * (1 + 3 * 1))


async def test_a_first_page_of_actors_with_their_nested_lists_is_let_through(
    client: httpx.AsyncClient,
) -> None:
    query = "{ actors(first: 100) { nodes { id statements { id } positions { id } } } }"
    result = await gql(client, query)
    assert not result.errors, result.errors
    carney = next(n for n in result.data["actors"]["nodes"] if n["id"] == "person:mark-carney")
    assert len(carney["statements"]) == 7 and len(carney["positions"]) == 2
