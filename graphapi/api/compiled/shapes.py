"""From what a compiled statement returns to the response: the few things Cypher cannot do (pick the
fields of an object's runtime type, read a value stored as JSON). A selection that needs none of them
is passed through as the database returns it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Shape = Callable[[Any], Any]


@dataclass(frozen=True)
class ObjectShape:
    """An object: for each runtime type (None when the type is concrete), its (response key, database
    key, shape) in selection order; `type_key` is the database key holding the runtime type's name."""

    fields: Mapping[str | None, tuple[tuple[str, str, Shape | None], ...]]
    type_key: str | None = None

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        entries = self.fields[value[self.type_key] if self.type_key else None]
        return {
            response: value[stored] if shape is None else shape(value[stored])
            for response, stored, shape in entries
        }


@dataclass(frozen=True)
class ListShape:
    item: Shape

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        item = self.item
        return [item(v) for v in value]


def object_shape(
    fields: Mapping[str | None, tuple[tuple[str, str, Shape | None], ...]], type_key: str | None
) -> Shape | None:
    """The shape of an object, or None when the database's map is already the response's."""
    if type_key is None and all(
        response == stored and shape is None for response, stored, shape in fields[None]
    ):
        return None
    return ObjectShape(fields, type_key)


def list_shape(item: Shape | None) -> Shape | None:
    return None if item is None else ListShape(item)
