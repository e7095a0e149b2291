"""A written input's plain fields derived from its record (graphapi/api/mutations/input_fields.py): `sent()`
takes its type and default from the record's field and keeps its place and its words; a record field the
input neither sends, writes nor hides is an error."""

from __future__ import annotations

import pytest
import strawberry
from pydantic import Field

from graphapi.api.mutations import inputs
from graphapi.api.mutations.input_fields import PARTS, record_input, sent
from graphapi.graph import records as r
from graphapi.graph.record_fields import Line, PersonId


class Visit(r.Record):
    visitor: PersonId = Field(description="who visits")
    place: Line = Field(description="where")
    days: list[Line] = Field(default=[], description="the days of the visit")
    on: r.Date | None = Field(default=None, description="when it began")


def test_sent_fields_take_the_record_type_and_default_in_the_written_order() -> None:
    @record_input(Visit, description="A visit.")
    class ZzVisitInput:
        on = sent("When the visit began.")
        source: strawberry.ID | None = strawberry.field(default=None, description="Written by hand.")
        visitor = sent()
        place = sent()
        days = sent()

    fields = ZzVisitInput.__strawberry_definition__.fields  # type: ignore[attr-defined]
    assert [f.python_name for f in fields] == ["on", "source", "visitor", "place", "days"]
    given = ZzVisitInput(visitor="person:a", place="Ottawa")  # type: ignore[call-arg]
    assert given.days == [] and given.on is None  # type: ignore[attr-defined]
    words = {f.python_name: f.description for f in fields}
    assert words["on"] == "When the visit began." and words["visitor"] == "Who visits."
    assert PARTS[r.DateIn] is inputs.DateInput  # a date is sent as the written DateInput


def test_a_field_neither_sent_written_nor_hidden_is_an_error() -> None:
    with pytest.raises(TypeError, match=r"ZzForgetful: \['days', 'on'\] are neither"):

        @record_input(Visit, description="A visit.")
        class ZzForgetful:
            visitor = sent()
            place = sent()

    @record_input(Visit, description="A visit.", hidden=("days", "on"))
    class ZzHiding:
        visitor = sent()
        place = sent()
