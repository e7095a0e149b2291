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

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from graphapi.graph import edits, history, reads, writes
from graphapi.graph.changes import Change, ChangeKind
from graphapi.graph.claims import API_OWNER, Claim, has_claims, is_api_owner, merged_write
from graphapi.graph.kinds import kind_of
from graphapi.graph.mapping import NodeWrite, TenureWrite
from graphapi.graph.model import Rel
from graphapi.store.base import Store, WriteStep
from graphapi.store.cypher import Cypher

BATCH_SIZE = 500
HOLDS = Rel.HOLDS
AUDIT = frozenset(edits.AUDIT)

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

TenureKey = tuple[str, str]  # (holder, office)


def tenure_label(key: TenureKey) -> str:
    return f"{key[0]} -[HOLDS]-> {key[1]}"


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
    """What the graph must say. With `owners`, the records each owner states (`owner_of`, `tenure_owner_of`)
    are all it states: what an owner stated before and no longer does is deleted. Without, nothing is."""

    nodes: list[NodeWrite] = field(default_factory=list)
    tenures: list[TenureWrite] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    owner_of: dict[str, str] = field(default_factory=dict)
    tenure_owner_of: dict[TenureKey, str] = field(default_factory=dict)
    # What each owner says of the records several may state (graphapi/graph/claims.py); `nodes` holds a
    # write per owner of such a record, which the load replaces by the one the claims make.
    claims: list[Claim] = field(default_factory=list)

    def owned(self, owner: str) -> list[str]:
        """The ids of the records an owner states."""
        ids = {i for i, o in self.owner_of.items() if o == owner}
        return sorted(ids | {c.record for c in self.claims if c.owner == owner})

    def edges(self) -> list[EdgeWrite]:
        out = [EdgeWrite(n.id, link.rel, link.dst, {}) for n in self.nodes for link in n.links]
        out += [EdgeWrite(t.holder, HOLDS, t.office, t.props) for t in self.tenures]
        return out


@dataclass(frozen=True)
class RecordChange:
    """One record a load creates, updates or deletes: a node (`id`), or a tenure (`holder -[HOLDS]-> office`).
    `fields` names what an update changes; `edited` says who last changed the graph's version through the
    API, when someone did."""

    action: str  # created, updated, deleted
    id: str
    label: str
    owner: str | None
    fields: tuple[str, ...] = ()
    edited: str | None = None
    # (property, the graph's value, the files' value) of what an update changes
    values: tuple[tuple[str, Any, Any], ...] = ()


@dataclass(frozen=True)
class LoadProblem:
    """Why a load cannot go ahead: about record `id` (of `owner`, when it has one)."""

    id: str
    owner: str | None
    message: str
    drift: bool = False  # a change made through the API, which `overwrite` replaces


@dataclass
class LoadReport:
    nodes_created: Counter[str] = field(default_factory=Counter)
    nodes_updated: Counter[str] = field(default_factory=Counter)
    nodes_unchanged: Counter[str] = field(default_factory=Counter)
    nodes_deleted: Counter[str] = field(default_factory=Counter)
    rels_created: Counter[str] = field(default_factory=Counter)
    rels_updated: Counter[str] = field(default_factory=Counter)
    rels_deleted: Counter[str] = field(default_factory=Counter)
    details: list[RecordChange] = field(default_factory=list)
    statements: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.nodes_created,
                self.nodes_updated,
                self.nodes_deleted,
                self.rels_created,
                self.rels_updated,
                self.rels_deleted,
            )
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
    problems: list[LoadProblem] = field(default_factory=list)


@dataclass
class _Claims:
    nodes: dict[str, set[str]] = field(default_factory=dict)  # id -> the owners that state it
    tenures: dict[TenureKey, str] = field(default_factory=dict)
    by_owner: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # as stored

    def owners(self, node_id: str) -> str | None:
        """Which files state a record, for messages (None: only the API does, or nothing)."""
        files = sorted(o for o in self.nodes.get(node_id, ()) if not is_api_owner(o))
        return ", ".join(files) if files else None


async def read_claims(store: Store) -> _Claims:
    claims = _Claims()
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


async def prepare_load(
    store: Store, plan: LoadPlan, batch_size: int = BATCH_SIZE, *, overwrite: bool = False
) -> PreparedLoad:
    """The writes that make the graph say what the plan says, and what stands in their way; reads the
    graph, writes nothing."""
    claims = await read_claims(store) if plan.owners else _Claims()
    loaded = set(plan.owners)
    planned = {n.id for n in plan.nodes}
    planned_tenures = {(t.holder, t.office) for t in plan.tenures}
    stated = {i for i, owners in claims.nodes.items() if owners & loaded and i not in planned}
    # what the loaded owners no longer state: deleted, unless an owner the load does not read still does
    gone = sorted(i for i in stated if not claims.nodes[i] - loaded)
    plan, record_claims = await _merged(store, plan, sorted(stated - set(gone)), batch_size)
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
    diff = _Diff(plan, claims, current, overwrite)
    diff.record_claims = record_claims
    diff.nodes()
    diff.edges(edges)
    diff.deletions([i for i in gone if i in current], gone_tenures)
    diff.problems += await _dependents(store, diff, batch_size)
    steps = diff.steps(batch_size)
    diff.report.statements = len(steps)
    return PreparedLoad(diff.report, steps, list(diff.changes.values()), diff.problems)


@dataclass
class _RecordClaims:
    """The claims a load writes and drops (graphapi/graph/claims.py)."""

    write: list[dict[str, Any]] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)


async def _merged(
    store: Store, plan: LoadPlan, kept: list[str], batch_size: int
) -> tuple[LoadPlan, _RecordClaims]:
    """The plan with one write per record that claims make: the load's owners' claims merged with those the
    graph keeps of other owners (`kept`: records only those still state), and the claims to store."""
    if not plan.claims and not kept:
        return plan, _RecordClaims()
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
    changes = _RecordClaims()
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


class _Diff:
    """The comparison of a plan with the graph, record by record."""

    def __init__(self, plan: LoadPlan, claims: _Claims, current: dict[str, dict[str, Any]], overwrite: bool):
        self.plan = plan
        self.claims = claims
        self.current = current
        self.overwrite = overwrite
        self.report = LoadReport()
        self.problems: list[LoadProblem] = []
        self.changes: dict[str, Change] = {}
        self.new_nodes: dict[str, list[dict[str, Any]]] = {}
        self.changed_nodes: list[dict[str, Any]] = []
        self.doomed: list[str] = []
        self.doomed_tenures: list[TenureKey] = []
        self.creates: dict[Rel, list[dict[str, Any]]] = {}
        self.updates: dict[Rel, list[dict[str, Any]]] = {}
        self.deletes: dict[Rel, list[dict[str, Any]]] = {}
        self.wanted: dict[tuple[str, Rel, str], EdgeWrite] = {}
        self.record_claims = _RecordClaims()
        self.history: list[history.NodeChange] = []
        self.existing: dict[tuple[str, Rel, str], dict[str, Any]] = {
            (node_id, Rel(edge["type"]), edge["dst"]): edge["props"] or {}
            for node_id, row in current.items()
            for edge in row["out"]
            if edge["type"] in Rel.__members__
        }
        self.out: dict[str, list[tuple[Rel, str]]] = {}
        for src, rel, dst in self.existing:
            self.out.setdefault(src, []).append((rel, dst))

    # --- nodes ---

    def nodes(self) -> None:
        loaded = set(self.plan.owners)
        for node in self.plan.nodes:
            owner = self.plan.owner_of.get(node.id)
            claimed_by = self.claims.nodes.get(node.id, set())
            elsewhere = claimed_by - loaded
            if owner is not None and elsewhere and not has_claims(node.kind):
                # a statement is the words of one source, a source itself: one file states each
                self.problems.append(LoadProblem(node.id, owner, _claimed_elsewhere(node.id, min(elsewhere))))
            wanted = {"id": node.id, **node.props}
            existing = self.current.get(node.id)
            # a record the API claims too keeps its changes through the API: they are in its claims
            api_claimed = has_claims(node.kind) and any(is_api_owner(o) for o in claimed_by)
            if existing is not None and api_claimed:
                wanted |= {k: existing["props"][k] for k in AUDIT if k in existing["props"]}
            related = frozenset(node.targets)
            label = node.kind.label
            if existing is None:
                if owner is not None and owner in claimed_by:
                    self._drift(node.id, owner, "was deleted through the API since it was loaded")
                self.report.nodes_created[label] += 1
                self.report.details.append(RecordChange("created", node.id, label, owner))
                self.new_nodes.setdefault(node.kind.prefix, []).append({"props": wanted})
                self.changes[node.id] = Change(ChangeKind.CREATED, node.id, label, related)
                links = tuple(f"+{link.rel.value} {link.dst}" for link in node.links)
                self.history.append(
                    history.NodeChange(ChangeKind.CREATED, node.id, label, None, wanted, links)
                )
                continue
            link_changes = self._link_differences(node)
            fields = _differences(existing["props"], wanted) + link_changes
            fields = [f for f in fields if f not in AUDIT]  # (who changed it is `edited`)
            if fields:
                self.history.append(
                    history.NodeChange(
                        ChangeKind.UPDATED, node.id, label, existing["props"], wanted, tuple(link_changes)
                    )
                )
            if existing["props"] == wanted:
                self.report.nodes_unchanged[label] += 1  # (its relationships are counted on their own)
            else:
                self.report.nodes_updated[label] += 1
                self.changed_nodes.append({"id": node.id, "props": wanted})
                self.changes[node.id] = Change(ChangeKind.UPDATED, node.id, label, related)
            if fields or existing["props"] != wanted:
                edited = _edited(existing["props"])
                if edited and fields and not api_claimed:
                    self._drift(node.id, owner, f"was changed through the API ({edited}) since it was loaded")
                have = existing["props"]
                values = tuple(
                    (f, have.get(f), wanted.get(f)) for f in _differences(have, wanted) if f not in AUDIT
                )
                self.report.details.append(
                    RecordChange("updated", node.id, label, owner, tuple(fields), edited, values)
                )

    def _link_differences(self, node: NodeWrite) -> list[str]:
        wanted = {(link.rel, link.dst) for link in node.links}
        have = {(rel, dst) for rel, dst in self.out.get(node.id, ()) if rel is not HOLDS}
        return [f"+{rel.value} {dst}" for rel, dst in sorted(wanted - have)] + [
            f"-{rel.value} {dst}" for rel, dst in sorted(have - wanted)
        ]

    # --- relationships ---

    def edges(self, edges: list[EdgeWrite]) -> None:
        """A node of the load owns its outgoing relationships (those its record no longer states go), but
        its tenures (HOLDS) are records of their own: they go only when their owner no longer states them."""
        self.wanted = {e.key: e for e in edges}
        labels = {n.id: n.kind.label for n in self.plan.nodes}
        touched: set[str] = set()
        for key, edge in self.wanted.items():
            if key not in self.existing:
                self.report.rels_created[edge.rel.value] += 1
                self.creates.setdefault(edge.rel, []).append(_edge_row(edge))
                touched.add(edge.src)
                if edge.rel is HOLDS:
                    self._tenure_created((edge.src, edge.dst))
            elif self.existing[key] != edge.props:
                self.report.rels_updated[edge.rel.value] += 1
                self.updates.setdefault(edge.rel, []).append(_edge_row(edge))
                touched.add(edge.src)
                if edge.rel is HOLDS:
                    self._tenure_updated((edge.src, edge.dst), self.existing[key], edge.props)
        owners = {n.id for n in self.plan.nodes}
        for src, rel, dst in sorted(self.existing.keys() - self.wanted.keys()):
            if src in owners and rel is not HOLDS:
                self.report.rels_deleted[rel.value] += 1
                self.deletes.setdefault(rel, []).append({"src": src, "dst": dst})
                touched.add(src)
        for src in sorted(touched - self.changes.keys()):
            related = frozenset(e.dst for e in edges if e.src == src)
            self.changes[src] = Change(ChangeKind.UPDATED, src, labels.get(src, "Person"), related)

    def _tenure_created(self, key: TenureKey) -> None:
        owner = self.plan.tenure_owner_of.get(key)
        if owner is not None and self.claims.tenures.get(key) == owner:
            self._drift(tenure_label(key), owner, "was removed through the API since it was loaded")
        self.report.details.append(RecordChange("created", tenure_label(key), "Tenure", owner))
        self._tenure_claimed_elsewhere(key, owner)

    def _tenure_updated(self, key: TenureKey, have: dict[str, Any], want: dict[str, Any]) -> None:
        owner = self.plan.tenure_owner_of.get(key)
        fields = [f for f in _differences(have, want) if f not in AUDIT]
        edited = _edited(have)
        if edited and fields:
            self._drift(
                tenure_label(key), owner, f"was changed through the API ({edited}) since it was loaded"
            )
        self.report.details.append(
            RecordChange("updated", tenure_label(key), "Tenure", owner, tuple(fields), edited)
        )
        self._tenure_claimed_elsewhere(key, owner)

    def _tenure_claimed_elsewhere(self, key: TenureKey, owner: str | None) -> None:
        claimed_by = self.claims.tenures.get(key)
        if owner is not None and claimed_by is not None and claimed_by not in set(self.plan.owners):
            label = tenure_label(key)
            self.problems.append(LoadProblem(label, owner, _claimed_elsewhere(label, claimed_by)))

    # --- deletions ---

    def deletions(self, gone: list[str], gone_tenures: list[TenureKey]) -> None:
        """What the loaded owners stated and no longer do: deleted (a node with its relationships)."""
        for node_id in gone:
            row = self.current[node_id]
            kind = kind_of(node_id)
            label = kind.label if kind else "Node"
            owner = self.claims.owners(node_id)
            edited = _edited(row["props"])
            if edited:
                self._drift(node_id, owner, f"was changed through the API ({edited}); deleting it loses that")
            self.doomed.append(node_id)
            self.report.nodes_deleted[label] += 1
            self.report.details.append(RecordChange("deleted", node_id, label, owner, (), edited))
            self.history.append(history.NodeChange(ChangeKind.DELETED, node_id, label, row["props"], None))
            related = frozenset(e["dst"] for e in row["out"])
            self.changes[node_id] = Change(ChangeKind.DELETED, node_id, label, related)
            self.report.rels_deleted.update(e["type"] for e in row["out"] if e["type"] != HOLDS.value)
        for holder, office in gone_tenures:
            have = self.existing.get((holder, HOLDS, office))
            if have is None:
                continue  # already gone
            owner = self.claims.tenures.get((holder, office))
            edited = _edited(have)
            if edited:
                self._drift(tenure_label((holder, office)), owner, f"was changed through the API ({edited})")
            self.doomed_tenures.append((holder, office))
            self.report.rels_deleted[HOLDS.value] += 1
            if holder not in self.doomed and office not in self.doomed:  # else it goes with either end
                self.deletes.setdefault(HOLDS, []).append({"src": holder, "dst": office})
            self.report.details.append(
                RecordChange("deleted", tenure_label((holder, office)), "Tenure", owner)
            )
            if holder not in self.changes:
                self.changes[holder] = Change(ChangeKind.UPDATED, holder, "Person", frozenset({office}))
        # a person's tenures are records of their own: one the load does not delete must not go with them
        for node_id in self.doomed:
            for rel, office in self.out.get(node_id, ()):
                key = (node_id, office)
                if rel is HOLDS and key not in self.doomed_tenures:
                    owner = self.claims.tenures.get(key)
                    by = f"stated by {owner}" if owner else "made through the API"
                    message = (
                        f"{node_id} is no longer in {self.claims.owners(node_id)}, but the tenure "
                        f"{tenure_label(key)} ({by}) would go with it; change or delete that first"
                    )
                    self.problems.append(LoadProblem(node_id, self.claims.owners(node_id), message))

    def _drift(self, record: str, owner: str | None, what: str) -> None:
        if not self.overwrite:
            self.problems.append(LoadProblem(record, owner, f"{record} {what}", drift=True))

    # --- the writes ---

    def claims_rows(self) -> tuple[list[dict[str, Any]], list[str]]:
        """The owners' new claims, where they changed: (rows to write, owners that now state nothing)."""
        write, drop = [], []
        for owner in self.plan.owners:
            nodes = self.plan.owned(owner)
            tenures = sorted(f"{h} {o}" for (h, o), who in self.plan.tenure_owner_of.items() if who == owner)
            if self.claims.by_owner.get(owner, ([], [])) == (nodes, tenures):
                continue
            if not nodes and not tenures:
                drop.append(owner)
                continue
            props: dict[str, Any] = {"name": owner}
            props |= {"nodes": nodes} if nodes else {}
            props |= {"tenures": tenures} if tenures else {}
            write.append({"name": owner, "props": props})
        return write, drop

    def steps(self, batch_size: int) -> list[WriteStep]:
        steps = [
            WriteStep(writes.CREATE_NODES[prefix], {"rows": chunk})
            for prefix, rows in self.new_nodes.items()
            for chunk in chunks(rows, batch_size)
        ]
        steps += [WriteStep(writes.UPDATE_NODES, {"rows": c}) for c in chunks(self.changed_nodes, batch_size)]
        steps += [
            WriteStep(writes.DELETE_EDGES[rel], {"rows": chunk})
            for rel, rows in self.deletes.items()
            for chunk in chunks(rows, batch_size)
        ]
        for queries, rows_by_rel in (
            (writes.UPDATE_EDGES, self.updates),
            (writes.CREATE_EDGES, self.creates),
        ):
            steps += [
                WriteStep(queries[rel], {"rows": chunk})
                for rel, rows in rows_by_rel.items()
                for chunk in chunks(rows, batch_size)
            ]
        steps += [WriteStep(writes.DELETE_NODES, {"ids": chunk}) for chunk in chunks(self.doomed, batch_size)]
        write, drop = self.claims_rows()
        if write:
            steps.append(WriteStep(writes.SET_CLAIMS, {"rows": write}))
        if drop:
            steps.append(WriteStep(writes.DROP_CLAIMS, {"names": drop}))
        recorded = history.rows(self.history, f"seed load of {', '.join(self.plan.owners) or 'records'}")
        steps += [WriteStep(history.RECORD, {"rows": chunk}) for chunk in chunks(recorded, batch_size)]
        steps += [
            WriteStep(writes.SET_RECORD_CLAIMS, {"rows": chunk})
            for chunk in chunks(self.record_claims.write, batch_size)
        ]
        steps += [
            WriteStep(writes.DROP_RECORD_CLAIMS, {"keys": chunk})
            for chunk in chunks(self.record_claims.drop, batch_size)
        ]
        return steps


async def _dependents(store: Store, diff: _Diff, batch_size: int) -> list[LoadProblem]:
    """What still refers to a node the load deletes from outside the load: another owner's record or one
    made through the API (the write service's REFERRERS). A node of the load that refers to it is not in
    the way: its record no longer does (or the checks have said so already)."""
    doomed = set(diff.doomed)
    planned = {n.id for n in diff.plan.nodes}
    planned_tenures = {(t.holder, t.office) for t in diff.plan.tenures}
    problems = []
    for chunk in chunks(diff.doomed, batch_size):
        for row in await store.read(edits.REFERRERS, {"ids": chunk}):
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
                if src in planned:
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


def _claimed_elsewhere(record: str, owner: str) -> str:
    return (
        f"{record} is stated by {owner} in the graph; a record belongs to one file: load {owner} too, "
        "without it, to move it"
    )


def _differences(have: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """The properties that differ, by name (the full-text copy `searchText` follows the others)."""
    return sorted(k for k in have.keys() | want.keys() if have.get(k) != want.get(k) and k != "searchText")


def _edited(props: dict[str, Any]) -> str | None:
    """Who last changed a node or tenure through the API, and when; None for what only loads wrote."""
    if props.get("updatedBy") is None:
        return None
    return f"by {props['updatedBy']} at {props.get('updatedAt')}"


def _edge_row(edge: EdgeWrite) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "props": edge.props}


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
