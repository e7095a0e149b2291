"""Dates as sources give them: possibly only a month or a year, possibly without a stated year.

A date is stored on a node as a few flat properties (neither engine stores maps):
`<field>` the ISO text at its precision ("2025-04-02", "2025-05", "2025"), `<field>Precision`,
`<field>AsWritten` (the source's words), `<field>YearStated` (false when the source gave no year), and
the first and last day it can mean, `<field>Start` and `<field>End` ("2025-05" spans 2025-05-01 to
2025-05-31). Queries compare those day bounds as ISO strings, whose order is the calendar's on both
engines, so no value needs converting on the way in or out.
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


@dataclass(frozen=True)
class FuzzyDate:
    iso: str
    precision: DatePrecision
    as_written: str | None = None
    year_stated: bool = True

    @classmethod
    def parse(
        cls, value: str | dt.date, *, as_written: str | None = None, year_stated: bool = True
    ) -> FuzzyDate:
        """Accept YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date, years 0001 to 9999); raise
        ValueError otherwise."""
        if isinstance(value, dt.date):
            return cls(value.isoformat(), DatePrecision.DAY, as_written, year_stated)
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
            precision = DatePrecision.DAY
        else:
            precision = DatePrecision.MONTH if month is not None else DatePrecision.YEAR
        return cls(value, precision, as_written, year_stated)

    @property
    def first_day(self) -> dt.date:
        parts = [int(p) for p in self.iso.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    @property
    def last_day(self) -> dt.date:
        first = self.first_day
        if self.precision is DatePrecision.DAY:
            return first
        if self.precision is DatePrecision.MONTH:
            return dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        return dt.date(first.year, 12, 31)

    def to_props(self, field: str) -> dict[str, Any]:
        return {
            field: self.iso,
            f"{field}Precision": self.precision.value,
            f"{field}AsWritten": self.as_written,
            f"{field}YearStated": self.year_stated,
            f"{field}Start": self.first_day.isoformat(),
            f"{field}End": self.last_day.isoformat(),
        }

    @classmethod
    def from_props(cls, props: dict[str, Any], field: str) -> FuzzyDate | None:
        iso = props.get(field)
        if iso is None:
            return None
        return cls(
            iso=str(iso),
            precision=DatePrecision(props.get(f"{field}Precision") or DatePrecision.DAY),
            as_written=props.get(f"{field}AsWritten"),
            year_stated=bool(props.get(f"{field}YearStated", True)),
        )
