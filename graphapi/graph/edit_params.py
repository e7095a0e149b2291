"""What a checked write of the API sends (graphapi/graph/edits.py) and what it refuses before sending,
and what an upsert answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphapi.errors import InvalidRecord
from graphapi.graph import edits
from graphapi.graph.mapping import NodeWrite, SpanCheck, TenureWrite
from graphapi.graph.nodes import NodeRecord

# How often a write is tried again when a concurrent change came between it and its diagnosis.
ATTEMPTS = 3


@dataclass(frozen=True)
class Saved:
    """What an upsert did: `changed` is false when the graph already said exactly this (nothing was
    written, no change announced)."""

    id: str
    created: bool
    changed: bool
    record: NodeRecord | None = None  # the node as it now stands (None for a tenure)


def upsert_params(write: NodeWrite, source: str | None, who: str) -> dict[str, Any]:
    return {
        "id": write.id,
        "props": {**write.props, "id": write.id},
        "owned": [rel.value for rel in write.kind.owned],
        "links": [{"type": link.rel.value, "dst": link.dst} for link in write.links],
        "keys": [f"{link.rel.value} {link.dst}" for link in write.links],
        "targets": write.targets,
        "source": source,
        "spans": span_params(write.spans),
        "audit": list(edits.AUDIT),
        "now": now(),
        "who": who,
    }


def check_writable(write: NodeWrite | TenureWrite) -> None:
    """What the record alone shows cannot be written."""
    if write.problems:
        raise InvalidRecord(list(write.problems))
    if write.spans and write.source is None:
        raise InvalidRecord([("source", "is needed with evidence: the source its spans point into")])


def span_params(spans: Sequence[SpanCheck]) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end, "quote": s.quote} for s in spans]


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
