"""The GraphQL enums: the graph model's own (registered once; strawberry.enum marks each class and returns
it, so resolvers use the model's classes), and those derived from the kind registry."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import strawberry

from graphapi.graph import changes, model
from graphapi.graph.kinds import ACTOR_KINDS, KINDS

Stance = strawberry.enum(model.Stance, description="An actor's stance on a measure or event.")
MeasureStatus = strawberry.enum(model.MeasureStatus, description="Where a measure stands.")
MeasureKind = strawberry.enum(model.MeasureKind, description="What kind of measure it is.")
EventKind = strawberry.enum(model.EventKind, description="What kind of event it is.")
EventStatus = strawberry.enum(model.EventStatus, description="Whether the event happened or is to come.")
DatePrecision = strawberry.enum(model.DatePrecision, description="How much of a date the source gives.")
RelType = strawberry.enum(model.Rel, description="The relationship types of the graph.")
Basis = strawberry.enum(
    model.Basis, description="What a position rests on: the actor's words, or a deed the source reports."
)
Certainty = strawberry.enum(
    model.Certainty,
    description=(
        "How sure an answer about time is: KNOWN when the sources' dates settle it, POSSIBLE when they "
        "allow it without settling it, NO when it does not hold as far as they say. As an argument, the "
        "least certainty an answer needs (KNOWN or POSSIBLE)."
    ),
)
ChangeKind = strawberry.enum(changes.ChangeKind, description="What happened to a node.")


def _enum(name: str, members: dict[str, str], description: str | None = None) -> Any:
    """A GraphQL enum built from the registry (its members are not known to the type checker)."""
    return strawberry.enum(enum.Enum(name, members), description=description)  # type: ignore[call-overload]


# Values are the kinds' id prefixes (ORGANIZATION is `org`).
ActorKind = _enum(
    "ActorKind", {kind.label.upper(): kind.prefix for kind in ACTOR_KINDS}, "The kinds of actor."
)
# Values are the kinds' labels.
NodeKind = _enum("NodeKind", {kind.label.upper(): kind.label for kind in KINDS}, "The kinds of node.")


def order_field(name: str, orderings: Mapping[str, str]) -> Any:
    """An ordering's field enum from the sort keys of the registry (ID, NAME, ...)."""
    return _enum(name, {key: key for key in orderings})
