"""Dates as sources give them: possibly only a month or a year, possibly without a stated year, possibly
only bounded ("already", "by April 2"), and possibly relative to when the source itself was written.

A date is the interval of days the source allows: its first and last possible day, either of which may be
open (the source sets no bound on that side). It may also name a period at a precision (`2025-05`,
"later in May"); a date known only by its bounds has the precision RANGE and no ISO text.

A date is stored on a node as a few flat properties (neither engine stores maps):
`<field>` the ISO text at its precision ("2025-04-02", "2025-05", "2025"; absent for a RANGE),
`<field>Precision`, `<field>AsWritten` (the source's words), `<field>YearStated` (false when the source
gave no year), `<field>Relative` (true when a bound was resolved from the source's own date), the spans
of the source that bound it (`<field>EvidenceStarts`...), and the first and last day it can mean,
`<field>Start` and `<field>End` ("2025-05" spans 2025-05-01 to 2025-05-31). An open bound is stored as a
sentinel that sorts before (OPEN_START) or after (OPEN_END) every day, so queries compare day bounds as
ISO strings, whose order is the calendar's on both engines, without a case for missing values.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from graphapi.graph.model import DatePrecision

# ASCII digits only (`\d` would take "٢٠٢٥"), matched whole.
_ISO = re.compile(r"(?P<y>[0-9]{4})(-(?P<m>[0-9]{2})(-(?P<d>[0-9]{2}))?)?", re.ASCII)

# Stored for a bound the sources leave open: neither is a calendar day, and they sort before and after
# every day (YYYY-MM-DD) as text.
OPEN_START = "0000-00-00"
OPEN_END = "9999-99-99"


@dataclass(frozen=True)
class Quote:
    """A span of a source that bounds a date."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class DateInterval:
    iso: str | None  # the period at its precision; None for a date known only by its bounds
    precision: DatePrecision
    as_written: str | None = None
    year_stated: bool = True
    earliest: dt.date | None = None  # the first possible day; None: open
    latest: dt.date | None = None  # the last possible day; None: open
    relative: bool = False  # a bound was resolved from the source's own (written) date
    evidence: tuple[Quote, ...] = ()
    evidence_source: str | None = None

    @classmethod
    def parse(
        cls, value: str | dt.date, *, as_written: str | None = None, year_stated: bool = True
    ) -> DateInterval:
        """Accept YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date, years 0001 to 9999); raise
        ValueError otherwise."""
        iso, precision = parse_period(value)
        first, last = period_days(iso, precision)
        return cls(iso, precision, as_written, year_stated, first, last)

    @property
    def first_day(self) -> dt.date | None:
        return self.earliest

    @property
    def last_day(self) -> dt.date | None:
        return self.latest

    @property
    def start_key(self) -> str:
        """The first possible day as stored: ISO, or OPEN_START."""
        return self.earliest.isoformat() if self.earliest else OPEN_START

    @property
    def end_key(self) -> str:
        """The last possible day as stored: ISO, or OPEN_END."""
        return self.latest.isoformat() if self.latest else OPEN_END

    def describe(self, words: bool = True) -> str:
        """The date in words, for an explanation: its period or its bounds, and (`words`) the source's."""
        if self.iso is not None:
            first, last = period_days(self.iso, self.precision)
            narrowed = ([f"from {self.earliest}"] if self.earliest and self.earliest > first else []) + (
                [f"by {self.latest}"] if self.latest and self.latest < last else []
            )
            text = ", ".join([self.iso, *narrowed])
        elif self.earliest and self.latest:
            text = f"between {self.earliest} and {self.latest}"
        elif self.latest:
            text = f"on or before {self.latest}"
        elif self.earliest:
            text = f"on or after {self.earliest}"
        else:
            text = "an unknown day"
        return f"{text} ('{self.as_written}')" if words and self.as_written else text

    def to_props(self, field: str) -> dict[str, Any]:
        props: dict[str, Any] = {
            field: self.iso,
            f"{field}Precision": self.precision.value,
            f"{field}AsWritten": self.as_written,
            f"{field}YearStated": self.year_stated,
            f"{field}Start": self.start_key,
            f"{field}End": self.end_key,
            f"{field}Relative": True if self.relative else None,
        }
        if self.evidence:
            props |= {
                f"{field}EvidenceSource": self.evidence_source,
                f"{field}EvidenceStarts": [q.start for q in self.evidence],
                f"{field}EvidenceEnds": [q.end for q in self.evidence],
                f"{field}EvidenceQuotes": [q.quote for q in self.evidence],
            }
        return props

    @classmethod
    def from_props(cls, props: dict[str, Any], field: str) -> DateInterval | None:
        iso, precision = props.get(field), props.get(f"{field}Precision")
        if iso is None and precision is None:
            return None
        start, end = props.get(f"{field}Start"), props.get(f"{field}End")
        quotes = zip(
            props.get(f"{field}EvidenceStarts") or [],
            props.get(f"{field}EvidenceEnds") or [],
            props.get(f"{field}EvidenceQuotes") or [],
            strict=True,
        )
        return cls(
            iso=None if iso is None else str(iso),
            precision=DatePrecision(precision or DatePrecision.DAY),
            as_written=props.get(f"{field}AsWritten"),
            year_stated=bool(props.get(f"{field}YearStated", True)),
            earliest=_day_of(start),
            latest=_day_of(end),
            relative=bool(props.get(f"{field}Relative")),
            evidence=tuple(Quote(int(s), int(e), str(q)) for s, e, q in quotes),
            evidence_source=props.get(f"{field}EvidenceSource"),
        )


def _day_of(stored: Any) -> dt.date | None:
    if stored is None or stored in (OPEN_START, OPEN_END):
        return None
    return dt.date.fromisoformat(str(stored))


def parse_period(value: str | dt.date) -> tuple[str, DatePrecision]:
    """(ISO text, precision) of YYYY, YYYY-MM or YYYY-MM-DD; ValueError for anything else."""
    if isinstance(value, dt.date):
        return value.isoformat(), DatePrecision.DAY
    match = _ISO.fullmatch(value) if isinstance(value, str) and len(value) <= 10 else None
    if not match:
        raise ValueError(f"{str(value)[:40]!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match["y"], match["m"], match["d"]
    if int(year) < 1:
        raise ValueError(f"{value!r}: there is no year 0000")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{value!r} has no month {month}")
    if day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a day of the calendar: {exc}") from None
        return value, DatePrecision.DAY
    return value, DatePrecision.MONTH if month is not None else DatePrecision.YEAR


def period_days(iso: str, precision: DatePrecision) -> tuple[dt.date, dt.date]:
    """The first and last day of a period given at a precision."""
    parts = [int(p) for p in iso.split("-")]
    first = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if precision is DatePrecision.DAY:
        return first, first
    if precision is DatePrecision.MONTH:
        return first, dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    return first, dt.date(first.year, 12, 31)
