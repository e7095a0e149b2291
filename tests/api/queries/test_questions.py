"""The analysts' questions, one GraphQL query each, answered with values from the article; and what each
costs the database."""

from __future__ import annotations

import itertools

import httpx
import pytest

from helpers import SOURCE_TEXT, gql, ok

VEHICLE = "measure:us-vehicle-tariff-2025"


# 1. positions on a measure, by id or by words, grouped by stance: every side --------------------------


HEADLINE = """query($text: String!) { positions(onText: $text) { totalCount nodes {
    id stance basis confidence note actor { id name } on { id }
    evidence { quote span { start end } source { id } statement { id direct speaker { id } } } } } }"""

# The positions on the vehicle tariffs, with their evidence: the statements behind them (the speaker's
# own words first, then the source's reports of them, in the order of the text), then the spans that
# report a deed.
MAX_IMPACT = 'has committed to enacting retaliatory tariffs with "maximum impact" against the U.S., once further reductions on trade are imposed on April 2, 2025'
DEFEND = "his commitment to implementing retaliatory tariffs to defend Canadian workers while addressing the U.S. president's planned 25% tariffs on vehicle imports"
ASSURES = "Canadian PM Carney assures retaliation against tariffs"
PLANNED = "the U.S. president's planned 25% tariffs on vehicle imports"
ON_VEHICLES = {
    "person:mark-carney": ("OPPOSE", "STATEMENT", ["maximum impact", ASSURES, DEFEND, MAX_IMPACT]),
    "country:CA": ("OPPOSE", "STATEMENT", [ASSURES, DEFEND]),
    "person:pierre-poilievre": ("OPPOSE", "STATEMENT", ["unjustified and unprovoked"]),
    "person:jagmeet-singh": ("OPPOSE", "STATEMENT", ["betrayal"]),
    "person:donald-trump": ("SUPPORT", "ACTION", [PLANNED]),
    "country:US": (
        "SUPPORT",
        "ACTION",
        [PLANNED + ", set to go into effect on April 2", "The upcoming tariffs on vehicles"],
    ),
}


async def test_positions_on_the_auto_tariffs_show_both_sides(client: httpx.AsyncClient) -> None:
    """The headline question: both sides, those who oppose the vehicle tariffs in words and those who
    impose them in deeds, each with the article's words, where they are in it."""
    for words in ("auto tariffs", "automotive tariffs", "vehicle tariffs"):
        positions = (await ok(client, HEADLINE, text=words))["positions"]
        on_vehicles = [p for p in positions["nodes"] if p["on"]["id"] == VEHICLE]
        found = {
            p["actor"]["id"]: (p["stance"], p["basis"], [e["quote"] for e in p["evidence"]])
            for p in on_vehicles
        }
        assert found == ON_VEHICLES, words
        for position in positions["nodes"]:
            for evidence in position["evidence"]:
                span = evidence["span"]
                assert SOURCE_TEXT[span["start"] : span["end"]] == evidence["quote"]
                assert evidence["source"] == {"id": "source:us-canada-tariff-call"}
            deeds = [e for e in position["evidence"] if e["statement"] is None]
            assert bool(deeds) == (
                position["basis"] == "ACTION"
            )  # a deed is evidenced by the span reporting it
        # the rest matched by the words: the extension of the vehicle tariffs to parts, which the US plans
        assert {p["on"]["id"] for p in positions["nodes"]} <= {VEHICLE, "measure:us-auto-parts-tariff-2025"}
    nothing = (await ok(client, HEADLINE, text="banana quotas"))["positions"]
    assert nothing == {"totalCount": 0, "nodes": []}


async def test_a_position_gathers_every_statement_behind_it(client: httpx.AsyncClient) -> None:
    """Carney's opposition rests on his own words ("maximum impact") before the article's reports of them,
    each a statement of his, the role he spoke in named."""
    data = await ok(
        client,
        """{ node(id: "position:carney-opposes-us-vehicle-tariff") { ... on Position {
        basis confidence note statements { id direct role { id } }
        evidence { quote statement { id direct speaker { id } } } } } }""",
    )
    position = data["node"]
    assert [(s["id"], s["direct"], s["role"]["id"]) for s in position["statements"]] == [
        ("statement:carney-maximum-impact", True, "office:ca-liberal-leader"),
        ("statement:carney-assures-retaliation", False, "office:ca-prime-minister"),
        ("statement:carney-retaliation-defend-workers", False, "office:ca-prime-minister"),
        ("statement:carney-commits-retaliation", False, "office:ca-liberal-leader"),
    ]
    assert [e["statement"]["id"] for e in position["evidence"]] == [s["id"] for s in position["statements"]]
    assert {e["statement"]["speaker"]["id"] for e in position["evidence"]} == {"person:mark-carney"}
    assert position["basis"] == "STATEMENT" and position["confidence"] == 0.9
    assert "April 2, 2025" in position["note"]  # why "maximum impact" is read as against the vehicle tariffs


async def test_readings_the_text_only_implies_say_so(client: httpx.AsyncClient) -> None:
    """Where the article does not say it in so many words, the position says why it is read so, and is
    less sure; what it states outright needs no note."""
    data = await ok(
        client,
        """{ positions(onText: "blanket tariff") { nodes { id actor { id } stance basis confidence note
        evidence { quote statement { id } } } } }""",
    )
    found = {p["id"]: p for p in data["positions"]["nodes"]}
    us = found["position:us-supports-us-blanket-tariff"]
    assert (us["stance"], us["basis"], us["confidence"], us["note"]) == ("SUPPORT", "ACTION", 0.95, None)
    assert [e["quote"] for e in us["evidence"]] == [
        "The U.S. has already instituted a blanket 25% tariff on Canadian goods"
    ]
    canada = found["position:canada-opposes-us-blanket-tariff"]
    assert (canada["stance"], canada["basis"], canada["confidence"]) == ("OPPOSE", "ACTION", 0.7)
    assert "retaliation" in canada["note"] and [e["quote"] for e in canada["evidence"]] == [
        "Thus far, Canada has retaliated"
    ]
    for person in ("poilievre", "singh"):
        reading = found[f"position:{person}-opposes-us-blanket-tariff"]
        assert reading["confidence"] == 0.7 and "not named" in reading["note"]
    implied = [p for p in data["positions"]["nodes"] if p["confidence"] < 0.8]
    assert implied and all(p["note"] for p in implied)


async def test_people_act_for_their_country_in_an_office(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        trump: node(id: "person:donald-trump") { ... on Actor { measuresImposed { id } positions { id basis } } }
        carney: node(id: "person:mark-carney") { ... on Actor { measuresImposed { id } } }
        vehicle: node(id: "measure:us-vehicle-tariff-2025") { ... on Measure {
            imposedBy { id } imposers { actor { id } office { id } actingFor { id } } } }
        byTrump: measures(filter: {imposedBy: "person:donald-trump"}) { nodes { id status } }
    }""",
    )
    assert data["trump"]["measuresImposed"] == [
        {"id": "measure:us-threatened-tariffs-eu-coordination"},
        {"id": VEHICLE},
    ]
    assert data["carney"]["measuresImposed"] == [{"id": "measure:ca-planned-retaliation-autos"}]
    assert data["vehicle"]["imposers"] == [
        {"actor": {"id": "country:US"}, "office": None, "actingFor": None},
        {
            "actor": {"id": "person:donald-trump"},
            "office": {"id": "office:us-president"},
            "actingFor": {"id": "country:US"},
        },
    ]
    assert data["byTrump"]["nodes"] == [
        {"id": "measure:us-threatened-tariffs-eu-coordination", "status": "THREATENED"},
        {"id": VEHICLE, "status": "ANNOUNCED"},
    ]
    assert {(p["id"], p["basis"]) for p in data["trump"]["positions"]} == {
        ("position:trump-supports-us-vehicle-tariff", "ACTION"),
        ("position:trump-supports-eu-coordination-tariffs", "STATEMENT"),
    }


async def test_every_imposer_holds_a_position_on_its_measure(client: httpx.AsyncClient) -> None:
    """Whoever imposes, plans or threatens a measure stands for it: a SUPPORT position per imposer."""
    data = await ok(
        client,
        "{ measures(first: 100) { nodes { id imposedBy { id } positions(stance: SUPPORT) { actor { id } } } } }",
    )
    for measure in data["measures"]["nodes"]:
        supporters = {p["actor"]["id"] for p in measure["positions"]}
        assert {a["id"] for a in measure["imposedBy"]} <= supporters, measure["id"]


async def test_positions_grouped_by_stance_in_one_query(client: httpx.AsyncClient) -> None:
    data = await ok(
        client,
        """{
        support: positions(onText: "retaliatory tariffs", stance: SUPPORT) { nodes { actor { name } on { id } basis } }
        oppose: positions(onText: "retaliatory tariffs", stance: OPPOSE) { totalCount }
        confident: positions(on: "measure:us-vehicle-tariff-2025", filter: {minConfidence: 0.85}) { nodes { actor { name } confidence } }
        ordered: positions(on: "measure:us-vehicle-tariff-2025", orderBy: {field: CONFIDENCE, direction: DESC}) { nodes { confidence } }
    }""",
    )
    assert data["support"]["nodes"] == [
        {"actor": {"name": "Canada"}, "on": {"id": "measure:ca-retaliatory-tariffs"}, "basis": "ACTION"},
        {
            "actor": {"name": "Canada"},
            "on": {"id": "measure:ca-planned-retaliation-autos"},
            "basis": "STATEMENT",
        },
        {
            "actor": {"name": "Mark Carney"},
            "on": {"id": "measure:ca-planned-retaliation-autos"},
            "basis": "STATEMENT",
        },
    ]
    assert data["oppose"]["totalCount"] == 0
    assert data["confident"]["nodes"] == [
        {"actor": {"name": "Mark Carney"}, "confidence": 0.9},
        {"actor": {"name": "Donald Trump"}, "confidence": 0.9},
        {"actor": {"name": "United States"}, "confidence": 0.9},
    ]
    assert [p["confidence"] for p in data["ordered"]["nodes"]] == [0.9, 0.9, 0.9, 0.8, 0.8, 0.7]


# 2. measures in force on a date: what is known, and what is only possible ---------------------------

ALREADY = {  # in force when the article was written ("already", "thus far"), since days it does not give
    "measure:ca-retaliatory-tariffs",
    "measure:us-blanket-tariff-canada",
    "measure:us-steel-aluminum-duties",
}


@pytest.mark.parametrize(
    ("day", "known", "possible"),
    [
        # years before the article: nothing is known in force; what it calls already in force may have been
        ("2020-01-01", set(), ALREADY),
        # before April 2, 2025 the article may not have been written yet: "already" may be later than that
        ("2025-04-01", set(), ALREADY),
        # the article was written by April 2: what it calls already instituted is in force on that day; the
        # vehicle tariffs were set to take effect on April 2, a plan the article cannot report as done
        ("2025-04-02", ALREADY, ALREADY | {VEHICLE}),
        # after the article was written it cannot know: what it reports in force only may still be
        ("2025-04-03", set(), ALREADY | {VEHICLE}),
        # "later in May": the parts tariff may start any day of May
        ("2025-05-15", set(), ALREADY | {VEHICLE, "measure:us-auto-parts-tariff-2025"}),
        ("2025-05-31", set(), ALREADY | {VEHICLE, "measure:us-auto-parts-tariff-2025"}),
    ],
)
async def test_measures_in_force_on_a_day(
    client: httpx.AsyncClient, day: str, known: set[str], possible: set[str]
) -> None:
    data = await ok(
        client,
        """query($d: Day!) {
        known: measures(filter: {inForceOn: $d}) { totalCount nodes { id status inForce(on: $d) { certainty why } } }
        sure: measures(filter: {inForceOn: $d, certainty: KNOWN}) { totalCount }
        possible: measures(filter: {inForceOn: $d, certainty: POSSIBLE}) { totalCount nodes { id status inForce(on: $d) { certainty why } } }
    }""",
        d=day,
    )
    assert {m["id"] for m in data["known"]["nodes"]} == known
    assert data["known"]["totalCount"] == data["sure"]["totalCount"] == len(known)
    assert {m["id"] for m in data["possible"]["nodes"]} == possible
    assert data["possible"]["totalCount"] == len(possible)
    for measure in data["possible"]["nodes"]:
        assert measure["status"] != "THREATENED"
        expected = "KNOWN" if measure["id"] in known else "POSSIBLE"
        assert measure["inForce"]["certainty"] == expected and measure["inForce"]["why"]


async def test_in_force_says_how_sure_and_why(client: httpx.AsyncClient) -> None:
    query = """query($d: Day!) {
        blanket: node(id: "measure:us-blanket-tariff-canada") { ... on Measure { inForce(on: $d) { certainty why }
            effectiveFrom { iso precision earliest latest asWritten relativeToSource } } }
        vehicle: node(id: "measure:us-vehicle-tariff-2025") { ... on Measure { inForce(on: $d) { certainty why } } }
        threat: node(id: "measure:us-threatened-tariffs-eu-coordination") { ... on Measure { inForce(on: $d) { certainty why } } }
    }"""
    old = await ok(client, query, d="2020-01-01")
    assert old["blanket"]["inForce"] == {
        "certainty": "POSSIBLE",
        "why": "reported in force, starting on or before 2025-04-02 ('already'): possibly after 2020-01-01; "
        "no end reported",
    }
    # "already", resolved against the article's own date: on or before the last day it can have been written
    assert old["blanket"]["effectiveFrom"] == {
        "iso": None,
        "precision": "RANGE",
        "earliest": None,
        "latest": "2025-04-02",
        "asWritten": "already",
        "relativeToSource": True,
    }
    assert old["vehicle"]["inForce"] == {
        "certainty": "NO",
        "why": "it starts 2025-04-02 ('April 2'), after 2020-01-01",
    }
    written = await ok(client, query, d="2025-04-02")
    assert written["blanket"]["inForce"]["certainty"] == "KNOWN"
    # The day after the article was written, it cannot say: nothing is known past what the sources say.
    later = await ok(client, query, d="2025-04-03")
    assert later["blanket"]["inForce"] == {
        "certainty": "POSSIBLE",
        "why": "reported in force, starting on or before 2025-04-02 ('already'); no end reported; last "
        "reported in force by source:us-canada-tariff-call, written by 2025-04-02: later is not known",
    }
    assert later["vehicle"]["inForce"] == {
        "certainty": "POSSIBLE",
        "why": "announced to take effect 2025-04-02 ('April 2'); the sources do not report it in force; "
        "no end reported",
    }
    assert (
        later["threat"]["inForce"]["certainty"] == "NO" and "threatened" in later["threat"]["inForce"]["why"]
    )
    refused = await gql(
        client, '{ measures(filter: {inForceOn: "2025-04-03", certainty: NO}) { totalCount } }'
    )
    assert (
        refused.codes == ["BAD_USER_INPUT"]
        and refused.errors[0]["extensions"]["argument"] == "filter.certainty"
    )


async def test_the_article_is_dated_by_its_own_words(client: httpx.AsyncClient) -> None:
    """The article is not dated, but it calls March 14 past and April 2, 2025 upcoming: it was written
    between them, and the spans that say so come with the date."""
    data = await ok(
        client,
        """{ sources { nodes { publishedOn { iso } writtenOn { iso precision earliest latest
            evidence { quote span { start end } source { id } } } } } }""",
    )
    [source] = data["sources"]["nodes"]
    assert source["publishedOn"] is None  # when it was published, it does not say
    written = source["writtenOn"]
    assert (written["iso"], written["precision"], written["earliest"], written["latest"]) == (
        None,
        "RANGE",
        "2025-03-14",
        "2025-04-02",
    )
    assert [e["quote"] for e in written["evidence"]] == [
        "since Carney's assumption of leadership on March 14",
        "set to go into effect on April 2",
        "once further reductions on trade are imposed on April 2, 2025",
    ]
    for evidence in written["evidence"]:
        assert SOURCE_TEXT[evidence["span"]["start"] : evidence["span"]["end"]] == evidence["quote"]
        assert evidence["source"] == {"id": "source:us-canada-tariff-call"}


async def test_in_force_filters_by_imposer_and_target(client: httpx.AsyncClient) -> None:
    query = 'query($i: ID, $t: ID) { measures(filter: {inForceOn: "2025-04-02", imposedBy: $i, target: $t}) { nodes { id } } }'
    by_canada = await ok(client, query, i="country:CA")
    assert by_canada["measures"]["nodes"] == [{"id": "measure:ca-retaliatory-tariffs"}]
    on_canada = await ok(client, query, t="country:CA")
    assert [m["id"] for m in on_canada["measures"]["nodes"]] == [
        "measure:us-blanket-tariff-canada",
        "measure:us-steel-aluminum-duties",
    ]


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
        {"id": VEHICLE, "imposedBy": [{"id": "country:US"}, {"id": "person:donald-trump"}]},
        {
            "id": "measure:ca-planned-retaliation-autos",
            "imposedBy": [{"id": "country:CA"}, {"id": "person:mark-carney"}],
        },
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
        kind date { iso precision yearStated earliest latest } summary node { id ... on Statement { span { start end } source { id } } } } } }""",
    )
    entries = data["timeline"]["nodes"]
    dated = [e for e in entries if e["date"]]
    # by first possible day: a date bounded only from above ("leader when the article was written", and
    # what he said that the article gives no date for: said by the time it was written) first
    by_article = ("STATEMENT", None, "2025-04-02")
    assert [(e["kind"], e["date"]["earliest"], e["date"]["latest"]) for e in dated] == [
        ("TENURE_STARTED", None, "2025-04-02"),  # Liberal leader, since a day the article does not give
        *[by_article] * 5,  # "in the lead-up to the call" and the rest: by April 2, 2025
        ("EVENT", "2025-03-14", "2025-04-02"),  # the call: after March 14, before the article
        ("STATEMENT", "2025-03-14", "2025-04-02"),  # said at the call
        ("STATEMENT", "2025-03-14", "2025-04-02"),
        ("TENURE_STARTED", "2025-03-14", "2025-03-14"),  # prime minister
        ("EVENT", "2025-04-28", None),  # the meeting "immediately" after the elections
        ("EVENT", "2025-04-28", "2025-04-28"),  # the elections
    ]
    assert entries[: len(dated)] == dated  # dated first
    undated = [e for e in entries if not e["date"]]
    assert [e["kind"] for e in undated] == ["MEASURE"]
    statements = [e for e in entries if e["kind"] == "STATEMENT"]
    reliable = next(
        i for i, e in enumerate(entries) if e["summary"] == "no longer a reliable trading partner"
    )
    election = next(i for i, e in enumerate(entries) if e["date"] and e["date"]["earliest"] == "2025-04-28")
    assert reliable < election  # said before the article was written, so before the elections it awaits
    for e in statements:
        span = e["node"]["span"]
        assert SOURCE_TEXT[span["start"] : span["end"]] == e["summary"]


async def test_timeline_between_dates_and_vague_dates(client: httpx.AsyncClient) -> None:
    """A range keeps what is known to fall in it, and with `certainty: POSSIBLE` what may."""
    query = """query($from: Day, $to: Day, $u: Boolean!, $c: Certainty! = KNOWN) {
        timeline(actor: "country:US", from: $from, to: $to, includeUndated: $u, certainty: $c) {
        nodes { kind date { iso precision } node { id } inRange { certainty why } } } }"""

    async def entries(**variables: object) -> list[dict[str, object]]:
        return (await ok(client, query, **variables))["timeline"]["nodes"]  # type: ignore[no-any-return]

    april = await entries(**{"from": "2025-04-01", "to": "2025-04-30", "u": False})
    assert [(e["kind"], e["node"]["id"], e["inRange"]["certainty"]) for e in april] == [  # type: ignore[index]
        ("MEASURE_EFFECTIVE", VEHICLE, "KNOWN")
    ]
    maybe = await entries(**{"from": "2025-04-01", "to": "2025-04-30", "u": False, "c": "POSSIBLE"})
    assert [(e["node"]["id"], e["inRange"]["certainty"]) for e in maybe] == [  # type: ignore[index]
        ("measure:us-blanket-tariff-canada", "POSSIBLE"),  # "already": on or before April 2
        ("measure:us-steel-aluminum-duties", "POSSIBLE"),
        (VEHICLE, "KNOWN"),
        ("event:us-ca-economic-security-talks", "POSSIBLE"),  # right after the elections of April 28
    ]
    may = await entries(**{"from": "2025-05-20", "to": "2025-05-20", "u": False})
    assert may == []  # "later in May" may be the 20th, or not
    may = await entries(**{"from": "2025-05-20", "to": "2025-05-20", "u": False, "c": "POSSIBLE"})
    assert [(e["kind"], e["date"], e["node"]["id"]) for e in may] == [
        ("EVENT", {"iso": None, "precision": "RANGE"}, "event:us-ca-economic-security-talks"),
        ("MEASURE_EFFECTIVE", {"iso": "2025-05", "precision": "MONTH"}, "measure:us-auto-parts-tariff-2025"),
    ]
    everything = await entries(**{"from": None, "to": None, "u": True})
    assert [(e["date"] or {}).get("iso") for e in everything if e["date"]] == [
        None,  # already (blanket tariff)
        None,  # already (steel and aluminum duties)
        "2025-04-02",
        None,  # from April 28
        "2025-05",
    ]  # by first possible day, a vaguer date before a precise one on a tie
    assert {e["kind"] for e in everything if not e["date"]} == {"MEASURE"}
    assert all(e["inRange"] is None for e in everything)  # no range, nothing to be sure of


async def test_timeline_pages(client: httpx.AsyncClient) -> None:
    query = 'query($a: String) { timeline(actor: "person:mark-carney", first: 4, after: $a) { totalCount edges { cursor node { summary } } pageInfo { hasNextPage endCursor } } }'
    seen, after = [], None
    while True:
        page = (await ok(client, query, a=after))["timeline"]
        seen += [e["node"]["summary"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] == 13


# 5. office holders on a date: known, or only possible; the role a statement was made in ------------


async def test_who_held_an_office_on_a_day(client: httpx.AsyncClient) -> None:
    query = """query($o: ID!, $on: Day, $c: Certainty! = KNOWN) { officeHolders(office: $o, on: $on, certainty: $c) {
        holder { name } from { iso latest } to { iso } held { certainty why } } }"""

    async def holders(office: str, on: str | None, certainty: str = "KNOWN") -> list[tuple[str, str | None]]:
        found = (await ok(client, query, o=office, on=on, c=certainty))["officeHolders"]
        return [(h["holder"]["name"], (h["held"] or {}).get("certainty")) for h in found]

    pm, president = "office:ca-prime-minister", "office:us-president"
    assert await holders(pm, "2025-03-14") == [("Mark Carney", "KNOWN")]
    # Trudeau's term ended on March 14; when it began, the article does not say
    assert await holders(pm, "2025-03-01") == []
    assert await holders(pm, "2025-03-01", "POSSIBLE") == [("Justin Trudeau", "POSSIBLE")]
    assert len(await holders(pm, None)) == 2
    # Trump was president when the article was written; since when, it does not say
    for year in ("1990-01-01", "2010-01-01"):
        assert await holders(pm, year) == [] and await holders(president, year) == []
        assert await holders(president, year, "POSSIBLE") == [("Donald Trump", "POSSIBLE")]
    sure = (await ok(client, query, o=president, on="2025-04-02"))["officeHolders"]
    assert sure == [
        {
            "holder": {"name": "Donald Trump"},
            "from": {"iso": None, "latest": "2025-04-02"},
            "to": None,
            "held": {"certainty": "KNOWN", "why": "starting on or before 2025-04-02; no end reported"},
        }
    ]
    # Past the article's own date it cannot know who holds the office: possible, and it says why.
    assert await holders(president, "2026-06-01") == [] and await holders(pm, "2026-06-01") == []
    later = (await ok(client, query, o=pm, on="2026-06-01", c="POSSIBLE"))["officeHolders"]
    assert [(h["holder"]["name"], h["held"]) for h in later] == [
        (
            "Mark Carney",
            {
                "certainty": "POSSIBLE",
                "why": "starting 2025-03-14 ('March 14'); no end reported; last reported held by "
                "source:us-canada-tariff-call, written by 2025-04-02: later is not known",
            },
        )
    ]
    refused = await gql(client, query, o=pm, on="2025-04-03", c="NO")
    assert refused.codes == ["BAD_USER_INPUT"] and refused.errors[0]["extensions"]["argument"] == "certainty"


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
        '{ node(id: "person:mark-carney") { ... on Person { tenures(on: "2025-04-02") { office { id } } } } }',
    )
    assert {t["office"]["id"] for t in person["node"]["tenures"]} == {
        "office:ca-prime-minister",
        "office:ca-liberal-leader",
    }
    # Carney led the Liberals when the article was written, since a day it does not give
    long_ago = await ok(
        client,
        """{ node(id: "person:mark-carney") { ... on Person {
        known: tenures(on: "1990-01-01") { office { id } }
        possible: tenures(on: "1990-01-01", certainty: POSSIBLE) { office { id } held { certainty why } } } } }""",
    )
    assert long_ago["node"]["known"] == []
    assert long_ago["node"]["possible"] == [
        {
            "office": {"id": "office:ca-liberal-leader"},
            "held": {
                "certainty": "POSSIBLE",
                "why": "starting on or before 2025-04-02: possibly after 1990-01-01; no end reported",
            },
        }
    ]


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
# whatever the size of the answer. The walks but the path are one statement, whatever their depth.
BOUNDS = {"positions by words": 5, "in force on a day": 3, "retaliation chain": 1, "timeline": 5, "office holders": 4,
          "threats": 2, "neighbourhood": 1, "path": 8, "provenance": 4, "search": 3}  # fmt: skip


@pytest.mark.parametrize("question", sorted(QUESTIONS))
async def test_round_trips_per_question_are_bounded(client: httpx.AsyncClient, question: str) -> None:
    result = await gql(client, QUESTIONS[question])
    assert not result.errors, result.errors
    assert 1 <= result.round_trips <= BOUNDS[question], (question, result.body["extensions"])
