"""Which records each owner (a seed file, the API) stated at its last load, and their claims merged."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from graphapi.graph import reads
from graphapi.graph.claims import API_OWNER, Claim, has_claims, is_api_owner, merged_write
from graphapi.graph.kinds import kind_of
from graphapi.graph.load_plan import LoadPlan, TenureKey, chunks
from graphapi.store.base import Store
from graphapi.store.cypher import Cypher

# What each owner stated at its last load.
CLAIMS = Cypher(
    "load.claims",
    "MATCH (f:SeedFile) "
    "RETURN f.name AS name, coalesce(f.nodes, []) AS nodes, coalesce(f.tenures, []) AS tenures",
)

# What the API claims (graphapi/graph/api_claims.py): records it states stay when no file states them.
API_CLAIMS = Cypher(
    "load.api_claims",
    # (index seeks on the owner, not a scan of every claim: `api`, and the range of `api <source id>`,
    # which FalkorDB's index answers where it scans for STARTS WITH)
    f"MATCH (c:Claim) WHERE c.owner = '{API_OWNER}' RETURN c.owner AS name, collect(c.record) AS nodes "
    f"UNION ALL MATCH (c:Claim) WHERE c.owner >= '{API_OWNER} ' AND c.owner < '{API_OWNER}!' "
    "RETURN c.owner AS name, collect(c.record) AS nodes",
)


@dataclass
class OwnerClaims:
    """What each owner stated at its last load, as the graph keeps it."""

    nodes: dict[str, set[str]] = field(default_factory=dict)  # id -> the owners that state it
    tenures: dict[TenureKey, str] = field(default_factory=dict)
    by_owner: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # as stored

    def owners(self, node_id: str) -> str | None:
        """Which files state a record, for messages (None: only the API does, or nothing)."""
        files = sorted(o for o in self.nodes.get(node_id, ()) if not is_api_owner(o))
        return ", ".join(files) if files else None


async def read_claims(store: Store) -> OwnerClaims:
    claims = OwnerClaims()
    for row in await store.read(CLAIMS):
        name = str(row["name"])
        claims.by_owner[name] = (sorted(row["nodes"]), sorted(row["tenures"]))
        for node_id in row["nodes"]:
            claims.nodes.setdefault(node_id, set()).add(name)
        for key in row["tenures"]:
            holder, office = key.split(" ", 1)
            claims.tenures[(holder, office)] = name
    for row in await store.read(API_CLAIMS):
        for node_id in row["nodes"]:
            claims.nodes.setdefault(node_id, set()).add(str(row["name"]))
    return claims


@dataclass
class RecordClaimChanges:
    """The claims a load writes and drops (graphapi/graph/claims.py)."""

    write: list[dict[str, Any]] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)


async def merged_plan(
    store: Store, plan: LoadPlan, kept: list[str], batch_size: int
) -> tuple[LoadPlan, RecordClaimChanges]:
    """The plan with one write per record that claims make: the load's owners' claims merged with those the
    graph keeps of other owners (`kept`: records only those still state), and the claims to store."""
    if not plan.claims and not kept:
        return plan, RecordClaimChanges()
    loaded = set(plan.owners)
    new: dict[str, list[Claim]] = {}
    for claim in plan.claims:
        new.setdefault(claim.record, []).append(claim)
    stored: dict[str, list[Claim]] = {}
    for chunk in chunks(sorted(set(new) | set(kept)), batch_size):
        for row in await store.read(reads.CLAIMS_OF, {"ids": chunk}):
            claim = Claim.from_row(row)
            stored.setdefault(claim.record, []).append(claim)
    nodes = [n for n in plan.nodes if not has_claims(n.kind)]
    for record in sorted(set(new) | set(kept)):
        others = [c for c in stored.get(record, []) if c.owner not in loaded]
        claims = others + new.get(record, [])
        kind = kind_of(record)
        if claims and kind is not None:
            nodes.append(merged_write(kind, claims))
    changes = RecordClaimChanges()
    stored_by_key = {c.key: c.to_row() for claims in stored.values() for c in claims}
    for claim in plan.claims:
        row = claim.to_row()
        if stored_by_key.get(claim.key) != row:
            changes.write.append(row)
    planned = {c.key for c in plan.claims}
    changes.drop = sorted(
        key for key, row in stored_by_key.items() if row["props"]["owner"] in loaded and key not in planned
    )
    return replace(plan, nodes=nodes), changes
