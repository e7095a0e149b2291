"""FalkorDB's compact result format read into plain Python, synchronously.

The `falkordb` client reads each value through an awaited coroutine (several per map entry): on a
compiled statement's nested answer that was half a millisecond per request, more than the database
took. Scalars, lists and maps are read here in one pass; an answer holding anything else (a node, an
edge, a path: values whose labels need the graph's schema) is left to the client's own reader."""

from __future__ import annotations

from typing import Any

# The compact format's value types (FalkorDB's ResultSetScalarTypes)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP = 1, 2, 3, 4, 5, 6, 10


class Unsupported(Exception):
    """A value this reader leaves to the client's."""


def value(cell: list[Any]) -> Any:
    kind, raw = cell[0], cell[1]
    if kind == _STRING:
        return raw
    if kind == _INTEGER:
        return int(raw)
    if kind == _MAP:
        return {raw[i]: value(raw[i + 1]) for i in range(0, len(raw), 2)}
    if kind == _ARRAY:
        return [value(item) for item in raw]
    if kind == _NULL:
        return None
    if kind == _DOUBLE:
        return float(raw)
    if kind == _BOOLEAN:
        return raw == "true"
    raise Unsupported(kind)


def rows(response: list[Any]) -> list[dict[str, Any]]:
    """The rows of a reply to GRAPH.QUERY / GRAPH.RO_QUERY with --compact (header, rows, statistics)."""
    if len(response) < 3:
        return []  # statistics alone: a statement that returns nothing
    names = [column[1] for column in response[0]]
    return [dict(zip(names, map(value, row), strict=True)) for row in response[1]]
