"""The records of a seed file, as pydantic models. Unknown fields are errors, so a typo never passes
silently. The format is documented for maintainers in seed/README.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from graphapi.graph.dates import FuzzyDate
from graphapi.graph.model import (
    ACTOR_PREFIXES,
    ID_PATTERN,
    NODE_KINDS,
    EventKind,
    EventStatus,
    MeasureKind,
    MeasureStatus,
    Stance,
)


def _prefixed(prefixes: Iterable[str]) -> Callable[[str], str]:
    allowed = frozenset(prefixes)

    def check(value: str) -> str:
        match = ID_PATTERN.match(value)
        if not match or match["prefix"] not in allowed:
            expected = " or ".join(f"'{p}:<slug>'" for p in sorted(allowed))
            raise ValueError(f"{value!r} is not an id of the form {expected}")
        return value

    return check


SourceId = Annotated[str, AfterValidator(_prefixed(["source"]))]
CountryId = Annotated[str, AfterValidator(_prefixed(["country"]))]
PersonId = Annotated[str, AfterValidator(_prefixed(["person"]))]
PartyId = Annotated[str, AfterValidator(_prefixed(["party"]))]
OrganizationId = Annotated[str, AfterValidator(_prefixed(["org"]))]
OfficeId = Annotated[str, AfterValidator(_prefixed(["office"]))]
MeasureId = Annotated[str, AfterValidator(_prefixed(["measure"]))]
EventId = Annotated[str, AfterValidator(_prefixed(["event"]))]
StatementId = Annotated[str, AfterValidator(_prefixed(["statement"]))]
PositionId = Annotated[str, AfterValidator(_prefixed(["position"]))]
ActorId = Annotated[str, AfterValidator(_prefixed(ACTOR_PREFIXES))]
StanceTargetId = Annotated[str, AfterValidator(_prefixed(["measure", "event"]))]
AnyId = Annotated[str, AfterValidator(_prefixed(NODE_KINDS))]
NonEmpty = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DateIn(Record):
    """A date as the source gives it. `on` is YYYY, YYYY-MM or YYYY-MM-DD."""

    on: str | dt.date
    as_written: str | None = None
    year_stated: bool = True

    def fuzzy(self) -> FuzzyDate:
        return FuzzyDate.parse(self.on, as_written=self.as_written, year_stated=self.year_stated)

    @model_validator(mode="after")
    def _valid(self) -> DateIn:
        self.fuzzy()
        return self


def _date_shorthand(value: Any) -> Any:
    """`effective_from: 2025-04-02` is short for `effective_from: {on: 2025-04-02}`."""
    return {"on": value} if isinstance(value, str | dt.date) else value


Date = Annotated[DateIn, BeforeValidator(_date_shorthand)]


class Span(Record):
    """Where a fact's evidence sits in the file's source: `text[start:end] == quote`."""

    quote: NonEmpty
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Source(Record):
    id: SourceId
    title: NonEmpty
    file: NonEmpty = Field(description="path of the text, relative to the seed file")
    publisher: str | None = None
    published_on: Date | None = None
    url: str | None = None
    language: str | None = None


class _Actor(Record):
    name: NonEmpty
    aliases: list[NonEmpty] = []
    wikidata: Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")] | None = None
    evidence: list[Span] = []


class Country(_Actor):
    id: CountryId
    iso_code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Person(_Actor):
    id: PersonId


class Party(_Actor):
    id: PartyId
    country: CountryId
    description: str | None = None


class Organization(_Actor):
    id: OrganizationId
    kind: NonEmpty


class Office(Record):
    id: OfficeId
    name: NonEmpty
    of: ActorId
    evidence: list[Span] = []


class Tenure(Record):
    holder: PersonId
    office: OfficeId
    from_: Date | None = Field(default=None, alias="from")
    to: Date | None = None
    evidence: list[Span] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Tenure:
        _check_order(self.from_, self.to, "from", "to")
        return self


class Money(Record):
    amount: float = Field(gt=0)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    approximate: bool = False
    as_written: str | None = None


class Effect(Record):
    """An expected or observed effect of a measure, as the source states it."""

    description: NonEmpty
    amount: float | None = None
    unit: str | None = None
    approximate: bool = False
    likely: bool = Field(default=False, description="the source says it may or is expected to happen")
    evidence: Span


class Measure(Record):
    id: MeasureId
    name: NonEmpty
    aliases: list[NonEmpty] = []
    kind: MeasureKind
    status: MeasureStatus
    rate: float | None = Field(default=None, ge=0, le=1000, description="ad valorem rate in percent")
    imposed_by: list[ActorId] = Field(min_length=1)
    targets: list[ActorId] = []
    sectors: list[NonEmpty] = []
    products: list[NonEmpty] = []
    value: list[Money] = []
    announced_on: Date | None = None
    effective_from: Date | None = None
    effective_to: Date | None = None
    condition: str | None = None
    condition_involves: list[ActorId] = []
    retaliates_against: list[MeasureId] = []
    part_of: MeasureId | None = None
    effects: list[Effect] = []
    evidence: list[Span] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Measure:
        _check_order(self.effective_from, self.effective_to, "effective_from", "effective_to")
        return self


class Event(Record):
    id: EventId
    name: NonEmpty
    kind: EventKind
    status: EventStatus
    date: Date | None = None
    end: Date | None = None
    timing: str | None = None
    participants: list[ActorId] = []
    location: CountryId | None = None
    after: EventId | None = None
    topics: list[NonEmpty] = []
    evidence: list[Span] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Event:
        _check_order(self.date, self.end, "date", "end")
        return self


class Statement(Record):
    id: StatementId
    speaker: ActorId
    quote: NonEmpty
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    direct: bool = Field(description="the speaker's own words, in quotation marks in the source")
    said_on: Date | None = None
    timing: str | None = None
    channel: str | None = None
    role: OfficeId | None = None
    at_event: EventId | None = None
    about: list[AnyId] = []


class Position(Record):
    id: PositionId
    actor: ActorId
    on: StanceTargetId
    stance: Stance
    confidence: float = Field(ge=0, le=1)
    evidence: list[StatementId] = Field(min_length=1)
    valid_from: Date | None = None
    valid_to: Date | None = None
    note: str | None = None


class SeedFile(Record):
    source: Source | None = None
    countries: list[Country] = []
    persons: list[Person] = []
    parties: list[Party] = []
    organizations: list[Organization] = []
    offices: list[Office] = []
    tenures: list[Tenure] = []
    measures: list[Measure] = []
    events: list[Event] = []
    statements: list[Statement] = []
    positions: list[Position] = []


def _check_order(first: DateIn | None, last: DateIn | None, first_name: str, last_name: str) -> None:
    if first is not None and last is not None and first.fuzzy().iso > last.fuzzy().iso:
        raise ValueError(f"{first_name} ({first.fuzzy().iso}) is after {last_name} ({last.fuzzy().iso})")
