"""The encoding of GRAPH.BULK (graphapi/store/falkordb_bulk.py), byte by byte, and what it refuses before
anything is sent: the values a statement's parameters refuse, and the mistakes the server would not see
(it trusts the counts and node numbers it is sent). The graphs it builds are compared with the
statements' in tests/test_load_streamed.py."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from graphapi.errors import StoreError
from graphapi.graph import writes
from graphapi.graph.model import Rel
from graphapi.store import Creates, WriteStep
from graphapi.store.falkordb_bulk import BulkGraph
from graphapi.store.falkordb_params import UnstorableValue

PERSON = Creates(("Node", "Actor", "Person"))
KNOWS = Creates(("SAID_BY",), edge=True)


def nodes(*props: dict[str, Any]) -> WriteStep:
    return WriteStep(writes.CREATE_NODES["person"], {"rows": [{"props": p} for p in props]}, PERSON)


def edges(*ends: tuple[str, str], props: dict[str, Any] | None = None) -> WriteStep:
    rows = [{"src": src, "dst": dst, "props": props or {}} for src, dst in ends]
    return WriteStep(writes.CREATE_EDGES[Rel.SAID_BY], {"rows": rows}, KNOWS)


def test_nodes_then_edges_between_them_by_their_numbers() -> None:
    built = BulkGraph("g", frozenset({"id"}))
    first = built.command(
        nodes({"id": "person:a", "n": 5, "f": 0.5, "b": True, "tags": ["x"]}, {"id": "person:b"})
    )
    assert first[:7] == ("GRAPH.BULK", "g", "BEGIN", 2, 0, 1, 0)
    header = b"Node:Actor:Person\x00" + struct.pack("<I", 5) + b"id\x00n\x00f\x00b\x00tags\x00"
    a = (
        b"\x03person:a\x00"
        + struct.pack("<bq", 4, 5)
        + struct.pack("<bd", 2, 0.5)
        + b"\x01\x01"
        + struct.pack("<bq", 5, 1)
        + b"\x03x\x00"
    )
    b = b"\x03person:b\x00" + b"\x00" * 4  # the properties it lacks are null, which the server skips
    assert first[7] == header + a + b
    second = built.command(edges(("person:b", "person:a"), props={"w": 1}))
    assert second[:6] == ("GRAPH.BULK", "g", 0, 1, 0, 1)  # BEGIN only once
    assert second[6] == b"SAID_BY\x00" + struct.pack("<I", 1) + b"w\x00" + struct.pack(
        "<QQ", 1, 0
    ) + struct.pack("<bq", 4, 1)
    assert (built.nodes, built.edges) == (2, 1)


@pytest.mark.parametrize(
    "props",
    [
        {"id": "person:a", "name": "a\x00b"},  # GRAPH.BULK's text ends at a NUL
        {"id": "person:a", "name": "\ud800"},
        {"id": " person:a"},  # would crash the unique index built afterwards
        {"id": ""},
        {"id": "person:a", "n": 2**63},
        {"id": "person:a", "f": float("nan")},
        {"id": "person:a", "f": 0.1 + 0.2},  # more digits than the database keeps
    ],
)
def test_a_value_a_statement_would_refuse_is_refused(props: dict[str, Any]) -> None:
    with pytest.raises(UnstorableValue):
        BulkGraph("g", frozenset({"id"})).command(nodes(props))


def test_what_the_server_would_trust_blindly_is_refused() -> None:
    built = BulkGraph("g", frozenset({"id"}))
    with pytest.raises(StoreError, match="cannot hold"):
        built.command(nodes({"id": "person:a", "m": {"a": 1}}))  # a map is no property
    built.command(nodes({"id": "person:a"}))
    with pytest.raises(StoreError, match="made twice"):
        built.command(nodes({"id": "person:a"}))
    with pytest.raises(StoreError, match="not made"):
        built.command(edges(("person:a", "person:nobody")))
    with pytest.raises(StoreError, match="not a step"):
        built.command(WriteStep(writes.DELETE_NODES, {"ids": ["person:a"]}))
