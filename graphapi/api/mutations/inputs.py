"""The inputs of the mutations: what a client sends, mapped to the records of graphapi/graph/records.py
(graphapi/api/mutations/convert.py), which check them as they check seed files."""

from __future__ import annotations

import strawberry

from graphapi.graph import model


@strawberry.input(
    description=(
        "A date as the source gives it: `on` (YYYY, YYYY-MM or YYYY-MM-DD), or bounds (`earliest`, "
        "`latest`: the first and last possible day, in the same forms), or both."
    )
)
class DateInput:
    on: str | None = None
    earliest: str | None = None
    latest: str | None = None
    as_written: str | None = None
    year_stated: bool = True


OFFSETS_FOUND = (
    "Without `start` and `end` the quote is looked for in the source's text: found when it occurs once, "
    "or the `occurrence` given (1 for the first); otherwise the error lists where it occurs, or the "
    "nearest words."
)


@strawberry.input(
    description="Where evidence sits in a source: the source's text[start:end] must be the quote. "
    + OFFSETS_FOUND
)
class SpanInput:
    quote: str
    start: int | None = None
    end: int | None = None
    occurrence: int | None = strawberry.field(
        default=None, description="Which occurrence of the quote is meant, when it occurs more than once."
    )


@strawberry.input(description="A statement: the quote must be the source's text[start:end]. " + OFFSETS_FOUND)
class StatementInput:
    id: strawberry.ID
    speaker: strawberry.ID
    source: strawberry.ID
    quote: str
    direct: bool
    start: int | None = None
    end: int | None = None
    occurrence: int | None = strawberry.field(
        default=None, description="Which occurrence of the quote is meant, when it occurs more than once."
    )
    said_on: DateInput | None = None
    timing: str | None = None
    channel: str | None = None
    role: strawberry.ID | None = None
    at_event: strawberry.ID | None = None
    about: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(
    description=(
        "A position: an actor's stance on a measure or event, read from statements (basis STATEMENT) or "
        "from a deed the source reports (basis ACTION, with the spans that report it)."
    )
)
class PositionInput:
    id: strawberry.ID
    actor: strawberry.ID
    on: strawberry.ID
    stance: model.Stance
    confidence: float
    evidence: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The statements the position is read from."
    )
    basis: model.Basis = model.Basis.STATEMENT
    source: strawberry.ID | None = strawberry.field(
        default=None, description="The source that `spans` point into."
    )
    spans: list[SpanInput] = strawberry.field(
        default_factory=list, description="The source's words that report the deed (or support the reading)."
    )
    valid_from: DateInput | None = None
    valid_to: DateInput | None = None
    note: str | None = None


@strawberry.input(description="An amount of money as the source states it.")
class MoneyInput:
    amount: float
    currency: str
    approximate: bool = False
    as_written: str | None = None


@strawberry.input(description="A person who imposes a measure in an office.")
class ActingInput:
    actor: strawberry.ID
    office: strawberry.ID


@strawberry.input(description="A measure, with the spans of its source that state it.")
class MeasureInput:
    id: strawberry.ID
    name: str
    kind: model.MeasureKind
    status: model.MeasureStatus
    imposed_by: list[strawberry.ID]
    source: strawberry.ID
    evidence: list[SpanInput]
    acting_as: list[ActingInput] = strawberry.field(
        default_factory=list, description="The office each person among `imposedBy` acted in."
    )
    targets: list[strawberry.ID] = strawberry.field(default_factory=list)
    rate: float | None = None
    aliases: list[str] = strawberry.field(default_factory=list)
    sectors: list[str] = strawberry.field(default_factory=list)
    products: list[str] = strawberry.field(default_factory=list)
    value: list[MoneyInput] = strawberry.field(default_factory=list)
    announced_on: DateInput | None = None
    effective_from: DateInput | None = None
    effective_to: DateInput | None = None
    condition: str | None = None
    condition_involves: list[strawberry.ID] = strawberry.field(default_factory=list)
    retaliates_against: list[strawberry.ID] = strawberry.field(default_factory=list)
    part_of: strawberry.ID | None = None


@strawberry.input(description="An event, with the spans of its source that state it.")
class EventInput:
    id: strawberry.ID
    name: str
    kind: model.EventKind
    status: model.EventStatus
    source: strawberry.ID
    evidence: list[SpanInput]
    date: DateInput | None = None
    end: DateInput | None = None
    timing: str | None = None
    participants: list[strawberry.ID] = strawberry.field(default_factory=list)
    location: strawberry.ID | None = None
    after: strawberry.ID | None = None
    topics: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="A country, person, party or organization; the id's prefix says which.")
class ActorInput:
    id: strawberry.ID
    name: str
    aliases: list[str] = strawberry.field(default_factory=list)
    wikidata: str | None = None
    iso_code: str | None = strawberry.field(default=None, description="Countries: ISO 3166-1 alpha-2.")
    country: strawberry.ID | None = strawberry.field(default=None, description="Parties: their country.")
    description: str | None = strawberry.field(default=None, description="Parties.")
    kind: str | None = strawberry.field(default=None, description="Organizations: bloc, agency...")
    source: strawberry.ID | None = None
    evidence: list[SpanInput] = strawberry.field(default_factory=list)


@strawberry.input
class OfficeInput:
    id: strawberry.ID
    name: str
    of: strawberry.ID
    source: strawberry.ID | None = None
    evidence: list[SpanInput] = strawberry.field(default_factory=list)


@strawberry.input(description="A person's holding of an office, with the source spans that state it.")
class TenureInput:
    holder: strawberry.ID
    office: strawberry.ID
    source: strawberry.ID
    evidence: list[SpanInput]
    start: DateInput | None = strawberry.field(default=None, name="from")
    end: DateInput | None = strawberry.field(default=None, name="to")


@strawberry.input(description="A source document; statements and evidence index into its text.")
class SourceInput:
    id: strawberry.ID
    title: str
    text: str
    publisher: str | None = None
    published_on: DateInput | None = None
    written_on: DateInput | None = strawberry.field(
        default=None,
        description="When the text was written, as far as it says: the date its relative words mean.",
    )
    url: str | None = None
    language: str | None = None
