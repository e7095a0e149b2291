"""Quotes placed in their source's text. A quote's offsets may be left out: it is then looked for, and
found when it occurs once (or `occurrence: N` says which); offsets given must hold the quote. Offsets count
characters (Unicode code points) of the text, as Python indexes a str: `grep -b` counts bytes, which differ
from characters after the first non-ASCII one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from graphapi.graph import records as r
from graphapi.graph.record_fields import field_names

# A quote that occurs more often than this is listed with its first few places.
SHOWN_OCCURRENCES = 5
CONTEXT_CHARS = 30
# How alike (0-100) words must be to a missing quote to be named as the nearest.
NEAREST_SCORE = 60


@dataclass(frozen=True)
class Quote:
    """A quote of a record, where it sits in the record (`path`: () for a statement's own quote,
    ("evidence", 0), ("effects", 1, "evidence")) and as problems name it (`field`)."""

    path: tuple[str | int, ...]
    quote: str
    start: int | None
    end: int | None
    occurrence: int | None

    @property
    def field(self) -> str:
        if not self.path:
            return "quote"
        out = ""
        for part in self.path:
            name = part if isinstance(part, int) else part.rstrip("_")  # `from_` is `from` in a file
            out += f"[{name}]" if isinstance(name, int) else (f".{name}" if out else name)
        return out


def quotes(record: r.Record, path: tuple[str | int, ...] = ()) -> Iterator[Quote]:
    """Every quote of a record: its own (a statement's) and those of its spans, at any depth."""
    if isinstance(record, r.Span | r.Statement):
        yield Quote(path, record.quote, record.start, record.end, record.occurrence)
    for name in field_names(type(record)):
        value = getattr(record, name)
        if isinstance(value, r.Record):
            yield from quotes(value, (*path, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, r.Record):
                    yield from quotes(item, (*path, name, index))


def occurrences(text: str, quote: str) -> list[int]:
    """Where a quote begins in a text, every time (overlapping ones too)."""
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def place(quote: Quote, text: str) -> int | str:
    """Where the quote begins in the text, or why it cannot be placed."""
    if quote.start is not None and quote.occurrence is None and text[quote.start : quote.end] == quote.quote:
        return quote.start  # (without looking through the whole text)
    found = occurrences(text, quote.quote)
    if quote.start is not None and quote.end is not None:
        if text[quote.start : quote.end] != quote.quote:
            where = _where(text, quote.quote, found)
            return f"source text [{quote.start}:{quote.end}] is not the quote; {where}"
        if quote.occurrence is not None and found.index(quote.start) + 1 != quote.occurrence:
            number = found.index(quote.start) + 1
            return f"start {quote.start} is occurrence {number} of the quote, not {quote.occurrence}"
        return quote.start
    if not found:
        return "the quote does not occur in the source text" + nearest(text, quote.quote)
    if quote.occurrence is not None:
        if quote.occurrence > len(found):
            return f"the quote occurs {_times(len(found))}; there is no occurrence {quote.occurrence}"
        return found[quote.occurrence - 1]
    if len(found) > 1:
        return (
            f"the quote occurs {_times(len(found))}: {_places(text, quote.quote, found)}; say which with "
            "`occurrence: N` (1 for the first), or give start and end"
        )
    return found[0]


def place_record(record: Any, text: str | None) -> tuple[Any, list[tuple[str, str]]]:
    """The record with every quote's offsets (found where left out), and the (field, problem) of each
    quote that cannot be placed (those keep a stand-in place, so the rest of the record can be checked)."""
    problems: list[tuple[str, str]] = []
    for quote in list(quotes(record)):
        if text is None:
            problems.append((quote.field, "evidence needs a `source` section in the same file"))
            start: int | str = quote.start if quote.start is not None else 0
        else:
            start = place(quote, text)
        if isinstance(start, str):
            problems.append((quote.field, start))
            start = quote.start if quote.start is not None else 0
        if (start, start + len(quote.quote)) != (quote.start, quote.end):
            record = _with_offsets(record, quote.path, start, start + len(quote.quote))
    return record, problems


def _with_offsets(record: Any, path: tuple[str | int, ...], start: int, end: int) -> Any:
    if not path:
        return record.model_copy(update={"start": start, "end": end})
    name, rest = path[0], path[1:]
    value = getattr(record, str(name))
    if rest and isinstance(rest[0], int):
        items = list(value)
        items[rest[0]] = _with_offsets(items[rest[0]], rest[1:], start, end)
        return record.model_copy(update={str(name): items})
    return record.model_copy(update={str(name): _with_offsets(value, rest, start, end)})


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def nearest(text: str, quote: str) -> str:
    """Where the words most like a quote that does not occur are, as `; the nearest words are ...`."""
    if not text or not quote.strip():
        return ""
    match = fuzz.partial_ratio_alignment(quote, text, score_cutoff=NEAREST_SCORE)
    if match is None:
        return ""
    start, end = match.dest_start, match.dest_end
    return f"; the nearest words are at start {start}, end {end}: {context(text, start, end)}"


def _where(text: str, quote: str, found: list[int]) -> str:
    if not found:
        return "the quote does not occur in the source text" + nearest(text, quote)
    if len(found) == 1:
        return f"the quote is at start {found[0]}, end {found[0] + len(quote)}"
    return f"the quote occurs {_times(len(found))}: {_places(text, quote, found)}"


def _places(text: str, quote: str, found: list[int]) -> str:
    shown = [
        f"at start {at}, end {at + len(quote)} ({context(text, at, at + len(quote))})"
        for at in found[:SHOWN_OCCURRENCES]
    ]
    more = f" and {len(found) - SHOWN_OCCURRENCES} more" if len(found) > SHOWN_OCCURRENCES else ""
    return "; ".join(shown) + more


def context(text: str, start: int, end: int) -> str:
    """A few words either side of text[start:end], on one line, the quote in [brackets]."""
    low, high = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    before, after = text[low:start], text[end:high]
    if low > 0 and " " in before:
        before = "..." + before.split(" ", 1)[1]  # from a whole word
    if high < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "..."
    return " ".join(f"{before}[{text[start:end]}]{after}".split())
