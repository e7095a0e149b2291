"""The records the graph is written from, as pydantic models: what a seed file holds and what a mutation
sends are validated by the same models. Unknown fields are errors, so a typo never passes silently.

The seed format built on them is documented in seed/README.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from graphapi.graph.dates import FuzzyDate, Quote, parse_period, period_days
from graphapi.graph.model import (
    Basis,
    DatePrecision,
    EventKind,
    EventStatus,
    MeasureKind,
    MeasureStatus,
    Stance,
    id_prefix,
)
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


class Span(Record):
    """Where a fact's evidence sits in its source: `text[start:end] == quote`."""

    quote: Passage
    start: int = Field(ge=0, le=100_000_000)
    end: int = Field(ge=0, le=100_000_000)


# A bound that is the source's own date: when its text was written (its `written_on`), the "now" of its
# relative words ("already", "thus far", "upcoming").
WRITTEN = "written"


class DateIn(Record):
    """A date as the source gives it: a period (`on`: YYYY, YYYY-MM or YYYY-MM-DD), bounds (`earliest`,
    `latest`: the first and last possible day, each such a date or `written`, the source's own date), or a
    period narrowed by bounds; with the source's words and the spans of the source that bound it."""

    on: str | dt.date | None = None
    earliest: str | dt.date | None = None
    latest: str | dt.date | None = None
    as_written: Line | None = None
    year_stated: bool = True
    evidence: list[Span] = []

    @property
    def relative(self) -> bool:
        """Whether a bound is the source's own date, resolved when the source is known."""
        return WRITTEN in (self.earliest, self.latest)

    def fuzzy(self, written: FuzzyDate | None = None, source: str | None = None) -> FuzzyDate:
        """The date resolved: `written` is the source's own date, needed when a bound names it; `source`
        the source the evidence spans point into. ValueError when the bounds leave no day."""
        period = parse_period(self.on) if self.on is not None else None
        first, last = period_days(*period) if period else (None, None)
        low = self._bound(self.earliest, "earliest", written)
        high = self._bound(self.latest, "latest", written)
        start = max((d for d in (first, low) if d is not None), default=None)
        end = min((d for d in (last, high) if d is not None), default=None)
        if start is not None and end is not None and start > end:
            raise ValueError(
                f"the date's bounds leave no day: its earliest ({start}) is after its latest ({end})"
            )
        return FuzzyDate(
            iso=period[0] if period else None,
            precision=period[1] if period else DatePrecision.RANGE,
            as_written=self.as_written,
            year_stated=self.year_stated,
            earliest=start,
            latest=end,
            relative=self.relative,
            evidence=tuple(Quote(s.start, s.end, s.quote) for s in self.evidence),
            evidence_source=source if self.evidence else None,
        )

    @staticmethod
    def _bound(value: str | dt.date | None, name: str, written: FuzzyDate | None) -> dt.date | None:
        if value is None:
            return None
        if value == WRITTEN:
            if written is None:
                raise ValueError(
                    f"`{name}: {WRITTEN}` is the source's own date: the source must give `written_on`"
                )
            return written.earliest if name == "earliest" else written.latest
        first, last = period_days(*parse_period(value))
        return first if name == "earliest" else last

    @model_validator(mode="after")
    def _valid(self) -> DateIn:
        if self.on is None and self.earliest is None and self.latest is None:
            raise ValueError("a date needs `on` (the day, month or year) or a bound (`earliest`, `latest`)")
        for name in ("earliest", "latest"):
            value = getattr(self, name)
            if value is not None and value != WRITTEN:
                try:
                    parse_period(value)
                except ValueError as exc:
                    raise FieldError(name, f"{exc}, or '{WRITTEN}' (the source's own date)") from None
        if not self.relative:
            self.fuzzy()
        return self


def _date_shorthand(value: Any) -> Any:
    """`effective_from: 2025-04-02` is short for `effective_from: {on: 2025-04-02}`."""
    return {"on": value} if isinstance(value, str | dt.date) else value


Date = Annotated[DateIn, BeforeValidator(_date_shorthand)]


class Source(Record):
    """A document. A seed file names its text `file` (relative to the seed file); the API sends `text`."""

    id: SourceId
    title: Line
    file: Line | None = Field(default=None, description="path of the text, relative to the seed file")
    text: Document | None = None
    publisher: Line | None = None
    published_on: Date | None = None
    written_on: Date | None = Field(
        default=None,
        description="when the text was written, as far as it says (the 'now' of its relative words)",
    )
    url: Line | None = None
    language: Line | None = None

    @model_validator(mode="after")
    def _text_or_file(self) -> Source:
        if self.file is None and self.text is None:
            raise FieldError("file", "a source needs its text, or the file that holds it")
        if self.written_on is not None and self.written_on.relative:
            raise FieldError(
                "written_on", f"the source's own date cannot be relative to itself ('{WRITTEN}')"
            )
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


class Acting(Record):
    """A person who imposes a measure in an office, for the country or party the office belongs to."""

    actor: PersonId
    office: OfficeId


class Measure(Record):
    id: MeasureId
    name: Line
    aliases: list[Line] = []
    kind: MeasureKind
    status: MeasureStatus
    rate: float | None = Field(default=None, ge=0, le=1000, description="ad valorem rate in percent")
    imposed_by: list[ActorId] = Field(min_length=1)
    acting_as: list[Acting] = Field(
        default=[], description="the office each person among the imposers acted in"
    )
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
        seen: set[str] = set()
        for acting in self.acting_as:
            if acting.actor not in self.imposed_by:
                raise FieldError("acting_as", f"{acting.actor} acts in an office but is not among imposed_by")
            if acting.actor in seen:
                raise FieldError("acting_as", f"{acting.actor} is given more than one office")
            seen.add(acting.actor)
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
    basis: Basis = Field(
        default=Basis.STATEMENT, description="STATEMENT: the actor's words; ACTION: a deed the source reports"
    )
    confidence: float = Field(ge=0, le=1)
    evidence: list[StatementId] = Field(default=[], description="the statements the position is read from")
    spans: list[Span] = Field(default=[], description="the source's words that report the deed or support it")
    valid_from: Date | None = None
    valid_to: Date | None = None
    note: Passage | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Position:
        _check_order(self.valid_from, self.valid_to, "valid_from", "valid_to")
        if self.basis is Basis.STATEMENT and not self.evidence:
            raise FieldError("evidence", "a position read from words needs the statements it is read from")
        if self.basis is Basis.ACTION and not self.spans:
            raise FieldError(
                "spans", "a position read from a deed needs the spans of the source that report it"
            )
        return self


class FieldError(ValueError):
    """A problem a check across fields finds, naming the field it is about (pydantic locates such checks at
    the record, not at a field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check_order(first: DateIn | None, last: DateIn | None, first_name: str, last_name: str) -> None:
    """The start cannot be sure to come after the end. Bounds relative to the source are checked when the
    source is known (graphapi/graph/mapping.py)."""
    if first is None or last is None or first.relative or last.relative:
        return
    start, end = first.fuzzy(), last.fuzzy()
    if start.earliest is not None and end.latest is not None and start.earliest > end.latest:
        message = f"{first_name} ({start.describe(False)}) is after {last_name} ({end.describe(False)})"
        raise FieldError(first_name, message)
