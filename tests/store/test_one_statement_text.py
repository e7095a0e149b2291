"""The statement a small load is sent to FalkorDB as (graphapi/store/falkordb_unit.py), read as text: no
database."""

from __future__ import annotations

import pytest

from graphapi.graph import writes
from graphapi.graph.model import Rel
from graphapi.store import Cypher, WriteStep
from graphapi.store.falkordb_unit import ONE_STATEMENT_ROWS, one_statement, rows_of

NODES = WriteStep(writes.UPDATE_NODES, {"rows": [{"id": "person:a", "props": {}}]})
EDGES = WriteStep(writes.CREATE_EDGES[Rel.SAID_BY], {"rows": [{"src": "s", "dst": "p", "props": {}}] * 2})
GONE = WriteStep(writes.DELETE_NODES, {"ids": ["person:b"]})


def test_steps_are_chained_each_with_its_own_parameters() -> None:
    combined = one_statement([NODES, EDGES, GONE])
    assert combined is not None
    query, params = combined
    assert query.text == (
        f"{writes.UPDATE_NODES.text.replace('$rows', '$s0_rows')} WITH count(*) AS s0 "
        f"{writes.CREATE_EDGES[Rel.SAID_BY].text.replace('$rows', '$s1_rows')} WITH count(*) AS s1 "
        f"{writes.DELETE_NODES.text.replace('$ids', '$s2_ids')}"
    )
    assert params == {
        "s0_rows": NODES.params["rows"],
        "s1_rows": EDGES.params["rows"],
        "s2_ids": ["person:b"],
    }
    assert query.name == "write.one_statement(write.update_nodes, write.create_said_by, write.delete_nodes)"
    assert rows_of([NODES, EDGES, GONE]) == 4


def test_one_step_is_itself() -> None:
    combined = one_statement([GONE])
    assert combined is not None
    assert combined[0].text == writes.DELETE_NODES.text.replace("$ids", "$s0_ids")


def test_what_is_not_sent_as_one_statement() -> None:
    assert one_statement([]) is None
    assert one_statement(iter([NODES])) is None  # worked out as it is sent: a large load's
    many = WriteStep(writes.DELETE_NODES, {"ids": [f"person:{i}" for i in range(ONE_STATEMENT_ROWS + 1)]})
    assert one_statement([many]) is None
    returning = WriteStep(
        Cypher("test.returning", "MATCH (n:Node {id: $id}) SET n.x = 1 RETURN n.id AS id"), {"id": "x"}
    )
    assert one_statement([NODES, returning]) is None


def test_a_parameter_the_step_is_not_given_is_a_bug() -> None:
    broken = WriteStep(writes.DELETE_NODES, {"rows": []})
    with pytest.raises(ValueError, match=r"\$ids"):
        one_statement([broken])
