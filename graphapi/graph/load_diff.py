"""A load's plan compared with the graph record by record, and the batched writes that follow."""

from __future__ import annotations

from typing import Any

from graphapi.graph import edits, history, writes
from graphapi.graph.changes import Change, ChangeKind
from graphapi.graph.claims import has_claims, is_api_owner
from graphapi.graph.kinds import kind_of
from graphapi.graph.load_claims import OwnerClaims, RecordClaimChanges
from graphapi.graph.load_plan import (
    EdgeWrite,
    LoadPlan,
    LoadProblem,
    LoadReport,
    RecordChange,
    TenureKey,
    chunks,
    tenure_label,
)
from graphapi.graph.mapping import NodeWrite
from graphapi.graph.model import Rel
from graphapi.store.base import WriteStep

HOLDS = Rel.HOLDS
AUDIT = frozenset(edits.AUDIT)


class LoadDiff:
    """The comparison of a plan with the graph, record by record."""

    def __init__(
        self, plan: LoadPlan, claims: OwnerClaims, current: dict[str, dict[str, Any]], overwrite: bool
    ):
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
        self.record_claims = RecordClaimChanges()
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

    def claims_rows(self, at: str) -> tuple[list[dict[str, Any]], list[str]]:
        """The owners' new lists, where they or what they were read from changed: (rows to write, owners that
        now state nothing)."""
        write, drop = [], []
        for owner in self.plan.owners:
            nodes = self.plan.owned(owner)
            tenures = sorted(f"{h} {o}" for (h, o), who in self.plan.tenure_owner_of.items() if who == owner)
            stamp = self.plan.stamps.get(owner, {})
            listed = self.claims.by_owner.get(owner, ([], [])) == (nodes, tenures)
            if listed and self.claims.stamps.get(owner, {}) == stamp and owner not in self.plan.refresh:
                continue
            if not nodes and not tenures:
                drop.append(owner)
                continue
            props: dict[str, Any] = {"name": owner}
            props |= {"nodes": nodes} if nodes else {}
            props |= {"tenures": tenures} if tenures else {}
            props |= stamp | {"loadedAt": at}  # what it was read from, and when (graphapi/seed/digests.py)
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
        at = history.stamp()  # (the list's time is its changes': changes after it are another's)
        write, drop = self.claims_rows(at)
        if write:
            steps.append(WriteStep(writes.SET_CLAIMS, {"rows": write}))
        if drop:
            steps.append(WriteStep(writes.DROP_CLAIMS, {"names": drop}))
        recorded = history.rows(self.history, f"seed load of {', '.join(self.plan.owners) or 'records'}", at)
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
