"""The Query root: lookup by id, the lists (Relay connections with filters and orderings), timelines,
office holders, walks over the graph, provenance and search."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphapi.api.enums import NodeKind
from graphapi.api.mutations.payloads import ApiKey
from graphapi.api.queries import history as history_api
from graphapi.api.queries import search as search_api
from graphapi.api.queries.lists import ListQueries
from graphapi.api.queries.lookup import LookupQueries, require_node
from graphapi.api.queries.over_time import TimeQueries
from graphapi.api.queries.walk_fields import WalkQueries
from graphapi.api.reading.arguments import (
    checked_id,
    checked_words,
)
from graphapi.api.reading.pagination import Connection
from graphapi.api.types import (
    Evidence,
    Info,
    evidence_of,
)
from graphapi.auth import Scope, list_keys


@strawberry.type(
    description=(
        "What a client can read: nodes by id, lists with filters and orderings, "
        "timelines, office holders, walks over the graph, provenance and search."
    )
)
class Query(LookupQueries, ListQueries, TimeQueries, WalkQueries):
    @strawberry.field(
        description=(
            "Where a fact comes from: the source spans of a statement, of the statements behind a position, "
            "or of the evidence of any other node, each with the text around it."
        )
    )
    async def provenance(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The fact's global id: a statement, position, measure, event..."),
        ],
    ) -> list[Evidence]:
        return await evidence_of(info, await require_node(info, id, "id"))

    @strawberry.field(
        description="Full-text search over names, aliases, quotes and source text, best match first."
    )
    async def search(
        self,
        info: Info,
        text: Annotated[
            str,
            strawberry.argument(
                description=(
                    'The words to look for. Stems match ("tariffs" finds "tariff"), and a word of '
                    "four letters or more finds the words it begins."
                )
            ),
        ],
        kinds: Annotated[
            list[NodeKind] | None,
            strawberry.argument(description="Only nodes of these kinds; all when null."),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
    ) -> search_api.SearchConnection:
        return await search_api.search(info, checked_words(text, "text") or "", kinds, first, after)

    @strawberry.field(
        description="What changed in the graph, oldest first: every node a seed load or a write through "
        "the API created, changed or deleted, with each field's old and new value, when and by what; "
        "`since` a day or time (UTC), `id` one node's changes. The same changes the subscriptions announce."
    )
    async def changes(
        self,
        info: Info,
        since: Annotated[
            str | None,
            strawberry.argument(
                description="Only changes made on or after this day (YYYY-MM-DD) or time (ISO 8601, UTC)."
            ),
        ] = None,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only the changes of this node (a global id), a deleted one's included."
            ),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
    ) -> Connection[history_api.GraphChange]:
        node_id = checked_id(id, "id") if id is not None else None
        return await history_api.changes(info, since, node_id, first, after)

    @strawberry.field(description="The API keys, never their secrets (needs a key with the admin scope).")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        await info.context.require(Scope.ADMIN)
        return [
            ApiKey(
                id=strawberry.ID(str(row["keyId"])),
                name=str(row["name"]),
                scope=str(row["scope"]),
                created_at=str(row["createdAt"]),
                revoked_at=str(row["revokedAt"]) if row["revokedAt"] else None,
            )
            for row in await list_keys(info.context.store)
        ]
