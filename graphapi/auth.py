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
from graphapi.graph import keys
from graphapi.graph.text import check_line
from graphapi.store.base import Store

_KEY = re.compile(r"gapi_(?P<id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{20,100})")
_KEY_ID = re.compile(r"[0-9a-f]{12}")


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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_key(store: Store, name: str, scope: Scope) -> str:
    """A new key; the returned text is the only time the secret is seen."""
    try:
        check_line(name, 200)
    except ValueError as exc:
        raise BadUserInput(f"`name` {exc}", argument="name") from None
    if not name.strip():
        raise BadUserInput("a key needs a name", argument="name")
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    await keys.store_key(store, key_id, _digest(secret), name, scope.name.lower(), _now())
    return f"gapi_{key_id}_{secret}"


async def list_keys(store: Store) -> list[dict[str, object]]:
    return await keys.all_keys(store)


async def revoke_key(store: Store, key_id: str) -> str:
    if not _KEY_ID.fullmatch(key_id):
        raise BadUserInput(
            f"`id` must be a key id of 12 hexadecimal digits; got {key_id[:40]!r}", argument="id"
        )
    revoked = await keys.mark_revoked(store, key_id, _now())
    if revoked is None:
        raise NotFound(f"no key has the id {key_id!r}")
    return revoked


async def authenticate(store: Store, authorization: str | None) -> Principal | None:
    """The principal of an `Authorization: Bearer <key>` header; None without one."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    match = _KEY.fullmatch(token.strip()) if scheme.lower() == "bearer" else None
    if match is None:
        raise Unauthenticated("the Authorization header must be `Bearer gapi_...` with an API key")
    found = await keys.find_key(store, match["id"])
    if found is None or not hmac.compare_digest(str(found["hash"]), _digest(match["secret"])):
        raise Unauthenticated("the API key is not valid")
    if found["revokedAt"]:
        raise Unauthenticated(f"the API key {match['id']} was revoked")
    return Principal(match["id"], str(found["name"]), Scope[str(found["scope"]).upper()])
