"""Where API keys are kept: nodes labelled ApiKey beside the graph (without the label Node, so no query of
the API reaches them). Only a hash of each key's secret is stored (graphapi/auth.py)."""

from __future__ import annotations

from typing import Any

from graphapi.store.base import Store
from graphapi.store.cypher import Cypher

CREATE_KEY = Cypher(
    "keys.create",
    "CREATE (k:ApiKey {keyId: $keyId, hash: $hash, name: $name, scope: $scope, createdAt: $now}) "
    "RETURN k.keyId AS keyId",
)
FIND_KEY = Cypher(
    "keys.find",
    "MATCH (k:ApiKey {keyId: $keyId}) "
    "RETURN k.hash AS hash, k.name AS name, k.scope AS scope, k.revokedAt AS revokedAt",
)
LIST_KEYS = Cypher(
    "keys.list",
    "MATCH (k:ApiKey) RETURN k.keyId AS keyId, k.name AS name, k.scope AS scope, k.createdAt AS createdAt, "
    "k.revokedAt AS revokedAt ORDER BY k.createdAt, k.keyId",
)
REVOKE_KEY = Cypher(
    "keys.revoke",
    "MATCH (k:ApiKey {keyId: $keyId}) SET k.revokedAt = coalesce(k.revokedAt, $now) "
    "RETURN k.revokedAt AS revokedAt",
)


async def store_key(store: Store, key_id: str, digest: str, name: str, scope: str, now: str) -> None:
    params = {"keyId": key_id, "hash": digest, "name": name, "scope": scope, "now": now}
    await store.write(CREATE_KEY, params)


async def find_key(store: Store, key_id: str) -> dict[str, Any] | None:
    rows = await store.read(FIND_KEY, {"keyId": key_id})
    return rows[0] if rows else None


async def all_keys(store: Store) -> list[dict[str, Any]]:
    return await store.read(LIST_KEYS)


async def mark_revoked(store: Store, key_id: str, now: str) -> str | None:
    """When the key was revoked (now, or earlier); None when there is no such key."""
    rows = await store.write(REVOKE_KEY, {"keyId": key_id, "now": now})
    return str(rows[0]["revokedAt"]) if rows else None
