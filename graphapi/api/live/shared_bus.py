"""Changes carried between processes over Redis PUBLISH/SUBSCRIBE, so a subscriber hears every change
whichever `serve` worker made it.

The embedded FalkorDB is a Redis server and is the bus by default (one channel per graph name); with
Neo4j the bus is the Redis server at GRAPHAPI_BUS_URL. Each process holds one subscription to the
channel and hands what it reads to its own subscribers. A process's own changes come back to it through
the channel too, never by a shortcut: so each change reaches each subscriber once, in the order the
server received it (sequential writes to a node arrive in order, whichever process made them)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from graphapi.api.live.bus import BadChange, ChangeBus, change_from_json, change_to_json
from graphapi.config import Settings
from graphapi.graph.changes import Change
from graphapi.store.base import Store

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "graphapi:changes:"
# Waiting before subscribing again after the server went away: doubling from the first to the last.
RETRY_FIRST_S = 0.1
RETRY_LAST_S = 2.0


class SharedChangeBus(ChangeBus):
    def __init__(self, url: str, channel: str, client_name: str, *, timeout_s: float = 5.0) -> None:
        super().__init__()
        self.channel = channel
        # Named connections: the embedded server counts named clients before it lets itself be stopped.
        options: dict[str, Any] = {
            "client_name": client_name,
            "socket_connect_timeout": timeout_s,
            "socket_timeout": timeout_s,
        }
        # A few connections, waited for when all are busy (a burst of writes must not fail to announce).
        publishers = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=8, timeout=timeout_s, **options
        )
        self._publisher = aioredis.Redis(connection_pool=publishers)
        # No socket timeout on the subscription: it waits for messages as long as there are none.
        self._subscriber = aioredis.Redis.from_url(
            url, health_check_interval=30, **{**options, "socket_timeout": None}
        )
        self._timeout_s = timeout_s
        self._subscribed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def publish(self, change: Change) -> None:
        """Send a change to every process's subscribers. The write it reports has landed, so a bus that
        cannot be reached is logged, not raised: the client's write succeeded."""
        try:
            await self._publisher.publish(self.channel, change_to_json(change))
        except (RedisError, OSError) as exc:
            log.warning(
                "a change was not announced: the bus is unreachable",
                extra={"node_id": change.node_id, "change": change.kind.value, "reason": str(exc)},
            )

    @property
    def subscribed(self) -> bool:
        return self._subscribed.is_set()

    async def start(self) -> None:
        """Subscribe, waiting (up to the timeout) until the server confirms, so a change made once the
        app is up is not missed; past the timeout the bus keeps trying in the background."""
        self._reader = asyncio.create_task(self._read(), name=f"bus {self.channel}")
        try:
            await asyncio.wait_for(self._subscribed.wait(), self._timeout_s)
        except TimeoutError:
            log.error("the change bus is not subscribed yet; retrying in the background")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        # The publishers' pool was made here and handed to the client, which then leaves it open unless told.
        await self._publisher.aclose(close_connection_pool=True)
        await self._subscriber.aclose()

    async def _read(self) -> None:
        """Subscribe and deliver, for as long as the app runs; when the server goes away (a restart, a
        crash), subscribe again once it is back. Changes made while no subscription stands are lost."""
        wait = RETRY_FIRST_S
        lost = False
        while True:
            pubsub = self._subscriber.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                while (confirmation := await pubsub.get_message(timeout=self._timeout_s)) is None:
                    pass
                if confirmation["type"] != "subscribe":
                    raise RedisError(f"unexpected reply to SUBSCRIBE: {confirmation['type']}")
                self._subscribed.set()
                if lost:
                    log.warning("the change bus is subscribed again", extra={"channel": self.channel})
                wait = RETRY_FIRST_S
                async for message in pubsub.listen():
                    if message["type"] == "message":
                        self._receive(message["data"])
                raise RedisError("the subscription ended")
            except Exception as exc:  # a server gone, or anything unforeseen: the bus must not stop
                self._subscribed.clear()
                if not isinstance(exc, RedisError | OSError):
                    log.exception("the change bus failed; subscribing again", extra={"channel": self.channel})
                elif not lost or wait >= RETRY_LAST_S:
                    log.warning(
                        "the change bus lost its subscription; subscribing again",
                        extra={"channel": self.channel, "reason": str(exc)},
                    )
                lost = True
                await asyncio.sleep(wait)
                wait = min(wait * 2, RETRY_LAST_S)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()

    def _receive(self, data: bytes | str) -> None:
        try:
            change = change_from_json(data)
        except BadChange as exc:
            log.warning("ignored a message on the change bus", extra={"reason": str(exc)})
            return
        self.deliver(change)


def bus_url(settings: Settings, store: Store) -> str | None:
    """Where changes go between processes: GRAPHAPI_BUS_URL, else the embedded FalkorDB's own server;
    None with Neo4j and no GRAPHAPI_BUS_URL."""
    if settings.bus_url:
        return settings.bus_url
    address = getattr(store, "address", None)  # the FalkorDB server's (FalkorDBStore)
    if address is None:
        return None
    return str(address.redis_url())


@contextlib.asynccontextmanager
async def open_bus(settings: Settings, store: Store) -> AsyncIterator[ChangeBus]:
    """The bus of an app process for its lifetime: shared when a Redis server is at hand."""
    url = bus_url(settings, store)
    if url is None:
        log.warning(
            "no shared change bus (Neo4j and no GRAPHAPI_BUS_URL): subscribers hear only the changes "
            "made through their own process"
        )
        yield ChangeBus()
        return
    # One channel per graph: the FalkorDB graph name (the store's: tests give apps graphs of their own),
    # or the Neo4j database.
    channel = CHANNEL_PREFIX + (getattr(store, "graph_name", None) or settings.neo4j_database)
    # Named after the store's connections where it has them, so they count as this process's clients.
    owner = getattr(store, "client_name", None) or f"graphapi-{os.getpid()}"
    bus = SharedChangeBus(url, channel, f"{owner}-bus", timeout_s=settings.connect_timeout_s)
    await bus.start()
    try:
        yield bus
    finally:
        await bus.close()
