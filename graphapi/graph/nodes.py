"""A node as it is read back: its kind, properties and outgoing relationships, in plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphapi.graph.dates import DateInterval
from graphapi.graph.kinds import Kind, kind_of, kind_of_labels
from graphapi.graph.model import Rel


@dataclass(frozen=True)
class OutEdge:
    """A relationship from the node, with its properties (a tenure's dates, say)."""

    rel: Rel
    dst: str
    props: dict[str, Any]


@dataclass(frozen=True)
class NodeRecord:
    id: str
    kind: Kind
    props: dict[str, Any]
    out: tuple[OutEdge, ...]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> NodeRecord:
        kind = kind_of(row["id"]) or kind_of_labels(row.get("labels", []))
        if kind is None:
            raise ValueError(f"the node {row['id']!r} has no registered kind")
        edges = tuple(
            OutEdge(Rel(e["type"]), e["dst"], e["props"] or {})
            for e in row["out"]
            if e["type"] in Rel.__members__
        )
        props = row["props"]
        return cls(row["id"], kind, dict(props) if isinstance(props, list) else props, edges)

    def get(self, name: str, default: Any = None) -> Any:
        return self.props.get(name, default)

    def text(self, name: str) -> str | None:
        value = self.props.get(name)
        return None if value is None else str(value)

    def number(self, name: str) -> float | None:
        value = self.props.get(name)
        return None if value is None else float(value)

    def targets(self, rel: Rel) -> list[str]:
        return sorted(e.dst for e in self.out if e.rel is rel)

    def target(self, rel: Rel) -> str | None:
        found = self.targets(rel)
        return found[0] if found else None

    def edges(self, rel: Rel) -> list[OutEdge]:
        return sorted((e for e in self.out if e.rel is rel), key=lambda e: e.dst)

    def date(self, name: str) -> DateInterval | None:
        return DateInterval.from_props(self.props, name)
