"""A kind's upsert input derived from its record, for the kinds inputs.py writes none for."""

from __future__ import annotations

import enum
import functools
import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

import strawberry
from pydantic.fields import FieldInfo

from graphapi.api.mutations import inputs
from graphapi.api.types.derived_fields import sentence
from graphapi.graph import records as r
from graphapi.graph.kinds import Kind
from graphapi.graph.mapping import camel
from graphapi.graph.record_fields import IdOf

# The records a record's field may hold, and the inputs that send them.
PARTS: dict[type, type] = {
    r.DateIn: inputs.DateInput,
    r.Span: inputs.SpanInput,
    r.Money: inputs.MoneyInput,
    r.Acting: inputs.ActingInput,
}
SCALARS = (str, bool, int, float)
NOT_SENT = frozenset({"draft"})  # the drafter's mark: seed files only


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


def sent_as(annotation: Any, metadata: Sequence[Any], where: str) -> Any:
    """The type a client sends a record's field as: an id (`ID`), a scalar, an enum, a part's input, or a
    list or optional of those."""
    if any(isinstance(mark, IdOf) for mark in metadata):
        return strawberry.ID
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *marks = get_args(annotation)
        return sent_as(inner, marks, where)
    if origin in (Union, types.UnionType):
        given = [a for a in get_args(annotation) if a is not type(None)]
        if len(given) == 1:
            return sent_as(given[0], (), where) | None
    elif origin is list:
        return list[sent_as(get_args(annotation)[0], (), where)]  # type: ignore[misc]
    elif annotation in PARTS:
        return PARTS[annotation]
    elif annotation in SCALARS or (isinstance(annotation, type) and issubclass(annotation, enum.Enum)):
        return annotation
    raise TypeError(f"{where}: no input type for {annotation!r}; write the kind's input in inputs.py")


def default_of(field: FieldInfo) -> dict[str, Any]:
    """The input field's default: the record's (a list's a new empty list each time), or none."""
    if field.is_required():
        return {}
    if field.default_factory is not None or isinstance(field.default, list):
        return {"default_factory": list}
    return {"default": field.default}  # (not required, and no factory: it has a default)
