"""Bulk loads: compare what a set of records says with what the graph holds, and work out the batched
writes that bring the graph in line, as one all-or-nothing unit (Store.write_all).

A load names its owners (the seed files it reads): the graph remembers which records each owner states
(a `SeedFile` node beside the graph, without the label `Node`, so no query of the API reaches it), and a
record that no owner states any more is deleted, with its relationships. Several owners may state the same
record: each states it as a claim of its source, and the record is what the claims make
(graphapi/graph/claims.py); a load merges its owners' claims with those the graph keeps of the others.
What the load cannot do without losing something is refused, each problem naming the record and the one
in its way: a record to delete that something outside the load still refers to, a statement or source
another owner states, and (unless `overwrite`) a record changed or deleted through the API since it was
loaded.

The records arrive checked (references and spans: graphapi/seed/checks.py), so the writes are plain
batched CREATEs, SETs and DELETEs; the write service applies them and announces the changes.
"""

from __future__ import annotations

from typing import Any

from graphapi.graph import edits, reads
from graphapi.graph.load_claims import OwnerClaims, add_owners, merged_plan, read_claims
from graphapi.graph.load_diff import LoadDiff
from graphapi.graph.load_plan import BATCH_SIZE, LoadPlan, LoadProblem, PreparedLoad, chunks, tenure_label
from graphapi.graph.model import Rel
from graphapi.store.base import Store

HOLDS = Rel.HOLDS


async def prepare_load(
    store: Store,
    plan: LoadPlan,
    batch_size: int = BATCH_SIZE,
    *,
    overwrite: bool = False,
    claims: OwnerClaims | None = None,
) -> PreparedLoad:
    """The writes that make the graph say what the plan says, and what stands in their way; reads the
    graph (the claims of its owners and their records: `claims`, if read already), writes nothing."""
    planned = {n.id for n in plan.nodes}
    if claims is None:
        claims = await read_claims(store, plan.owners, planned) if plan.owners else OwnerClaims()
    loaded = set(plan.owners)
    planned_tenures = {(t.holder, t.office) for t in plan.tenures}
    stated = {i for i, owners in claims.nodes.items() if owners & loaded and i not in planned}
    # what the loaded owners no longer state: deleted, unless an owner the load does not read still does
    gone = sorted(i for i in stated if not claims.nodes[i] - loaded)
    plan, record_claims = await merged_plan(store, plan, sorted(stated - set(gone)), batch_size)
    gone_tenures = sorted(
        k for k, owner in claims.tenures.items() if owner in loaded and k not in planned_tenures
    )
    edges = plan.edges()
    # every node the load writes or deletes, and every node it writes or deletes relationships from
    ids = sorted(planned | {e.src for e in edges} | set(gone) | {holder for holder, _ in gone_tenures})
    current: dict[str, dict[str, Any]] = {}
    for chunk in chunks(ids, batch_size):
        for row in await store.read(reads.CURRENT_STATE, {"ids": chunk}):
            current[row["id"]] = row
    diff = LoadDiff(plan, claims, current, overwrite)
    diff.record_claims = record_claims
    diff.nodes()
    diff.edges(edges)
    diff.deletions([i for i in gone if i in current], gone_tenures)
    diff.problems += await dependents(store, diff, batch_size)
    steps = diff.steps(batch_size)
    diff.report.statements = len(steps)
    return PreparedLoad(diff.report, steps, list(diff.changes.values()), diff.problems)


async def dependents(store: Store, diff: LoadDiff, batch_size: int) -> list[LoadProblem]:
    """What still refers to a node the load deletes from outside the load: another owner's record or one
    made through the API (the write service's REFERRERS). A node of the load that refers to it is not in
    the way (its record no longer does, or the checks have said so already), unless the claim of an owner
    outside the load still does."""
    doomed = set(diff.doomed)
    # (a record several owners state is written as their claims make it: another's may still refer)
    planned = {n.id: {link.dst for link in n.links} for n in diff.plan.nodes}
    planned_tenures = {(t.holder, t.office) for t in diff.plan.tenures}
    problems = []
    rows = []
    for chunk in chunks(diff.doomed, batch_size):
        rows += await store.read(edits.REFERRERS, {"ids": chunk})
    # who states the referrers, for the messages (the load read the owners of its own records only)
    unknown = {str(row["src"]) for row in rows} - diff.claims.nodes.keys()
    await add_owners(store, diff.claims, unknown, diff.plan.owners)
    for row in rows:
        src, rel, dst = row["src"], row["rel"], row["dst"]
        if src in doomed:
            continue
        if rel in (HOLDS.value, "CITES"):  # a tenure: of the holder to the office, or citing a source
            office = dst if rel == HOLDS.value else row.get("via")
            key = (src, str(office))
            if key in planned_tenures or key in diff.doomed_tenures:
                continue
            holder = diff.claims.tenures.get(key)
            what = f"the tenure {tenure_label(key)}"
        else:
            if src in planned and dst not in planned[src]:
                continue
            holder = diff.claims.owners(src)
            what = src
        by = f"stated by {holder}" if holder else "made through the API"
        rel_name = "evidence" if rel == "CITES" else rel
        owner = diff.claims.owners(dst)
        message = (
            f"{dst} is no longer in {owner}, but {what} ({by}) still refers to it ({rel_name}); "
            "change or delete that first"
        )
        problems.append(LoadProblem(dst, owner, message))
    return problems
