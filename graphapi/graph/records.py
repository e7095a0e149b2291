"""The records the graph is written from, as pydantic models: what a seed file holds and what a mutation
sends are validated by the same models. Unknown fields are errors, so a typo never passes silently.

The seed format built on them is documented in seed/README.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from graphapi.graph.dates import FuzzyDate
from graphapi.graph.model import EventKind, EventStatus, MeasureKind, MeasureStatus, Stance, id_prefix
from graphapi.graph.text import check_line, check_text


def _registered(actors_only: bool) -> Callable[[], Iterable[str]]:
    """The prefixes of the registered kinds (or of its actors), looked up when a value is checked: the
    registry is built from these records, so it cannot be imported while they are defined."""

    def prefixes() -> Iterable[str]:
        from graphapi.graph.kinds import KINDS

        return [k.prefix for k in KINDS if k.actor or not actors_only]

    return prefixes


def _prefixed(prefixes: Iterable[str] | Callable[[], Iterable[str]]) -> Callable[[str], str]:
    def check(value: str) -> str:
        allowed = frozenset(prefixes() if callable(prefixes) else prefixes)
        if id_prefix(value) not in allowed:
            expected = " or ".join(f"'{p}:<slug>'" for p in sorted(allowed))
            raise ValueError(f"{value[:80]!r} is not an id of the form {expected}")
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
ActorId = Annotated[str, AfterValidator(_prefixed(_registered(actors_only=True)))]
StanceTargetId = Annotated[str, AfterValidator(_prefixed(["measure", "event"]))]
AnyId = Annotated[str, AfterValidator(_prefixed(_registered(actors_only=False)))]

# One line of text (a name, an alias, a title), non-empty; running text may hold line breaks: a passage
# (a quote, a condition, a note) up to MAX_PASSAGE characters, a document (a source's text) far more.
MAX_PASSAGE = 4000
Line = Annotated[str, Field(min_length=1), AfterValidator(check_line)]
Passage = Annotated[str, Field(min_length=1), AfterValidator(lambda v: check_text(v, MAX_PASSAGE))]
Document = Annotated[str, Field(min_length=1), AfterValidator(check_text)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DateIn(Record):
    """A date as the source gives it. `on` is YYYY, YYYY-MM or YYYY-MM-DD."""

    on: str | dt.date
    as_written: Line | None = None
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
    """Where a fact's evidence sits in its source: `text[start:end] == quote`."""

    quote: Passage
    start: int = Field(ge=0, le=100_000_000)
    end: int = Field(ge=0, le=100_000_000)


class Source(Record):
    """A document. A seed file names its text `file` (relative to the seed file); the API sends `text`."""

    id: SourceId
    title: Line
    file: Line | None = Field(default=None, description="path of the text, relative to the seed file")
    text: Document | None = None
    publisher: Line | None = None
    published_on: Date | None = None
    url: Line | None = None
    language: Line | None = None

    @model_validator(mode="after")
    def _text_or_file(self) -> Source:
        if self.file is None and self.text is None:
            raise FieldError("file", "a source needs its text, or the file that holds it")
        return self


class _Actor(Record):
    name: Line
    aliases: list[Line] = []
    wikidata: Annotated[str, Field(pattern=r"^Q[1-9][0-9]{0,12}$")] | None = None
    evidence: list[Span] = []


class Country(_Actor):
    id: CountryId
    iso_code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Person(_Actor):
    id: PersonId


class Party(_Actor):
    id: PartyId
    country: CountryId
    description: Line | None = None


class Organization(_Actor):
    id: OrganizationId
    kind: Line


class Office(Record):
    id: OfficeId
    name: Line
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
    amount: float = Field(gt=0, le=1e18)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    approximate: bool = False
    as_written: Line | None = None


class Effect(Record):
    """An expected or observed effect of a measure, as the source states it."""

    description: Line
    amount: float | None = Field(default=None, ge=-1e18, le=1e18)
    unit: Line | None = None
    approximate: bool = False
    likely: bool = Field(default=False, description="the source says it may or is expected to happen")
    evidence: Span


class Measure(Record):
    id: MeasureId
    name: Line
    aliases: list[Line] = []
    kind: MeasureKind
    status: MeasureStatus
    rate: float | None = Field(default=None, ge=0, le=1000, description="ad valorem rate in percent")
    imposed_by: list[ActorId] = Field(min_length=1)
    targets: list[ActorId] = []
    sectors: list[Line] = []
    products: list[Line] = []
    value: list[Money] = []
    announced_on: Date | None = None
    effective_from: Date | None = None
    effective_to: Date | None = None
    condition: Passage | None = None
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
    name: Line
    kind: EventKind
    status: EventStatus
    date: Date | None = None
    end: Date | None = None
    timing: Line | None = None
    participants: list[ActorId] = []
    location: CountryId | None = None
    after: EventId | None = None
    topics: list[Line] = []
    evidence: list[Span] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Event:
        _check_order(self.date, self.end, "date", "end")
        return self


class Statement(Record):
    id: StatementId
    speaker: ActorId
    quote: Passage
    start: int = Field(ge=0, le=100_000_000)
    end: int = Field(ge=0, le=100_000_000)
    direct: bool = Field(description="the speaker's own words, in quotation marks in the source")
    said_on: Date | None = None
    timing: Line | None = None
    channel: Line | None = None
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
    note: Passage | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Position:
        _check_order(self.valid_from, self.valid_to, "valid_from", "valid_to")
        return self


class FieldError(ValueError):
    """A problem a check across fields finds, naming the field it is about (pydantic locates such checks at
    the record, not at a field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check_order(first: DateIn | None, last: DateIn | None, first_name: str, last_name: str) -> None:
    if first is not None and last is not None and first.fuzzy().iso > last.fuzzy().iso:
        message = f"{first_name} ({first.fuzzy().iso}) is after {last_name} ({last.fuzzy().iso})"
        raise FieldError(first_name, message)
