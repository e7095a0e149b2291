"""The GraphQL enums: the graph model's own (registered once; strawberry.enum marks each class and returns
it, so resolvers use the model's classes), and those derived from the kind registry."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import strawberry

from graphapi.graph import changes, model
from graphapi.graph.kinds import ACTOR_KINDS, KINDS


def described(gql_enum: Any, values: Mapping[str, str]) -> Any:
    """Gives each value of a GraphQL enum its description; every value needs one (a value added to a
    model's enum fails here, at import, until it is described)."""
    definition = gql_enum.__strawberry_definition__
    names = [value.name for value in definition.values]
    if sorted(names) != sorted(values):
        raise ValueError(f"{definition.name}: describe exactly its values {names}, not {sorted(values)}")
    for value in definition.values:
        value.description = values[value.name]
    return gql_enum


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


# What each value means to a client.
described(
    Stance,
    {
        "SUPPORT": "For it.",
        "OPPOSE": "Against it.",
        "NEUTRAL": "Neither for nor against it.",
        "MIXED": "Both for and against parts of it.",
    },
)
described(
    MeasureStatus,
    {
        "THREATENED": "Threatened, often on a condition; not decided.",
        "ANNOUNCED": "Decided and announced, not yet in force.",
        "IN_FORCE": "Being applied.",
        "PAUSED": "Suspended for a time.",
        "REMOVED": "Lifted or ended.",
    },
)
described(
    MeasureKind,
    {
        "TARIFF": "A tax on imports.",
        "DUTY": "A duty other than a tariff (anti-dumping, countervailing...).",
        "QUOTA": "A limit on quantities.",
        "SANCTION": "A sanction.",
        "EXPORT_CONTROL": "A limit on exports.",
        "OTHER": "Any other trade measure.",
    },
)
described(
    EventKind,
    {
        "CALL": "A phone or video call.",
        "MEETING": "A meeting in person.",
        "TALKS": "Negotiations, over one or several meetings.",
        "ELECTION": "An election.",
        "SUMMIT": "A summit of several leaders.",
        "OTHER": "Any other event.",
    },
)
described(
    EventStatus,
    {
        "HELD": "It took place.",
        "ONGOING": "It is taking place.",
        "SCHEDULED": "It is set for a date.",
        "PLANNED": "It is intended, without a set date.",
        "CANCELLED": "It was called off.",
    },
)
described(
    DatePrecision,
    {
        "DAY": "A day: `iso` is YYYY-MM-DD.",
        "MONTH": "A month: `iso` is YYYY-MM.",
        "YEAR": "A year: `iso` is YYYY.",
        "RANGE": (
            "Known only by its bounds: `iso` is null; `earliest` and `latest` give the first and last "
            "possible day."
        ),
    },
)
described(
    RelType,
    {
        "BASED_IN": "A party is based in a country.",
        "OFFICE_OF": "An office is a post of a country or party.",
        "HOLDS": "A person holds an office (with the tenure's dates).",
        "IMPOSED_BY": "A measure is imposed, planned or threatened by an actor.",
        "TARGETS": "A measure is aimed at an actor.",
        "RETALIATES_AGAINST": "A measure answers another.",
        "PART_OF": "A measure is part or an extension of another.",
        "CONDITION_INVOLVES": "A measure's condition names an actor.",
        "PARTICIPANT": "An actor takes part in an event.",
        "LOCATED_IN": "An event takes place in a country.",
        "AFTER": "An event follows another.",
        "SAID_BY": "A statement was said by an actor.",
        "IN_ROLE": "A statement was made, or a measure imposed, in an office.",
        "AT_EVENT": "A statement was said at an event.",
        "ABOUT": "A statement is about a node.",
        "QUOTED_IN": "A statement is quoted in a source.",
        "HELD_BY": "A position is held by an actor.",
        "ON": "A position is on a measure or event.",
        "EVIDENCED_BY": "A position is read from a statement.",
        "EVIDENCE_IN": "A fact's evidence is in a source.",
    },
)
described(
    Basis,
    {
        "STATEMENT": (
            "Read from the actor's words (or the source's report of them): `evidence` gives the statements."
        ),
        "ACTION": (
            "Read from a deed: whoever imposes, plans or threatens a measure stands for it; the spans "
            "report the deed."
        ),
    },
)
described(
    Certainty,
    {
        "KNOWN": "The sources' dates settle it: it holds.",
        "POSSIBLE": "The dates allow it but do not settle it.",
        "NO": "It does not hold, as far as the sources say.",
    },
)
described(
    ChangeKind,
    {
        "CREATED": "The node was created.",
        "UPDATED": "The node was changed.",
        "DELETED": "The node was deleted.",
    },
)


def _enum(name: str, members: dict[str, str], description: str | None = None) -> Any:
    """A GraphQL enum built from the registry (its members are not known to the type checker)."""
    return strawberry.enum(enum.Enum(name, members), description=description)  # type: ignore[call-overload]


# What each sort key of the registry orders by; an ordering added needs its line here.
ORDER_WORDS = {
    "ID": "By global id (the default).",
    "NAME": "By name.",
    "TITLE": "By title.",
    "EFFECTIVE_FROM": "By when the measure takes effect; undated ones last.",
    "RATE": "By rate.",
    "SAID_ON": "By when it was said; undated ones last.",
    "SOURCE_POSITION": "By where the quote sits in its source, in the order of the text.",
    "CONFIDENCE": "By confidence.",
    "DATE": "By date; undated ones last.",
}

# Values are the kinds' id prefixes (ORGANIZATION is `org`).
ActorKind = described(
    _enum("ActorKind", {kind.label.upper(): kind.prefix for kind in ACTOR_KINDS}, "The kinds of actor."),
    {kind.label.upper(): kind.words for kind in ACTOR_KINDS},
)
# Values are the kinds' labels.
NodeKind = described(
    _enum("NodeKind", {kind.label.upper(): kind.label for kind in KINDS}, "The kinds of node."),
    {kind.label.upper(): kind.words for kind in KINDS},
)


def order_field(name: str, orderings: Mapping[str, str]) -> Any:
    """An ordering's field enum from the sort keys of the registry (ID, NAME, ...)."""
    what = name.removesuffix("OrderField").lower()
    field = _enum(name, {key: key for key in orderings}, f"What {what}s can be ordered by.")
    return described(field, {key: ORDER_WORDS[key] for key in orderings})
