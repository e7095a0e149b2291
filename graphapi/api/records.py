"""A node as the read path sees it: properties plus outgoing relationships, in plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphapi.graph.dates import FuzzyDate
from graphapi.graph.model import NODE_KINDS, NodeKind, Rel, kind_of


@dataclass(frozen=True)
class Edge:
    rel: Rel
    dst: str
    props: dict[str, Any]


@dataclass(frozen=True)
class NodeRecord:
    id: str
    kind: NodeKind
    props: dict[str, Any]
    out: tuple[Edge, ...]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> NodeRecord:
        kind = kind_of(row["id"]) or _kind_from_labels(row.get("labels", []))
        edges = tuple(
            Edge(Rel(e["type"]), e["dst"], e["props"] or {})
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

    def edges(self, rel: Rel) -> list[Edge]:
        return sorted((e for e in self.out if e.rel is rel), key=lambda e: e.dst)

    def date(self, name: str) -> FuzzyDate | None:
        return FuzzyDate.from_props(self.props, name)


def _kind_from_labels(labels: list[str]) -> NodeKind:
    for kind in NODE_KINDS.values():
        if kind.label in labels:
            return kind
    raise ValueError(f"a node with labels {labels} has no known kind")
