"""The analysts' questions, one GraphQL query each, answered with values from the article; and what each
costs the database."""

from __future__ import annotations

import itertools

import httpx
import pytest

from helpers import SOURCE_TEXT, gql, ok

VEHICLE = "measure:us-vehicle-tariff-2025"


# 1. positions on a measure, by id or by words, grouped by stance --------------------------------------


async def test_positions_on_a_measure_named_by_words(client: httpx.AsyncClient) -> None:
    query = """query($text: String!) { positions(onText: $text) { totalCount nodes {
        stance actor { name } on { id } evidence { quote statement { speaker { name } } source { id } } } } }"""
    for words in ("auto tariffs", "automotive tariffs", "vehicle tariffs"):
        positions = (await ok(client, query, text=words))["positions"]
        assert positions["totalCount"] == 3, words
        assert {p["on"]["id"] for p in positions["nodes"]} == {VEHICLE}
        assert {p["actor"]["name"] for p in positions["nodes"]} == {
            "Mark Carney",
            "Pierre Poilievre",
            "Jagmeet Singh",
        }
    nothing = (await ok(client, query, text="banana quotas"))["positions"]
    assert nothing == {"totalCount": 0, "nodes": []}


async def test_positions_grouped_by_stance_in_one_query(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        support: positions(onText: "retaliatory tariffs", stance: SUPPORT) { nodes { actor { name } on { id } } }
        oppose: positions(onText: "retaliatory tariffs", stance: OPPOSE) { totalCount }
        confident: positions(on: "measure:us-vehicle-tariff-2025", filter: {minConfidence: 0.85}) { nodes { actor { name } confidence } }
        ordered: positions(on: "measure:us-vehicle-tariff-2025", orderBy: {field: CONFIDENCE, direction: DESC}) { nodes { confidence } }
    }""",
    )
    assert data["support"]["nodes"] == [
        {"actor": {"name": "Mark Carney"}, "on": {"id": "measure:ca-planned-retaliation-autos"}}
    ]
    assert data["oppose"]["totalCount"] == 0
    assert data["confident"]["nodes"] == [{"actor": {"name": "Mark Carney"}, "confidence": 0.9}]
    assert [p["confidence"] for p in data["ordered"]["nodes"]] == [0.9, 0.8, 0.8]


# 2. measures in force on a date -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # before April 2: the vehicle tariff is announced, not in force; threats never are
        (
            "2025-04-01",
            {
                "measure:ca-retaliatory-tariffs",
                "measure:us-blanket-tariff-canada",
                "measure:us-steel-aluminum-duties",
            },
        ),
        (
            "2025-04-03",
            {
                "measure:ca-retaliatory-tariffs",
                "measure:us-blanket-tariff-canada",
                "measure:us-steel-aluminum-duties",
                VEHICLE,
            },
        ),
        # "later in May": the parts tariff counts from May 31, when it is sure to have started
        (
            "2025-05-15",
            {
                "measure:ca-retaliatory-tariffs",
                "measure:us-blanket-tariff-canada",
                "measure:us-steel-aluminum-duties",
                VEHICLE,
            },
        ),
        (
            "2025-05-31",
            {
                "measure:ca-retaliatory-tariffs",
                "measure:us-blanket-tariff-canada",
                "measure:us-steel-aluminum-duties",
                VEHICLE,
                "measure:us-auto-parts-tariff-2025",
            },
        ),
    ],
)
async def test_measures_in_force_on_a_day(client: httpx.AsyncClient, day: str, expected: set[str]) -> None:
    data = await ok(
        client,
        "query($d: Day) { measures(filter: {inForceOn: $d}) { totalCount nodes { id status } } }",
        d=day,
    )
    assert {m["id"] for m in data["measures"]["nodes"]} == expected
    assert data["measures"]["totalCount"] == len(expected)
    assert all(m["status"] != "THREATENED" for m in data["measures"]["nodes"])


async def test_in_force_filters_by_imposer_and_target(client: httpx.AsyncClient) -> None:
    query = 'query($i: ID, $t: ID) { measures(filter: {inForceOn: "2025-04-03", imposedBy: $i, target: $t}) { nodes { id } } }'
    by_canada = await ok(client, query, i="country:CA")
    assert by_canada["measures"]["nodes"] == [{"id": "measure:ca-retaliatory-tariffs"}]
    on_canada = await ok(client, query, t="country:CA")
    assert len(on_canada["measures"]["nodes"]) == 3


# 3. retaliation chains ---------------------------------------------------------------------------------


async def test_who_retaliated_against_what(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        retaliations { edges { type from to } truncated }
        up: retaliationChain(measure: "measure:ca-retaliatory-tariffs", direction: AGAINST) { nodes { id } edges { from to } }
        down: retaliationChain(measure: "measure:us-vehicle-tariff-2025", direction: BY) { nodes { id ... on Measure { imposedBy { id } } } }
        none: retaliationChain(measure: "measure:us-threatened-tariffs-eu-coordination") { nodes { id } edges { from } }
    }""",
    )
    assert data["retaliations"] == {
        "edges": [
            {"type": "RETALIATES_AGAINST", "from": "measure:ca-planned-retaliation-autos", "to": VEHICLE},
            {
                "type": "RETALIATES_AGAINST",
                "from": "measure:ca-retaliatory-tariffs",
                "to": "measure:us-blanket-tariff-canada",
            },
            {
                "type": "RETALIATES_AGAINST",
                "from": "measure:ca-retaliatory-tariffs",
                "to": "measure:us-steel-aluminum-duties",
            },
        ],
        "truncated": False,
    }
    assert {e["to"] for e in data["up"]["edges"]} == {
        "measure:us-blanket-tariff-canada",
        "measure:us-steel-aluminum-duties",
    }
    assert data["down"]["nodes"] == [
        {"id": VEHICLE, "imposedBy": [{"id": "country:US"}]},
        {"id": "measure:ca-planned-retaliation-autos", "imposedBy": [{"id": "country:CA"}]},
    ]
    assert data["none"] == {"nodes": [{"id": "measure:us-threatened-tariffs-eu-coordination"}], "edges": []}


async def test_retaliation_chains_to_any_depth(scratch_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The synthetic graph chains every measure to the one before it: depth is honoured both ways."""
    from bench.synthetic import write_synthetic_seed
    from graphapi.app import create_app
    from graphapi.seed.loader import load

    await load(scratch_store, [write_synthetic_seed(tmp_path, statements=40, measures=12)])
    app = create_app(store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        query = 'query($d: RetaliationDirection!, $n: Int!) { retaliationChain(measure: "measure:m5", direction: $d, maxDepth: $n) { nodes { id } } }'
        against = await ok(client, query, d="AGAINST", n=10)
        assert [n["id"] for n in against["retaliationChain"]["nodes"]] == [
            "measure:m5",
            "measure:m0",
            "measure:m1",
            "measure:m2",
            "measure:m3",
            "measure:m4",
        ]
        two = await ok(client, query, d="BOTH", n=2)
        assert {n["id"] for n in two["retaliationChain"]["nodes"]} == {
            f"measure:m{i}" for i in (3, 4, 5, 6, 7)
        }


# 4. timelines ------------------------------------------------------------------------------------------


async def test_everything_carney_said_and_did_in_date_order(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{ timeline(actor: "person:mark-carney") { totalCount nodes {
        kind date { iso precision yearStated } summary node { id ... on Statement { span { start end } source { id } } } } } }""",
    )
    entries = data["timeline"]["nodes"]
    dated = [e for e in entries if e["date"]]
    assert [(e["kind"], e["date"]["iso"]) for e in dated] == [
        ("TENURE_STARTED", "2025-03-14"),
        ("EVENT", "2025-04-28"),
    ]
    assert entries[: len(dated)] == dated  # dated first
    statements = [e for e in entries if e["kind"] == "STATEMENT"]
    assert len(statements) == 5 and all(e["date"] is None for e in statements)
    starts = [e["node"]["span"]["start"] for e in statements]
    assert starts == sorted(starts)  # undated: in the order of the source text
    for e in statements:
        span = e["node"]["span"]
        assert SOURCE_TEXT[span["start"] : span["end"]] == e["summary"]


async def test_timeline_between_dates_and_vague_dates(client: httpx.AsyncClient) -> None:
    query = """query($from: Day, $to: Day, $u: Boolean!) { timeline(actor: "country:US", from: $from, to: $to, includeUndated: $u) {
        nodes { kind date { iso precision } node { id } } } }"""
    april = (await ok(client, query, **{"from": "2025-04-01", "to": "2025-04-30", "u": False}))["timeline"][
        "nodes"
    ]
    assert [(e["kind"], e["node"]["id"]) for e in april] == [("MEASURE_EFFECTIVE", VEHICLE)]
    may = (await ok(client, query, **{"from": "2025-05-20", "to": "2025-05-20", "u": False}))["timeline"][
        "nodes"
    ]
    assert may == [
        {
            "kind": "MEASURE_EFFECTIVE",
            "date": {"iso": "2025-05", "precision": "MONTH"},
            "node": {"id": "measure:us-auto-parts-tariff-2025"},
        }
    ]
    everything = (await ok(client, query, **{"from": None, "to": None, "u": True}))["timeline"]["nodes"]
    isos = [e["date"]["iso"] for e in everything if e["date"]]
    assert isos == [
        "2025-04-02",
        "2025-05",
    ]  # by first possible day, a vaguer date before a precise one on a tie
    assert {e["kind"] for e in everything if not e["date"]} == {"MEASURE", "EVENT"}


async def test_timeline_pages(client: httpx.AsyncClient) -> None:
    query = 'query($a: String) { timeline(actor: "person:mark-carney", first: 4, after: $a) { totalCount edges { cursor node { summary } } pageInfo { hasNextPage endCursor } } }'
    seen, after = [], None
    while True:
        page = (await ok(client, query, a=after))["timeline"]
        seen += [e["node"]["summary"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] == 10


# 5. office holders on a date; the role a statement was made in ---------------------------------------


async def test_who_held_an_office_on_a_day(client: httpx.AsyncClient) -> None:
    query = 'query($on: Day) { officeHolders(office: "office:ca-prime-minister", on: $on) { holder { name } from { iso } to { iso } } }'
    assert [h["holder"]["name"] for h in (await ok(client, query, on="2025-03-01"))["officeHolders"]] == [
        "Justin Trudeau"
    ]
    assert [h["holder"]["name"] for h in (await ok(client, query, on="2025-03-14"))["officeHolders"]] == [
        "Mark Carney"
    ]
    assert len((await ok(client, query, on=None))["officeHolders"]) == 2
    president = await ok(
        client,
        '{ officeHolders(office: "office:us-president", on: "2025-04-03") { holder { name } from { iso } } }',
    )
    assert president["officeHolders"] == [
        {"holder": {"name": "Donald Trump"}, "from": None}
    ]  # start not stated: open


async def test_the_role_a_speaker_spoke_in(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{ statements(by: "person:mark-carney", orderBy: {field: SOURCE_POSITION}) { nodes { quote role { name } } } }""",
    )
    roles = {s["quote"]: (s["role"] or {}).get("name") for s in data["statements"]["nodes"]}
    assert roles["very constructive"] == "Prime Minister of Canada"
    assert roles["maximum impact"] == "Leader of the Liberal Party"
    assert roles["no longer a reliable trading partner"] is None  # the article does not say
    person = await ok(
        client,
        '{ node(id: "person:mark-carney") { ... on Person { tenures(on: "2025-04-03") { office { id } } } } }',
    )
    assert {t["office"]["id"] for t in person["node"]["tenures"]} == {
        "office:ca-prime-minister",
        "office:ca-liberal-leader",
    }


# 6. threats and their conditions ----------------------------------------------------------------------


async def test_threats_with_condition_and_target(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{ measures(filter: {status: THREATENED}) { nodes {
        id condition targets { id } imposedBy { id } conditionInvolves { id } retaliatesAgainst { id } } } }""",
    )
    threats = {m["id"]: m for m in data["measures"]["nodes"]}
    assert set(threats) == {
        "measure:ca-planned-retaliation-autos",
        "measure:us-threatened-tariffs-eu-coordination",
    }
    eu = threats["measure:us-threatened-tariffs-eu-coordination"]
    assert eu["condition"] == "Canada collaborating with the European Union regarding unilateral tariffs"
    assert eu["targets"] == [{"id": "country:CA"}] and eu["conditionInvolves"] == [{"id": "org:eu"}]
    canada = threats["measure:ca-planned-retaliation-autos"]
    assert canada["condition"] == "once further reductions on trade are imposed on April 2, 2025"
    assert canada["retaliatesAgainst"] == [{"id": VEHICLE}]


# 7. neighbourhoods and shortest connections -------------------------------------------------------


async def test_neighbourhood_as_nodes_and_typed_edges(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        one: neighbourhood(id: "person:jagmeet-singh") { nodes { id } edges { type from to } truncated }
        two: neighbourhood(id: "person:jagmeet-singh", depth: 2, types: [SAID_BY, ABOUT, HOLDS]) { nodes { id } edges { type } }
        capped: neighbourhood(id: "country:CA", depth: 2, limit: 5) { nodes { id } truncated }
    }""",
    )
    one = data["one"]
    assert {n["id"] for n in one["nodes"]} == {
        "person:jagmeet-singh",
        "statement:singh-betrayal",
        "office:ca-ndp-leader",
        "position:singh-opposes-us-vehicle-tariff",
        "position:singh-opposes-us-blanket-tariff",
        "position:singh-opposes-us-steel-aluminum-duties",
    }
    assert {"type": "HOLDS", "from": "person:jagmeet-singh", "to": "office:ca-ndp-leader"} in one["edges"]
    ids = {n["id"] for n in one["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in one["edges"])
    assert {e["type"] for e in data["two"]["edges"]} == {"SAID_BY", "ABOUT", "HOLDS"}
    assert VEHICLE in {n["id"] for n in data["two"]["nodes"]}
    assert len(data["capped"]["nodes"]) == 5 and data["capped"]["truncated"] is True


async def test_shortest_connection_between_two_nodes(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        p: path(from: "person:pierre-poilievre", to: "org:eu") { nodes { id } edges { type from to } }
        cited: path(from: "person:pierre-poilievre", to: "org:eu", includeProvenance: true) {
            nodes { id } edges { type }
        }
        same: path(from: "country:CA", to: "country:CA") { nodes { id } edges { type } }
        far: path(from: "person:pierre-poilievre", to: "org:eu", maxDepth: 2) { nodes { id } }
        narrow: path(from: "person:pierre-poilievre", to: "org:eu", types: [HOLDS]) { nodes { id } }
    }""",
    )
    path = data["p"]
    nodes = [n["id"] for n in path["nodes"]]
    assert nodes[0] == "person:pierre-poilievre" and nodes[-1] == "org:eu"
    # through what they did and said, not through the article that reports both
    assert len(path["edges"]) == len(nodes) - 1 == 5
    assert not {e["type"] for e in path["edges"]} & {"QUOTED_IN", "EVIDENCE_IN"}
    for (a, b), edge in zip(itertools.pairwise(nodes), path["edges"], strict=True):
        assert {edge["from"], edge["to"]} == {a, b}  # each edge joins consecutive nodes, in its own direction
    # asked for, the source is a shortcut: both are quoted in it
    cited = data["cited"]
    assert len(cited["edges"]) == 4 and "source:us-canada-tariff-call" in {n["id"] for n in cited["nodes"]}
    assert data["same"] == {"nodes": [{"id": "country:CA"}], "edges": []}
    assert data["far"] is None and data["narrow"] is None


# 8. provenance --------------------------------------------------------------------------------------


async def test_provenance_of_any_fact(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        statement: provenance(id: "statement:carney-us-no-longer-reliable") { quote span { start end } source { id title } context(chars: 30) { before quote after truncatedBefore truncatedAfter } }
        position: provenance(id: "position:poilievre-opposes-us-vehicle-tariff") { quote }
        measure: provenance(id: "measure:ca-retaliatory-tariffs") { quote span { start end } }
    }""",
    )
    [statement] = data["statement"]
    start, end = statement["span"]["start"], statement["span"]["end"]
    assert statement["quote"] == SOURCE_TEXT[start:end] == "no longer a reliable trading partner"
    context = statement["context"]
    assert (
        context["before"] == SOURCE_TEXT[start - 30 : start]
        and context["after"] == SOURCE_TEXT[end : end + 30]
    )
    assert context["truncatedBefore"] and context["truncatedAfter"]
    assert data["position"] == [{"quote": "unjustified and unprovoked"}]
    assert "C$60 billion" in data["measure"][0]["quote"]


# 9. full-text search ---------------------------------------------------------------------------------


async def test_search_names_quotes_and_source_text_ranked(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        quote: search(text: "unprovoked") { totalCount edges { score node { id } } }
        names: search(text: "Carney", kinds: [PERSON, EVENT]) { edges { node { id __typename } } }
        source: search(text: "Truth Social", kinds: [SOURCE]) { edges { node { id } } }
        prefix: search(text: "retal", kinds: [MEASURE]) { totalCount }
    }""",
    )
    quote = data["quote"]
    assert quote["edges"][0]["node"]["id"] == "statement:poilievre-unjustified-unprovoked"
    scores = [e["score"] for e in quote["edges"]]
    assert scores == sorted(scores, reverse=True) and quote["totalCount"] == len(quote["edges"])
    names = data["names"]["edges"]
    assert {e["node"]["__typename"] for e in names} <= {"Person", "Event"}
    assert "person:mark-carney" in {e["node"]["id"] for e in names}
    assert data["source"]["edges"] == [{"node": {"id": "source:us-canada-tariff-call"}}]
    assert data["prefix"]["totalCount"] == 2


async def test_search_pages_and_treats_query_syntax_as_words(client: httpx.AsyncClient) -> None:
    query = "query($t: String!, $a: String) { search(text: $t, first: 2, after: $a) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }"
    first = (await ok(client, query, t="tariffs"))["search"]
    second = (await ok(client, query, t="tariffs", a=first["pageInfo"]["endCursor"]))["search"]
    ids = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert len(ids) == len(set(ids)) == 4 and first["totalCount"] >= 4
    hostile = await gql(client, query, t='tariffs") OR 1=1 //* @name:{x} -"')
    assert not hostile.errors  # only the words reach the index


# round-trips per question ------------------------------------------------------------------------


QUESTIONS = {
    "positions by words": '{ positions(onText: "auto tariffs") { totalCount nodes { stance actor { name } evidence { quote source { title } } } } }',
    "in force on a day": '{ measures(filter: {inForceOn: "2025-04-03"}) { totalCount nodes { name imposedBy { name } targets { name } } } }',
    "retaliation chain": '{ retaliationChain(measure: "measure:ca-retaliatory-tariffs") { nodes { id ... on Measure { imposedBy { name } } } edges { from to } } }',
    "timeline": '{ timeline(actor: "person:mark-carney") { totalCount nodes { kind summary node { id ... on Statement { source { title } } } } } }',
    "office holders": '{ officeHolders(office: "office:ca-prime-minister", on: "2025-04-03") { holder { name } office { name } } }',
    "threats": "{ measures(filter: {status: THREATENED}) { nodes { condition targets { name } conditionInvolves { name } } } }",
    "neighbourhood": '{ neighbourhood(id: "measure:us-vehicle-tariff-2025", depth: 2) { nodes { id } edges { type from to } } }',
    "path": '{ path(from: "person:pierre-poilievre", to: "org:eu") { nodes { id } edges { type } } }',
    "provenance": '{ provenance(id: "position:singh-opposes-us-vehicle-tariff") { quote source { title } context { before after } } }',
    "search": '{ search(text: "tariffs") { totalCount edges { score node { id } } } }',
}
# The most round-trips each may take: a constant per question (its nesting depth, or its walk depth),
# whatever the size of the answer.
BOUNDS = {"positions by words": 5, "in force on a day": 3, "retaliation chain": 4, "timeline": 5, "office holders": 4,
          "threats": 2, "neighbourhood": 4, "path": 8, "provenance": 4, "search": 3}  # fmt: skip


@pytest.mark.parametrize("question", sorted(QUESTIONS))
async def test_round_trips_per_question_are_bounded(client: httpx.AsyncClient, question: str) -> None:
    result = await gql(client, QUESTIONS[question])
    assert not result.errors, result.errors
    assert 1 <= result.round_trips <= BOUNDS[question], (question, result.body["extensions"])
