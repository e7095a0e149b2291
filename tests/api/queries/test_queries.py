"""The read API over HTTP, with values from the article."""

from __future__ import annotations

import httpx

from helpers import SOURCE_TEXT, gql, ok

VEHICLE = "measure:us-vehicle-tariff-2025"


async def test_positions_on_the_auto_tariffs_carry_quote_speaker_and_source(
    client: httpx.AsyncClient,
) -> None:
    data = await ok(
        client,
        """
        query($on: ID!) { positions(on: $on) { totalCount nodes {
            id stance confidence
            actor { id name }
            on { id ... on Measure { name } }
            evidence { quote span { start end } source { id text } statement { speaker { id } } }
        } } }""",
        on=VEHICLE,
    )
    positions = data["positions"]
    assert positions["totalCount"] == 6
    by_actor = {p["actor"]["id"]: p for p in positions["nodes"]}
    stances = {actor: p["stance"] for actor, p in by_actor.items()}
    assert stances == {
        "person:mark-carney": "OPPOSE",
        "country:CA": "OPPOSE",
        "person:pierre-poilievre": "OPPOSE",
        "person:jagmeet-singh": "OPPOSE",
        "person:donald-trump": "SUPPORT",
        "country:US": "SUPPORT",
    }
    assert by_actor["person:pierre-poilievre"]["evidence"][0]["quote"] == "unjustified and unprovoked"
    assert by_actor["person:jagmeet-singh"]["evidence"][0]["quote"] == "betrayal"
    for position in positions["nodes"]:
        assert position["on"] == {"id": VEHICLE, "name": "US tariffs on vehicle imports"}
        for evidence in position["evidence"]:
            span, text = evidence["span"], evidence["source"]["text"]
            assert text[span["start"] : span["end"]] == evidence["quote"]
            if evidence["statement"] is not None:  # words: said by the actor, or by its head in office
                speaker = evidence["statement"]["speaker"]["id"]
                assert speaker == position["actor"]["id"] or position["actor"]["id"] == "country:CA"


async def test_positions_filter_by_stance(client: httpx.AsyncClient) -> None:
    support = await ok(
        client,
        "query($on: ID!) { positions(on: $on, stance: SUPPORT) { totalCount nodes { id } } }",
        on="measure:ca-planned-retaliation-autos",
    )
    assert support["positions"]["nodes"] == [
        {"id": "position:canada-supports-planned-retaliation"},
        {"id": "position:carney-supports-planned-retaliation"},
    ]
    oppose = await ok(
        client, "query($on: ID!) { positions(on: $on, stance: OPPOSE) { totalCount } }", on=VEHICLE
    )
    assert oppose["positions"]["totalCount"] == 4


async def test_measure_fields_from_the_article(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """
        { vehicle: node(id: "measure:us-vehicle-tariff-2025") { ... on Measure {
              name kind rate status sectors products imposedBy { id } targets { id }
              effectiveFrom { iso precision asWritten yearStated } announcedOn { iso }
              parts { id effectiveFrom { iso precision asWritten } } retaliatedBy { id }
              effects { description amount unit approximate likely evidence { quote } }
              positions(stance: OPPOSE) { actor { name } } } }
          retaliation: node(id: "measure:ca-retaliatory-tariffs") { ... on Measure {
              status imposedBy { id } targets { id } value { amount currency approximate asWritten }
              retaliatesAgainst { id rate } } }
          threat: node(id: "measure:us-threatened-tariffs-eu-coordination") { ... on Measure {
              status condition conditionInvolves { id name } targets { id } rate } } }""",
    )
    vehicle = data["vehicle"]
    assert vehicle["rate"] == 25 and vehicle["kind"] == "TARIFF" and vehicle["status"] == "ANNOUNCED"
    assert vehicle["imposedBy"] == [{"id": "country:US"}, {"id": "person:donald-trump"}]
    assert vehicle["targets"] == []  # "vehicle imports": the article names no target
    assert vehicle["effectiveFrom"] == {
        "iso": "2025-04-02",
        "precision": "DAY",
        "asWritten": "April 2",
        "yearStated": False,
    }
    assert vehicle["announcedOn"] is None  # the article does not date the announcement
    assert vehicle["parts"] == [
        {
            "id": "measure:us-auto-parts-tariff-2025",
            "effectiveFrom": {"iso": "2025-05", "precision": "MONTH", "asWritten": "later in May"},
        }
    ]
    assert vehicle["retaliatedBy"] == [{"id": "measure:ca-planned-retaliation-autos"}]
    jobs = vehicle["effects"][1]
    assert jobs == {
        "description": "jobs at risk in Canada's automotive sector",
        "amount": 500000,
        "unit": "jobs",
        "approximate": True,
        "likely": True,
        "evidence": {"quote": "around 500,000 jobs"},
    }
    assert len(vehicle["positions"]) == 4
    retaliation = data["retaliation"]
    assert retaliation["status"] == "IN_FORCE" and retaliation["imposedBy"] == [{"id": "country:CA"}]
    assert retaliation["value"] == [
        {"amount": 60e9, "currency": "CAD", "approximate": True, "asWritten": "approximately C$60 billion"},
        {"amount": 42e9, "currency": "USD", "approximate": True, "asWritten": "about $42 billion"},
    ]
    assert retaliation["retaliatesAgainst"] == [
        {"id": "measure:us-blanket-tariff-canada", "rate": 25.0},
        {"id": "measure:us-steel-aluminum-duties", "rate": None},
    ]
    threat = data["threat"]
    assert threat["status"] == "THREATENED" and threat["rate"] is None
    assert threat["conditionInvolves"] == [{"id": "org:eu", "name": "European Union"}]
    assert "European Union" in threat["condition"]


async def test_measures_filters(client: httpx.AsyncClient) -> None:
    query = "query($s: MeasureStatus, $i: ID, $t: ID) { measures(filter: {status: $s, imposedBy: $i, target: $t}) { totalCount nodes { id } } }"
    in_force = await ok(client, query, s="IN_FORCE")
    assert [m["id"] for m in in_force["measures"]["nodes"]] == [
        "measure:ca-retaliatory-tariffs",
        "measure:us-blanket-tariff-canada",
        "measure:us-steel-aluminum-duties",
    ]
    by_canada = await ok(client, query, i="country:CA")
    assert by_canada["measures"]["totalCount"] == 2
    against_us = await ok(client, query, t="country:US", s="THREATENED")
    assert [m["id"] for m in against_us["measures"]["nodes"]] == ["measure:ca-planned-retaliation-autos"]
    everything = await ok(client, "{ measures { totalCount } }")
    assert everything["measures"]["totalCount"] == 7


async def test_statements_by_and_about(client: httpx.AsyncClient) -> None:
    query = """query($by: ID, $about: ID) { statements(by: $by, about: $about) { totalCount nodes {
        id quote direct channel timing speaker { name } role { id } atEvent { id } source { id }
        span { start end } about { id } } } }"""
    carney = (await ok(client, query, by="person:mark-carney"))["statements"]
    assert carney["totalCount"] == 7
    quotes = {s["quote"] for s in carney["nodes"]}
    assert {"very constructive", "no longer a reliable trading partner", "maximum impact"} <= quotes
    for s in carney["nodes"]:
        assert SOURCE_TEXT[s["span"]["start"] : s["span"]["end"]] == s["quote"]
        assert s["source"] == {"id": "source:us-canada-tariff-call"}
    lead_up = next(s for s in carney["nodes"] if s["quote"] == "no longer a reliable trading partner")
    assert lead_up["timing"] == "In the lead-up to the call" and lead_up["direct"] is True
    trump = (await ok(client, query, by="person:donald-trump", about="event:trump-carney-call-2025"))[
        "statements"
    ]
    assert [(s["quote"], s["channel"], s["role"]["id"]) for s in trump["nodes"]] == [
        ("extremely productive", "Truth Social", "office:us-president")
    ]
    on_blanket = (await ok(client, query, about="measure:us-blanket-tariff-canada"))["statements"]
    assert {s["speaker"]["name"] for s in on_blanket["nodes"]} == {"Pierre Poilievre", "Jagmeet Singh"}


async def test_actors_offices_and_tenures(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        actors(filter: {kind: PERSON}) { totalCount nodes { id } }
        all: actors { totalCount }
        carney: node(id: "person:mark-carney") { ... on Person { name aliases
            tenures { office { id name of { id name } } from { iso asWritten yearStated } to { iso }
                      evidence { quote } } } }
        pm: node(id: "office:ca-prime-minister") { ... on Office { holders { holder { id } from { iso } to { iso } } } }
        ndp: node(id: "party:ca-ndp") { ... on Party { description country { isoCode } offices { id } } }
        eu: node(id: "org:eu") { ... on Organization { kind name } }
    }""",
    )
    assert data["actors"]["totalCount"] == 7 and data["all"]["totalCount"] == 13
    tenures = {t["office"]["id"]: t for t in data["carney"]["tenures"]}
    pm = tenures["office:ca-prime-minister"]
    assert pm["from"] == {"iso": "2025-03-14", "asWritten": "March 14", "yearStated": False}
    assert pm["office"]["of"] == {"id": "country:CA", "name": "Canada"}
    assert "Carney's assumption of leadership on March 14" in [e["quote"] for e in pm["evidence"]]
    # leader when the article was written, since a day it does not give
    assert tenures["office:ca-liberal-leader"]["from"] == {"iso": None, "asWritten": None, "yearStated": True}
    holders = {h["holder"]["id"]: h for h in data["pm"]["holders"]}
    assert holders["person:justin-trudeau"]["to"] == {"iso": "2025-03-14"}
    assert holders["person:mark-carney"]["from"] == {"iso": "2025-03-14"}
    assert data["ndp"] == {
        "description": "leftist",
        "country": {"isoCode": "CA"},
        "offices": [{"id": "office:ca-ndp-leader"}],
    }
    assert data["eu"] == {"kind": "bloc", "name": "European Union"}


async def test_events_of_the_article(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        election: node(id: "event:ca-general-election-2025") { ... on Event { kind status date { iso asWritten yearStated } location { id } } }
        meeting: node(id: "event:trump-carney-meeting") { ... on Event { status timing topics after { id } participants { id } } }
        call: node(id: "event:trump-carney-call-2025") { ... on Event { date { iso } statements { quote } evidence { quote source { id } } } }
    }""",
    )
    assert data["election"] == {
        "kind": "ELECTION",
        "status": "SCHEDULED",
        "location": {"id": "country:CA"},
        "date": {"iso": "2025-04-28", "asWritten": "April 28", "yearStated": False},
    }
    meeting = data["meeting"]
    assert meeting["after"] == {"id": "event:ca-general-election-2025"} and meeting["status"] == "PLANNED"
    assert meeting["topics"] == ["politics", "business", "all other factors"]
    assert {p["id"] for p in meeting["participants"]} == {"person:donald-trump", "person:mark-carney"}
    call = data["call"]
    assert call["date"] == {"iso": None}  # bounded (see test_questions), not a day the article gives
    assert {s["quote"] for s in call["statements"]} >= {"extremely productive", "very constructive"}
    assert all(e["source"]["id"] == "source:us-canada-tariff-call" for e in call["evidence"])


async def test_source(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        "{ sources { totalCount nodes { id title publisher publishedOn { iso } text checksum statements { id } } } }",
    )
    [source] = data["sources"]["nodes"]
    assert source["title"] == "Trump and Carney Engage in Constructive Dialogue Amid Trade Tensions"
    assert source["publisher"] is None and source["publishedOn"] is None  # not stated by the article
    assert source["text"] == SOURCE_TEXT and len(source["checksum"]) == 64
    assert len(source["statements"]) == 15


async def test_node_and_nodes(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{ node(id: "country:CA") { __typename id ... on Country { isoCode name } }
        nodes(ids: ["person:jagmeet-singh", "person:nobody", "statement:singh-betrayal"]) { __typename id } }""",
    )
    assert data["node"] == {"__typename": "Country", "id": "country:CA", "isoCode": "CA", "name": "Canada"}
    assert data["nodes"] == [
        {"__typename": "Person", "id": "person:jagmeet-singh"},
        None,
        {"__typename": "Statement", "id": "statement:singh-betrayal"},
    ]


async def test_pagination_walks_every_page_once(client: httpx.AsyncClient) -> None:
    query = "query($after: String) { actors(first: 5, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }"
    seen, after, pages = [], None, 0
    while True:
        page = (await ok(client, query, after=after))["actors"]
        pages += 1
        seen += [e["node"]["id"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3 and len(seen) == 13 and seen == sorted(seen) and len(set(seen)) == 13
    past_end = (await ok(client, query, after=page["pageInfo"]["endCursor"]))["actors"]
    assert past_end["edges"] == [] and past_end["pageInfo"]["hasNextPage"] is False
    assert past_end["pageInfo"]["endCursor"] is None and past_end["totalCount"] == 13


async def test_unknown_ids_are_not_found(client: httpx.AsyncClient) -> None:
    result = await gql(client, '{ node(id: "person:nobody") { id } }')
    assert result.data == {"node": None} and result.codes == ["NOT_FOUND"]
    assert "person:nobody" in result.errors[0]["message"]
    for query, argument in [
        ('{ positions(on: "measure:nothing") { totalCount } }', "on"),
        ('{ statements(by: "person:nobody") { totalCount } }', "by"),
        ('{ measures(filter: {imposedBy: "country:XX"}) { totalCount } }', "filter.imposedBy"),
    ]:
        result = await gql(client, query)
        assert result.codes == ["NOT_FOUND"], result.body
        assert f"`{argument}`" in result.errors[0]["message"]


async def test_bad_arguments_are_bad_user_input(client: httpx.AsyncClient) -> None:
    cases = [
        ('{ node(id: "not an id") { id } }', "global id"),
        ('{ positions(on: "person:mark-carney") { totalCount } }', "'measure:...' or 'event:...'"),
        ('{ statements(by: "measure:us-vehicle-tariff-2025") { totalCount } }', "`by` must be the id of"),
        ('{ positions(on: "measure:us-vehicle-tariff-2025", stance: MAYBE) { totalCount } }', "MAYBE"),
        ("{ actors(first: 101) { totalCount } }", "at most 100"),
        ("{ actors(first: -1) { totalCount } }", "must not be negative"),
        ('{ actors(after: "bm90LWEtY3Vyc29y") { totalCount } }', "not a cursor"),
        ('{ actors(after: "WzEsMiwzXQ==") { totalCount } }', "not a cursor of this list"),
        ('{ measures(filter: {inForceOn: "2025-02-30"}) { totalCount } }', "not a calendar day"),
        ('{ measures(filter: {inForceOn: "April 3"}) { totalCount } }', "not a calendar day"),
        ("{ measures(orderBy: {field: COLOUR}) { totalCount } }", "COLOUR"),
        (
            '{ timeline(actor: "person:mark-carney", from: "2025-05-01", to: "2025-04-01") { totalCount } }',
            "is after `to`",
        ),
        ('{ search(text: "the of and") { totalCount } }', "no words to search for"),
        ('{ neighbourhood(id: "country:CA", depth: 3) { truncated } }', "`depth` must be 1 or 2"),
        (
            '{ path(from: "country:CA", to: "country:US", maxDepth: 11) { truncated } }',
            "`maxDepth` must be between 1 and 10",
        ),
        (
            '{ node(id: "statement:singh-betrayal") { ... on Statement { evidence { context(chars: 5000) { quote } } } } }',
            "`chars` must be between 0 and 2000",
        ),
        ("{ actors { nope } }", "Cannot query field 'nope'"),
        ("{ actors(first: 1", "Syntax Error"),
        (
            '{ positions(on: "measure:us-vehicle-tariff-2025", onText: "autos") { totalCount } }',
            "give at most one of `on` (an id) and `onText` (words)",
        ),
    ]
    for query, fragment in cases:
        result = await gql(client, query)
        assert result.codes == ["BAD_USER_INPUT"], (query, result.body)
        assert fragment in result.errors[0]["message"], (query, result.errors[0]["message"])
        assert "Traceback" not in str(result.body)


async def test_nodes_caps_the_number_of_ids(client: httpx.AsyncClient) -> None:
    result = await gql(
        client, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=[f"person:p{i}" for i in range(101)]
    )
    assert result.codes == ["BAD_USER_INPUT"] and "at most 100" in result.errors[0]["message"]


async def test_malformed_http_bodies(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    response = await client.post("/graphql", json={"variables": {}})
    assert response.status_code == 400
