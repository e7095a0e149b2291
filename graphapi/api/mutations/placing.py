"""Quotes sent without offsets, placed in their source's text as seed files' are
(graphapi/seed/spans.py): found when they occur once, or at the `occurrence` given; otherwise the error
lists where the quote occurs, or the nearest words."""

from __future__ import annotations

from typing import TypeVar

from graphapi.api.mutations.convert import as_input_error
from graphapi.errors import BadUserInput, InvalidRecord
from graphapi.graph import reads
from graphapi.graph import records as r
from graphapi.graph.mapping import unplaced
from graphapi.seed.spans import place_record
from graphapi.store.base import Store

R = TypeVar("R", bound=r.Record)


async def placed(store: Store, record: R, source: str | None) -> R:
    """The record with every quote's offsets, found in the source's text where they were left out. The
    write that follows checks them again as it writes, so a text changed meanwhile is still refused."""
    if not unplaced(record):
        return record
    if source is None:
        raise BadUserInput(
            "`input.source`: is needed to place quotes given without offsets", argument="input.source"
        )
    rows = await store.read(reads.SOURCE_TEXTS, {"ids": [source]})
    if not rows:
        raise BadUserInput(f"`input.source`: no node has the id {source!r}", argument="input.source")
    record, problems = place_record(record, str(rows[0]["text"] or ""))
    if problems:
        raise as_input_error(InvalidRecord(problems))
    return record
