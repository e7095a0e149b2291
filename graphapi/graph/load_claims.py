"""Which records each owner (a seed file, the API) stated at its last load, and their claims merged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from graphapi.graph import reads
from graphapi.graph.claims import API_OWNER, Claim, has_claims, is_api_owner, merged_write
from graphapi.graph.kinds import kind_of
from graphapi.graph.load_plan import LoadPlan, TenureKey, chunks
from graphapi.store.base import Store
from graphapi.store.cypher import Cypher

# What each owner stated at its last load, and what it was read from (graphapi/seed/digests.py).
_OWNER_COLUMNS = (
    "RETURN f.name AS name, coalesce(f.nodes, []) AS nodes, coalesce(f.tenures, []) AS tenures, "
    "f.digest AS digest, coalesce(f.inputs, []) AS inputs"
)
CLAIMS = Cypher("load.claims", f"MATCH (f:SeedFile) {_OWNER_COLUMNS}")
# ...of the owners a load reads
OWNERS_CLAIMS = Cypher("load.owners_claims", f"MATCH (f:SeedFile) WHERE f.name IN $names {_OWNER_COLUMNS}")
# Every owner's tenures (a list of its own on SeedFile: the few offices' holders, not the statements).
TENURE_CLAIMS = Cypher(
    "load.tenure_claims",
    "MATCH (f:SeedFile) WHERE f.tenures IS NOT NULL RETURN f.name AS name, f.tenures AS tenures",
)
# Who else claims these records (files and the API: every owner of a record of a kind with claims has
# one), but the owners whose lists were read.
RECORD_OWNERS = Cypher(
    "load.record_owners",
    "MATCH (c:Claim) WHERE c.record IN $ids AND NOT c.owner IN $names "
    "RETURN c.record AS record, c.owner AS owner",
)
# Which other owners list these records (statements, sources: no claims; read through every list, so
# asked only of records that exist and that no owner the load reads states).
LISTED_BY = Cypher(
    "load.listed_by",
    "MATCH (f:SeedFile) WHERE NOT f.name IN $names "
    "WITH f, [x IN coalesce(f.nodes, []) WHERE x IN $ids] AS found WHERE size(found) > 0 "
    "RETURN f.name AS name, found AS nodes",
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
ID_CHUNK = 5000


@dataclass
class OwnerClaims:
    """What each owner stated at its last load, as the graph keeps it: every owner's, or (`read_claims`
    with `owners`) those of the owners a load reads, and the owners of the records they need."""

    nodes: dict[str, set[str]] = field(default_factory=dict)  # id -> the owners that state it
    tenures: dict[TenureKey, str] = field(default_factory=dict)
    by_owner: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # as stored
    stamps: dict[str, dict[str, Any]] = field(default_factory=dict)  # what each was read from

    def owners(self, node_id: str) -> str | None:
        """Which files state a record, for messages (None: only the API does, or nothing)."""
        files = sorted(o for o in self.nodes.get(node_id, ()) if not is_api_owner(o))
        return ", ".join(files) if files else None

    def add(self, row: dict[str, Any]) -> None:
        """An owner's row of CLAIMS."""
        name = str(row["name"])
        self.by_owner[name] = (sorted(row["nodes"]), sorted(row["tenures"]))
        self.stamps[name] = {"digest": row["digest"]} if row.get("digest") else {}
        self.stamps[name] |= {"inputs": list(row["inputs"])} if row.get("digest") and row["inputs"] else {}
        for node_id in row["nodes"]:
            self.nodes.setdefault(node_id, set()).add(name)
        for key in row["tenures"]:
            holder, office = key.split(" ", 1)
            self.tenures[(holder, office)] = name


async def read_claims(
    store: Store, owners: Sequence[str] | None = None, ids: Iterable[str] = ()
) -> OwnerClaims:
    """Every owner's claims; or, with `owners`, only what a load of those owners needs: their lists, the
    other owners of what they state or stated and of `ids` (the records the load states), and every
    owner's tenures. So a reload of one file reads in proportion to that file, not to the graph."""
    claims = OwnerClaims()
    if owners is None:
        for row in await store.read(CLAIMS):
            claims.add(row)
        for row in await store.read(API_CLAIMS):
            for node_id in row["nodes"]:
                claims.nodes.setdefault(node_id, set()).add(str(row["name"]))
        return claims
    for chunk in chunks(sorted(owners), ID_CHUNK):
        for row in await store.read(OWNERS_CLAIMS, {"names": chunk}):
            claims.add(row)
    for row in await store.read(TENURE_CLAIMS):
        for key in row["tenures"]:
            holder, office = key.split(" ", 1)
            claims.tenures[(holder, office)] = str(row["name"])
    await add_owners(store, claims, set(ids) | set(claims.nodes), owners)
    return claims


async def add_owners(store: Store, claims: OwnerClaims, ids: Iterable[str], read: Sequence[str]) -> None:
    """The owners of these records, added to `claims`, which holds the lists of the owners `read`."""
    wanted = sorted(set(ids))
    claimed = [i for i in wanted if (kind := kind_of(i)) is not None and has_claims(kind)]
    for chunk in chunks(claimed, ID_CHUNK):
        for row in await store.read(RECORD_OWNERS, {"ids": chunk, "names": list(read)}):
            claims.nodes.setdefault(str(row["record"]), set()).add(str(row["owner"]))
    # a statement or source belongs to one file: one of those read, or (if it exists) another
    plain = sorted(set(wanted) - set(claimed) - set(claims.nodes))
    existing = []
    for chunk in chunks(plain, ID_CHUNK):
        existing += [str(row["id"]) for row in await store.read(reads.EXISTING_IDS, {"ids": chunk})]
    for chunk in chunks(sorted(existing), ID_CHUNK):
        for row in await store.read(LISTED_BY, {"names": list(read), "ids": chunk}):
            for node_id in row["nodes"]:
                claims.nodes.setdefault(str(node_id), set()).add(str(row["name"]))


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
