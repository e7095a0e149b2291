"""A kind's GraphQL type derived from its record (graphapi/api/types/derived_types.py): for a kind whose type
is also written by hand, the derived one has the written one's fields, of the same types, so a new kind
needs no type written."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import strawberry
from pydantic import Field
from strawberry.schema.config import StrawberryConfig

from graphapi.api.reading.list_inputs import DAY_SCALAR, Day
from graphapi.api.schema import build_schema
from graphapi.api.types import NODE_TYPES, SCALARS
from graphapi.api.types.derived_types import derived_type
from graphapi.graph import records as r
from graphapi.graph.kinds import BY_PREFIX
from graphapi.graph.record_fields import Line


def fields_of(graphql_type: Any) -> dict[str, str]:
    return {name: str(field.type) for name, field in graphql_type.fields.items()}


def derived_schema_type(cls: type) -> Any:
    """The GraphQL type of a derived class, in a schema of its own beside the written types."""

    def given() -> Any:
        return None

    given.__annotations__ = {"return": cls | None}
    query = strawberry.type(type("Query", (), {"given": strawberry.field(resolver=given)}))
    config = StrawberryConfig(scalar_map={**SCALARS, Day: DAY_SCALAR})  # as the API's schema has them
    schema = strawberry.Schema(query, types=list(NODE_TYPES.values()), config=config)
    return schema._schema.get_type(cls.__name__)


@pytest.mark.parametrize("prefix", ["event", "office"])
def test_the_derived_type_has_the_written_ones_fields(prefix: str) -> None:
    kind = BY_PREFIX[prefix]
    invented = dataclasses.replace(kind, label=f"Zz{kind.label}", graphql_type=f"Zz{kind.graphql_type}")
    derived = fields_of(derived_schema_type(derived_type(invented)))
    written = fields_of(build_schema()._schema.get_type(kind.graphql_type))
    assert derived == {name: written[name] for name in derived}
    assert len(derived) >= 6  # the Node interface's four, and the record's own


class Gathering(r.Record):
    """A meeting of some actors."""

    id: Line = Field(description="an id")
    name: Line = Field(description="its name")
    hosts: list[Line] = Field(default=[], description="who hosts it")
    held_on: r.Date | None = Field(default=None, description="when it was held")


def test_a_derived_type_says_what_the_record_says() -> None:
    invented = dataclasses.replace(
        BY_PREFIX["office"], record=Gathering, label="ZzGathering", graphql_type="ZzGathering", links=()
    )
    definition = derived_type(invented).__strawberry_definition__  # type: ignore[attr-defined]
    assert definition.description == "A meeting of some actors."
    words = {f.python_name: f.description for f in definition.fields}
    assert words["name"] == "Its name." and words["held_on"] == "When it was held."
    assert "draft" not in words


class Parted(r.Record):
    id: Line = Field(description="an id")
    effects: list[r.Effect] = Field(default=[], description="no plain field shows these")


def test_a_field_with_logic_of_its_own_says_to_write_the_type() -> None:
    invented = dataclasses.replace(
        BY_PREFIX["office"], record=Parted, label="ZzParted", graphql_type="ZzParted", links=()
    )
    with pytest.raises(TypeError, match=r"Parted.effects: .*write the kind's type by hand"):
        derived_type(invented)
