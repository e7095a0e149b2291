"""Parsed documents are freed when dropped (graphapi/api/policy/parsing.py), not left as cycles for a
full collection to free all at once on the event loop; their errors still say where."""

from __future__ import annotations

import gc

from graphql import GraphQLError, parse

from bench.hostile import CLASSES
from graphapi.api.policy.parsing import parse_document


def _cyclic_garbage(make: object) -> int:
    gc.collect()
    gc.disable()
    try:
        document = make()  # type: ignore[operator]
        del document
        return gc.collect()
    finally:
        gc.enable()


def test_a_parsed_document_leaves_no_cycles_behind() -> None:
    text = CLASSES["3,000 aliases"]
    assert _cyclic_garbage(lambda: parse(text)) > 3_000  # graphql-core's own: its tokens, both ways
    assert _cyclic_garbage(lambda: parse_document(text, 100_000)) == 0


def test_the_nodes_still_know_where_they_are() -> None:
    document = parse_document("query Q {\n  actors { totalCount }\n}", 100)
    field = document.definitions[0].selection_set.selections[0]  # type: ignore[attr-defined]
    error = GraphQLError("here", nodes=[field])
    assert [(loc.line, loc.column) for loc in error.locations or []] == [(2, 3)]
    assert document.loc is not None and document.loc.end_token.kind.value == "<EOF>"
