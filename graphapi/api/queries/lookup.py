"""The Query root's lookups by id (`node`, `nodes`), and the checks of an id a client names."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphapi.api.reading.arguments import (
    MAX_IDS,
    checked_id,
)
from graphapi.api.types import (
    Info,
    Node,
    build,
)
from graphapi.errors import BadUserInput, NotFound
from graphapi.graph import reads
from graphapi.graph.nodes import NodeRecord


async def parts_of(info: Info, wholes: list[str]) -> list[str]:
    """The measures that are part of these (one level: a part of a part is named by its own whole)."""
    rows = await info.context.store.read(reads.PARTS_OF, {"ids": wholes})
    return [str(row["id"]) for row in rows]


async def require_node(info: Info, node_id: str, argument: str, kinds: tuple[str, ...] = ()) -> NodeRecord:
    """The record of an id a client named: well-formed, of the right kind, and existing."""
    record = await info.context.loaders.node.load(checked_id(node_id, argument, kinds=kinds))
    if record is None:
        raise NotFound(f"`{argument}`: no node has the id {node_id!r}")
    return record


@strawberry.type
class LookupQueries:
    @strawberry.field(
        description="Any node by its global id; null, with a NOT_FOUND error, when there is none."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="A global id, such as `person:mark-carney`.")
        ],
    ) -> Node | None:
        return build(await require_node(info, id, "id"))

    @strawberry.field(
        description=f"Nodes by global id, in the order asked; null where none exists. At most {MAX_IDS}."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids, at most 100.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_IDS:
            raise BadUserInput(f"`ids` has {len(ids)} ids; at most {MAX_IDS}", argument="ids")
        records = await info.context.loaders.node.load_many([checked_id(i, "ids") for i in ids])
        return [build(r) if r else None for r in records]
