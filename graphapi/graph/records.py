"""The records the graph is written from, as pydantic models: what a seed file holds and what a mutation
sends are validated by the same models. Unknown fields are errors, so a typo never passes silently.

The seed format built on them is documented in seed/README.md.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from graphapi.graph.model import (
    Basis,
    EventKind,
    EventStatus,
    MeasureKind,
    MeasureStatus,
    Stance,
)
from graphapi.graph.record_fields import (
    ActorId,
    AnyId,
    CountryId,
    Document,
    EventId,
    Line,
    MeasureId,
    Number,
    OfficeId,
    OrganizationId,
    PartyId,
    Passage,
    PersonId,
    PositionId,
    SourceId,
    StanceTargetId,
    StatementId,
    check_offsets,
    check_order,
)

# re-exported: the base of every record, the error of a check across fields, the mark of an id's kinds
from graphapi.graph.record_fields import FieldError as FieldError
from graphapi.graph.record_fields import IdOf as IdOf
from graphapi.graph.record_fields import Record as Record

# re-exported: the parts records are made of (graphapi/graph/record_parts.py)
from graphapi.graph.record_parts import OCCURRENCE as OCCURRENCE
from graphapi.graph.record_parts import OFFSET as OFFSET
from graphapi.graph.record_parts import WRITTEN as WRITTEN
from graphapi.graph.record_parts import Date as Date
from graphapi.graph.record_parts import DateIn as DateIn
from graphapi.graph.record_parts import QuoteEnd as QuoteEnd
from graphapi.graph.record_parts import QuoteOccurrence as QuoteOccurrence
from graphapi.graph.record_parts import QuoteStart as QuoteStart
from graphapi.graph.record_parts import Span as Span


class DraftMark(Record):
    """A record a drafter proposed (`graphapi seed draft`) and no person has accepted yet: what it rests
    on. A curator accepts the record by removing its `draft`; a load refuses records that still have one."""

    rule: Line = Field(description="the rule that proposed it (`quote-said-name`...)")
    confidence: float = Field(ge=0, le=1, description="how sure the rule is, from 0 to 1")
    note: Line | None = Field(default=None, description="what the curator should check")


class Drafted(Record):
    """A record a seed file may hold as a draft."""

    draft: DraftMark | None = Field(
        default=None,
        description="set by the drafter: the record is a proposal to review; a load refuses it until the "
        "curator removes this field",
    )


class Source(Drafted):
    """A document. A seed file names its text `file` (relative to the seed file); the API sends `text`."""

    id: SourceId = Field(description="`source:<slug>`")
    title: Line = Field(description="the document's title")
    file: Line | None = Field(default=None, description="path of the text, relative to the seed file")
    text: Document | None = Field(default=None, description="the text itself, instead of `file`")
    publisher: Line | None = Field(default=None, description="who published it")
    published_on: Date | None = Field(default=None, description="when it was published")
    written_on: Date | None = Field(
        default=None,
        description="when the text was written, as far as it says (the 'now' of its relative words)",
    )
    url: Line | None = Field(default=None, description="where it was published")
    language: Line | None = Field(default=None, description="the language of its text (`en`...)")

    @model_validator(mode="after")
    def _text_or_file(self) -> Source:
        if self.file is None and self.text is None:
            raise FieldError("file", "a source needs its text, or the file that holds it")
        if self.written_on is not None and self.written_on.relative:
            raise FieldError(
                "written_on", f"the source's own date cannot be relative to itself ('{WRITTEN}')"
            )
        return self


EVIDENCE = "spans of the source that state it"


class _Actor(Drafted):
    actor_kind: ClassVar[bool] = True
    name: Line = Field(description="the name the source uses most")
    aliases: list[Line] = Field(default=[], description="other names the sources use; search finds them")
    wikidata: Annotated[str, Field(pattern=r"^Q[1-9][0-9]{0,12}$")] | None = Field(
        default=None, description="Wikidata identifier (`Q` and digits)"
    )
    evidence: list[Span] = Field(default=[], description=EVIDENCE)


class Country(_Actor):
    id: CountryId = Field(description="`country:<ISO 3166-1 alpha-2 code>`")
    iso_code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = Field(description="ISO 3166-1 alpha-2 code")


class Person(_Actor):
    id: PersonId = Field(description="`person:<slug>`")


class Party(_Actor):
    id: PartyId = Field(description="`party:<slug>`")
    country: CountryId = Field(description="the country it is based in")
    description: Line | None = Field(default=None, description="how the source describes it")


class Organization(_Actor):
    id: OrganizationId = Field(description="`org:<slug>`")
    kind: Line = Field(description="what it is: bloc, agency...")


class Office(Drafted):
    id: OfficeId = Field(description="`office:<slug>`")
    name: Line = Field(description="the post's name")
    of: ActorId = Field(description="the country or party whose post it is")
    evidence: list[Span] = Field(default=[], description=EVIDENCE)


class Tenure(Drafted):
    holder: PersonId = Field(description="who holds the office")
    office: OfficeId = Field(description="the office held")
    from_: Date | None = Field(default=None, alias="from", description="when the tenure began")
    to: Date | None = Field(default=None, description="when it ended")
    evidence: list[Span] = Field(min_length=1, description=EVIDENCE)

    @model_validator(mode="after")
    def _ordered(self) -> Tenure:
        check_order(self.from_, self.to, "from", "to")
        return self


class Money(Record):
    """An amount of money as the source states it."""

    amount: Number = Field(gt=0, le=1e18, description="the amount, in units of the currency")
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = Field(description="ISO 4217 code (`USD`, `CAD`)")
    approximate: bool = Field(default=False, description="the source gives it as roughly this much")
    as_written: Line | None = Field(default=None, description="the source's own words for it")


class Effect(Record):
    """An expected or observed effect of a measure, as the source states it."""

    description: Line = Field(description="what happens, in a few words; search finds it")
    amount: Number | None = Field(
        default=None, ge=-1e18, le=1e18, description="how much, when the source says"
    )
    unit: Line | None = Field(default=None, description="of what: jobs, percent...")
    approximate: bool = Field(default=False, description="the source gives the amount as roughly this much")
    likely: bool = Field(default=False, description="the source says it may or is expected to happen")
    evidence: Span = Field(description="the span of the source that states it; search finds its words")


class Acting(Record):
    """A person who imposes a measure in an office, for the country or party the office belongs to."""

    actor: PersonId = Field(description="the person, one of the measure's imposers")
    office: OfficeId = Field(description="the office the person acted in")


class Measure(Drafted):
    id: MeasureId = Field(description="`measure:<slug>`")
    name: Line = Field(description="what it is, in a few words")
    aliases: list[Line] = Field(
        default=[], description="other names the sources give it (`automotive tariffs`); search finds them"
    )
    kind: MeasureKind = Field(description="what kind of measure")
    status: MeasureStatus = Field(description="where it stands")
    rate: Number | None = Field(default=None, ge=0, le=1000, description="ad valorem rate in percent")
    imposed_by: list[ActorId] = Field(
        min_length=1,
        description="the actors who impose, plan or threaten it: countries, and people acting in an office "
        "for one",
    )
    acting_as: list[Acting] = Field(
        default=[], description="the office each person among the imposers acted in"
    )
    targets: list[ActorId] = Field(default=[], description="the actors it is aimed at")
    sectors: list[Line] = Field(default=[], description="the sectors it covers")
    products: list[Line] = Field(default=[], description="the goods it covers")
    value: list[Money] = Field(
        default=[], description="the value of trade it covers, as the source states it"
    )
    announced_on: Date | None = Field(default=None, description="when it was announced")
    effective_from: Date | None = Field(default=None, description="when it takes or took effect")
    effective_to: Date | None = Field(default=None, description="when it ends or ended")
    condition: Passage | None = Field(default=None, description="what it depends on, in the source's words")
    condition_involves: list[ActorId] = Field(default=[], description="actors its condition names")
    retaliates_against: list[MeasureId] = Field(default=[], description="measures it answers")
    part_of: MeasureId | None = Field(default=None, description="a measure it extends or belongs to")
    effects: list[Effect] = Field(default=[], description="what it does or may do, as the source states it")
    evidence: list[Span] = Field(min_length=1, description=EVIDENCE)

    @model_validator(mode="after")
    def _ordered(self) -> Measure:
        check_order(self.effective_from, self.effective_to, "effective_from", "effective_to")
        seen: set[str] = set()
        for acting in self.acting_as:
            if acting.actor not in self.imposed_by:
                raise FieldError("acting_as", f"{acting.actor} acts in an office but is not among imposed_by")
            if acting.actor in seen:
                raise FieldError("acting_as", f"{acting.actor} is given more than one office")
            seen.add(acting.actor)
        return self


class Event(Drafted):
    id: EventId = Field(description="`event:<slug>`")
    name: Line = Field(description="what it is, in a few words")
    kind: EventKind = Field(description="what kind of event")
    status: EventStatus = Field(description="whether it happened or is to come")
    date: Date | None = Field(default=None, description="when it happens or began")
    end: Date | None = Field(default=None, description="when it ended, for an event of several days")
    timing: Line | None = Field(
        default=None, description="the source's words placing it in time, when it gives no date"
    )
    participants: list[ActorId] = Field(default=[], description="the actors taking part")
    location: CountryId | None = Field(default=None, description="the country it takes place in")
    after: EventId | None = Field(default=None, description="an event it follows")
    topics: list[Line] = Field(default=[], description="what it is about, in the source's words")
    evidence: list[Span] = Field(min_length=1, description=EVIDENCE)

    @model_validator(mode="after")
    def _ordered(self) -> Event:
        check_order(self.date, self.end, "date", "end")
        return self


class Statement(Drafted):
    """Something an actor said: the record is itself a span of its source (`quote`, `start`, `end`)."""

    id: StatementId = Field(description="`statement:<slug>`")
    speaker: ActorId = Field(description="who said it")
    quote: Passage = Field(
        description="the source's words, exactly: the speaker's own or the source's report"
    )
    start: QuoteStart = None
    end: QuoteEnd = None
    occurrence: QuoteOccurrence = None
    direct: bool = Field(description="the speaker's own words, in quotation marks in the source")
    said_on: Date | None = Field(default=None, description="when it was said")
    timing: Line | None = Field(
        default=None, description="the source's words placing it in time, when it gives no date"
    )
    channel: Line | None = Field(
        default=None, description="where it was said: a social network, an interview..."
    )
    role: OfficeId | None = Field(default=None, description="the office the speaker spoke as")
    at_event: EventId | None = Field(default=None, description="the event it was said at")
    about: list[AnyId] = Field(default=[], description="what it is about: measures, events, actors (any ids)")

    @model_validator(mode="after")
    def _both_offsets(self) -> Statement:
        check_offsets(self.start, self.end)
        return self


class Position(Drafted):
    id: PositionId = Field(description="`position:<slug>`")
    actor: ActorId = Field(description="who holds it")
    on: StanceTargetId = Field(description="the measure or event it is on")
    stance: Stance = Field(description="for, against, neither, or both")
    basis: Basis = Field(
        default=Basis.STATEMENT,
        description="STATEMENT (the default): read from the actor's words; ACTION: from a deed, such as "
        "imposing, planning or threatening the measure",
    )
    confidence: Number = Field(ge=0, le=1, description="how sure the reading is, from 0 to 1")
    evidence: list[StatementId] = Field(
        default=[], description="the statements the position is read from; needed with basis STATEMENT"
    )
    spans: list[Span] = Field(
        default=[],
        description="the source's words that report the deed or support it; needed with basis ACTION",
    )
    valid_from: Date | None = Field(default=None, description="since when it is held")
    valid_to: Date | None = Field(default=None, description="until when it was held")
    note: Passage | None = Field(
        default=None, description="why the evidence is read so, when the text only implies it"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Position:
        check_order(self.valid_from, self.valid_to, "valid_from", "valid_to")
        if self.basis is Basis.STATEMENT and not self.evidence:
            raise FieldError("evidence", "a position read from words needs the statements it is read from")
        if self.basis is Basis.ACTION and not self.spans:
            raise FieldError(
                "spans", "a position read from a deed needs the spans of the source that report it"
            )
        return self
