"""The order of an actor's timeline: one sort key per entry, comparable as text.

Dated entries come first, by their first possible day (one the sources leave open, such as "already",
sorts before every day), a vaguer date before a precise one on the same day;
undated ones follow in the order of the source text; ties break on the node's id and the entry's kind.
Statements carry their key as a property (`timelineKey`, written with them), so a page of the timeline of
an actor with ten thousand statements reads it from an ordered property instead of building ten thousand
keys; the database builds the keys of the few measures and events (graphapi/graph/reads.py, TIMELINE_KEY),
the same way.
"""

from __future__ import annotations

from graphapi.graph.dates import DateInterval
from graphapi.graph.model import DatePrecision

# A date known only by its bounds ranks with a year: both leave the most open.
PRECISION_RANK = {
    DatePrecision.RANGE: "0",
    DatePrecision.YEAR: "0",
    DatePrecision.MONTH: "1",
    DatePrecision.DAY: "2",
}


def timeline_key(date: DateInterval | None, position: int, node_id: str, kind: str) -> str:
    if date is None:
        return f"1|{position:010d}|{node_id}|{kind}"
    return f"0|{date.start_key}|{PRECISION_RANK[date.precision]}|{node_id}|{kind}"
