"""The inputs of the mutations: what a client sends, mapped to the records of graphapi/graph/records.py
(graphapi/api/mutations/convert.py), which check them as they check seed files. Each writes only its own
fields; a record's field sent as it is stands as `sent()`, its type and default the record's
(input_fields.py)."""

from __future__ import annotations

import strawberry

from graphapi.api.mutations.input_fields import record_input, sent
from graphapi.graph import records as r
from graphapi.graph.kinds import actor_fields


@record_input(
    r.DateIn,
    description=(
        "A date as the source gives it: `on` (YYYY, YYYY-MM or YYYY-MM-DD), or bounds (`earliest`, "
        "`latest`: the first and last possible day, in the same forms), or both."
    ),
    hidden=("evidence",),
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
    as_written = sent('The source\'s own words for the date ("later in May").')
    year_stated = sent()


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


@record_input(
    r.Span,
    description="Where evidence sits in a source: the source's text[start:end] must be the quote. "
    + OFFSETS_FOUND,
)
class SpanInput:
    quote = sent()
    start = sent(START)
    end = sent(END)
    occurrence = sent(OCCURRENCE)


@record_input(
    r.Statement,
    description="A statement: the quote must be the source's text[start:end]. " + OFFSETS_FOUND,
)
class StatementInput:
    id = sent("The statement's global id: `statement:<slug>`.")
    speaker = sent("Who said it (an actor's global id).")
    source: strawberry.ID = strawberry.field(description="The source that quotes or reports it.")
    quote = sent("The source's words, exactly: the speaker's own, or the source's report of them.")
    direct = sent("True for the speaker's own words, in quotation marks in the source.")
    start = sent(START)
    end = sent(END)
    occurrence = sent(OCCURRENCE)
    said_on = sent()
    timing = sent()
    channel = sent()
    role = sent("The office the speaker spoke as (a global id).")
    at_event = sent("The event it was said at (a global id).")
    about = sent("What it is about: measures, events, actors (global ids).")


@record_input(
    r.Position,
    description=(
        "A position: an actor's stance on a measure or event, read from statements (basis STATEMENT) or "
        "from a deed the source reports (basis ACTION, with the spans that report it)."
    ),
)
class PositionInput:
    id = sent("The position's global id: `position:<slug>`.")
    actor = sent("Who holds it (an actor's global id).")
    on = sent("The measure or event it is on (a global id).")
    stance = sent()
    confidence = sent()
    evidence = sent("The statements the position is read from.")
    basis = sent("STATEMENT (the default): read from `evidence`; ACTION: from a deed reported by `spans`.")
    source: strawberry.ID | None = strawberry.field(
        default=None, description="The source that `spans` point into."
    )
    spans = sent("The source's words that report the deed (or support the reading).")
    valid_from = sent()
    valid_to = sent()
    note = sent()


@record_input(r.Money, description="An amount of money as the source states it.")
class MoneyInput:
    amount = sent("The amount, in units of the currency; more than 0.")
    currency = sent("The ISO 4217 code of the currency, such as `USD` or `CAD`.")
    approximate = sent("True when the source gives it as roughly this much.")
    as_written = sent()


@record_input(r.Acting, description="A person who imposes a measure in an office.")
class ActingInput:
    actor = sent("The person, one of the measure's `imposedBy`.")
    office = sent()


@record_input(
    r.Measure,
    description="A measure, with the spans of its source that state it.",
    hidden=("effects",),
)
class MeasureInput:
    id = sent("The measure's global id: `measure:<slug>`.")
    name = sent()
    kind = sent("What kind of measure it is.")
    status = sent("Where it stands, as the source reports.")
    imposed_by = sent(
        "Who imposes, plans or threatens it: countries, and persons acting in an office (see `actingAs`)."
    )
    source: strawberry.ID = strawberry.field(description="The source that `evidence` points into.")
    evidence = sent("Spans of the source that state the measure; at least one.")
    acting_as = sent("The office each person among `imposedBy` acted in.")
    targets = sent("The actors it is aimed at (global ids).")
    rate = sent("The ad valorem rate, in percent.")
    aliases = sent("Other names the sources give it; search finds them.")
    sectors = sent()
    products = sent()
    value = sent()
    announced_on = sent()
    effective_from = sent()
    effective_to = sent()
    condition = sent()
    condition_involves = sent("The actors its condition names (global ids).")
    retaliates_against = sent("The measures it answers (global ids).")
    part_of = sent("A measure it is part or an extension of (a global id).")


@record_input(r.Event, description="An event, with the spans of its source that state it.")
class EventInput:
    id = sent("The event's global id: `event:<slug>`.")
    name = sent()
    kind = sent("What kind of event it is.")
    status = sent("Whether it was held or is to come.")
    source: strawberry.ID = strawberry.field(description="The source that `evidence` points into.")
    evidence = sent("Spans of the source that state the event; at least one.")
    date = sent()
    end = sent("When an event of several days ended.")
    timing = sent()
    participants = sent("The actors taking part (global ids).")
    location = sent("The country it takes place in (a global id).")
    after = sent("An event it follows (a global id).")
    topics = sent()


@record_input(
    actor_fields(),
    description="A country, person, party or organization; the id's prefix says which.",
)
class ActorInput:
    id = sent("The actor's global id: `country:<ISO code>`, `person:<slug>`, `party:<slug>` or `org:<slug>`.")
    name = sent("The name the sources use most.")
    aliases = sent()
    wikidata = sent("The actor's Wikidata identifier (`Q` and digits).")
    iso_code: str | None = strawberry.field(default=None, description="Countries: ISO 3166-1 alpha-2.")
    country: strawberry.ID | None = strawberry.field(default=None, description="Parties: their country.")
    description: str | None = strawberry.field(default=None, description="Parties.")
    kind: str | None = strawberry.field(default=None, description="Organizations: bloc, agency...")
    source: strawberry.ID | None = strawberry.field(
        default=None, description="The source that `evidence` points into."
    )
    evidence = sent("Spans of the source that name or describe the actor.")


@record_input(
    r.Office,
    description=(
        "An office: a post apart from who holds it (Prime Minister of Canada), with the "
        "source spans that state it."
    ),
)
class OfficeInput:
    id = sent("The office's global id: `office:<slug>`.")
    name = sent()
    of = sent("The country or party whose post it is (a global id).")
    source: strawberry.ID | None = strawberry.field(
        default=None, description="The source that `evidence` points into."
    )
    evidence = sent("Spans of the source that state the office.")


@record_input(r.Tenure, description="A person's holding of an office, with the source spans that state it.")
class TenureInput:
    holder = sent("The person who holds the office (a global id).")
    office = sent("The office held (a global id).")
    source: strawberry.ID = strawberry.field(description="The source that `evidence` points into.")
    evidence = sent("Spans of the source that state the tenure; at least one.")
    from_ = sent()
    to = sent("When it ended; null while it lasts.")


@record_input(
    r.Source,
    description="A source document; statements and evidence index into its text.",
    hidden=("file",),
)
class SourceInput:
    id = sent("The source's global id: `source:<slug>`.")
    title = sent()
    text: str = strawberry.field(description="The document's text, which quotes and spans index into.")
    publisher = sent()
    published_on = sent()
    written_on = sent("When the text was written, as far as it says: the date its relative words mean.")
    url = sent()
    language = sent()
