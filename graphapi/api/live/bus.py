"""Live updates: mutations announce what they changed; subscriptions over WebSocket
(graphql-transport-ws) receive the changes their filter selects.

`ChangeBus` delivers within one process (an app without a shared bus: tests, or Neo4j without
GRAPHAPI_BUS_URL). `graphapi.api.live.shared_bus.SharedChangeBus` carries changes between processes, as the
JSON below; both have the same two calls, `await publish(change)` and
`async for change in listen(label, wanted)`."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from graphapi.graph.changes import Change, ChangeKind

QUEUE_SIZE = 100


class BadChange(ValueError):
    """A message on the bus that is not a change this version understands."""


def change_to_json(change: Change) -> str:
    data = {"kind": change.kind.value, "id": change.node_id, "label": change.label}
    return json.dumps({**data, "related": sorted(change.related)}, separators=(",", ":"))


def change_from_json(text: str | bytes) -> Change:
    """The change a message carries; anything else (another version, a stray PUBLISH) is refused."""
    try:
        data = json.loads(text)
        kind, node_id, label, related = data["kind"], data["id"], data["label"], data["related"]
        if not (
            isinstance(node_id, str)
            and isinstance(label, str)
            and isinstance(related, list)
            and all(isinstance(r, str) for r in related)
        ):
            raise TypeError("a field of the wrong type")
        return Change(ChangeKind(kind), node_id, label, frozenset(related))
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise BadChange(f"not a change: {exc}") from None


@dataclass(eq=False)
class _Subscriber:
    label: str
    wanted: frozenset[str]
    queue: asyncio.Queue[Change] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def matches(self, change: Change) -> bool:
        return change.label == self.label and self.wanted <= change.related


class ChangeBus:
    """The subscribers of this process, each with a queue of the changes its filter selects."""

    def __init__(self) -> None:
        self._subscribers: set[_Subscriber] = set()

    async def publish(self, change: Change) -> None:
        self.deliver(change)

    def deliver(self, change: Change) -> None:
        """Hand a change to this process's matching subscribers, in the order changes arrive."""
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
