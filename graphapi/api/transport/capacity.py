"""How many long-lived things the process holds open at once: WebSockets, Server-Sent Events streams and
subscriptions (over either). Each has a limit (graphapi/config.py, `GRAPHAPI_MAX_*`); past it the new one
is refused with the code TOO_MANY_REQUESTS (a WebSocket closes with 4429, a stream is answered 429, a
subscription gets an error), and what is open keeps working. Per process: with `serve --workers N`,
N times as many in all."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

from graphapi import heap
from graphapi.config import Limits
from graphapi.errors import LimitReached

# Memory is given back once connections have stopped closing for a second (a burst shares one trim),
# and at the latest 5 s after the first of them closed.
TRIM_QUIET_S = 1.0
TRIM_WITHIN_S = 5.0

# The close code of a WebSocket refused for capacity (graphql-transport-ws uses 4429 for "too many").
CLOSE_TOO_MANY = 4429


@dataclass
class Capacity:
    limits: Limits
    websockets: int = 0
    streams: int = 0
    subscriptions: int = 0
    _trim: asyncio.TimerHandle | None = None
    _first_close: float = 0.0

    def _closed(self) -> None:
        """Connections that close leave their memory free but with the process: once no more have closed
        for TRIM_QUIET_S (at most TRIM_WITHIN_S after the first of a burst), it is given back to the
        system, on a thread (graphapi/heap.py)."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._trim is not None:
            if now - self._first_close >= TRIM_WITHIN_S:
                return  # a trim is due soon anyway
            self._trim.cancel()
        else:
            self._first_close = now

        def trim() -> None:
            self._trim = None
            loop.run_in_executor(None, heap.trim)

        self._trim = loop.call_later(TRIM_QUIET_S, trim)

    def full(self, what: str) -> str | None:
        """Why a new one of `what` (websocket, stream, subscription) cannot be opened now, or None."""
        held, limit, name = {
            "websocket": (self.websockets, self.limits.max_websockets, "open WebSockets"),
            "stream": (self.streams, self.limits.max_sse_streams, "open event streams"),
            "subscription": (self.subscriptions, self.limits.max_subscriptions, "subscriptions"),
        }[what]
        if held >= limit:
            return f"the service holds as many {name} as it allows ({limit}); try again later"
        return None

    @contextlib.contextmanager
    def websocket(self) -> Iterator[None]:
        self.websockets += 1
        try:
            yield
        finally:
            self.websockets -= 1
            self._closed()

    @contextlib.asynccontextmanager
    async def stream(self) -> AsyncIterator[None]:
        self.streams += 1
        try:
            yield
        finally:
            self.streams -= 1
            self._closed()

    @contextlib.contextmanager
    def subscription(self) -> Iterator[None]:
        """Holds a place for one subscription while it runs; LimitReached when there is none."""
        reason = self.full("subscription")
        if reason:
            raise LimitReached(reason)
        self.subscriptions += 1
        try:
            yield
        finally:
            self.subscriptions -= 1


def per_connection_refusal(limit: int) -> str:
    return f"this connection runs as many operations as one may ({limit}); complete one first"
