"""A compiled root field (its statement, how to bind a request to it, how to finish its value) and the
cache of them, per document, root field and shape of the variables."""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphapi.api.compiled.pipeline import Binding, Fallback, Getter
from graphapi.graph.kinds import BY_PREFIX
from graphapi.graph.model import id_prefix
from graphapi.store.base import Record
from graphapi.store.cypher import Cypher


@dataclass
class Plan:
    """One statement for one root field. `check` refuses (with Fallback) what the resolvers would refuse,
    so they answer it with their own error; `finish` turns the statement's one row into the field's value,
    or says (Fallback) that the resolvers must answer, as when a node the request names does not exist."""

    cypher: Cypher
    params: Mapping[str, Getter]
    guards: list[tuple[Getter, Any]]
    finish: Callable[[Record, Binding], Any]
    check: Callable[[Binding], None] = lambda binding: None

    def bind(self, binding: Binding) -> dict[str, Any] | None:
        """The statement's parameters for this request; None when its values need another statement."""
        for getter, value in self.guards:
            if getter(binding) != value:
                return None
        self.check(binding)
        return {name: getter(binding) for name, getter in self.params.items()}


def shape_of(value: Any) -> Any:
    """What a statement's text may depend on in a variable's value: null or not, booleans (@skip and
    @include), enum values (orderings), the kind of node an id names; not the text or numbers, which
    only ever reach the statement as parameters."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return ("e", value.value)
    if isinstance(value, str):  # a kind's prefix, or None: a client's made-up prefixes are all one shape
        prefix = id_prefix(value)
        return ("id", prefix if prefix in BY_PREFIX else None)
    if isinstance(value, int | float):
        return "n"
    if isinstance(value, list | tuple):
        return ("l", tuple(sorted({repr(shape_of(v)) for v in value})))
    if isinstance(value, Mapping):
        return ("m", tuple(sorted((str(k), repr(shape_of(v))) for k, v in value.items())))
    return ("o", type(value).__name__, shape_of(getattr(value, "__dict__", None)))


@dataclass
class PlanCache:
    """Plans by (operation, root field's response key, engine, shape of the variables), least recently
    used first out. An operation is kept alive by its entries, so its identity is never reused while it
    is a key. `None` remembers a root field the compiler leaves to the resolvers.

    A plan holds parts of its document's syntax tree, so the cache is bounded by the characters of the
    documents it holds as well as by its entries: a client sending many distinct long documents cannot
    grow the server (only documents the parse cache would keep are cached at all; see execution.py)."""

    size: int = 1024
    budget_chars: int = 500_000
    _plans: OrderedDict[tuple[Any, ...], tuple[object, Plan | None, int]] = field(default_factory=OrderedDict)
    _chars: int = 0

    def get(self, operation: object, key: tuple[Any, ...]) -> Plan | Fallback | None:
        found = self._plans.get(key)
        if found is None or found[0] is not operation:
            return MISS
        self._plans.move_to_end(key)
        return found[1]

    def put(self, operation: object, key: tuple[Any, ...], plan: Plan | None, chars: int = 0) -> None:
        replaced = self._plans.pop(key, None)
        if replaced is not None:
            self._chars -= replaced[2]
        self._plans[key] = (operation, plan, chars)
        self._chars += chars
        while len(self._plans) > self.size or (self._chars > self.budget_chars and len(self._plans) > 1):
            _key, (_operation, _plan, dropped) = self._plans.popitem(last=False)
            self._chars -= dropped

    @property
    def chars(self) -> int:
        return self._chars

    def __len__(self) -> int:
        return len(self._plans)


MISS = Fallback("not compiled yet")
