"""The limits of a cached document, checked once per value of the variables that size its lists. A
document's measure (graphapi/api/policy/limits.py) reads the variables only where they stand as a list's
`first` or `limit`, and only whether each is left out (its default is measured) or an integer (a float
that is one included) and which; so two requests of one document whose size variables agree measure the
same, whatever their other variables (ids, words, dates), and the second is not measured again."""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Mapping
from types import EllipsisType
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, VariableNode, visit
from graphql.language import ArgumentNode, Visitor

from graphapi.api.policy.limits import SIZE_ARGUMENTS, check
from graphapi.api.policy.sizes import size_of
from graphapi.config import Limits


class _SizeVariables(Visitor):
    """The names of the variables standing as a size argument anywhere in a document."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        if node.name.value in SIZE_ARGUMENTS and isinstance(node.value, VariableNode):
            self.names.add(node.value.name.value)


def _as_measured(variables: Mapping[str, Any], name: str) -> int | EllipsisType | None:
    """A size variable's value as the measure sees it: an integer, nothing, or left out (`...`: the
    variable's default is measured then, which null does not get)."""
    return size_of(variables[name]) if name in variables else ...


class CheckedLimits:
    """`check` of documents the parse cache holds, remembered by the document's identity and its size
    variables' values, the most recent `maxsize`. An entry names its document by a weak reference: the
    parse cache alone decides how many documents stay alive (each takes up to ~75 times its text), and an
    entry whose document has gone no longer answers for an identity reused since."""

    def __init__(self, limits: Limits, schema: GraphQLSchema, maxsize: int = 4096) -> None:
        self.limits = limits
        self.schema = schema
        self.maxsize = maxsize
        self._names: dict[int, tuple[weakref.ref[DocumentNode], tuple[str, ...]]] = {}
        self._checked: OrderedDict[tuple[Any, ...], tuple[weakref.ref[DocumentNode], GraphQLError | None]]
        self._checked = OrderedDict()

    def check(self, document: DocumentNode, variables: Mapping[str, Any]) -> GraphQLError | None:
        names = self._size_variables(document)
        key = (id(document), *(_as_measured(variables, name) for name in names))
        found = self._checked.get(key)
        if found is not None and found[0]() is document:
            self._checked.move_to_end(key)
            return found[1]
        refused = check(self.limits, self.schema, document, variables)
        self._checked[key] = (weakref.ref(document), refused)
        self._checked.move_to_end(key)
        if len(self._checked) > self.maxsize:
            self._checked.popitem(last=False)
        return refused

    def _size_variables(self, document: DocumentNode) -> tuple[str, ...]:
        known = self._names.get(id(document))
        if known is not None and known[0]() is document:
            return known[1]
        finder = _SizeVariables()
        visit(document, finder)
        names = tuple(sorted(finder.names))
        if len(self._names) >= self.maxsize:
            self._names.clear()  # (rare: more distinct documents than the parse cache holds)
        self._names[id(document)] = (weakref.ref(document), names)
        return names
