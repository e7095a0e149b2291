"""A record's fields as the fields of a mutation input: the type a client sends each as, and its default,
derived from the record's field.

An input written by hand (inputs.py) declares only the fields of its own (`source`, a field sent under
another name or type); a plain field stands in it as `sent()` (at its place, with the API's words where
they are not the record's), and `@record_input` gives it its type and default from the record. An input
no module writes is derived from its kind's record alone (derived_inputs.py).
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any, TypeVar, Union, cast, get_args, get_origin

import strawberry
from pydantic.fields import FieldInfo
from strawberry.types.field import StrawberryField

from graphapi.api.types.derived_fields import Plain, sentence
from graphapi.graph import records as r
from graphapi.graph.record_fields import IdOf

SCALARS = (str, bool, int, float)
NOT_SENT = frozenset({"draft"})  # the drafter's mark: seed files only
# The input that sends each record a record's field may hold (a date, a span, an amount...), filled by
# @record_input as inputs.py defines them.
PARTS: dict[type, type] = {}
T = TypeVar("T", bound=type)


def sent(words: str | None = None) -> Any:
    """A plain field of a written input: its type and default come from the record (@record_input)."""
    return Plain(words)


def record_input(
    record: type[r.Record] | Mapping[str, FieldInfo], description: str, hidden: Iterable[str] = ()
) -> Callable[[T], T]:
    """strawberry.input for an input written by hand: its `sent()` fields derived from the record's (or
    from the fields several records share). Every field of the record is sent, written, or `hidden` (sent
    otherwise, or not through the API); the input is the one that sends the record as a part of another."""
    given = dict(record.model_fields if isinstance(record, type) else record)

    def derive(cls: T) -> T:
        namespace = derived_namespace(cls, given)
        missing = set(given) - NOT_SENT - set(namespace) - set(hidden)
        if missing:
            raise TypeError(f"{cls.__name__}: {sorted(missing)} are neither sent(), written, nor hidden")
        made = cast(T, strawberry.input(type(cls.__name__, (), namespace), description=description))
        if isinstance(record, type):
            PARTS.setdefault(record, made)
        return made

    return derive


def derived_namespace(cls: type, fields: Mapping[str, FieldInfo]) -> dict[str, Any]:
    """The class's fields in their order, each `sent()` given its type, its default and its words."""
    written = vars(cls).get("__annotations__", {})
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": cls.__module__, "__annotations__": annotations}
    for name, value in vars(cls).items():
        if isinstance(value, Plain):
            if name not in fields:
                raise TypeError(f"{cls.__name__}: its record has no field {name}; write the field by hand")
            field = fields[name]
            annotations[name] = sent_as(field.annotation, field.metadata, f"{cls.__name__}.{name}")
            words = value.words or sentence(field.description or name)
            namespace[name] = strawberry.field(description=words, name=field.alias, **default_of(field))
        elif isinstance(value, StrawberryField):
            annotations[name] = written[name]
            namespace[name] = value
    unplaced = set(written) - set(annotations)
    if unplaced:
        raise TypeError(f"{cls.__name__}: give {sorted(unplaced)} a strawberry.field, to keep their place")
    return namespace


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
