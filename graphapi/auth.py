"""API keys: `gapi_<key id>_<secret>`, given as a bearer token. Only a SHA-256 of the secret is stored
(the secret is 256 random bits, so a plain hash is enough; no password-style stretching is needed).
Scopes nest: admin includes write, write includes read."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from graphapi.errors import BadUserInput, Forbidden, NotFound, Unauthenticated
from graphapi.store.base import Store
from graphapi.store.cypher import Cypher

_KEY = re.compile(r"^gapi_(?P<id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{20,100})$")


class Scope(enum.IntEnum):
    READ = 1
    WRITE = 2
    ADMIN = 3


@dataclass(frozen=True)
class Principal:
    key_id: str
    name: str
    scope: Scope

    @property
    def label(self) -> str:
        """Who made a change, as recorded on what it changed."""
        return f"key:{self.key_id} ({self.name})"

    def require(self, needed: Scope) -> None:
        if self.scope < needed:
            raise Forbidden(
                f"the key {self.key_id} has scope {self.scope.name.lower()}; this needs {needed.name.lower()}"
            )


CREATE_KEY = Cypher(
    "auth.create_key",
    "CREATE (k:ApiKey {keyId: $keyId, hash: $hash, name: $name, scope: $scope, createdAt: $now}) "
    "RETURN k.keyId AS keyId",
)
FIND_KEY = Cypher(
    "auth.find_key",
    "MATCH (k:ApiKey {keyId: $keyId}) "
    "RETURN k.hash AS hash, k.name AS name, k.scope AS scope, k.revokedAt AS revokedAt",
)
LIST_KEYS = Cypher(
    "auth.list_keys",
    "MATCH (k:ApiKey) RETURN k.keyId AS keyId, k.name AS name, k.scope AS scope, k.createdAt AS createdAt, "
    "k.revokedAt AS revokedAt ORDER BY k.createdAt, k.keyId",
)
REVOKE_KEY = Cypher(
    "auth.revoke_key",
    "MATCH (k:ApiKey {keyId: $keyId}) SET k.revokedAt = coalesce(k.revokedAt, $now) "
    "RETURN k.revokedAt AS revokedAt",
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_key(store: Store, name: str, scope: Scope) -> str:
    """A new key; the returned text is the only time the secret is seen."""
    if not name.strip():
        raise BadUserInput("a key needs a name", argument="name")
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    params = {
        "keyId": key_id,
        "hash": _digest(secret),
        "name": name,
        "scope": scope.name.lower(),
        "now": _now(),
    }
    await store.write(CREATE_KEY, params)
    return f"gapi_{key_id}_{secret}"


async def list_keys(store: Store) -> list[dict[str, object]]:
    return await store.read(LIST_KEYS)


async def revoke_key(store: Store, key_id: str) -> str:
    rows = await store.write(REVOKE_KEY, {"keyId": key_id, "now": _now()})
    if not rows:
        raise NotFound(f"no key has the id {key_id!r}")
    return str(rows[0]["revokedAt"])


async def authenticate(store: Store, authorization: str | None) -> Principal | None:
    """The principal of an `Authorization: Bearer <key>` header; None without one."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    match = _KEY.match(token.strip()) if scheme.lower() == "bearer" else None
    if match is None:
        raise Unauthenticated("the Authorization header must be `Bearer gapi_...` with an API key")
    rows = await store.read(FIND_KEY, {"keyId": match["id"]})
    if not rows or not hmac.compare_digest(str(rows[0]["hash"]), _digest(match["secret"])):
        raise Unauthenticated("the API key is not valid")
    if rows[0]["revokedAt"]:
        raise Unauthenticated(f"the API key {match['id']} was revoked")
    return Principal(match["id"], str(rows[0]["name"]), Scope[str(rows[0]["scope"]).upper()])
