"""What the mutations other than upserts answer (upserts' payloads come with them: upserts.py)."""

from __future__ import annotations

import strawberry

from graphapi.api.types import Node


@strawberry.type(description="What `deleteNode` removed.")
class DeletePayload:
    deleted_id: strawberry.ID = strawberry.field(description="The id of the node deleted.")
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
    id: strawberry.ID = strawberry.field(description="The key's id, to revoke it by.")
    name: str = strawberry.field(description="The name given to the key when it was made.")
    scope: str = strawberry.field(description="What the key may do: read, write or admin.")
    created_at: str = strawberry.field(description="When the key was made (ISO 8601, UTC).")
    revoked_at: str | None = strawberry.field(description="When the key was revoked; null while it works.")


@strawberry.type(description="A new API key. `key` is shown this once; only its hash is kept.")
class ApiKeyCreated:
    id: strawberry.ID = strawberry.field(description="The new key's id, to revoke it by.")
    name: str = strawberry.field(description="The name given to the key.")
    scope: str = strawberry.field(description="What the key may do.")
    key: str = strawberry.field(
        description=(
            "The key itself, to send as `Authorization: Bearer <key>`. Shown this once: only "
            "a hash of it is kept."
        )
    )
