"""Checks across records: unique ids, references that resolve, quotes that sit where they say."""

from __future__ import annotations

from collections.abc import Set

from graphapi.graph.model import Rel
from graphapi.seed.plan import EdgeWrite, GraphPlan, Origin
from graphapi.seed.problems import SeedProblem


def check_plan(plan: GraphPlan, ids_in_graph: Set[str]) -> list[SeedProblem]:
    return _duplicates(plan) + _references(plan, ids_in_graph) + _spans(plan)


def referenced_ids(plan: GraphPlan) -> set[str]:
    defined = {n.id for n in plan.nodes}
    return {e.dst for e in plan.edges} - defined


def _duplicates(plan: GraphPlan) -> list[SeedProblem]:
    problems: list[SeedProblem] = []
    seen_nodes: dict[str, Origin] = {}
    for node in plan.nodes:
        first = seen_nodes.setdefault(node.id, node.origin)
        if first is not node.origin:
            where = f"{first.file}: {first.record}"
            problems.append(
                SeedProblem(
                    node.origin.file, node.origin.record, "id", f"{node.id} is already defined at {where}"
                )
            )
    seen_edges: dict[tuple[str, Rel, str], EdgeWrite] = {}
    for edge in plan.edges:
        first_edge = seen_edges.setdefault(edge.key, edge)
        if first_edge is not edge:
            problems.append(
                SeedProblem(
                    edge.origin.file,
                    edge.origin.record,
                    edge.field,
                    f"{edge.src} -[{edge.rel.value}]-> {edge.dst} is stated twice",
                )
            )
    return problems


def _references(plan: GraphPlan, ids_in_graph: Set[str]) -> list[SeedProblem]:
    defined = {n.id for n in plan.nodes} | set(ids_in_graph)
    problems = []
    for edge in plan.edges:
        # The source of a relationship is the record's own node, except a tenure's holder.
        ends = ((edge.src, "holder"), (edge.dst, edge.field))
        for end, field in ends:
            if end not in defined:
                problems.append(
                    SeedProblem(
                        edge.origin.file,
                        edge.origin.record,
                        field,
                        f"{end} is not defined in the seed or the graph",
                    )
                )
    return problems


def _spans(plan: GraphPlan) -> list[SeedProblem]:
    problems = []
    for document, span in plan.spans:
        origin = span.origin
        text = document.source_text
        if text is None:
            problems.append(
                SeedProblem(
                    origin.file,
                    origin.record,
                    span.field,
                    "evidence needs a `source` section in the same file",
                )
            )
            continue
        if text[span.start : span.end] == span.quote:
            continue
        found = text.find(span.quote)
        hint = (
            f"the quote is at start {found}, end {found + len(span.quote)}"
            if found >= 0
            else "the quote does not occur in the source text"
        )
        problems.append(
            SeedProblem(
                origin.file,
                origin.record,
                span.field,
                f"source text [{span.start}:{span.end}] is not the quote; {hint}",
            )
        )
    return problems
