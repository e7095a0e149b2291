"""What a write changed, as the write service announces it to whoever listens (subscriptions)."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


class ChangeKind(enum.Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    node_id: str
    label: str  # Statement, Position...
    # the ids the change is about, for filters: a position's measure and actor, a statement's speaker...
    related: frozenset[str] = frozenset()


# Where changes go: the app's bus, or nowhere (the command line's loads have no subscribers).
Publish = Callable[[Change], Awaitable[None]]


async def publish_nowhere(change: Change) -> None:
    return None
