"""A fact is a claim of a source. Several seed files may state the same record (the same id): each states
the fields it reports, as a claim of its source, and the record the graph holds follows one rule.

The rule, for each field: the claim of the latest source wins, by the last day the source can have been
written (`writtenOn`'s latest bound; a source that gives no date is older than any dated one). Claims of
sources of the same date that disagree make the field *disputed*: the one of the file whose name sorts
last stands, and the record lists the field in `disputed`. Some fields gather instead of replacing: other
names (`aliases`), and the statements a position rests on (`evidence`); and a record is evidenced in every
source that states it (EVIDENCE_IN). A record's evidence spans are those of the latest claim.

Each claim is kept beside the graph (a `Claim` node, without the label `Node`) with the properties and
relationships it gives, so a load of one file merges with what the files it does not read stated, and a
client can read every claim with its source and date (`claims` on each node).

Statements and sources are not claims: a statement is words of one source, and a source is itself.

A write through the API is a claim too, of the source it names (owner `api <source id>`), or, naming none,
of the API itself (owner `api`, dated the day it is made): see graphapi/graph/api_claims.py. Of claims of
the same date, the API's stands over a file's: it is the later act of the curators.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphapi.graph.kinds import Kind, kind_of
from graphapi.graph.mapping import LinkWrite, NodeWrite, clean_props, search_text
from graphapi.graph.model import Rel

# Fields whose values gather across claims instead of the latest replacing the others.
GATHERED = frozenset({"aliases"})
GATHERED_BY_KIND = {"position": frozenset({"evidence"})}
# Fields that stand or fall together: the latest claim stating any of them gives all of them (the offices
# the imposers acted in belong to those imposers).
TOGETHER = (frozenset({"imposed_by", "acting_as"}),)
# Properties of no single field that follow the latest claim.
_OF_THE_RECORD = ("reportedUntil",)
# The owner of the claims written through the API (`api`, or `api <source id>`).
API_OWNER = "api"


def is_api_owner(owner: str) -> bool:
    """Whether a claim was written through the API (a seed file's name has no space in it)."""
    return owner == API_OWNER or owner.startswith(API_OWNER + " ")


def has_claims(kind: Kind) -> bool:
    """Whether records of a kind are stated as claims (several sources may state them)."""
    return not kind.quoted and not kind.single


# A claim's properties besides its key. Written straight from a parameter (`SET c = $claim`), claims make
# FalkorDB 4.16.3 corrupt its heap most of the time in `bench/falkordb_corruption.py`'s replay: another
# claim's `data` later reads back as '', or the server crashes. The value is first projected by a WITH,
# then set property by property (`write_claim`): no replay went wrong so.
CLAIM_PROPERTIES = ("record", "owner", "reported", "source", "data")


def set_claim(node: str, props: str) -> str:
    """The Cypher that gives the Claim `node` the properties of the map `props` (its key is MERGEd on)."""
    return "SET " + ", ".join(f"{node}.{name} = {props}.{name}" for name in CLAIM_PROPERTIES)


def write_claim(node: str, value: str, carried: str) -> str:
    """The Cypher, after the MERGE of the Claim `node`, that gives it the map `value` (a parameter, or a
    part of one): projected by a WITH first (carrying `carried` on), then set property by property."""
    return f"WITH {carried}, {value} AS claim {set_claim(node, 'claim')}"


@dataclass(frozen=True)
class Claim:
    """What one seed file (`owner`) says of one record, as its source (`source`, written by `reported`)
    says it: each field's properties, and each link field's relationships."""

    record: str
    owner: str
    source: str | None
    reported: str  # the last day the source can have been written; "" when it gives no date
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.owner} {self.record}"

    @property
    def order(self) -> tuple[str, bool, str]:
        return (self.reported, is_api_owner(self.owner), self.owner)

    def to_row(self) -> dict[str, Any]:
        """As stored (a `Claim` node's properties: its key and CLAIM_PROPERTIES)."""
        data = {"values": self.values, "links": self.links, "extra": self.extra}
        props = {"key": self.key, "record": self.record, "owner": self.owner, "reported": self.reported}
        props |= {"source": self.source} if self.source else {}
        return {"key": self.key, "props": {**props, "data": json.dumps(data, sort_keys=True)}}

    @classmethod
    def from_row(cls, props: dict[str, Any]) -> Claim:
        data = json.loads(props["data"])
        return cls(
            str(props["record"]),
            str(props["owner"]),
            props.get("source"),
            str(props.get("reported") or ""),
            data["values"],
            {name: [(rel, dst) for rel, dst in pairs] for name, pairs in data["links"].items()},
            data["extra"],
        )


def claim_of(write: NodeWrite, owner: str, stated: Iterable[str], reported: str) -> Claim:
    """The claim a file makes by stating a record (`reported`: the last day its source can have been written,
    "" when it gives no date): the fields it states (`stated`, those the file writes),
    and those whose defaults give the record something (a position's `basis`), with the properties and
    relationships they give. A default that gives nothing (an empty list) is not a claim."""
    stated = set(stated)
    values = {
        name: {prop: write.props[prop] for prop in props if prop in write.props}
        for name, props in write.by_field
        if name in stated or any(prop in write.props for prop in props)
    }
    links: dict[str, list[tuple[str, str]]] = {}
    for link in write.links:
        links.setdefault(link.field, []).append((link.rel.value, link.dst))
    for link_field in {link.field for link in write.kind.links} & stated:
        links.setdefault(link_field, [])  # stated empty (`targets: []`): a claim that there are none
    extra = {prop: write.props[prop] for prop in _OF_THE_RECORD if prop in write.props}
    return Claim(write.id, owner, write.source, reported, values, links, extra)


@dataclass(frozen=True)
class Merged:
    props: dict[str, Any]
    links: tuple[LinkWrite, ...]
    disputed: tuple[str, ...]
    latest: dict[str, str]  # record field -> the date of the latest claim stating it
    # record field -> the claims (owners) whose values stand: the latest's, or all where fields gather
    standing: dict[str, frozenset[str]]
    source: str | None

    def stands(self, claim: Claim, name: str) -> bool:
        return claim.owner in self.standing.get(name, frozenset())

    def disputes(self, claim: Claim, name: str) -> bool:
        """Whether the claim is one of the latest ones that disagree on the field."""
        return name in self.disputed and claim.reported == self.latest.get(name)


def merge(kind: Kind, claims: Sequence[Claim]) -> Merged:
    """The record the claims make, by the rule above."""
    ordered = sorted(claims, key=lambda c: c.order)
    latest = ordered[-1]
    gathered = GATHERED | GATHERED_BY_KIND.get(kind.prefix, frozenset())
    props: dict[str, Any] = {}
    links: list[LinkWrite] = []
    disputed: list[str] = []
    standing: dict[str, frozenset[str]] = {}
    latest_of: dict[str, str] = {}
    fields = sorted({name for c in ordered for name in (*c.values, *c.links)})
    fields += sorted({f for g in TOGETHER if g & set(fields) for f in g} - set(fields))
    for name in fields:
        stating = [c for c in ordered if name in c.values or name in c.links]
        latest_of[name] = stating[-1].reported if stating else ""
        if name in gathered or _is_evidence_in(kind, name):
            for claim in stating:
                _gather(props, claim.values.get(name, {}))
                links += _link_writes(claim, name, only=Rel.EVIDENCE_IN if name == kind.spans_field else None)
            if name == kind.spans_field:  # the spans themselves: the latest claim's
                props.update(stating[-1].values.get(name, {}))
            standing[name] = frozenset(c.owner for c in stating)
            continue
        group = next((g for g in TOGETHER if name in g), frozenset({name}))
        winner = [c for c in ordered if any(f in c.values or f in c.links for f in group)][-1]
        rivals = [c for c in stating if c.reported == winner.reported and c is not winner]
        if any(_said(c, name) != _said(winner, name) for c in rivals):
            disputed.append(name)
        props.update(winner.values.get(name, {}))
        links += _link_writes(winner, name)
        standing[name] = frozenset({winner.owner})
    props.update(latest.extra)
    if disputed:
        props["disputed"] = disputed
    props["searchText"] = search_text(kind, props)
    return Merged(
        clean_props(props), tuple(dict.fromkeys(links)), tuple(disputed), latest_of, standing, latest.source
    )


def merged_write(kind: Kind, claims: Sequence[Claim]) -> NodeWrite:
    """The node the claims make, its spans already checked against each claim's source."""
    merged = merge(kind, claims)
    return NodeWrite(claims[0].record, kind, merged.props, merged.links, (), merged.source)


def _is_evidence_in(kind: Kind, name: str) -> bool:
    return name == kind.spans_field and any(link.rel is Rel.EVIDENCE_IN for link in kind.links)


def _said(claim: Claim, name: str) -> Any:
    return (claim.values.get(name), sorted(claim.links.get(name, [])))


def _gather(props: dict[str, Any], values: dict[str, Any]) -> None:
    for prop, value in values.items():
        if isinstance(value, list) and isinstance(props.get(prop), list):
            props[prop] = list(dict.fromkeys([*props[prop], *value]))
        else:
            props[prop] = value


def _link_writes(claim: Claim, name: str, only: Rel | None = None) -> list[LinkWrite]:
    return [
        LinkWrite(Rel(rel), name, dst)
        for rel, dst in claim.links.get(name, [])
        if only is None or Rel(rel) is only
    ]


def kind_of_claims(claims: Sequence[Claim]) -> Kind:
    kind = kind_of(claims[0].record)
    if kind is None:
        raise ValueError(f"{claims[0].record} is not an id of a registered kind")
    return kind


__all__ = [
    "API_OWNER", "Claim", "Merged", "claim_of", "has_claims", "is_api_owner", "merge", "merged_write"
]  # fmt: skip
