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
    on: str | None = strawberry.field(
        default=None, description="The date at the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    earliest: str | None = strawberry.field(
        default=None, description="The first day the date can be, or `written` for the source's own date."
    )
    latest: str | None = strawberry.field(
        default=None, description="The last day the date can be, or `written` for the source's own date."
    )
    as_written: str | None = strawberry.field(
        default=None, description='The source\'s own words for the date ("later in May").'
    )
    year_stated: bool = strawberry.field(
        default=True, description="False when the source gives no year and it was placed from the context."
    )


OFFSETS_FOUND = (
    "Without `start` and `end` the quote is looked for in the source's text: found when it occurs once, "
    "or the `occurrence` given (1 for the first); otherwise the error lists where it occurs, or the "
    "nearest words."
)


# A quote's place in its source, as every input that carries a quote takes it.
START = (
    "Where the quote begins in the source's text (Unicode code points from 0); left out, the quote is "
    "found in the text."
)
END = "Where the quote ends (exclusive); left out with `start`."
OCCURRENCE = "Which occurrence of the quote is meant, when it occurs more than once."


@strawberry.input(
    description="Where evidence sits in a source: the source's text[start:end] must be the quote. "
    + OFFSETS_FOUND
)
class SpanInput:
    quote: str = strawberry.field(description="The source's words, exactly.")
    start: int | None = strawberry.field(default=None, description=START)
    end: int | None = strawberry.field(default=None, description=END)
    occurrence: int | None = strawberry.field(default=None, description=OCCURRENCE)


@strawberry.input(description="A statement: the quote must be the source's text[start:end]. " + OFFSETS_FOUND)
class StatementInput:
    id: strawberry.ID = strawberry.field(description="The statement's global id: `statement:<slug>`.")
    speaker: strawberry.ID = strawberry.field(description="Who said it (an actor's global id).")
    source: strawberry.ID = strawberry.field(description="The source that quotes or reports it.")
    quote: str = strawberry.field(
        description="The source's words, exactly: the speaker's own, or the source's report of them."
    )
    direct: bool = strawberry.field(
        description="True for the speaker's own words, in quotation marks in the source."
    )
    start: int | None = strawberry.field(default=None, description=START)
    end: int | None = strawberry.field(default=None, description=END)
    occurrence: int | None = strawberry.field(default=None, description=OCCURRENCE)
    said_on: DateInput | None = strawberry.field(default=None, description="When it was said.")
    timing: str | None = strawberry.field(
        default=None, description="The source's words placing it in time, when it gives no date."
    )
    channel: str | None = strawberry.field(
        default=None, description="Where it was said: a social network, an interview..."
    )
    role: strawberry.ID | None = strawberry.field(
        default=None, description="The office the speaker spoke as (a global id)."
    )
    at_event: strawberry.ID | None = strawberry.field(
        default=None, description="The event it was said at (a global id)."
    )
    about: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="What it is about: measures, events, actors (global ids)."
    )


@strawberry.input(
    description=(
        "A position: an actor's stance on a measure or event, read from statements (basis STATEMENT) or "
        "from a deed the source reports (basis ACTION, with the spans that report it)."
    )
)
class PositionInput:
    id: strawberry.ID = strawberry.field(description="The position's global id: `position:<slug>`.")
    actor: strawberry.ID = strawberry.field(description="Who holds it (an actor's global id).")
    on: strawberry.ID = strawberry.field(description="The measure or event it is on (a global id).")
    stance: model.Stance = strawberry.field(description="For, against, neither, or both.")
    confidence: float = strawberry.field(description="How sure the reading is, from 0 to 1.")
    evidence: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The statements the position is read from."
    )
    basis: model.Basis = strawberry.field(
        default=model.Basis.STATEMENT,
        description=(
            "STATEMENT (the default): read from `evidence`; ACTION: from a deed reported by `spans`."
        ),
    )
    source: strawberry.ID | None = strawberry.field(
        default=None, description="The source that `spans` point into."
    )
    spans: list[SpanInput] = strawberry.field(
        default_factory=list, description="The source's words that report the deed (or support the reading)."
    )
    valid_from: DateInput | None = strawberry.field(default=None, description="Since when it is held.")
    valid_to: DateInput | None = strawberry.field(default=None, description="Until when it was held.")
    note: str | None = strawberry.field(
        default=None, description="Why the evidence is read so, when the text only implies it."
    )


@strawberry.input(description="An amount of money as the source states it.")
class MoneyInput:
    amount: float = strawberry.field(description="The amount, in units of the currency; more than 0.")
    currency: str = strawberry.field(description="The ISO 4217 code of the currency, such as `USD` or `CAD`.")
    approximate: bool = strawberry.field(
        default=False, description="True when the source gives it as roughly this much."
    )
    as_written: str | None = strawberry.field(default=None, description="The source's own words for it.")


@strawberry.input(description="A person who imposes a measure in an office.")
class ActingInput:
    actor: strawberry.ID = strawberry.field(description="The person, one of the measure's `imposedBy`.")
    office: strawberry.ID = strawberry.field(description="The office the person acted in.")


@strawberry.input(description="A measure, with the spans of its source that state it.")
class MeasureInput:
    id: strawberry.ID = strawberry.field(description="The measure's global id: `measure:<slug>`.")
    name: str = strawberry.field(description="What it is, in a few words.")
    kind: model.MeasureKind = strawberry.field(description="What kind of measure it is.")
    status: model.MeasureStatus = strawberry.field(description="Where it stands, as the source reports.")
    imposed_by: list[strawberry.ID] = strawberry.field(
        description=(
            "Who imposes, plans or threatens it: countries, and persons acting in an office (see `actingAs`)."
        )
    )
    source: strawberry.ID = strawberry.field(description="The source that `evidence` points into.")
    evidence: list[SpanInput] = strawberry.field(
        description="Spans of the source that state the measure; at least one."
    )
    acting_as: list[ActingInput] = strawberry.field(
        default_factory=list, description="The office each person among `imposedBy` acted in."
    )
    targets: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The actors it is aimed at (global ids)."
    )
    rate: float | None = strawberry.field(default=None, description="The ad valorem rate, in percent.")
    aliases: list[str] = strawberry.field(
        default_factory=list, description="Other names the sources give it; search finds them."
    )
    sectors: list[str] = strawberry.field(default_factory=list, description="The sectors it covers.")
    products: list[str] = strawberry.field(default_factory=list, description="The goods it covers.")
    value: list[MoneyInput] = strawberry.field(
        default_factory=list, description="The value of trade it covers, as the source states it."
    )
    announced_on: DateInput | None = strawberry.field(default=None, description="When it was announced.")
    effective_from: DateInput | None = strawberry.field(
        default=None, description="When it takes or took effect."
    )
    effective_to: DateInput | None = strawberry.field(default=None, description="When it ends or ended.")
    condition: str | None = strawberry.field(
        default=None, description="What it depends on, in the source's words."
    )
    condition_involves: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The actors its condition names (global ids)."
    )
    retaliates_against: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The measures it answers (global ids)."
    )
    part_of: strawberry.ID | None = strawberry.field(
        default=None, description="A measure it is part or an extension of (a global id)."
    )


@strawberry.input(description="An event, with the spans of its source that state it.")
class EventInput:
    id: strawberry.ID = strawberry.field(description="The event's global id: `event:<slug>`.")
    name: str = strawberry.field(description="What it is, in a few words.")
    kind: model.EventKind = strawberry.field(description="What kind of event it is.")
    status: model.EventStatus = strawberry.field(description="Whether it was held or is to come.")
    source: strawberry.ID = strawberry.field(description="The source that `evidence` points into.")
    evidence: list[SpanInput] = strawberry.field(
        description="Spans of the source that state the event; at least one."
    )
    date: DateInput | None = strawberry.field(default=None, description="When it happens or began.")
    end: DateInput | None = strawberry.field(default=None, description="When an event of several days ended.")
    timing: str | None = strawberry.field(
        default=None, description="The source's words placing it in time, when it gives no date."
    )
    participants: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The actors taking part (global ids)."
    )
    location: strawberry.ID | None = strawberry.field(
        default=None, description="The country it takes place in (a global id)."
    )
    after: strawberry.ID | None = strawberry.field(
        default=None, description="An event it follows (a global id)."
    )
    topics: list[str] = strawberry.field(
        default_factory=list, description="What it is about, in the source's words."
    )


@strawberry.input(description="A country, person, party or organization; the id's prefix says which.")
class ActorInput:
    id: strawberry.ID = strawberry.field(
        description=(
            "The actor's global id: `country:<ISO code>`, `person:<slug>`, `party:<slug>` or `org:<slug>`."
        )
    )
    name: str = strawberry.field(description="The name the sources use most.")
    aliases: list[str] = strawberry.field(
        default_factory=list, description="Other names the sources use; search finds them."
    )
    wikidata: str | None = strawberry.field(
        default=None, description="The actor's Wikidata identifier (`Q` and digits)."
    )
    iso_code: str | None = strawberry.field(default=None, description="Countries: ISO 3166-1 alpha-2.")
    country: strawberry.ID | None = strawberry.field(default=None, description="Parties: their country.")
    description: str | None = strawberry.field(default=None, description="Parties.")
    kind: str | None = strawberry.field(default=None, description="Organizations: bloc, agency...")
    source: strawberry.ID | None = strawberry.field(
        default=None, description="The source that `evidence` points into."
    )
    evidence: list[SpanInput] = strawberry.field(
        default_factory=list, description="Spans of the source that name or describe the actor."
    )


@strawberry.input(
    description=(
        "An office: a post apart from who holds it (Prime Minister of Canada), with the "
        "source spans that state it."
    )
)
class OfficeInput:
    id: strawberry.ID = strawberry.field(description="The office's global id: `office:<slug>`.")
    name: str = strawberry.field(description="The post's name.")
    of: strawberry.ID = strawberry.field(description="The country or party whose post it is (a global id).")
    source: strawberry.ID | None = strawberry.field(
        default=None, description="The source that `evidence` points into."
    )
    evidence: list[SpanInput] = strawberry.field(
        default_factory=list, description="Spans of the source that state the office."
    )


@strawberry.input(description="A person's holding of an office, with the source spans that state it.")
class TenureInput:
    holder: strawberry.ID = strawberry.field(description="The person who holds the office (a global id).")
    office: strawberry.ID = strawberry.field(description="The office held (a global id).")
    source: strawberry.ID = strawberry.field(description="The source that `evidence` points into.")
    evidence: list[SpanInput] = strawberry.field(
        description="Spans of the source that state the tenure; at least one."
    )
    start: DateInput | None = strawberry.field(
        default=None, name="from", description="When the tenure began."
    )
    end: DateInput | None = strawberry.field(
        default=None, name="to", description="When it ended; null while it lasts."
    )


@strawberry.input(description="A source document; statements and evidence index into its text.")
class SourceInput:
    id: strawberry.ID = strawberry.field(description="The source's global id: `source:<slug>`.")
    title: str = strawberry.field(description="The document's title.")
    text: str = strawberry.field(description="The document's text, which quotes and spans index into.")
    publisher: str | None = strawberry.field(default=None, description="Who published it.")
    published_on: DateInput | None = strawberry.field(default=None, description="When it was published.")
    written_on: DateInput | None = strawberry.field(
        default=None,
        description="When the text was written, as far as it says: the date its relative words mean.",
    )
    url: str | None = strawberry.field(default=None, description="Where it was published.")
    language: str | None = strawberry.field(default=None, description="The language of its text (`en`...).")
