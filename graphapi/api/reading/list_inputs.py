"""Arguments of the list queries: typed filters, and orderings whose fields are enums, so nothing a client
writes reaches Cypher except as a parameter."""

from __future__ import annotations

import enum
from typing import Any, NewType

import strawberry

from graphapi.api.enums import ActorKind, described, order_field
from graphapi.graph import model
from graphapi.graph.dates import parse_period
from graphapi.graph.kinds import BY_PREFIX, actor_orderings

# A calendar day given by a client, as YYYY-MM-DD.
Day = NewType("Day", str)


def _parse_day(value: Any) -> Day:
    """A calendar day in ASCII digits, YYYY-MM-DD, from year 0001 to 9999."""
    if not isinstance(value, str):
        raise ValueError("a Day is a string YYYY-MM-DD")
    try:
        iso, precision = parse_period(value)
    except ValueError:
        iso, precision = "", None
    if precision is not model.DatePrecision.DAY:
        raise ValueError(f"{value[:40]!r} is not a calendar day of the form YYYY-MM-DD")
    return Day(iso)


DAY_SCALAR = strawberry.scalar(
    name="Day",
    description="A calendar day, ISO 8601: YYYY-MM-DD.",
    serialize=str,
    parse_value=_parse_day,
)


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


described(
    OrderDirection,
    {
        "ASC": "Smallest first (A to Z, earliest first).",
        "DESC": "Largest first (Z to A, latest first).",
    },
)


# The fields of each list's ordering, from the sort keys the kind registry declares.
ActorOrderField = order_field("ActorOrderField", actor_orderings())
MeasureOrderField = order_field("MeasureOrderField", BY_PREFIX["measure"].orderings)
StatementOrderField = order_field("StatementOrderField", BY_PREFIX["statement"].orderings)
PositionOrderField = order_field("PositionOrderField", BY_PREFIX["position"].orderings)
EventOrderField = order_field("EventOrderField", BY_PREFIX["event"].orderings)
SourceOrderField = order_field("SourceOrderField", BY_PREFIX["source"].orderings)


@strawberry.input(description="How to order actors.")
class ActorOrder:
    field: ActorOrderField = strawberry.field(default=ActorOrderField.ID, description="What to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending (the default) or descending."
    )


@strawberry.input(
    description=(
        "EFFECTIVE_FROM puts measures without a start date last; RATE puts those without a rate first."
    )
)
class MeasureOrder:
    field: MeasureOrderField = strawberry.field(default=MeasureOrderField.ID, description="What to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending (the default) or descending."
    )


@strawberry.input(
    description="SAID_ON puts undated statements last; SOURCE_POSITION is the order of the source text."
)
class StatementOrder:
    field: StatementOrderField = strawberry.field(  # type: ignore[valid-type]
        default=StatementOrderField.ID, description="What to order by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending (the default) or descending."
    )


@strawberry.input(description="How to order positions.")
class PositionOrder:
    field: PositionOrderField = strawberry.field(  # type: ignore[valid-type]
        default=PositionOrderField.ID, description="What to order by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending (the default) or descending."
    )


@strawberry.input(description="DATE puts undated events last.")
class EventOrder:
    field: EventOrderField = strawberry.field(default=EventOrderField.ID, description="What to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending (the default) or descending."
    )


@strawberry.input(description="How to order sources.")
class SourceOrder:
    field: SourceOrderField = strawberry.field(default=SourceOrderField.ID, description="What to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending (the default) or descending."
    )


@strawberry.input(description="Which actors to list; fields left null do not filter.")
class ActorFilter:
    kind: ActorKind | None = strawberry.field(default=None, description="Only actors of this kind.")
    name_contains: str | None = strawberry.field(default=None, description="Case-insensitive.")


@strawberry.input(
    description=(
        "Which measures to list; fields left null do not filter, and the fields given must all hold."
    )
)
class MeasureFilter:
    status: model.MeasureStatus | None = strawberry.field(
        default=None, description="Only measures with this status."
    )
    kind: model.MeasureKind | None = strawberry.field(default=None, description="Only measures of this kind.")
    sector: str | None = strawberry.field(
        default=None,
        description="Only measures covering this sector (the source's words, such as `automobiles`).",
    )
    imposed_by: strawberry.ID | None = strawberry.field(
        default=None, description="Only measures imposed by this actor (a global id)."
    )
    target: strawberry.ID | None = strawberry.field(
        default=None, description="Only measures aimed at this actor (a global id)."
    )
    in_force_on: Day | None = strawberry.field(
        default=None,
        description=(
            "Measures known to be in force on this day: reported in force, sure to have started by it (a "
            "start known only to the month counts from the month's last day, one bounded as 'already' from "
            "the source's date) and not ended before it. A start the sources do not give is unknown, and a "
            "planned start is a plan: such measures are only possibly in force (see `certainty`)."
        ),
    )
    certainty: model.Certainty = strawberry.field(
        default=model.Certainty.KNOWN,
        description=(
            "With `inForceOn`, the least certainty a measure needs: KNOWN (the default), or POSSIBLE to add "
            "the measures that may be in force that day. `Measure.inForce(on:)` says which, and why."
        ),
    )


@strawberry.input(
    description=(
        "Which statements to list; fields left null do not filter, and the fields given must all hold."
    )
)
class StatementFilter:
    direct: bool | None = strawberry.field(
        default=None, description="Only the speakers' own words, or only reports."
    )
    said_from: Day | None = strawberry.field(
        default=None, description="Said on or after this day (dated statements only)."
    )
    said_to: Day | None = strawberry.field(
        default=None, description="Said on or before this day (dated statements only)."
    )


@strawberry.input(
    description=(
        "Which positions to list; fields left null do not filter, and the fields given must all hold."
    )
)
class PositionFilter:
    stance: model.Stance | None = strawberry.field(default=None, description="Only positions of this stance.")
    min_confidence: float | None = strawberry.field(
        default=None, description="Only positions read with at least this confidence (0 to 1)."
    )
    actor: strawberry.ID | None = strawberry.field(
        default=None, description="Only positions held by this actor (a global id)."
    )
    basis: model.Basis | None = strawberry.field(
        default=None, description="Positions read from words (STATEMENT) or from deeds (ACTION)."
    )


@strawberry.input(
    description=("Which events to list; fields left null do not filter, and the fields given must all hold.")
)
class EventFilter:
    kind: model.EventKind | None = strawberry.field(default=None, description="Only events of this kind.")
    status: model.EventStatus | None = strawberry.field(
        default=None, description="Only events with this status."
    )
    participant: strawberry.ID | None = strawberry.field(default=None, description="An actor taking part.")
    start: Day | None = strawberry.field(
        default=None, name="from", description="Events on or after this day (an undated event is left out)."
    )
    end: Day | None = strawberry.field(
        default=None, name="to", description="Events on or before this day (an undated event is left out)."
    )
    certainty: model.Certainty = strawberry.field(
        default=model.Certainty.KNOWN,
        description=(
            "With `from` or `to`, the least certainty an event's date needs: KNOWN (the default: every day "
            "it can be is in the range), or POSSIBLE to add the events whose date may be."
        ),
    )


def sort_of(order: Any) -> tuple[str, bool]:
    """(field name, descending) of any of the order inputs."""
    return order.field.value, order.direction is OrderDirection.DESC
