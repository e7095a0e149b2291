"""Quotations in a text: the words between a pair of double quotation marks (straight or curly) within
one paragraph, and the text with them masked, so rules about the words around a quote never match the
words inside one."""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING = "“"
CLOSING = "”"
STRAIGHT = '"'
MASK = "\x1f"  # stands for each character of a quotation in the masked text
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Quotation:
    """A quotation: its marks at `open` and `close` (the closing mark's index), and the quote as a
    statement keeps it, `text[start:end]`: the words inside the marks, without the comma that hands over
    to the attribution ("...," she said)."""

    open: int
    close: int
    start: int
    end: int
    runs_on: bool = False  # it goes on in the next paragraph (which opens with a mark): `close` is its end

    @property
    def outer_end(self) -> int:
        return self.close if self.runs_on else self.close + 1


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, without surrounding whitespace."""
    out, at = [], 0
    for match in [*_PARAGRAPH.finditer(text), None]:
        stop = match.start() if match else len(text)
        chunk = text[at:stop]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((at + lead, at + len(chunk.rstrip())))
        at = match.end() if match else len(text)
    return out


def quotations(text: str) -> list[Quotation]:
    """Every pair of quotation marks within a paragraph. Curly marks pair by their shape; straight ones
    by turns, a mark opening only where one can (after a space). A quote left open at the end of a
    paragraph whose next paragraph opens with a mark runs on (the wire's convention for a quote of several
    paragraphs): it ends with its paragraph. Any other mark left without its pair is left out."""
    found: list[Quotation] = []
    spans = paragraphs(text)
    for index, (start, end) in enumerate(spans):
        opened: int | None = None
        for at in range(start, end):
            char = text[at]
            if char == OPENING or (char == STRAIGHT and opened is None and _opens(text, at, start, end)):
                opened = at
            elif char in (CLOSING, STRAIGHT) and opened is not None:
                quote = _inner(text, opened, at)
                if quote is not None:
                    found.append(quote)
                opened = None
        following = spans[index + 1][0] if index + 1 < len(spans) else None
        if opened is not None and following is not None and text[following] in (OPENING, STRAIGHT):
            quote = _inner(text, opened, end)
            if quote is not None:
                found.append(Quotation(quote.open, end, quote.start, quote.end, runs_on=True))
    return found


def _opens(text: str, at: int, start: int, end: int) -> bool:
    """Whether a straight mark has the shape of an opening one: after a space or a bracket (or first),
    before a word."""
    before = text[at - 1] if at > start else " "
    after = text[at + 1] if at + 1 < end else " "
    return (before.isspace() or before in "([{\u2014\u2013-") and not after.isspace()


def _inner(text: str, open_: int, close: int) -> Quotation | None:
    start, end = open_ + 1, close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ",":
        end -= 1
    if end <= start:
        return None
    return Quotation(open_, close, start, end)


def masked(text: str, found: list[Quotation]) -> str:
    """The text with each quotation, marks included, replaced by MASK characters (offsets unchanged)."""
    chars = list(text)
    for quote in found:
        chars[quote.open : quote.outer_end] = MASK * (quote.outer_end - quote.open)
    return "".join(chars)
