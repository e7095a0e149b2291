"""What the mutations answer: the node as it now stands, and what the write did."""

from __future__ import annotations

import strawberry

from graphapi.api.types import Actor, Event, Measure, Node, Office, Position, Source, Statement

_CREATED = "True when the node did not exist before."
_CHANGED = "False when the graph already said exactly this: nothing was written and no change announced."


@strawberry.type
class ActorPayload:
    created: bool = strawberry.field(description=_CREATED)
    changed: bool = strawberry.field(description=_CHANGED)
    actor: Actor


@strawberry.type
class OfficePayload:
    created: bool = strawberry.field(description=_CREATED)
    changed: bool = strawberry.field(description=_CHANGED)
    office: Office


@strawberry.type
class SourcePayload:
    created: bool = strawberry.field(description=_CREATED)
    changed: bool = strawberry.field(description=_CHANGED)
    source: Source


@strawberry.type
class MeasurePayload:
    created: bool = strawberry.field(description=_CREATED)
    changed: bool = strawberry.field(description=_CHANGED)
    measure: Measure


@strawberry.type
class EventPayload:
    created: bool = strawberry.field(description=_CREATED)
    changed: bool = strawberry.field(description=_CHANGED)
    event: Event


@strawberry.type
class StatementPayload:
    created: bool = strawberry.field(description=_CREATED)
    changed: bool = strawberry.field(description=_CHANGED)
    statement: Statement


@strawberry.type
class PositionPayload:
    created: bool = strawberry.field(description=_CREATED)
    changed: bool = strawberry.field(description=_CHANGED)
    position: Position


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID
    deleted: list[strawberry.ID] = strawberry.field(
        description=(
            "Every node deleted: the one asked for, then (with cascade) what could not stand without it."
        )
    )
    detached: list[Node] = strawberry.field(
        description="Nodes that referred to a deleted one and stay (with cascade)."
    )


@strawberry.type(description="An API key, as listed: never its secret.")
class ApiKey:
    id: strawberry.ID
    name: str
    scope: str
    created_at: str
    revoked_at: str | None


@strawberry.type(description="A new API key. `key` is shown this once; only its hash is kept.")
class ApiKeyCreated:
    id: strawberry.ID
    name: str
    scope: str
    key: str
