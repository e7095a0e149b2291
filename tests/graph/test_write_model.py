"""Every valid write is written: random sequences of upserts that add, change and remove optional fields
(absent, null, an empty list, values) on seed records and new ones, checked against a model of what each
record should be. Every answer matches the model, every accepted write reads back as the model says, and
`changed` is true exactly when something changed. A write that was refused says why with a code that is
never UNAVAILABLE or INTERNAL (the database is up throughout).

Hypothesis drives a state machine; its steps run on the test's event loop (a worker thread hands them
over), so the steps talk HTTP to the real ASGI app over the real embedded database."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test
from recording import RecordingStore

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.errors import DeclinedWrite
from graphapi.graph import edits
from graphapi.graph import records as r
from graphapi.graph.writer import GraphWriter
from graphapi.seed.loader import load
from graphapi.store import Store
from helpers import SOURCE_TEXT

T = TypeVar("T")
ABSENT = object()  # the field is left out of the input
SOURCE = "source:us-canada-tariff-call"


def span(quote: str) -> dict[str, Any]:
    start = SOURCE_TEXT.index(quote)
    return {"quote": quote, "start": start, "end": start + len(quote)}


SPAN_A = span("unjustified and unprovoked")
SPAN_B = span("In the meantime")

# How a field reads back over GraphQL: its selection and what of the answer stands for the input's value.
Read = tuple[str, Callable[[Any], Any]]


def plain(name: str) -> Read:
    return name, lambda node: node.get(name)


def linked(name: str) -> Read:
    return f"{name} {{ id }}", lambda node: (node.get(name) or {}).get("id")


def linked_set(name: str) -> Read:
    return f"{name} {{ id }}", lambda node: frozenset(n["id"] for n in node.get(name) or [])


def day(name: str) -> Read:
    return f"{name} {{ iso }}", lambda node: (node.get(name) or {}).get("iso")


@dataclass(frozen=True)
class Opt:
    """An optional field: the values a write may give it, how it reads back, and how its value reads."""

    values: tuple[Any, ...]
    read: Read
    model: Callable[[Any], Any] = lambda v: v
    nullable: bool = True  # the input type takes null (lists are non-null with an empty default)


def as_set(v: Any) -> Any:
    return frozenset(v)


def as_day(v: Any) -> Any:
    return v["on"]


@dataclass(frozen=True)
class Spec:
    mutation: str
    input_type: str
    graphql_type: str
    ids: tuple[str, ...]  # a seed record's id first, then new ones
    base: dict[str, Any]
    optional: dict[str, Opt]
    required: dict[str, tuple[tuple[Any, ...], Read]] = field(default_factory=dict)  # varied too

    def selection(self) -> str:
        reads = [opt.read[0] for opt in self.optional.values()] + [
            read[0] for _, read in self.required.values()
        ]
        return f"... on {self.graphql_type} {{ {' '.join(reads)} }}"


def strings(*values: str) -> tuple[Any, ...]:
    return (None, *values)


def lists(*values: list[Any]) -> tuple[Any, ...]:
    return (None, [], *values)  # null: refused, the type being non-null


SPECS = [
    Spec(
        "upsertActor", "ActorInput", "Person", ("person:mark-carney", "person:model-one"),
        {},
        {
            "aliases": Opt(lists(["Carney"], ["M. Carney", "Carney"]), plain("aliases"), list, nullable=False),
            "wikidata": Opt(strings("Q42", "Q7"), plain("wikidata")),
        },
        {"name": (("Mark Carney", "Someone Else"), plain("name"))},
    ),
    Spec(
        "upsertActor", "ActorInput", "Party", ("party:ca-ndp", "party:model-two"),
        {},
        {
            "aliases": Opt(lists(["NDP"]), plain("aliases"), list, nullable=False),
            "wikidata": Opt(strings("Q1"), plain("wikidata")),
            "description": Opt(strings("a party", "another"), plain("description")),
        },
        {"name": (("New Democratic Party", "A Party"), plain("name")), "country": (("country:CA", "country:US"), linked("country"))},
    ),
    Spec(
        "upsertStatement", "StatementInput", "Statement", ("statement:poilievre-unjustified-unprovoked", "statement:model-three"),
        {"speaker": "person:pierre-poilievre", "source": SOURCE, **SPAN_A, "direct": True},
        {
            "timing": Opt(strings("then", "later"), plain("timing")),
            "channel": Opt(strings("X", "radio"), plain("channel")),
            "role": Opt(strings("office:ca-conservative-leader"), linked("role")),
            "atEvent": Opt(strings("event:trump-carney-call-2025"), linked("atEvent")),
            "about": Opt(lists(["measure:us-vehicle-tariff-2025"], ["measure:us-vehicle-tariff-2025", "measure:us-auto-parts-tariff-2025"]), linked_set("about"), as_set, nullable=False),
            "saidOn": Opt((None, {"on": "2025-03"}, {"on": "2025-03-28"}), day("saidOn"), as_day),
        },
        {"direct": ((True, False), plain("direct"))},
    ),
    Spec(
        "upsertPosition", "PositionInput", "Position", ("position:poilievre-opposes-us-vehicle-tariff", "position:model-four"),
        {"actor": "person:pierre-poilievre", "on": "measure:us-vehicle-tariff-2025", "evidence": ["statement:poilievre-unjustified-unprovoked"]},
        {
            "note": Opt(strings("read so", "read otherwise"), plain("note")),
            "validFrom": Opt((None, {"on": "2025-01"}, {"on": "2025-03"}), day("validFrom"), as_day),
            "validTo": Opt((None, {"on": "2025-06"}), day("validTo"), as_day),
        },
        {"stance": (("OPPOSE", "MIXED"), plain("stance")), "confidence": ((0.9, 0.5), plain("confidence"))},
    ),
    Spec(
        "upsertEvent", "EventInput", "Event", ("event:leblanc-lutnick-talks", "event:model-five"),
        {"kind": "TALKS", "source": SOURCE, "evidence": [SPAN_B]},
        {
            "timing": Opt(strings("In the meantime", "soon"), plain("timing")),
            "topics": Opt(lists(["urgent matters"], ["a", "b"]), plain("topics"), list, nullable=False),
            "participants": Opt(lists(["person:dominic-leblanc", "person:howard-lutnick"], ["person:dominic-leblanc"]), linked_set("participants"), as_set, nullable=False),
            "location": Opt(strings("country:CA"), linked("location")),
        },
        {"name": (("Talks", "Other talks"), plain("name")), "status": (("PLANNED", "HELD"), plain("status"))},
    ),
    Spec(
        "upsertSource", "SourceInput", "Source", (SOURCE, "source:model-six"),
        # the seed's own date kept: the claims of the API naming this source are of that date
        {"text": SOURCE_TEXT, "writtenOn": {"earliest": "2025-03-14", "latest": "2025-04-02"}},
        {
            "publisher": Opt(strings("A paper", "Another"), plain("publisher")),
            "url": Opt(strings("https://example.org/a"), plain("url")),
            "language": Opt(strings("en", "fr"), plain("language")),
        },
        {"title": (("A title", "Another title"), plain("title"))},
    ),
    Spec(
        "upsertOffice",
        "OfficeInput",
        "Office",
        ("office:ca-ndp-leader", "office:model-eight"),
        {"source": SOURCE},
        {
            "evidence": Opt(
                lists([SPAN_A], [SPAN_B, SPAN_A]),
                ("evidence { quote }", lambda node: [e["quote"] for e in node.get("evidence") or []]),
                lambda spans: [span["quote"] for span in spans],
                nullable=False,
            ),
        },
        {"name": (("Leader", "Other leader"), plain("name")), "of": (("party:ca-ndp", "country:CA"), linked("of"))},
    ),
    Spec(
        "upsertMeasure", "MeasureInput", "Measure", ("measure:us-steel-aluminum-duties", "measure:model-seven"),
        {"kind": "DUTY", "imposedBy": ["country:US"], "source": SOURCE, "evidence": [SPAN_B]},
        {
            "rate": Opt((None, 25.0, 10.0), plain("rate")),
            "aliases": Opt(lists(["duties"]), plain("aliases"), list, nullable=False),
            "sectors": Opt(lists(["steel"], ["steel", "aluminum"]), plain("sectors"), list, nullable=False),
            "condition": Opt(strings("unless talks succeed"), plain("condition")),
            "targets": Opt(lists(["country:CA"]), linked_set("targets"), as_set, nullable=False),
        },
        {"name": (("Duties", "Other duties"), plain("name")), "status": (("ANNOUNCED", "IN_FORCE"), plain("status"))},
    ),
]  # fmt: skip


# Records several sources may state are written as the API's claim (graphapi/graph/api_claims.py): on a seed
# record, a field the write leaves out or empty keeps the seed file's value, and other names gather.
UNCLAIMED = frozenset({"Statement", "Source"})  # one source's words, and the source itself: replaced whole
GATHERED = frozenset({"aliases"})


def _model(spec: Spec, given: dict[str, Any], seed: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the record says, as it reads back: absent, null and an empty list all read as nothing; on a
    seed record (`seed`: how it read before any write), the file's claim stands where the write says nothing
    (the API's claim stands over the file's where both say something: it is the later, or of the same
    date, when it names the file's source)."""
    out = {name: given[name] for name in spec.required}
    for name, opt in spec.optional.items():
        value = given.get(name)
        mine = opt.model(value) if value not in (None, []) else None
        if seed is None or seed.get(name) is None:
            out[name] = mine
        elif mine is None:
            out[name] = seed[name]
        else:
            out[name] = list(dict.fromkeys([*seed[name], *mine])) if name in GATHERED else mine
    return out


def _claim(given: dict[str, Any]) -> str:
    """The API's claim a write makes: the values it gives."""
    return json.dumps({k: v for k, v in given.items() if v not in (None, [])}, sort_keys=True)


def _read_value(opt_read: Read, node: dict[str, Any]) -> Any:
    value = opt_read[1](node)
    return None if value in ([], frozenset(), None) else value


@st.composite
def writes(draw: st.DrawFn) -> tuple[Spec, str, dict[str, Any]]:
    spec = draw(st.sampled_from(SPECS))
    node_id = draw(st.sampled_from(spec.ids))
    given: dict[str, Any] = {"id": node_id, **spec.base}
    for name, (values, _) in spec.required.items():
        given[name] = draw(st.sampled_from(values))
    for name, opt in spec.optional.items():
        value = draw(st.sampled_from((ABSENT, *opt.values)))
        if value is not ABSENT:
            given[name] = value
    return spec, node_id, given


class Runner:
    """Runs coroutines on the test's event loop from the state machine's thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def __call__(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)


class Stats:
    steps = 0
    refused = 0
    changed = 0
    unchanged = 0


def machine(
    run: Runner, client: httpx.AsyncClient, key: str, seeds: dict[str, dict[str, Any]]
) -> type[RuleBasedStateMachine]:
    headers = {"Authorization": f"Bearer {key}"}

    def call(query: str, **variables: Any) -> dict[str, Any]:
        response = run(
            client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    class Writes(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.known: dict[str, dict[str, Any]] = {}  # the model: each written record as it reads back
            self.claims: dict[str, str] = {}  # and the API's claim of it

        @rule(write=writes())
        def upsert(self, write: tuple[Spec, str, dict[str, Any]]) -> None:
            spec, node_id, given = write
            field = (
                "actor"
                if spec.mutation == "upsertActor"
                else spec.graphql_type[0].lower() + spec.graphql_type[1:]
            )
            query = (
                f"mutation($input: {spec.input_type}!) {{ {spec.mutation}(input: $input) "
                f"{{ created changed {field} {{ id {spec.selection()} }} }} }}"
            )
            body = call(query, input=given)
            Stats.steps += 1
            if any(
                given.get(name, ABSENT) is None for name, opt in spec.optional.items() if not opt.nullable
            ):
                # a list the schema declares non-null (default: empty) refuses null, before anything is written
                assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}, body
                Stats.refused += 1
                return
            assert not body.get("errors"), (given, body["errors"])
            answer = body["data"][spec.mutation]
            claimed = spec.graphql_type not in UNCLAIMED
            expected = _model(spec, given, seeds.get(node_id) if claimed else None)
            before = self.known.get(node_id)
            if before is not None:
                # the model knows this record: `changed` exactly when the record says something new (or,
                # on a record sources claim, the API's claim does)
                news = before != expected or (claimed and self.claims[node_id] != _claim(given))
                assert answer["changed"] == news, (before, expected, answer)
                assert answer["created"] is False
            Stats.changed += answer["changed"]
            Stats.unchanged += not answer["changed"]
            self.known[node_id] = expected
            self.claims[node_id] = _claim(given)
            self._check(spec, answer[field], expected)
            # and read back as a client would, a new request
            read = call(f'{{ node(id: "{node_id}") {{ id {spec.selection()} }} }}')
            assert not read.get("errors"), read
            self._check(spec, read["data"]["node"], expected)

        def _check(self, spec: Spec, node: dict[str, Any], expected: dict[str, Any]) -> None:
            for name, opt in spec.optional.items():
                assert _read_value(opt.read, node) == expected[name], (name, node, expected)
            for name, (_, read) in spec.required.items():
                assert read[1](node) == expected[name], (name, node, expected)

    return Writes


@pytest.fixture
async def writer(scratch_store: Store) -> Any:
    await load(scratch_store)
    key = await create_key(scratch_store, "model writer", Scope.WRITE)
    app = create_app(store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client, key


async def seed_values(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """Each spec's seed record as it reads before any write, as the model holds values."""
    out = {}
    for spec in SPECS:
        query = f'{{ node(id: "{spec.ids[0]}") {{ id {spec.selection()} }} }}'
        node = (await client.post("/graphql", json={"query": query})).json()["data"]["node"]
        out[spec.ids[0]] = {name: _read_value(opt.read, node) for name, opt in spec.optional.items()}
    return out


EXAMPLES = int(os.environ.get("GRAPHAPI_MODEL_EXAMPLES", "60"))  # sequences per run; more on request
STEPS = 12


async def test_every_valid_upsert_is_written_as_the_model_says(writer: Any) -> None:
    client, key = writer
    run = Runner(asyncio.get_running_loop())
    Writes = machine(run, client, key, await seed_values(client))
    Stats.steps = Stats.changed = Stats.unchanged = Stats.refused = 0
    config = settings(
        max_examples=EXAMPLES,
        stateful_step_count=STEPS,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    await asyncio.to_thread(run_state_machine_as_test, Writes, settings=config)
    print(
        f"model writes: {Stats.steps} upserts, {Stats.changed} changed, {Stats.unchanged} unchanged, "
        f"{Stats.refused} refused (null for a non-null list)"
    )
    assert Stats.changed and Stats.unchanged


async def test_adding_an_optional_field_to_a_record_writes_it(writer: Any) -> None:
    """The example of the finding: a second upsert that only adds `wikidata` (absent before)."""
    client, key = writer
    headers = {"Authorization": f"Bearer {key}"}
    query = "mutation($input: ActorInput!) { upsertActor(input: $input) { created changed actor { ... on Person { wikidata aliases } } } }"
    answers = []
    for given in (
        {"id": "person:x", "name": "X"},
        {"id": "person:x", "name": "X", "wikidata": "Q42"},
        {"id": "person:x", "name": "X", "wikidata": "Q42", "aliases": ["Ex"]},
        {"id": "person:x", "name": "X", "wikidata": "Q42", "aliases": ["Ex"]},
        {"id": "person:x", "name": "X"},
    ):
        body = (
            await client.post(
                "/graphql", json={"query": query, "variables": {"input": given}}, headers=headers
            )
        ).json()
        assert not body.get("errors"), body
        answers.append(body["data"]["upsertActor"])
    assert [a["changed"] for a in answers] == [True, True, True, False, True]
    assert [a["actor"]["wikidata"] for a in answers] == [None, "Q42", "Q42", "Q42", None]


@pytest.mark.parametrize("same", [False, None], ids=["differs", "undecided"])
async def test_a_write_declined_for_no_reason_is_never_unavailable(same: bool | None) -> None:
    """The database answers every time, but the statement does not write and its diagnosis finds no
    reason: a bug of ours (INTERNAL, logged), not "database not reachable" for the client to retry."""

    diagnosis = {
        "found": ["person:y", "source:s"],
        "sourceExists": False,
        "badSpans": [],
        "exists": True,
        "same": same,
        "locked": False,
    }
    claimed = {**diagnosis, "othersSame": True, "claimSame": False, "ownNow": None}  # the claim stood still
    store = RecordingStore(
        answers={
            edits.UPSERT_DIAGNOSIS.name: lambda _: [diagnosis],
            edits.CLAIMED_DIAGNOSIS.name: lambda _: [claimed],
        }
    )
    writer = GraphWriter(store)
    for record, statement in (
        (
            r.Statement(id="statement:x", speaker="person:y", quote="q", start=0, end=1, direct=True),
            "statement",
        ),
        (r.Person(id="person:x", name="X"), "person"),  # written as the API's claim
    ):
        store.sent.clear()
        with pytest.raises(DeclinedWrite) as raised:
            await writer.upsert(record, source="source:s", who="test")
        assert raised.value.code == "INTERNAL"
        statements = edits.CLAIMED_UPSERTS if statement == "person" else edits.UPSERTS
        assert store.names.count(statements[statement].name) == (3 if same is False else 1)
