"""A kind's upsert input derived from its record, for the kinds inputs.py writes none for (its fields' types
and defaults: input_fields.py)."""

from __future__ import annotations

import functools
from typing import Any

import strawberry

from graphapi.api.mutations import inputs
from graphapi.api.mutations.input_fields import NOT_SENT, default_of, sent_as
from graphapi.api.types.derived_fields import sentence
from graphapi.graph import records as r
from graphapi.graph.kinds import Kind
from graphapi.graph.mapping import camel


def input_type(type_name: str, kind: Kind) -> type:
    """`<Type>Input`: the one written in inputs.py, or else the one derived from the kind's record."""
    written: type | None = getattr(inputs, f"{type_name}Input", None)
    return written if written is not None else derived_input(kind)


def derived_input(kind: Kind) -> type:
    """The input of the kind's record: a field for each of the record's (its description the record's),
    and `source` before the spans that point into it. One class a kind, as a schema wants."""
    # the source a node's words are quoted in comes with its record, as `source`, like the one its spans
    # point into
    quoted_in = next((link for link in kind.links if link.field == "source"), None)
    sources = {"id": quoted_in.required} if quoted_in is not None else {}
    if kind.spans_field is not None and quoted_in is None:
        sources[kind.spans_field] = kind.record.model_fields[kind.spans_field].is_required()
    return _derived(kind.graphql_type, kind.record, tuple(sources.items()))


@functools.cache
def _derived(type_name: str, record: type[r.Record], sources: tuple[tuple[str, bool], ...]) -> type:
    """(`sources`: the field `source` comes next to, after `id` and before a field of spans, and whether it
    is required.)"""
    what = type_name.lower()
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations}
    where = dict(sources)
    for name, field in record.model_fields.items():
        if name in NOT_SENT:
            continue
        if name in where and name != "id" and "source" not in record.model_fields:
            add_source(namespace, where[name], f"The source that `{camel(name)}` points into.")
        annotations[name] = sent_as(field.annotation, field.metadata, f"{record.__name__}.{name}")
        description = sentence(field.description or name)
        if name == "id":
            description = f"The {what}'s global id: {description}"
        namespace[name] = strawberry.field(description=description, name=field.alias, **default_of(field))
        if name == "id" and "id" in where:
            add_source(namespace, where["id"], "The source it is quoted in.")
    description = f"A {what}, as its source states it." if sources else f"A {what}."
    cls = type(f"{type_name}Input", (), namespace)
    return strawberry.input(cls, description=description)


def add_source(namespace: dict[str, Any], required: bool, description: str) -> None:
    """The input's `source`: not a field of the record, it comes with it (graphapi/graph/kinds.py, Link)."""
    if required:
        namespace["__annotations__"]["source"] = strawberry.ID
        namespace["source"] = strawberry.field(description=description)
    else:
        namespace["__annotations__"]["source"] = strawberry.ID | None
        namespace["source"] = strawberry.field(description=description, default=None)
