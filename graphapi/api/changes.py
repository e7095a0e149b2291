"""Live updates: mutations announce what they changed; subscriptions over WebSocket
(graphql-transport-ws) receive the changes their filter selects.

The bus belongs to one app process. A deployment of several processes delivers each change to the
subscribers of the process that made it (noted in README.md)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from graphapi.graph.changes import Change

QUEUE_SIZE = 100


@dataclass(eq=False)
class _Subscriber:
    label: str
    wanted: frozenset[str]
    queue: asyncio.Queue[Change] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def matches(self, change: Change) -> bool:
        return change.label == self.label and self.wanted <= change.related


class ChangeBus:
    def __init__(self) -> None:
        self._subscribers: set[_Subscriber] = set()

    async def publish(self, change: Change) -> None:
        for subscriber in list(self._subscribers):
            if subscriber.matches(change):
                if subscriber.queue.full():  # a slow client loses its oldest change, not the service
                    with contextlib.suppress(asyncio.QueueEmpty):
                        subscriber.queue.get_nowait()
                subscriber.queue.put_nowait(change)

    async def listen(self, label: str, wanted: frozenset[str]) -> AsyncIterator[Change]:
        subscriber = _Subscriber(label, wanted)
        self._subscribers.add(subscriber)
        try:
            while True:
                yield await subscriber.queue.get()
        finally:
            self._subscribers.discard(subscriber)

    @property
    def listeners(self) -> int:
        return len(self._subscribers)
