"""A written type's plain fields derived from its record (graphapi/api/types/derived_fields.py): `shown()`
takes its GraphQL type and resolver from the record's field, keeps its place and its words, and a field of
the record a written type neither shows, writes nor hides is an error."""

from __future__ import annotations

import pytest
import strawberry
from pydantic import Field
from strawberry.types.base import StrawberryList

from graphapi.api.types import Node
from graphapi.api.types.derived_fields import Fields, derive_shown, shown
from graphapi.graph import records as r
from graphapi.graph.record_fields import Line


class Meeting(r.Record):
    id: Line = Field(description="an id")
    name: Line = Field(description="its name")
    hosts: list[Line] = Field(default=[], description="who hosts it")
    held_on: r.Date | None = Field(default=None, description="when it was held")


def fields_of_meeting() -> Fields:
    return Fields("Meeting", Meeting.model_fields, {}, {})


def test_shown_fields_take_the_record_type_in_the_written_order() -> None:
    class ZzMeeting(Node):
        held_on = shown("When the meeting was held.")

        @strawberry.field(description="Written by hand.")
        def special(self) -> int:
            return 1

        name = shown()
        hosts = shown()

    typed = strawberry.type(derive_shown(ZzMeeting, fields_of_meeting()))
    fields = typed.__strawberry_definition__.fields  # type: ignore[attr-defined]
    own = [f for f in fields if f.python_name in {"held_on", "special", "name", "hosts"}]
    assert [f.python_name for f in own] == ["held_on", "special", "name", "hosts"]
    words = {f.python_name: f.description for f in own}
    assert words["held_on"] == "When the meeting was held." and words["name"] == "Its name."
    hosts = next(f for f in own if f.python_name == "hosts").type
    assert isinstance(hosts, StrawberryList) and hosts.of_type is str


def test_a_field_neither_shown_written_nor_hidden_is_an_error() -> None:
    class ZzForgetful(Node):
        name = shown()

    with pytest.raises(TypeError, match=r"Meeting: \['held_on', 'hosts'\] are neither"):
        derive_shown(ZzForgetful, fields_of_meeting())

    class ZzHiding(Node):
        name = shown()

    derive_shown(ZzHiding, fields_of_meeting(), hidden=("hosts", "held_on"))
