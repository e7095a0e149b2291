"""Dates an article gives: its own (a dateline, "MERIDIA, May 20 (Wirewatch) -"; or, undated, bounds
from what it calls past and upcoming), and the day a statement was made ("on Thursday"), each with the
words that give it; days written relative to the article's ("yesterday") are read by dateparser. Nothing
is guessed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import dateparser

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DATE = re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})\b(?:,?\s+(?P<year>\d{{4}}))?")
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'\u2019-]+(?:,\s+[A-Z][A-Za-z .'\u2019-]+)?,\s+"
    rf"(?P<date>{_MONTH}\.?\s+\d{{1,2}}(?:,\s+\d{{4}})?)"
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = re.compile(rf"\bon\s+(?P<day>{'|'.join(WEEKDAYS)})\b")
# Days written relative to the article's own ("yesterday", "two days ago"), left to dateparser.
_RELATIVE_DAY = re.compile(r"\b(?:yesterday|(?:\d+|one|two|three|four|five|six) days? ago)\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|set (?:for|to)|scheduled|due|upcoming|expected|next|plans? to|is to|are to|"
    r"once)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:since|took|was|were|had|has|have|ended|began|started|met|last|ago|came|went)\b",
    re.IGNORECASE,
)
# How many paragraph characters a dateline may sit in.
DATELINE_CHARS = 200


@dataclass(frozen=True)
class Dated:
    """A date the text gives: the day (`year_stated` false when the year was taken from elsewhere in the
    text) and its words, at `start`."""

    day: dt.date
    start: int
    end: int
    year_stated: bool = True

    def words(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Written:
    """When an article was written: a day (from its dateline), or bounds, with the words that give them."""

    day: Dated | None = None
    earliest: Dated | None = None
    latest: Dated | None = None

    @property
    def reference(self) -> dt.date | None:
        """The day relative words count from: the dateline's, else the latest possible."""
        if self.day is not None:
            return self.day.day
        return self.latest.day if self.latest else None


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_day(words: str, year: int | None = None) -> dt.date | None:
    """A day written "June 12, 2025", "Oct. 9" (with the year given apart), or None."""
    match = DATE.search(words)
    if match is None:
        return None
    stated = match.group("year")
    if stated is None and year is None:
        return None
    try:
        month = _MONTHS.index(match.group("month")[:3].lower()) + 1
        return dt.date(int(stated) if stated else year, month, int(match.group("day")))  # type: ignore[arg-type]
    except ValueError:
        return None


def written(text: str) -> Written:
    """The article's own date: its dateline's (a year it does not give is taken from the text's latest
    full date, and marked so), or bounds: on or after the latest date it calls past, on or before the
    earliest it calls upcoming."""
    head = text[:DATELINE_CHARS]
    line = next((m for m in (_DATELINE.search(row) for row in head.splitlines()) if m), None)
    if line is not None:
        offset = head.find(line.group())
        words = line.group("date")
        start = offset + line.start("date")
        years = [int(m.group()) for m in _YEAR.finditer(text)]
        stated = bool(re.search(r"\d{4}", words))
        day = parse_day(words, None if stated else (max(years) if years else None))
        if day is not None:
            return Written(day=Dated(day, start, start + len(words), stated))
    past, upcoming = [], []
    for match in DATE.finditer(text):
        if not match.group("year"):
            continue
        day = parse_day(match.group())
        if day is None:
            continue
        clause = _clause_before(text, match.start())
        dated = Dated(day, match.start(), match.end())
        if _FUTURE.search(clause):
            upcoming.append(dated)
        elif _PAST.search(clause):
            past.append(dated)
    earliest = max(past, key=lambda d: d.day) if past else None
    latest = min(upcoming, key=lambda d: d.day) if upcoming else None
    if earliest and latest and earliest.day > latest.day:
        return Written()
    return Written(earliest=earliest, latest=latest)


def _clause_before(text: str, at: int) -> str:
    """The words of the clause a date sits in, up to the date."""
    start = max(text.rfind(mark, 0, at) for mark in (",", ".", ";", "\n", "“", '"'))
    return text[start + 1 : at]


def said_on(text: str, start: int, end: int, reference: dt.date | None) -> Dated | None:
    """The day a sentence says something happened: "on Thursday", the latest such weekday on or before
    the article's date; "yesterday", "two days ago", read by dateparser against the article's date."""
    if reference is None:
        return None
    match = _WEEKDAY.search(text, start, end)
    if match is not None:
        back = (reference.weekday() - WEEKDAYS.index(match.group("day"))) % 7
        return Dated(reference - dt.timedelta(days=back), match.start(), match.end())
    match = _RELATIVE_DAY.search(text, start, end)
    if match is None:
        return None
    base = dt.datetime.combine(reference, dt.time(12))
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(match.group(), languages=["en"], settings=settings)
    if parsed is None or parsed.date() > reference:
        return None
    return Dated(parsed.date(), match.start(), match.end())


def days_in(text: str, reference: dt.date | None) -> list[Dated]:
    """Every day the text gives: full dates, dates without a year (placed in the article's year), days of
    the week (the latest such day by the article's date), each with its words."""
    out: list[Dated] = []
    for match in DATE.finditer(text):
        stated = match.group("year") is not None
        day = parse_day(match.group(), None if stated else (reference.year if reference else None))
        if day is not None:
            out.append(Dated(day, match.start(), match.end(), stated))
    if reference is not None:
        for match in _WEEKDAY.finditer(text):
            back = (reference.weekday() - WEEKDAYS.index(match.group("day"))) % 7
            out.append(Dated(reference - dt.timedelta(days=back), match.start(), match.end()))
    return sorted(out, key=lambda d: d.start)
