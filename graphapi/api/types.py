"""The GraphQL object types. Each wraps a NodeRecord; related nodes come through the request's loaders,
so nested fields cost one batched query per level, not one per result."""

from __future__ import annotations

import json
from typing import Any, NewType, TypeVar

import strawberry

import graphapi.api.enums  # noqa: F401  (registers the model's enums with GraphQL)
from graphapi.api.context import Context
from graphapi.api.inputs import Day
from graphapi.api.records import NodeRecord
from graphapi.errors import BadUserInput
from graphapi.graph import model
from graphapi.graph.dates import FuzzyDate as FuzzyDateValue

Info = strawberry.Info[Context, None]


Date = NewType("Date", str)
SCALARS: dict[object, Any] = {
    Date: strawberry.scalar(
        name="Date",
        description="An ISO 8601 calendar date at the precision known: YYYY-MM-DD, YYYY-MM or YYYY.",
        serialize=str,
        parse_value=str,
    )
}


@strawberry.type(description="A date as the source gives it: reduced precision and a missing year are kept.")
class FuzzyDate:
    iso: Date
    precision: model.DatePrecision
    as_written: str | None = strawberry.field(description="The source's own words for the date.")
    year_stated: bool = strawberry.field(
        description="False when the source gives no year and it was placed from the source's context."
    )

    @classmethod
    def of(cls, value: FuzzyDateValue | None) -> FuzzyDate | None:
        if value is None:
            return None
        return cls(
            iso=Date(value.iso),
            precision=value.precision,
            as_written=value.as_written,
            year_stated=value.year_stated,
        )


@strawberry.type(description="A character range of a source's text: text[start:end].")
class Span:
    start: int
    end: int


@strawberry.type(description="An amount of money, as a source states it.")
class Money:
    amount: float
    currency: str = strawberry.field(description="ISO 4217 code.")
    approximate: bool
    as_written: str | None


@strawberry.type(description="The words of a source that support a fact, and where they are.")
class Evidence:
    source_id: strawberry.Private[str]
    span: Span
    quote: str = strawberry.field(description="The evidence text: the source's text[start:end].")

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await _one(info, self.source_id, Source)

    @strawberry.field(description="The quote with the source text around it, for highlighting.")
    async def context(self, info: Info, chars: int = 160) -> EvidenceContext | None:
        if not 0 <= chars <= MAX_CONTEXT:
            raise BadUserInput(f"`chars` must be between 0 and {MAX_CONTEXT}; got {chars}", argument="chars")
        excerpt = await info.context.loaders.excerpt.load(
            (self.source_id, self.span.start, self.span.end, chars)
        )
        if excerpt is None:
            return None
        return EvidenceContext(
            before=excerpt.before,
            quote=excerpt.quote,
            after=excerpt.after,
            truncated_before=self.span.start - chars > 0,
            truncated_after=self.span.end + chars < excerpt.length,
        )


MAX_CONTEXT = 2000


@strawberry.type(description="A quote and the source text on either side of it.")
class EvidenceContext:
    before: str
    quote: str
    after: str
    truncated_before: bool = strawberry.field(description="The text goes on before `before`.")
    truncated_after: bool = strawberry.field(description="The text goes on after `after`.")


@strawberry.type(description="An expected or observed effect of a measure, as the source states it.")
class Effect:
    description: str
    amount: float | None
    unit: str | None
    approximate: bool
    likely: bool = strawberry.field(description="The source says it may, or is expected to, happen.")
    evidence: Evidence


# --- interfaces ----------------------------------------------------------------------------------


@strawberry.type(description="Who changed a node through the API, and when (null for seed data).")
class EditInfo:
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str


@strawberry.interface(
    description="Anything with a global id: a type-prefixed slug such as `person:mark-carney`."
)
class Node:
    record: strawberry.Private[NodeRecord]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field(description="Who made and last changed this node through the API; null for seed data.")
    def edited(self) -> EditInfo | None:
        props = self.record.props
        if props.get("createdAt") is None:
            return None
        return EditInfo(
            created_at=str(props["createdAt"]),
            created_by=str(props.get("createdBy")),
            updated_at=str(props.get("updatedAt")),
            updated_by=str(props.get("updatedBy")),
        )


def _evidence(props: dict[str, Any]) -> list[Evidence]:
    """Evidence spans, stored flat on a node or relationship (see graphapi.seed.plan)."""
    source = props.get("evidenceSource")
    if source is None:
        return []
    spans = zip(
        props.get("evidenceStarts", []),
        props.get("evidenceEnds", []),
        props.get("evidenceQuotes", []),
        strict=True,
    )
    return [Evidence(source_id=str(source), span=Span(start=s, end=e), quote=q) for s, e, q in spans]


@strawberry.interface(description="Someone or something that acts: a country, person, party or organization.")
class Actor(Node):
    @strawberry.field
    def name(self) -> str:
        return str(self.record.get("name"))

    @strawberry.field(description="Other names the sources use.")
    def aliases(self) -> list[str]:
        return list(self.record.get("aliases", []))

    @strawberry.field(description="Wikidata identifier (QID), when known.")
    def wikidata(self) -> str | None:
        return self.record.text("wikidata")

    @strawberry.field(description="What this actor said, in id order.")
    async def statements(self, info: Info) -> list[Statement]:
        return await _incoming(info, self.record.id, model.Rel.SAID_BY, Statement)

    @strawberry.field(description="The positions this actor takes.")
    async def positions(self, info: Info) -> list[Position]:
        return await _incoming(info, self.record.id, model.Rel.HELD_BY, Position)

    @strawberry.field(description="Measures this actor imposes or threatens.")
    async def measures_imposed(self, info: Info) -> list[Measure]:
        return await _incoming(info, self.record.id, model.Rel.IMPOSED_BY, Measure)

    @strawberry.field(description="Measures aimed at this actor.")
    async def targeted_by(self, info: Info) -> list[Measure]:
        return await _incoming(info, self.record.id, model.Rel.TARGETS, Measure)

    @strawberry.field(description="Where the sources mention this actor, when recorded.")
    def evidence(self) -> list[Evidence]:
        return _evidence(self.record.props)


# --- actors and offices --------------------------------------------------------------------------


@strawberry.type
class Country(Actor):
    @strawberry.field(description="ISO 3166-1 alpha-2 code.")
    def iso_code(self) -> str:
        return str(self.record.get("isoCode"))

    @strawberry.field(description="Offices of this country's state.")
    async def offices(self, info: Info) -> list[Office]:
        return await _incoming(info, self.record.id, model.Rel.OFFICE_OF, Office)


@strawberry.type
class Person(Actor):
    @strawberry.field(
        description=(
            "Offices this person holds or held, with the dates the sources give; "
            "with `on`, those held that day."
        )
    )
    def tenures(self, on: Day | None = None) -> list[Tenure]:
        held = [
            Tenure(holder_id=self.record.id, office_id=e.dst, props=e.props)
            for e in self.record.edges(model.Rel.HOLDS)
        ]
        return [t for t in held if on is None or t.held_on(on)]


@strawberry.type
class Party(Actor):
    @strawberry.field
    def description(self) -> str | None:
        return self.record.text("description")

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        return await _one(info, self.record.target(model.Rel.BASED_IN), Country)

    @strawberry.field(description="Offices of this party, such as its leader.")
    async def offices(self, info: Info) -> list[Office]:
        return await _incoming(info, self.record.id, model.Rel.OFFICE_OF, Office)


@strawberry.type
class Organization(Actor):
    @strawberry.field(description="What kind of organization: bloc, agency, ...")
    def kind(self) -> str:
        return str(self.record.get("kind"))


@strawberry.type(description="A post that exists apart from who holds it, such as Prime Minister of Canada.")
class Office(Node):
    @strawberry.field
    def name(self) -> str:
        return str(self.record.get("name"))

    @strawberry.field(description="The country or party the office belongs to.")
    async def of(self, info: Info) -> Actor | None:
        return await _one(info, self.record.target(model.Rel.OFFICE_OF), Actor)

    @strawberry.field(
        description=(
            "Who holds or held the office, with the dates the sources give; with `on`, who held it that day."
        )
    )
    async def holders(self, info: Info, on: Day | None = None) -> list[Tenure]:
        return await office_holders(info, self.record.id, on)


async def office_holders(info: Info, office_id: str, on: str | None) -> list[Tenure]:
    loaders = info.context.loaders
    holders = await loaders.nodes(await loaders.incoming.load((office_id, model.Rel.HOLDS)))
    return [
        Tenure(holder_id=holder.id, office_id=office_id, props=edge.props)
        for holder in holders
        for edge in holder.edges(model.Rel.HOLDS)
        if edge.dst == office_id and (on is None or _held_on(edge.props, on))
    ]


def _held_on(props: dict[str, Any], day: str) -> bool:
    """Held on `day` as far as the sources say: a bound they do not give is open. A start known only
    roughly counts from its last possible day, an end from its first, so the answer is never a guess."""
    start, end = props.get("fromEnd"), props.get("toStart")
    return (start is None or start <= day) and (end is None or day < end)


@strawberry.type(description="A person's holding of an office.")
class Tenure:
    holder_id: strawberry.Private[str]
    office_id: strawberry.Private[str]
    props: strawberry.Private[dict[str, Any]]

    def held_on(self, day: str) -> bool:
        return _held_on(self.props, day)

    @strawberry.field
    async def holder(self, info: Info) -> Person | None:
        return await _one(info, self.holder_id, Person)

    @strawberry.field
    async def office(self, info: Info) -> Office | None:
        return await _one(info, self.office_id, Office)

    @strawberry.field(name="from", description="Start of the tenure, when the sources give it.")
    def start(self) -> FuzzyDate | None:
        return FuzzyDate.of(FuzzyDateValue.from_props(self.props, "from"))

    @strawberry.field(name="to", description="End of the tenure, when the sources give it.")
    def end(self) -> FuzzyDate | None:
        return FuzzyDate.of(FuzzyDateValue.from_props(self.props, "to"))

    @strawberry.field
    def evidence(self) -> list[Evidence]:
        return _evidence(self.props)


# --- policies, events, what was said -------------------------------------------------------------


@strawberry.type(description="A policy measure: a tariff, duty, quota, sanction...")
class Measure(Node):
    @strawberry.field
    def name(self) -> str:
        return str(self.record.get("name"))

    @strawberry.field
    def kind(self) -> model.MeasureKind:
        return model.MeasureKind(self.record.get("kind"))

    @strawberry.field
    def status(self) -> model.MeasureStatus:
        return model.MeasureStatus(self.record.get("status"))

    @strawberry.field(description="Ad valorem rate in percent, when stated.")
    def rate(self) -> float | None:
        return self.record.number("rate")

    @strawberry.field(description="Other names the sources use, such as 'automotive tariffs'.")
    def aliases(self) -> list[str]:
        return list(self.record.get("aliases", []))

    @strawberry.field(description="The condition on which a threatened measure would be imposed.")
    def condition(self) -> str | None:
        return self.record.text("condition")

    @strawberry.field
    def sectors(self) -> list[str]:
        return list(self.record.get("sectors", []))

    @strawberry.field
    def products(self) -> list[str]:
        return list(self.record.get("products", []))

    @strawberry.field(description="The value of trade the measure covers, in each currency the source gives.")
    def value(self) -> list[Money]:
        r = self.record
        return [
            Money(amount=a, currency=c, approximate=x, as_written=w or None)
            for a, c, x, w in zip(
                r.get("valueAmounts", []),
                r.get("valueCurrencies", []),
                r.get("valueApproximate", []),
                r.get("valueAsWritten", []),
                strict=True,
            )
        ]

    @strawberry.field(description="Effects the source states, such as jobs at risk.")
    def effects(self) -> list[Effect]:
        stored = self.record.text("effects")
        return [
            Effect(
                description=e["description"],
                amount=e["amount"],
                unit=e["unit"],
                approximate=e["approximate"],
                likely=e["likely"],
                evidence=Evidence(
                    source_id=e["source"], span=Span(start=e["start"], end=e["end"]), quote=e["quote"]
                ),
            )
            for e in (json.loads(stored) if stored else [])
        ]

    @strawberry.field
    def announced_on(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("announcedOn"))

    @strawberry.field
    def effective_from(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("effectiveFrom"))

    @strawberry.field
    def effective_to(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("effectiveTo"))

    @strawberry.field
    async def imposed_by(self, info: Info) -> list[Actor]:
        return await _many(info, self.record.targets(model.Rel.IMPOSED_BY), Actor)

    @strawberry.field
    async def targets(self, info: Info) -> list[Actor]:
        return await _many(info, self.record.targets(model.Rel.TARGETS), Actor)

    @strawberry.field(description="Actors named in the measure's condition.")
    async def condition_involves(self, info: Info) -> list[Actor]:
        return await _many(info, self.record.targets(model.Rel.CONDITION_INVOLVES), Actor)

    @strawberry.field(description="The measures this one answers.")
    async def retaliates_against(self, info: Info) -> list[Measure]:
        return await _many(info, self.record.targets(model.Rel.RETALIATES_AGAINST), Measure)

    @strawberry.field(description="The measures that answer this one.")
    async def retaliated_by(self, info: Info) -> list[Measure]:
        return await _incoming(info, self.record.id, model.Rel.RETALIATES_AGAINST, Measure)

    @strawberry.field(description="The measure this one is a part or extension of.")
    async def part_of(self, info: Info) -> Measure | None:
        return await _one(info, self.record.target(model.Rel.PART_OF), Measure)

    @strawberry.field
    async def parts(self, info: Info) -> list[Measure]:
        return await _incoming(info, self.record.id, model.Rel.PART_OF, Measure)

    @strawberry.field(description="Positions taken on this measure, optionally of one stance.")
    async def positions(self, info: Info, stance: model.Stance | None = None) -> list[Position]:
        found = await _incoming(info, self.record.id, model.Rel.ON, Position)
        return [p for p in found if stance is None or p.record.get("stance") == stance.value]

    @strawberry.field(description="Statements about this measure.")
    async def statements(self, info: Info) -> list[Statement]:
        return await _incoming(info, self.record.id, model.Rel.ABOUT, Statement)

    @strawberry.field
    def evidence(self) -> list[Evidence]:
        return _evidence(self.record.props)


@strawberry.type(description="Something that happens: a call, a meeting, talks, an election.")
class Event(Node):
    @strawberry.field
    def name(self) -> str:
        return str(self.record.get("name"))

    @strawberry.field
    def kind(self) -> model.EventKind:
        return model.EventKind(self.record.get("kind"))

    @strawberry.field
    def status(self) -> model.EventStatus:
        return model.EventStatus(self.record.get("status"))

    @strawberry.field
    def date(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("date"))

    @strawberry.field
    def end(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("end"))

    @strawberry.field(description="The source's words placing the event in time, when it gives no date.")
    def timing(self) -> str | None:
        return self.record.text("timing")

    @strawberry.field
    def topics(self) -> list[str]:
        return list(self.record.get("topics", []))

    @strawberry.field
    async def participants(self, info: Info) -> list[Actor]:
        return await _many(info, self.record.targets(model.Rel.PARTICIPANT), Actor)

    @strawberry.field
    async def location(self, info: Info) -> Country | None:
        return await _one(info, self.record.target(model.Rel.LOCATED_IN), Country)

    @strawberry.field(description="The event this one follows.")
    async def after(self, info: Info) -> Event | None:
        return await _one(info, self.record.target(model.Rel.AFTER), Event)

    @strawberry.field(description="Statements made at this event.")
    async def statements(self, info: Info) -> list[Statement]:
        return await _incoming(info, self.record.id, model.Rel.AT_EVENT, Statement)

    @strawberry.field
    def evidence(self) -> list[Evidence]:
        return _evidence(self.record.props)


@strawberry.type(description="Something an actor said, quoted verbatim from a source.")
class Statement(Node):
    @strawberry.field(
        description="The source's text at `span`: the speaker's words, or the source's report of them."
    )
    def quote(self) -> str:
        return str(self.record.get("quote"))

    @strawberry.field(
        description="True when the quote is the speaker's own words (in quotation marks in the source)."
    )
    def direct(self) -> bool:
        return bool(self.record.get("direct"))

    @strawberry.field
    def span(self) -> Span:
        return Span(start=int(self.record.get("spanStart")), end=int(self.record.get("spanEnd")))

    @strawberry.field
    def said_on(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("saidOn"))

    @strawberry.field(description="The source's words placing the statement in time, when it gives no date.")
    def timing(self) -> str | None:
        return self.record.text("timing")

    @strawberry.field(description="Where it was said: a social network, an interview...")
    def channel(self) -> str | None:
        return self.record.text("channel")

    @strawberry.field
    async def speaker(self, info: Info) -> Actor | None:
        return await _one(info, self.record.target(model.Rel.SAID_BY), Actor)

    @strawberry.field(description="The office the speaker spoke as.")
    async def role(self, info: Info) -> Office | None:
        return await _one(info, self.record.target(model.Rel.IN_ROLE), Office)

    @strawberry.field
    async def at_event(self, info: Info) -> Event | None:
        return await _one(info, self.record.target(model.Rel.AT_EVENT), Event)

    @strawberry.field(description="What the statement is about: measures, events, actors.")
    async def about(self, info: Info) -> list[Node]:
        return await _many(info, self.record.targets(model.Rel.ABOUT), Node)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await _one(info, self.record.target(model.Rel.QUOTED_IN), Source)

    @strawberry.field(description="The quote's place in its source, with the text around it.")
    def evidence(self) -> list[Evidence]:
        return statement_evidence(self.record)


async def evidence_of(info: Info, record: NodeRecord) -> list[Evidence]:
    """Where a node's facts sit in the sources: a statement's own span, the spans of the statements behind a
    position, the evidence spans of anything else."""
    if record.kind.label == "Statement":
        return statement_evidence(record)
    if record.kind.label == "Position":
        statements = await info.context.loaders.nodes(record.targets(model.Rel.EVIDENCED_BY))
        return [evidence for statement in statements for evidence in statement_evidence(statement)]
    return _evidence(record.props)


def statement_evidence(record: NodeRecord) -> list[Evidence]:
    source, start, end = record.target(model.Rel.QUOTED_IN), record.get("spanStart"), record.get("spanEnd")
    if source is None or start is None or end is None:
        return []
    quote = record.text("quote") or ""
    return [Evidence(source_id=source, span=Span(start=int(start), end=int(end)), quote=quote)]


@strawberry.type(
    description="Our reading of an actor's stance on a measure or event, with the statements behind it."
)
class Position(Node):
    @strawberry.field
    def stance(self) -> model.Stance:
        return model.Stance(self.record.get("stance"))

    @strawberry.field(description="How sure the reading is, from 0 to 1.")
    def confidence(self) -> float:
        return float(self.record.get("confidence"))

    @strawberry.field(description="Why the statements are read this way, when it needs saying.")
    def note(self) -> str | None:
        return self.record.text("note")

    @strawberry.field
    def valid_from(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("validFrom"))

    @strawberry.field
    def valid_to(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("validTo"))

    @strawberry.field
    async def actor(self, info: Info) -> Actor | None:
        return await _one(info, self.record.target(model.Rel.HELD_BY), Actor)

    @strawberry.field(description="The measure or event the position is on.")
    async def on(self, info: Info) -> Node | None:
        return await _one(info, self.record.target(model.Rel.ON), Node)

    @strawberry.field(description="The statements the position is read from.")
    async def evidence(self, info: Info) -> list[Statement]:
        return await _many(info, self.record.targets(model.Rel.EVIDENCED_BY), Statement)


@strawberry.type(description="A source document: every fact points into its text.")
class Source(Node):
    @strawberry.field
    def title(self) -> str:
        return str(self.record.get("title"))

    @strawberry.field
    def publisher(self) -> str | None:
        return self.record.text("publisher")

    @strawberry.field
    def published_on(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("publishedOn"))

    @strawberry.field
    def url(self) -> str | None:
        return self.record.text("url")

    @strawberry.field
    def language(self) -> str | None:
        return self.record.text("language")

    @strawberry.field(description="The full text; spans index into it (Unicode code points).")
    async def text(self, info: Info) -> str:
        return await info.context.loaders.source_text.load(self.record.id) or ""

    @strawberry.field(description="SHA-256 of the text, hex.")
    def checksum(self) -> str:
        return str(self.record.get("checksum"))

    @strawberry.field(description="Statements quoted from this source.")
    async def statements(self, info: Info) -> list[Statement]:
        return await _incoming(info, self.record.id, model.Rel.QUOTED_IN, Statement)


# --- building types from records -----------------------------------------------------------------

TYPE_BY_LABEL: dict[str, type[Node]] = {
    "Country": Country,
    "Person": Person,
    "Party": Party,
    "Organization": Organization,
    "Office": Office,
    "Measure": Measure,
    "Event": Event,
    "Statement": Statement,
    "Position": Position,
    "Source": Source,
}

N = TypeVar("N", bound=Node)


def build(record: NodeRecord) -> Node:
    return TYPE_BY_LABEL[record.kind.label](record=record)


def build_as(record: NodeRecord | None, expected: type[N]) -> N | None:
    """The typed object for a record, or None when the record is missing or of another type."""
    if record is None:
        return None
    built = build(record)
    return built if isinstance(built, expected) else None


async def _one(info: Info, node_id: str | None, expected: type[N]) -> N | None:
    if node_id is None:
        return None
    return build_as(await info.context.loaders.node.load(node_id), expected)


async def _many(info: Info, ids: list[str], expected: type[N]) -> list[N]:
    records = await info.context.loaders.nodes(ids)
    return [built for r in records if (built := build_as(r, expected)) is not None]


async def _incoming(info: Info, node_id: str, rel: model.Rel, expected: type[N]) -> list[N]:
    ids = await info.context.loaders.incoming.load((node_id, rel))
    return await _many(info, ids, expected)
