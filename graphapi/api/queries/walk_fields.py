"""The Query root's walks over the graph: neighbourhoods, paths, retaliation chains (see walks.py)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from graphapi.api.queries import walks
from graphapi.api.queries.lookup import require_node
from graphapi.api.reading.walking import walked_types
from graphapi.api.types import (
    Info,
)
from graphapi.graph import model


@strawberry.type
class WalkQueries:
    @strawberry.field(
        description=(
            "A node and what is one or two relationships away, as nodes and typed edges. Links to sources "
            "(QUOTED_IN, EVIDENCE_IN) are left out unless `includeProvenance` or `types` asks for them."
        )
    )
    async def neighbourhood(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The node at the centre (a global id).")
        ],
        depth: Annotated[
            int, strawberry.argument(description="How many relationships away to go: 1 (the default) or 2.")
        ] = 1,
        types: Annotated[
            list[model.Rel] | None,
            strawberry.argument(
                description="Only relationships of these types; all but the links to sources when null."
            ),
        ] = None,
        limit: Annotated[
            int,
            strawberry.argument(
                description=(
                    "At most this many relationships per level (default 100); `truncated` says when "
                    "there were more."
                )
            ),
        ] = 100,
        include_provenance: Annotated[
            bool,
            strawberry.argument(
                description="Also the relationships to the sources the facts are quoted from."
            ),
        ] = False,
    ) -> walks.Subgraph:
        await require_node(info, id, "id")
        return await walks.neighbourhood(info, id, depth, walked_types(types, include_provenance), limit)

    @strawberry.field(
        description=(
            "The shortest connection between two nodes, following relationships either way; null when "
            "none is within `maxDepth`. Links to sources (QUOTED_IN, EVIDENCE_IN) are left out unless "
            "`includeProvenance` or `types` asks for them: two facts quoted from one article are not "
            "connected by it."
        )
    )
    async def path(
        self,
        info: Info,
        start: Annotated[
            strawberry.ID,
            strawberry.argument(name="from", description="Where the path starts (a global id)."),
        ],
        goal: Annotated[
            strawberry.ID, strawberry.argument(name="to", description="Where the path ends (a global id).")
        ],
        max_depth: Annotated[
            int, strawberry.argument(description="The most relationships the path may have (default 6).")
        ] = 6,
        types: Annotated[
            list[model.Rel] | None,
            strawberry.argument(
                description="Only relationships of these types; all but the links to sources when null."
            ),
        ] = None,
        include_provenance: Annotated[
            bool, strawberry.argument(description="Also go through the relationships to sources.")
        ] = False,
    ) -> walks.Subgraph | None:
        # both ends in one batched lookup
        await asyncio.gather(require_node(info, start, "from"), require_node(info, goal, "to"))
        walked = walked_types(types, include_provenance)
        return await walks.shortest_path(info, start, goal, max_depth, walked)

    @strawberry.field(
        description=(
            "What a measure retaliates against and what retaliates against it, to any depth up to `maxDepth`."
        )
    )
    async def retaliation_chain(
        self,
        info: Info,
        measure: Annotated[
            strawberry.ID, strawberry.argument(description="The measure to start from (a global id).")
        ],
        direction: Annotated[
            walks.RetaliationDirection,
            strawberry.argument(
                description=(
                    "AGAINST: what the measure answers, and so on back; BY: what answers it, and so "
                    "on forward; BOTH (the default)."
                )
            ),
        ] = walks.RetaliationDirection.BOTH,
        max_depth: Annotated[
            int, strawberry.argument(description="How many steps to follow at most (default 10).")
        ] = 10,
    ) -> walks.Subgraph:
        await require_node(info, measure, "measure", ("measure",))
        return await walks.retaliation_chain(info, measure, direction, max_depth)

    @strawberry.field(
        description="Who retaliated against what: every RETALIATES_AGAINST relationship, up to `limit`."
    )
    async def retaliations(
        self,
        info: Info,
        limit: Annotated[
            int,
            strawberry.argument(
                description=(
                    "At most this many relationships (default 100); `truncated` says when there were more."
                )
            ),
        ] = 100,
    ) -> walks.Subgraph:
        return await walks.retaliations(info, limit)
