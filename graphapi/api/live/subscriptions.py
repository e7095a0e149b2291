"""The Subscription root: changes to positions and statements as they are made, filtered."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, cast

import strawberry

from graphapi.api.reading.arguments import checked_id
from graphapi.api.types import Info, Position, Statement, build_as
from graphapi.graph.changes import Change, ChangeKind


@strawberry.type(description="A position created, changed or deleted.")
class PositionChange:
    kind: ChangeKind = strawberry.field(description="Whether the position was created, updated or deleted.")
    id: strawberry.ID = strawberry.field(description="The position's global id (a deleted one's too).")
    position: Position | None = strawberry.field(description="Null when it was deleted.")


@strawberry.type(description="A statement created, changed or deleted.")
class StatementChange:
    kind: ChangeKind = strawberry.field(description="Whether the statement was created, updated or deleted.")
    id: strawberry.ID = strawberry.field(description="The statement's global id (a deleted one's too).")
    statement: Statement | None = strawberry.field(description="Null when it was deleted.")


async def _current(info: Info, change: Change) -> object | None:
    if change.kind is ChangeKind.DELETED:
        return None
    info.context.loaders.forget(change.node_id)
    return await info.context.loaders.node.load(change.node_id)


@strawberry.type(
    description=(
        "Live updates, over WebSocket (graphql-transport-ws) or Server-Sent Events: each "
        "creation, change and deletion that matches the filter, as it happens."
    )
)
class Subscription:
    @strawberry.subscription(
        description="Positions as they change; optionally only on one measure or event, of one actor."
    )
    async def position_changes(
        self,
        info: Info,
        on: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only changes to positions on this measure or event (a global id)."
            ),
        ] = None,
        actor: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only changes to positions held by this actor (a global id)."),
        ] = None,
    ) -> AsyncGenerator[PositionChange, None]:
        wanted = frozenset(checked_id(v, name) for v, name in ((on, "on"), (actor, "actor")) if v is not None)
        with info.context.capacity.subscription():
            async for change in info.context.bus.listen("Position", wanted):
                record = await _current(info, change)
                position = cast(Position | None, build_as(record, "Position"))  # type: ignore[arg-type]
                yield PositionChange(kind=change.kind, id=strawberry.ID(change.node_id), position=position)

    @strawberry.subscription(
        description="Statements as they change; optionally only by one speaker, about one node."
    )
    async def statement_changes(
        self,
        info: Info,
        by: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only changes to statements by this actor (a global id)."),
        ] = None,
        about: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only changes to statements about this node (a global id)."),
        ] = None,
    ) -> AsyncGenerator[StatementChange, None]:
        wanted = frozenset(checked_id(v, name) for v, name in ((by, "by"), (about, "about")) if v is not None)
        with info.context.capacity.subscription():
            async for change in info.context.bus.listen("Statement", wanted):
                record = await _current(info, change)
                statement = cast(Statement | None, build_as(record, "Statement"))  # type: ignore[arg-type]
                yield StatementChange(kind=change.kind, id=strawberry.ID(change.node_id), statement=statement)
