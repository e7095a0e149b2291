"""Loading seed files into the graph: validate everything, compare with what the graph holds, then write
only the difference, in batches, as one all-or-nothing unit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphapi.graph.model import Rel
from graphapi.graph.writes import (
    CREATE_EDGES,
    CREATE_NODES,
    CURRENT_STATE,
    DELETE_EDGES,
    EXISTING_IDS,
    UPDATE_EDGES,
    UPDATE_NODES,
)
from graphapi.seed.checks import check_plan, referenced_ids
from graphapi.seed.files import discover, read_all
from graphapi.seed.plan import EdgeWrite, GraphPlan, plan
from graphapi.seed.problems import SeedInvalid
from graphapi.store.base import Store, WriteStep

BATCH_SIZE = 500


@dataclass
class LoadReport:
    files: list[Path]
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


def validate_files(paths: Sequence[Path] = ()) -> tuple[list[Path], GraphPlan]:
    """Offline validation: records, references within the files, spans. Raises SeedInvalid."""
    files = discover(paths)
    graph_plan = plan(read_all(files))
    problems = check_plan(graph_plan, frozenset())
    if problems:
        raise SeedInvalid(problems)
    return files, graph_plan


@dataclass
class PreparedLoad:
    report: LoadReport
    steps: list[WriteStep]


async def load(
    store: Store,
    paths: Sequence[Path] = (),
    *,
    batch_size: int = BATCH_SIZE,
    on_plan: Callable[[int], None] | None = None,
    on_step: Callable[[], None] | None = None,
) -> LoadReport:
    """Load seed files. Nothing is written unless every file is valid; a second run writes nothing."""
    prepared = await prepare(store, paths, batch_size=batch_size)
    if on_plan:
        on_plan(len(prepared.steps))
    if prepared.steps:
        await store.write_all(prepared.steps, on_step=on_step)
    return prepared.report


async def prepare(store: Store, paths: Sequence[Path] = (), *, batch_size: int = BATCH_SIZE) -> PreparedLoad:
    """Validate the files against each other and the graph, and work out the writes that would bring the
    graph in line with them. Raises SeedInvalid; writes nothing."""
    files = discover(paths)
    graph_plan = plan(read_all(files))
    outside = sorted(referenced_ids(graph_plan))
    in_graph = {row["id"] for row in await store.read(EXISTING_IDS, {"ids": outside})} if outside else set()
    problems = check_plan(graph_plan, in_graph)
    if problems:
        raise SeedInvalid(problems)

    # every node the load writes, and every node it writes relationships from (a tenure's holder)
    owners = sorted({n.id for n in graph_plan.nodes} | {e.src for e in graph_plan.edges})
    current = await _current_state(store, owners, batch_size)
    report = LoadReport(files)
    steps = _diff(graph_plan, current, report, batch_size)
    report.statements = len(steps)
    return PreparedLoad(report, steps)


async def _current_state(store: Store, ids: list[str], batch_size: int) -> dict[str, dict[str, Any]]:
    current: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids, batch_size):
        for row in await store.read(CURRENT_STATE, {"ids": chunk}):
            current[row["id"]] = row
    return current


def _diff(
    graph_plan: GraphPlan, current: dict[str, dict[str, Any]], report: LoadReport, batch_size: int
) -> list[WriteStep]:
    new_nodes: dict[str, list[dict[str, Any]]] = {}
    changed_nodes: list[dict[str, Any]] = []
    for node in graph_plan.nodes:
        wanted = {"id": node.id, **node.props}
        existing = current.get(node.id)
        if existing is None:
            report.nodes_created[node.kind.label] += 1
            new_nodes.setdefault(node.kind.prefix, []).append({"props": wanted})
        elif existing["props"] != wanted:
            report.nodes_updated[node.kind.label] += 1
            changed_nodes.append({"id": node.id, "props": wanted})
        else:
            report.nodes_unchanged[node.kind.label] += 1

    existing_edges = {
        (node_id, Rel(edge["type"]), edge["dst"]): edge["props"]
        for node_id, row in current.items()
        for edge in row["out"]
        if edge["type"] in Rel.__members__
    }
    # A node defined in this load owns its outgoing relationships: the ones the seed no longer states go.
    owners = {n.id for n in graph_plan.nodes}
    wanted_edges = {e.key: e for e in graph_plan.edges}
    creates: dict[Rel, list[dict[str, Any]]] = {}
    updates: dict[Rel, list[dict[str, Any]]] = {}
    deletes: dict[Rel, list[dict[str, Any]]] = {}
    for key, edge in wanted_edges.items():
        if key not in existing_edges:
            report.rels_created[edge.rel.value] += 1
            creates.setdefault(edge.rel, []).append(_edge_row(edge))
        elif existing_edges[key] != edge.props:
            report.rels_updated[edge.rel.value] += 1
            updates.setdefault(edge.rel, []).append(_edge_row(edge))
    for src, rel, dst in existing_edges.keys() - wanted_edges.keys():
        if src in owners:
            report.rels_deleted[rel.value] += 1
            deletes.setdefault(rel, []).append({"src": src, "dst": dst})

    steps = [
        WriteStep(CREATE_NODES[prefix], {"rows": chunk})
        for prefix, rows in new_nodes.items()
        for chunk in _chunks(rows, batch_size)
    ]
    steps += [WriteStep(UPDATE_NODES, {"rows": chunk}) for chunk in _chunks(changed_nodes, batch_size)]
    steps += [
        WriteStep(DELETE_EDGES[rel], {"rows": chunk})
        for rel, rows in deletes.items()
        for chunk in _chunks(rows, batch_size)
    ]
    for queries, rows_by_rel in ((UPDATE_EDGES, updates), (CREATE_EDGES, creates)):
        steps += [
            WriteStep(queries[rel], {"rows": chunk})
            for rel, rows in rows_by_rel.items()
            for chunk in _chunks(rows, batch_size)
        ]
    return steps


def _edge_row(edge: EdgeWrite) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "props": edge.props}


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
