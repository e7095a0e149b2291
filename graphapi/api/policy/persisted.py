"""Where the documents clients persist at run time are kept (Apollo's automatic persisted queries): one
store for every process of the service, so a document sent once to any worker is known by its hash to
all of them.

- Shared: on the Redis server the change bus uses (the embedded FalkorDB's, or GRAPHAPI_BUS_URL), under
  keys of the graph's name. Bounded in bytes (each entry counting its hash and keeping too); the oldest
  go first. Each insertion is one Lua script, so the bound holds whatever several processes do at once;
  a lookup is one read.
- Local: a process's own bounded map (the least recently used out), when there is no Redis server
  (Neo4j without GRAPHAPI_BUS_URL) and for an app run without its lifespan (in-process test clients).

The store only saves a client a round-trip: when the server cannot be reached, a lookup finds nothing
(the client then sends the text, which runs) and a failed insertion is logged.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from graphapi.api.live.shared_bus import bus_url
from graphapi.config import Settings
from graphapi.store.base import Store

log = logging.getLogger(__name__)

# What clients persisted is bounded (a document is at most a request body): 4 MB of them by default.
PERSISTED_BYTES = 4_000_000
# What an entry costs besides its text (its hash and the structures' own), counted so that many tiny
# documents cannot grow the store past its bound either.
ENTRY_OVERHEAD = 256
KEY_PREFIX = "graphapi:persisted:"


def weight(text: str) -> int:
    return len(text.encode("utf-8")) + ENTRY_OVERHEAD


class PersistedDocuments(Protocol):
    async def get(self, digest: str) -> str | None:
        """The text persisted under `digest` (the hex SHA-256 of that text), or None."""

    async def put(self, digest: str, text: str) -> None:
        """Keep `text` under `digest`, which the caller checked is its SHA-256."""


class LocalPersisted:
    """This process's persisted documents, the least recently used out past `limit` bytes."""

    def __init__(self, limit: int = PERSISTED_BYTES) -> None:
        self.limit = limit
        self.texts: OrderedDict[str, str] = OrderedDict()
        self.size = 0

    async def get(self, digest: str) -> str | None:
        found = self.texts.get(digest)
        if found is not None:
            self.texts.move_to_end(digest)
        return found

    async def put(self, digest: str, text: str) -> None:
        if digest in self.texts:
            self.texts.move_to_end(digest)
            return
        self.texts[digest] = text
        self.size += weight(text)
        while self.size > self.limit:
            self.size -= weight(self.texts.popitem(last=False)[1])


# KEYS: the texts (hash), their order of arrival (sorted set), the bytes kept (string), the arrival
# clock (string). ARGV: digest, text, limit, overhead. Lua's `#` is a string's length in bytes, as
# `weight` counts. A document already kept writes nothing.
_PUT = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return -1
end
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ARGV[1])
local size = redis.call('INCRBY', KEYS[3], #ARGV[2] + tonumber(ARGV[4]))
while size > tonumber(ARGV[3]) do
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  if #oldest == 0 then break end
  local text = redis.call('HGET', KEYS[1], oldest[1])
  redis.call('HDEL', KEYS[1], oldest[1])
  if text then size = redis.call('DECRBY', KEYS[3], #text + tonumber(ARGV[4])) end
end
return size
"""


class SharedPersisted:
    """The persisted documents of every process, on a Redis server. A lookup only reads (the server
    writes its append-only file, with an fsync, for every write: a request by hash must not cost one),
    so the documents go in their order of arrival, the oldest first, and a client whose document went
    sends its text once more."""

    def __init__(self, client: aioredis.Redis, namespace: str, limit: int = PERSISTED_BYTES) -> None:
        self.client = client
        self.limit = limit
        base = KEY_PREFIX + namespace
        self.keys = [f"{base}:texts", f"{base}:used", f"{base}:bytes", f"{base}:clock"]
        self._put = client.register_script(_PUT)

    async def get(self, digest: str) -> str | None:
        try:
            found: Any = await self.client.hget(self.keys[0], digest)
        except (RedisError, OSError) as exc:
            log.warning("persisted documents are unreachable", extra={"reason": str(exc)})
            return None
        if isinstance(found, bytes):
            return found.decode("utf-8")
        return found if isinstance(found, str) else None

    async def put(self, digest: str, text: str) -> None:
        try:
            await self._put(keys=self.keys, args=[digest, text, self.limit, ENTRY_OVERHEAD])
        except (RedisError, OSError) as exc:
            log.warning("a persisted document was not kept", extra={"reason": str(exc)})

    async def size(self) -> int:
        """The bytes kept, as the bound counts them."""
        return int(await self.client.get(self.keys[2]) or 0)


@contextlib.asynccontextmanager
async def open_persisted(settings: Settings, store: Store) -> AsyncIterator[PersistedDocuments]:
    """The persisted documents of an app process for its lifetime: shared when a Redis server is at
    hand (where the change bus is), else the process's own."""
    url = bus_url(settings, store)
    if url is None:
        yield LocalPersisted()
        return
    owner = getattr(store, "client_name", None) or "graphapi"
    client = aioredis.Redis.from_url(
        url,
        client_name=f"{owner}-persisted",
        socket_connect_timeout=settings.connect_timeout_s,
        socket_timeout=settings.connect_timeout_s,
    )
    namespace = getattr(store, "graph_name", None) or settings.neo4j_database
    try:
        yield SharedPersisted(client, namespace)
    finally:
        await client.aclose()
