"""The `changes` query: what changed in the graph, in the order it changed, page by page (the history
kept by graphapi/graph/history.py), so a client can catch up after being offline."""

from __future__ import annotations

import datetime as dt

import strawberry

from graphapi.api.reading.cursors import CursorScope
from graphapi.api.reading.pagination import Connection, connection, page_limit
from graphapi.api.types import Info, Node
from graphapi.api.types.common import one
from graphapi.errors import BadUserInput
from graphapi.graph import history
from graphapi.graph.changes import ChangeKind


@strawberry.type(description="One field of a node as a change left it.")
class FieldChange:
    name: str = strawberry.field(
        description="The stored property (`status`, `effectiveFromStart`...), or a relationship the change "
        "made or removed (`TARGETS country:CA`, `HOLDS office:us-president`)."
    )
    old: str | None = strawberry.field(description="Its value before, as JSON; null where it had none.")
    new: str | None = strawberry.field(description="Its value after, as JSON; null where it has none.")


@strawberry.type(description="A change to a node: what changed, when, and by what.")
class GraphChange:
    at: str = strawberry.field(description="When it was made (UTC, ISO 8601, to the microsecond).")
    by: str = strawberry.field(
        description="What made it: `seed load of FILE, ...`, or the API key (`key:<id> (<name>)`)."
    )
    kind: ChangeKind = strawberry.field(description="Whether the node was created, changed or deleted.")
    node_id: strawberry.ID = strawberry.field(description="The node's id (it may since have been deleted).")
    label: str = strawberry.field(description="The node's kind: Measure, Position, Person...")
    fields: list[FieldChange] = strawberry.field(description="The fields it changed, with both values.")

    @strawberry.field(description="The node as it is now; null once deleted.")
    async def node(self, info: Info) -> Node | None:
        return await one(info, str(self.node_id), "Node")  # type: ignore[no-any-return]


async def changes(
    info: Info, since: str | None, node_id: str | None, first: int | None, after: str | None
) -> Connection[GraphChange]:
    size = page_limit(first)
    since_key = _since(since)
    params: dict[str, object] = {"since": since_key, "node": node_id}
    scope = CursorScope.of("changes", "AT:ASC", params)
    position = scope.decode(after, (str, str))
    at, change_id = position if position else (None, None)
    rows = await info.context.store.read(
        history.PAGE, {**params, "afterAt": at, "afterId": change_id, "limit": size + 1}
    )
    recorded = [history.Recorded.from_row(row) for row in rows]

    async def count() -> int:
        return int((await info.context.store.read(history.COUNT, params))[0]["total"])

    return connection(
        [([r.at, r.id], _graph_change(r)) for r in recorded], size, scope=scope, after=after, count=count
    )


def _since(since: str | None) -> str | None:
    """A day or an ISO 8601 time, as the key changes are stored under (UTC)."""
    if since is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(since)
    except ValueError:
        raise BadUserInput(
            f"`since` is {since[:40]!r}: a day (2025-03-20) or a time (2025-03-20T08:00:00Z)",
            argument="since",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _graph_change(recorded: history.Recorded) -> GraphChange:
    return GraphChange(
        at=recorded.at,
        by=recorded.by,
        kind=recorded.kind,
        node_id=strawberry.ID(recorded.node),
        label=recorded.label,
        fields=[FieldChange(name=f.name, old=f.old, new=f.new) for f in recorded.fields],
    )
