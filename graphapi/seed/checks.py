"""Checks across records: unique ids, and references that resolve (quotes are placed, and checked, as the
plan is made: graphapi/seed/spans.py)."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from graphapi.graph.claims import has_claims
from graphapi.graph.model import Rel
from graphapi.seed.plan import Origin, SeedPlan
from graphapi.seed.problems import SeedProblem


@dataclass(frozen=True)
class Graph:
    """What the graph holds that a plan's references may point at: `ids` that exist, of which `leaving`
    are deleted by the load itself (their files no longer state them)."""

    ids: Set[str]
    leaving: Set[str]
    owner_of: dict[str, str]


def check_plan(plan: SeedPlan, graph: Graph | None) -> list[SeedProblem]:
    """Every problem of the plan. References may point at ids already in the graph; without the graph
    (`None`, offline) a reference outside the files is not checked (see `outside`)."""
    problems = plan.problems + _duplicates(plan) + _mapped(plan)
    if graph is None:
        return problems
    defined = {n.id for n, _, _ in plan.nodes}
    for origin, name, end in references(plan):
        if end in defined or (end in graph.ids and end not in graph.leaving):
            continue
        if end in graph.leaving:
            message = f"{end} is no longer in {graph.owner_of.get(end)}, so this load deletes it"
        else:
            message = f"{end} is not defined in the files loaded or the graph"
        problems.append(SeedProblem(origin.file, origin.record, name, message))
    return problems


OFFLINE_NOTE = "is not in the files validated; the graph was not read (--offline), so it was not checked"


def outside(plan: SeedPlan) -> list[SeedProblem]:
    """The references to ids the files do not define, as notes of a validation that did not read the
    graph: they may be there, or not."""
    defined = {n.id for n, _, _ in plan.nodes}
    return [
        SeedProblem(origin.file, origin.record, name, f"{end} {OFFLINE_NOTE}")
        for origin, name, end in references(plan)
        if end not in defined
    ]


def references(plan: SeedPlan) -> list[tuple[Origin, str, str]]:
    """(where, field, id) of every reference the plan's records make."""
    ends = [(origin, link.field, link.dst) for node, origin, _ in plan.nodes for link in node.links]
    ends += [
        (origin, name, end)
        for tenure, origin, _ in plan.tenures
        for name, end in (("holder", tenure.holder), ("office", tenure.office))
    ]
    return ends


def referenced_ids(plan: SeedPlan) -> set[str]:
    """The ids the plan refers to without defining them."""
    defined = {n.id for n, _, _ in plan.nodes}
    return {end for _, _, end in references(plan)} - defined


def _duplicates(plan: SeedPlan) -> list[SeedProblem]:
    problems: list[SeedProblem] = []
    seen_nodes: dict[str, Origin] = {}
    for node, origin, _ in plan.nodes:
        first = seen_nodes.setdefault(node.id, origin)
        # several files may state the same record, each as a claim of its source; one file states it once
        if first is not origin and (first.file == origin.file or not has_claims(node.kind)):
            where = f"{first.file}: {first.record}"
            problems.append(
                SeedProblem(origin.file, origin.record, "id", f"{node.id} is already defined at {where}")
            )
    seen_tenures: dict[tuple[str, str], Origin] = {}
    for tenure, origin, _ in plan.tenures:
        first = seen_tenures.setdefault((tenure.holder, tenure.office), origin)
        if first is not origin:
            message = f"{tenure.holder} -[{Rel.HOLDS.value}]-> {tenure.office} is stated twice"
            problems.append(SeedProblem(origin.file, origin.record, "holder", message))
    return problems


def _mapped(plan: SeedPlan) -> list[SeedProblem]:
    """What mapping a record to the graph could not settle, such as a date relative to a source that gives
    no date of its own."""
    located = [(write.problems, origin) for write, origin, _ in plan.nodes]
    located += [(write.problems, origin) for write, origin, _ in plan.tenures]
    return [
        SeedProblem(origin.file, origin.record, field, message)
        for problems, origin in located
        for field, message in problems
    ]
