"""What a bulk load is asked to write and what it answers: the plan, the changes, the problems."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphapi.graph.changes import Change
from graphapi.graph.claims import Claim
from graphapi.graph.mapping import NodeWrite, TenureWrite
from graphapi.graph.model import Rel
from graphapi.store.base import WriteStep

BATCH_SIZE = 500

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
    # What each owner was read from (its digest: graphapi/seed/digests.py), kept with its list.
    stamps: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Owners whose list is written again (with the time of this load) even if it has not changed.
    refresh: set[str] = field(default_factory=set)

    def owned(self, owner: str) -> list[str]:
        """The ids of the records an owner states."""
        ids = {i for i, o in self.owner_of.items() if o == owner}
        return sorted(ids | {c.record for c in self.claims if c.owner == owner})

    def edges(self) -> list[EdgeWrite]:
        out = [EdgeWrite(n.id, link.rel, link.dst, {}) for n in self.nodes for link in n.links]
        out += [EdgeWrite(t.holder, Rel.HOLDS, t.office, t.props) for t in self.tenures]
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


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
