"""What every compiled root field shares: values refused as the resolvers refuse them, the statement named
for its root field, and the plan made of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphapi.api.compiled.objects import Compiler
from graphapi.api.compiled.pipeline import Binding, Refused, Selected
from graphapi.api.compiled.plan_cache import Plan
from graphapi.api.reading.arguments import (
    checked_id,
)
from graphapi.errors import GraphApiError
from graphapi.store.base import Record
from graphapi.store.cypher import Cypher


def refusing(check: Callable[[], Any]) -> Any:
    """What `check` returns; Refused when it raises the project's error (the resolver raises it)."""
    try:
        return check()
    except GraphApiError as exc:
        raise Refused(str(exc)) from None


def refused_id(value: Any, argument: str, kinds: tuple[str, ...] = ()) -> str:
    return str(refusing(lambda: checked_id(value, argument, kinds=kinds)))


def _statement(c: Compiler, field: Selected) -> Cypher:
    """The statement, named for its root field; one with a full-text call names its engine."""
    engines = frozenset({c.p.engine}) if c.p.own_engine else frozenset({"neo4j", "falkordb"})
    return Cypher(f"compiled.{field.name}", c.p.text, engines)


def make_plan(c: Compiler, field: Selected, finish: Callable[[Record, Binding], Any], **kwargs: Any) -> Plan:
    return Plan(_statement(c, field), dict(c.p.params), list(c.p.guards), finish, **kwargs)
