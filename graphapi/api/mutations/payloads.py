"""What the mutations other than upserts answer (upserts' payloads come with them: upserts.py)."""

from __future__ import annotations

import strawberry

from graphapi.api.types import Node


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
