"""The sizes a request states for its lists (`first`, `limit`) as the executor will take them: a variable's
value, an Int, which GraphQL takes from a float that is an integer too; a variable the request leaves out,
its default (graphapi/api/policy/limits.py measures a document by them)."""

from __future__ import annotations

import math
from typing import Any

from graphql import DocumentNode, IntValueNode, OperationDefinitionNode


def size_of(value: Any) -> int | None:
    """A variable's value as an Int size: an integer, or a float that is one (GraphQL's Int takes 100.0 as
    100); None for anything else (null, which the field's default replaces, or a value refused)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def literal_size(node: IntValueNode, ceiling: int) -> int:
    """An integer literal, at most `ceiling` (whose digits it is not worth reading past)."""
    return ceiling if len(node.value.lstrip("-")) > len(str(ceiling)) else min(int(node.value), ceiling)


def integer_defaults(document: DocumentNode, ceiling: int) -> dict[str, int]:
    """The integer defaults of the document's variables, the largest where two operations name one."""
    found: dict[str, int] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for variable in definition.variable_definitions or ():
                if isinstance(variable.default_value, IntValueNode):
                    size = literal_size(variable.default_value, ceiling)
                    name = variable.variable.name.value
                    found[name] = max(size, found.get(name, size))
    return found
