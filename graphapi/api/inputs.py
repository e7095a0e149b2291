"""Arguments of the list queries: typed filters, and orderings whose fields are enums, so nothing a client
writes reaches Cypher except as a parameter."""

from __future__ import annotations

import enum
from typing import Any, NewType

import strawberry

from graphapi.api.enums import ActorKind, order_field
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


# The fields of each list's ordering, from the sort keys the kind registry declares.
ActorOrderField = order_field("ActorOrderField", actor_orderings())
MeasureOrderField = order_field("MeasureOrderField", BY_PREFIX["measure"].orderings)
StatementOrderField = order_field("StatementOrderField", BY_PREFIX["statement"].orderings)
PositionOrderField = order_field("PositionOrderField", BY_PREFIX["position"].orderings)
EventOrderField = order_field("EventOrderField", BY_PREFIX["event"].orderings)
SourceOrderField = order_field("SourceOrderField", BY_PREFIX["source"].orderings)


@strawberry.input
class ActorOrder:
    field: ActorOrderField = ActorOrderField.ID  # type: ignore[valid-type]
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(
    description=(
        "EFFECTIVE_FROM puts measures without a start date last; RATE puts those without a rate first."
    )
)
class MeasureOrder:
    field: MeasureOrderField = MeasureOrderField.ID  # type: ignore[valid-type]
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(
    description="SAID_ON puts undated statements last; SOURCE_POSITION is the order of the source text."
)
class StatementOrder:
    field: StatementOrderField = StatementOrderField.ID  # type: ignore[valid-type]
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input
class PositionOrder:
    field: PositionOrderField = PositionOrderField.ID  # type: ignore[valid-type]
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="DATE puts undated events last.")
class EventOrder:
    field: EventOrderField = EventOrderField.ID  # type: ignore[valid-type]
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input
class SourceOrder:
    field: SourceOrderField = SourceOrderField.ID  # type: ignore[valid-type]
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input
class ActorFilter:
    kind: ActorKind | None = None
    name_contains: str | None = strawberry.field(default=None, description="Case-insensitive.")


@strawberry.input
class MeasureFilter:
    status: model.MeasureStatus | None = None
    kind: model.MeasureKind | None = None
    sector: str | None = None
    imposed_by: strawberry.ID | None = None
    target: strawberry.ID | None = None
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


@strawberry.input
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


@strawberry.input
class PositionFilter:
    stance: model.Stance | None = None
    min_confidence: float | None = None
    actor: strawberry.ID | None = None
    basis: model.Basis | None = strawberry.field(
        default=None, description="Positions read from words (STATEMENT) or from deeds (ACTION)."
    )


@strawberry.input
class EventFilter:
    kind: model.EventKind | None = None
    status: model.EventStatus | None = None
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
