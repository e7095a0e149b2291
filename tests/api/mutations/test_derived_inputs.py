"""A kind's mutation input derived from its record (graphapi/api/mutations/derived_inputs.py): for the kinds
whose input is also written by hand, the derived one takes the same fields, types and defaults, so a new
kind's mutation needs no input written."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import strawberry
from pydantic import Field

from graphapi.api.mutations import inputs
from graphapi.api.mutations.convert import to_record
from graphapi.api.mutations.derived_inputs import derived_input, input_type
from graphapi.graph import model
from graphapi.graph import records as r
from graphapi.graph.kinds import BY_PREFIX
from graphapi.graph.record_fields import Line


def shape(input_class: type) -> dict[str, tuple[str, str]]:
    """Each field of an input as GraphQL sees it: its type and its default."""

    def given(value: Any) -> int:
        return 0

    given.__annotations__ = {"value": input_class, "return": int}
    Query = strawberry.type(type("Query", (), {"given": strawberry.field(resolver=given)}))

    name = input_class.__strawberry_definition__.name  # type: ignore[attr-defined]
    graphql_type: Any = strawberry.Schema(Query)._schema.get_type(name)
    return {n: (str(f.type), repr(f.default_value)) for n, f in graphql_type.fields.items()}


@pytest.mark.parametrize("prefix", ["office", "event", "statement", "position"])
def test_the_derived_input_is_the_written_one_but_for_its_words(prefix: str) -> None:
    kind = BY_PREFIX[prefix]
    written = getattr(inputs, f"{kind.graphql_type}Input")
    assert input_type(kind.graphql_type, kind) is written
    assert shape(derived_input(kind)) == shape(written)


def test_a_kind_without_a_written_input_gets_its_records() -> None:
    kind = dataclasses.replace(BY_PREFIX["event"], label="ZzGathering", graphql_type="ZzGathering")
    derived = input_type("ZzGathering", kind)
    assert derived is derived_input(kind)  # one class a kind
    definition = derived.__strawberry_definition__  # type: ignore[attr-defined]
    assert definition.name == "ZzGatheringInput"
    words = {f.python_name: f.description for f in definition.fields}
    assert words["id"] == "The zzgathering's global id: `event:<slug>`."
    assert words["name"] == "What it is, in a few words."
    assert words["source"] == "The source that `evidence` points into."
    assert "draft" not in words  # seed files only


def test_a_derived_input_makes_its_record() -> None:
    kind = BY_PREFIX["event"]
    given = derived_input(kind)(
        id="event:talks",  # type: ignore[call-arg]
        name="Talks",
        kind=model.EventKind.TALKS,
        status=model.EventStatus.HELD,
        source="source:s",
        evidence=[inputs.SpanInput(quote="talks")],
        participants=["country:ca"],
        date=inputs.DateInput(on="2025-03"),
    )
    record = to_record(r.Event, given)
    assert record.participants == ["country:ca"] and record.date is not None and record.date.on == "2025-03"


class Unsent(r.Record):
    # (an id of no kind: the records with ids of their own are the registry's, tests/test_registry.py)
    id: Line = Field(description="an id")
    name: Line = Field(description="its name")
    effects: list[r.Effect] = Field(default=[], description="no input sends these")


def test_a_field_no_input_can_send_says_where_to_write_the_input() -> None:
    kind = dataclasses.replace(BY_PREFIX["office"], record=Unsent, graphql_type="ZzUnsent", links=())
    with pytest.raises(TypeError, match=r"Unsent.effects: .*write the kind's input in inputs.py"):
        derived_input(kind)
