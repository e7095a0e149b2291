"""Checks across records: unique ids, references that resolve, quotes that sit where they say."""

from __future__ import annotations

from collections.abc import Set

from graphapi.graph.mapping import SpanCheck
from graphapi.graph.model import Rel
from graphapi.seed.files import SeedDocument
from graphapi.seed.plan import Origin, SeedPlan
from graphapi.seed.problems import SeedProblem


def check_plan(plan: SeedPlan, ids_in_graph: Set[str], *, graph_read: bool) -> list[SeedProblem]:
    """Every problem of the plan. References may point at ids already in the graph (`ids_in_graph`);
    `graph_read` says whether the graph was read, so a dangling reference says where it was looked for."""
    return _duplicates(plan) + _references(plan, ids_in_graph, graph_read) + _spans(plan) + _mapped(plan)


def referenced_ids(plan: SeedPlan) -> set[str]:
    """The ids the plan refers to without defining them."""
    defined = {n.id for n, _, _ in plan.nodes}
    named = {link.dst for n, _, _ in plan.nodes for link in n.links}
    named |= {i for t, _, _ in plan.tenures for i in (t.holder, t.office)}
    return named - defined


def _duplicates(plan: SeedPlan) -> list[SeedProblem]:
    problems: list[SeedProblem] = []
    seen_nodes: dict[str, Origin] = {}
    for node, origin, _ in plan.nodes:
        first = seen_nodes.setdefault(node.id, origin)
        if first is not origin:
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


def _references(plan: SeedPlan, ids_in_graph: Set[str], graph_read: bool) -> list[SeedProblem]:
    defined = {n.id for n, _, _ in plan.nodes} | set(ids_in_graph)
    where = "the seed or the graph" if graph_read else "the files validated (the graph was not read)"
    ends = [(origin, link.field, link.dst) for node, origin, _ in plan.nodes for link in node.links]
    ends += [
        (origin, name, end)
        for tenure, origin, _ in plan.tenures
        for name, end in (("holder", tenure.holder), ("office", tenure.office))
    ]
    return [
        SeedProblem(origin.file, origin.record, name, f"{end} is not defined in {where}")
        for origin, name, end in ends
        if end not in defined
    ]


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


def _spans(plan: SeedPlan) -> list[SeedProblem]:
    located: list[tuple[SpanCheck, Origin, SeedDocument]] = [
        (span, origin, doc) for node, origin, doc in plan.nodes for span in node.spans
    ]
    located += [(span, origin, doc) for tenure, origin, doc in plan.tenures for span in tenure.spans]
    problems = []
    for span, origin, doc in located:
        text = doc.source_text
        if text is None:
            message = "evidence needs a `source` section in the same file"
            problems.append(SeedProblem(origin.file, origin.record, span.field, message))
            continue
        if text[span.start : span.end] == span.quote:
            continue
        found = text.find(span.quote)
        hint = (
            f"the quote is at start {found}, end {found + len(span.quote)}"
            if found >= 0
            else "the quote does not occur in the source text"
        )
        message = f"source text [{span.start}:{span.end}] is not the quote; {hint}"
        problems.append(SeedProblem(origin.file, origin.record, span.field, message))
    return problems
