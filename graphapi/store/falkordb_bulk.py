"""A new graph built without Cypher: FalkorDB's `GRAPH.BULK`, the command of its bulk loader, for a load
into an empty graph (FalkorDBStore.write_new). Each step of the load (rows that a `CREATE` statement
would make, described by its `Creates`) becomes one command of binary-encoded nodes or edges: no query
text to write, parse or plan, and no index to update row by row (the schema is applied once the graph is
whole, as a large load already did for its full-text indexes).

The encoding (FalkorDB's src/bulk_insert/bulk_insert.c): a section per label or relationship type:
its name (labels joined by `:`), NUL; the number of properties, a 4-byte unsigned integer; each
property's name, NUL; then each entity: for an edge, the 8-byte ids of its two nodes; then each
property's value in the header's order: a type byte (0 null, skipped; 1 bool, then 1 byte; 2 double and
4 integer, then 8 bytes; 3 text, then UTF-8 and NUL; 5 array, then an 8-byte length and each item).
Nodes get ids in the order they are made, from 0 in a new graph, so an edge's ends are found by the
number of the node that has its id. The server trusts the counts and ids it is sent (a wrong one
corrupts its memory), so they are counted here, and every value is checked as a statement's parameter
would be (graphapi/store/falkordb_params.py): a value the header would refuse is refused here too, and
a map, which no property can hold, too.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from typing import Any

from graphapi.errors import StoreError
from graphapi.store.base import WriteStep
from graphapi.store.falkordb_params import MAX_DEPTH, UnstorableValue, check_number, check_text

_INT = struct.Struct("<bq")
_FLOAT = struct.Struct("<bd")
_ENDS = struct.Struct("<QQ")
_LENGTH = struct.Struct("<bq")
_NULL, _TRUE, _FALSE = b"\x00", b"\x01\x01", b"\x01\x00"
_DOUBLE, _LONG, _ARRAY = 2, 4, 5  # (and 0 null, 1 bool, 3 text: written out below)


class BulkGraph:
    """The commands that build one new graph (`name`), step by step, and the numbers of its `Node`s."""

    def __init__(self, name: str, unique_keys: frozenset[str]) -> None:
        self.name = name
        self.unique_keys = unique_keys
        self.nodes = 0  # made so far: the next node's number
        self.edges = 0
        self._numbers: dict[str, int] = {}  # a Node's id -> its number
        self._begun = False

    @property
    def begun(self) -> bool:
        return self._begun

    def command(self, step: WriteStep) -> tuple[Any, ...]:
        """The GRAPH.BULK command that makes what `step` would (StoreError for a step that does more
        than create, UnstorableValue for a value the graph cannot hold)."""
        creates = step.creates
        if creates is None or len(step.params) != 1:
            raise StoreError(f"`{step.query.name}` is not a step a new graph can be built from")
        [rows] = step.params.values()
        if creates.edge:
            section, count = self._edges(creates.labels[0], rows, creates.props), (0, len(rows))
        else:
            section, count = self._nodes(creates.labels, rows, creates.props), (len(rows), 0)
        head: tuple[Any, ...] = ("GRAPH.BULK", self.name)
        if not self._begun:
            head += ("BEGIN",)
        self._begun = True
        self.nodes += count[0]
        self.edges += count[1]
        return (*head, count[0], count[1], *((1, 0) if count[0] else (0, 1)), section)

    def _nodes(self, labels: Sequence[str], rows: Sequence[Mapping[str, Any]], key: str | None) -> bytes:
        props = [row if key is None else row[key] for row in rows]
        names = _names(props)
        out = [_header(":".join(labels), names)]
        numbered = "Node" in labels
        number = self.nodes
        made = {}
        for values in props:
            out.append(self._values(names, values))
            if numbered:
                node_id = values["id"]
                if node_id in self._numbers or node_id in made:  # (the id index would refuse it later)
                    raise StoreError(f"{node_id} is made twice")
                made[node_id] = number
            number += 1
        self._numbers.update(made)  # (once the whole batch is encoded: a refused one numbers nothing)
        return b"".join(out)

    def _edges(self, rel: str, rows: Sequence[Mapping[str, Any]], key: str | None) -> bytes:
        names = _names([row[key] for row in rows] if key else [])
        out = [_header(rel, names)]
        numbers = self._numbers
        for row in rows:
            try:
                ends = _ENDS.pack(numbers[row["src"]], numbers[row["dst"]])
            except KeyError as missing:
                raise StoreError(f"a {rel} relationship to or from {missing}, which is not made") from None
            out.append(ends + self._values(names, row[key]) if key else ends)
        return b"".join(out)

    def _values(self, names: list[str], values: Mapping[str, Any]) -> bytes:
        if len(values) > len(names):
            raise StoreError("a row has a property its batch's header lacks")
        out: list[bytes] = []
        unique = self.unique_keys
        for name in names:  # (text, most values, inline: a load sends millions)
            value = values.get(name)
            if type(value) is str:
                out += (b"\x03", _text(value, name, name in unique), _NULL)
            else:
                out.append(_value(value, name, unique, 0))
        return b"".join(out)


def _names(props: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every property name of a batch, in the order first seen (a row without one sends null)."""
    names: dict[str, None] = {}
    for values in props:
        for name in values:
            if name not in names:
                if type(name) is not str or not name or "\x00" in name:
                    raise UnstorableValue("a property name must be non-empty text without NUL")
                names[name] = None
    return list(names)


def _header(name: str, names: list[str]) -> bytes:
    parts = [name.encode(), _NULL, struct.pack("<I", len(names))]
    for prop in names:
        parts += (prop.encode(), _NULL)
    return b"".join(parts)


def _value(value: Any, key: str, unique_keys: frozenset[str], depth: int) -> bytes:
    kind = type(value)
    if kind is str:
        return b"\x03" + _text(value, key, key in unique_keys) + _NULL
    if value is None:
        return _NULL
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is int or kind is float:
        check_number(value, key)
        return _INT.pack(_LONG, value) if kind is int else _FLOAT.pack(_DOUBLE, value)
    if kind is list or kind is tuple:
        if depth >= MAX_DEPTH:
            raise UnstorableValue(f"`{key}` is nested more than {MAX_DEPTH} levels deep")
        items = [_value(item, key, unique_keys, depth + 1) for item in value]
        return _LENGTH.pack(_ARRAY, len(items)) + b"".join(items)
    return _subclass(value, key, unique_keys, depth)


def _text(value: str, key: str, unique: bool) -> bytes:
    """Text as UTF-8, checked (a NUL would end it early; a lone surrogate cannot be encoded)."""
    if unique or "\x00" in value:
        check_text(value, key, unique)
    try:
        return value.encode()
    except UnicodeEncodeError:
        check_text(value, key, unique)  # (raises, saying why)
        raise


def _subclass(value: Any, key: str, unique_keys: frozenset[str], depth: int) -> bytes:
    """A value of a subclass of a property's type (an enum's member, a named tuple): as its plain value."""
    if isinstance(value, str):
        return _value(str.__str__(value), key, unique_keys, depth)
    if isinstance(value, int | float):
        return _value(int(value) if isinstance(value, int) else float(value), key, unique_keys, depth)
    if isinstance(value, list | tuple):
        return _value(list(value), key, unique_keys, depth)
    raise StoreError(f"`{key}` is a {type(value).__name__}, which a property cannot hold")


__all__ = ["BulkGraph"]
