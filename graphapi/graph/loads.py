"""Bulk loads: compare what a set of records says with what the graph holds, and work out the batched
writes that bring the graph in line, as one all-or-nothing unit (Store.write_all).

The records arrive checked (references and spans: graphapi/seed/checks.py), so the writes are plain
batched CREATEs and SETs; the write service applies them and announces the changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphapi.graph import reads, writes
from graphapi.graph.changes import Change, ChangeKind
from graphapi.graph.mapping import NodeWrite, TenureWrite
from graphapi.graph.model import Rel
from graphapi.store.base import Store, WriteStep

BATCH_SIZE = 500


@dataclass(frozen=True)
class EdgeWrite:
    src: str
    rel: Rel
    dst: str
    props: dict[str, Any]

    @property
    def key(self) -> tuple[str, Rel, str]:
        return (self.src, self.rel, self.dst)


@dataclass
class LoadPlan:
    nodes: list[NodeWrite] = field(default_factory=list)
    tenures: list[TenureWrite] = field(default_factory=list)

    def edges(self) -> list[EdgeWrite]:
        out = [EdgeWrite(n.id, link.rel, link.dst, {}) for n in self.nodes for link in n.links]
        out += [EdgeWrite(t.holder, Rel.HOLDS, t.office, t.props) for t in self.tenures]
        return out


@dataclass
class LoadReport:
    nodes_created: Counter[str] = field(default_factory=Counter)
    nodes_updated: Counter[str] = field(default_factory=Counter)
    nodes_unchanged: Counter[str] = field(default_factory=Counter)
    rels_created: Counter[str] = field(default_factory=Counter)
    rels_updated: Counter[str] = field(default_factory=Counter)
    rels_deleted: Counter[str] = field(default_factory=Counter)
    statements: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (self.nodes_created, self.nodes_updated, self.rels_created, self.rels_updated, self.rels_deleted)
        )

    @property
    def records(self) -> int:
        nodes = self.nodes_created + self.nodes_updated + self.nodes_unchanged
        return sum(nodes.values())


@dataclass
class PreparedLoad:
    report: LoadReport
    steps: list[WriteStep]
    changes: list[Change]


async def prepare_load(store: Store, plan: LoadPlan, batch_size: int = BATCH_SIZE) -> PreparedLoad:
    """The writes that make the graph say what the plan says; reads the graph, writes nothing."""
    edges = plan.edges()
    # every node the load writes, and every node it writes relationships from (a tenure's holder)
    owners = sorted({n.id for n in plan.nodes} | {e.src for e in edges})
    current: dict[str, dict[str, Any]] = {}
    for chunk in chunks(owners, batch_size):
        for row in await store.read(reads.CURRENT_STATE, {"ids": chunk}):
            current[row["id"]] = row
    report = LoadReport()
    steps, changes = _diff(plan, edges, current, report, batch_size)
    report.statements = len(steps)
    return PreparedLoad(report, steps, changes)


def _diff(
    plan: LoadPlan,
    edges: list[EdgeWrite],
    current: dict[str, dict[str, Any]],
    report: LoadReport,
    batch_size: int,
) -> tuple[list[WriteStep], list[Change]]:
    new_nodes: dict[str, list[dict[str, Any]]] = {}
    changed_nodes: list[dict[str, Any]] = []
    changes: dict[str, Change] = {}
    for node in plan.nodes:
        wanted = {"id": node.id, **node.props}
        existing = current.get(node.id)
        related = frozenset(node.targets)
        if existing is None:
            report.nodes_created[node.kind.label] += 1
            new_nodes.setdefault(node.kind.prefix, []).append({"props": wanted})
            changes[node.id] = Change(ChangeKind.CREATED, node.id, node.kind.label, related)
        elif existing["props"] != wanted:
            report.nodes_updated[node.kind.label] += 1
            changed_nodes.append({"id": node.id, "props": wanted})
            changes[node.id] = Change(ChangeKind.UPDATED, node.id, node.kind.label, related)
        else:
            report.nodes_unchanged[node.kind.label] += 1

    existing_edges = {
        (node_id, Rel(edge["type"]), edge["dst"]): edge["props"]
        for node_id, row in current.items()
        for edge in row["out"]
        if edge["type"] in Rel.__members__
    }
    # A node defined in this load owns its outgoing relationships: the ones the records no longer state go.
    owners = {n.id for n in plan.nodes}
    labels = {n.id: n.kind.label for n in plan.nodes}
    wanted_edges = {e.key: e for e in edges}
    creates: dict[Rel, list[dict[str, Any]]] = {}
    updates: dict[Rel, list[dict[str, Any]]] = {}
    deletes: dict[Rel, list[dict[str, Any]]] = {}
    touched: set[str] = set()
    for key, edge in wanted_edges.items():
        if key not in existing_edges:
            report.rels_created[edge.rel.value] += 1
            creates.setdefault(edge.rel, []).append(_edge_row(edge))
            touched.add(edge.src)
        elif existing_edges[key] != edge.props:
            report.rels_updated[edge.rel.value] += 1
            updates.setdefault(edge.rel, []).append(_edge_row(edge))
            touched.add(edge.src)
    for src, rel, dst in existing_edges.keys() - wanted_edges.keys():
        if src in owners:
            report.rels_deleted[rel.value] += 1
            deletes.setdefault(rel, []).append({"src": src, "dst": dst})
            touched.add(src)
    for src in sorted(touched - changes.keys()):
        related = frozenset(e.dst for e in edges if e.src == src)
        changes[src] = Change(ChangeKind.UPDATED, src, labels.get(src, "Person"), related)

    steps = [
        WriteStep(writes.CREATE_NODES[prefix], {"rows": chunk})
        for prefix, rows in new_nodes.items()
        for chunk in chunks(rows, batch_size)
    ]
    steps += [WriteStep(writes.UPDATE_NODES, {"rows": chunk}) for chunk in chunks(changed_nodes, batch_size)]
    steps += [
        WriteStep(writes.DELETE_EDGES[rel], {"rows": chunk})
        for rel, rows in deletes.items()
        for chunk in chunks(rows, batch_size)
    ]
    for queries, rows_by_rel in ((writes.UPDATE_EDGES, updates), (writes.CREATE_EDGES, creates)):
        steps += [
            WriteStep(queries[rel], {"rows": chunk})
            for rel, rows in rows_by_rel.items()
            for chunk in chunks(rows, batch_size)
        ]
    return steps, list(changes.values())


def _edge_row(edge: EdgeWrite) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "props": edge.props}


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
