"""The records other records are made of: a quote's place in its source (`Span`) and a date (`DateIn`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from graphapi.graph.dates import DateInterval, Quote, parse_period, period_days
from graphapi.graph.model import DatePrecision
from graphapi.graph.record_fields import FieldError, Line, Passage, Record, check_offsets

OFFSET = "counted in characters (Unicode code points) of the source's text, not bytes"
OCCURRENCE = (
    "which occurrence of the quote in the text is meant (1 for the first), when it occurs more than once"
)


# Where a quote sits in its source's text; left out, the loader finds it (graphapi/seed/spans.py).
QuoteStart = Annotated[
    int | None,
    Field(ge=0, le=100_000_000, description=f"where the quote begins, {OFFSET}; found when left out"),
]
QuoteEnd = Annotated[
    int | None,
    Field(ge=0, le=100_000_000, description="where the quote ends (exclusive); found when left out"),
]
QuoteOccurrence = Annotated[int | None, Field(ge=1, description=OCCURRENCE)]


class Span(Record):
    """Where a fact's evidence sits in its source: `text[start:end] == quote`. Offsets may be left out:
    the quote is then looked for in the text (graphapi/seed/spans.py)."""

    quote: Passage = Field(description="the source's words, exactly")
    start: QuoteStart = None
    end: QuoteEnd = None
    occurrence: QuoteOccurrence = None

    @model_validator(mode="after")
    def _both_offsets(self) -> Span:
        check_offsets(self.start, self.end)
        return self


# A bound that is the source's own date: when its text was written (its `written_on`), the "now" of its
# relative words ("already", "thus far", "upcoming").
WRITTEN = "written"


class DateIn(Record):
    """A date as the source gives it: a period (`on`: YYYY, YYYY-MM or YYYY-MM-DD), bounds (`earliest`,
    `latest`: the first and last possible day, each such a date or `written`, the source's own date), or a
    period narrowed by bounds; with the source's words and the spans of the source that bound it."""

    on: str | dt.date | None = Field(
        default=None, description="YYYY, YYYY-MM or YYYY-MM-DD: the date at the precision the source gives"
    )
    earliest: str | dt.date | None = Field(
        default=None, description="the first day it can be: a date, or `written` (the source's own date)"
    )
    latest: str | dt.date | None = Field(
        default=None, description="the last day it can be: a date, or `written` (the source's own date)"
    )
    as_written: Line | None = Field(default=None, description="the source's own words for it")
    year_stated: bool = Field(
        default=True, description="false when the source gives no year and it was placed from the context"
    )
    evidence: list[Span] = Field(default=[], description="spans of the source that bound it")

    @property
    def relative(self) -> bool:
        """Whether a bound is the source's own date, resolved when the source is known."""
        return WRITTEN in (self.earliest, self.latest)

    def fuzzy(self, written: DateInterval | None = None, source: str | None = None) -> DateInterval:
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
        return DateInterval(
            iso=period[0] if period else None,
            precision=period[1] if period else DatePrecision.RANGE,
            as_written=self.as_written,
            year_stated=self.year_stated,
            earliest=start,
            latest=end,
            relative=self.relative,
            # (a seed's spans without offsets are placed before the date is written: graphapi/seed/spans.py)
            evidence=tuple(
                Quote(s.start, s.end, s.quote)
                for s in self.evidence
                if s.start is not None and s.end is not None
            ),
            evidence_source=source if self.evidence else None,
        )

    @staticmethod
    def _bound(value: str | dt.date | None, name: str, written: DateInterval | None) -> dt.date | None:
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
