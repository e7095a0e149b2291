"""The writes of a load into an empty graph, worked out file by file as they are sent (streamed): nothing
to compare with, delete or refuse, so every record is created, in large batches, and the claims, the
files' lists of what they state and the history are written beside them, as a load into a graph that
held them would write them (graphapi/graph/loads.py). Memory: one file's writes at a time, plus the
claims of the records several files state, which are merged once every file has been read.

A node is created before any relationship to it: a file's nodes go first, then its relationships to
nodes already made; those to a later file's nodes, or to a record several files state (made at the end),
wait until then, on disk (`Later`: at 100,000 statements of the synthetic corpus, 320,000 of them).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from graphapi.graph import history, writes
from graphapi.graph.changes import Change, ChangeKind
from graphapi.graph.claims import Claim, merged_write
from graphapi.graph.kinds import KINDS, Kind, kind_of
from graphapi.graph.load_plan import LoadReport, RecordChange, tenure_label
from graphapi.graph.model import Rel
from graphapi.store.base import Creates, Cypher, WriteStep

# A node: (kind prefix, id, properties, links as (relationship, dst)).
FreshNode = tuple[str, str, dict[str, Any], tuple[tuple[str, str], ...]]
# A tenure: (holder, office, properties).
FreshTenure = tuple[str, str, dict[str, Any]]
# The load's report keeps this many records' details (a million would fill memory); counts are whole.
DETAILS_KEPT = 10_000
_KINDS = {kind.prefix: kind for kind in KINDS}
_CREATED = ChangeKind.CREATED.value


@dataclass
class FileWrites:
    """What one file (`owner`) writes: its nodes (not the claims' records), its claims, its tenures."""

    owner: str
    nodes: list[FreshNode] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    tenures: list[FreshTenure] = field(default_factory=list)
    stamp: dict[str, Any] = field(default_factory=dict)  # what it was read from (graphapi/seed/digests.py)


Edge = tuple[str, str, str, dict[str, Any]]  # (src, relationship, dst, properties)


class Later:
    """The relationships made once every node is (to a later file's node, or to a record several files
    state), kept on disk, not in memory: at a million statements they are millions."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None

    def add(self, edges: list[Edge]) -> None:
        if edges:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="graphapi-load-later-")  # noqa: SIM115 (drain closes it)
            pickle.dump(edges, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def drain(self) -> Iterator[list[Edge]]:
        """What was added, in order, once; the file is gone after."""
        if self._file is None:
            return
        file, self._file = self._file, None
        with file:
            file.seek(0)
            while True:
                try:
                    yield pickle.load(file)
                except EOFError:
                    return


@dataclass
class FreshLoad:
    """The writes of the files (`files`, called again for each pass over them) into an empty graph.
    `first`: the index of the first file stating each id; `several`: the claims' records more than one
    file states. The report fills as the steps are sent."""

    files: Callable[[], Iterable[FileWrites]]
    first: dict[str, int]
    several: set[str]
    owners: list[str]
    batch_size: int
    report: LoadReport = field(default_factory=LoadReport)
    _pending: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _full: list[WriteStep] = field(default_factory=list)
    _later: Later = field(default_factory=lambda: Later())
    _claims: dict[str, list[Claim]] = field(default_factory=dict)
    _targets: dict[str, frozenset[str]] = field(default_factory=dict)
    _changes: int = 0

    def __post_init__(self) -> None:
        self._by = f"seed load of {', '.join(self.owners) or 'records'}"
        self._at = history.stamp()
        self._width = max(6, len(str(max(len(self.first) - 1, 0))))

    def steps(self) -> Iterator[WriteStep]:
        """Every write, in order, worked out as it is asked for."""
        for index, file in enumerate(self.files()):
            yield from self._file(index, file)
        yield from self._several()
        for edges in self._later.drain():
            yield from self._flush_edges(edges)
        yield from self._flush(force=True)
        yield WriteStep(writes.STAMP_NEW_FILES, {})  # (the database's time: graphapi/seed/digests.py)

    def changes(self) -> Iterator[Change]:
        """What the load made, node by node, to announce once it has landed."""
        for file in self.files():
            for prefix, node_id, _, links in file.nodes:
                related = frozenset(dst for _, dst in links)
                yield Change(ChangeKind.CREATED, node_id, _KINDS[prefix].label, related)
            for claim in file.claims:
                if claim.record in self.several:
                    continue
                related = frozenset(dst for pairs in claim.links.values() for _, dst in pairs)
                yield Change(ChangeKind.CREATED, claim.record, _kind(claim.record).label, related)
        for record, related in sorted(self._targets.items()):
            yield Change(ChangeKind.CREATED, record, _kind(record).label, related)

    # --- one file ---

    def _file(self, index: int, file: FileWrites) -> Iterator[WriteStep]:
        edges: list[tuple[str, str, str, dict[str, Any]]] = []
        for prefix, node_id, props, links in file.nodes:
            yield from self._node(_KINDS[prefix], node_id, props, links, file.owner)
            edges += [(node_id, rel, dst, {}) for rel, dst in links]
        for claim in file.claims:
            if claim.record in self.several:
                self._claims.setdefault(claim.record, []).append(claim)
                continue
            kind = _kind(claim.record)
            node = merged_write(kind, [claim])
            links = tuple((link.rel.value, link.dst) for link in node.links)
            yield from self._node(kind, node.id, node.props, links, file.owner)
            edges += [(node.id, rel, dst, {}) for rel, dst in links]
        for holder, office, props in file.tenures:
            edges.append((holder, Rel.HOLDS.value, office, props))
            self._detail(RecordChange("created", tenure_label((holder, office)), "Tenure", file.owner))
        yield from self._record_claims(file.claims)
        yield from self._flush(force=True)  # this file's nodes exist before its relationships are made
        now = [e for e in edges if self._made(e[2], index)]
        self._later.add([e for e in edges if not self._made(e[2], index)])
        yield from self._flush_edges(now)
        yield from self._owner(file)

    def _made(self, node_id: str, index: int) -> bool:
        """Whether a node exists by the time a file's relationships are made."""
        return self.first.get(node_id, index + 1) <= index and node_id not in self.several

    def _several(self) -> Iterator[WriteStep]:
        """The records several files state, each made from every file's claims."""
        for record in sorted(self._claims):
            claims = self._claims[record]
            node = merged_write(_kind(record), claims)
            links = tuple((link.rel.value, link.dst) for link in node.links)
            owner = max(claims, key=lambda c: c.owner).owner
            yield from self._node(node.kind, node.id, node.props, links, owner)
            self._targets[record] = frozenset(node.targets)
            self._later.add([(node.id, rel, dst, {}) for rel, dst in links])
        self._claims = {}
        yield from self._flush(force=True)

    # --- rows ---

    def _node(
        self, kind: Kind, node_id: str, props: dict[str, Any], links: tuple[tuple[str, str], ...], owner: str
    ) -> Iterator[WriteStep]:
        wanted = {"id": node_id, **props}
        self.report.nodes_created[kind.label] += 1
        self._detail(RecordChange("created", node_id, kind.label, owner))
        self._add(f"node:{kind.prefix}", {"props": wanted})
        # history.rows' row of the change, written out (a load makes millions)
        fields, olds, news = history.field_changes(None, wanted, [f"+{r} {d}" for r, d in links])
        row = {
            "id": f"{self._at}#{self._changes:0{self._width}d}",
            "at": self._at,
            "by": self._by,
            "kind": _CREATED,
            "node": node_id,
            "label": kind.label,
            "fields": fields,
            "olds": olds,
            "news": news,
        }
        self._changes += 1
        self._add("history", row)
        if self._full:
            yield from self._flush()

    def _record_claims(self, claims: list[Claim]) -> Iterator[WriteStep]:
        for claim in claims:
            self._add("claims", claim.to_row())
        if self._full:
            yield from self._flush()

    def _owner(self, file: FileWrites) -> Iterator[WriteStep]:
        """The file's list of what it states (a `SeedFile` node: graphapi/graph/loads.py)."""
        nodes = sorted({node_id for _, node_id, _, _ in file.nodes} | {c.record for c in file.claims})
        tenures = sorted(f"{holder} {office}" for holder, office, _ in file.tenures)
        if not nodes and not tenures:
            return
        props: dict[str, Any] = {"name": file.owner}
        props |= {"nodes": nodes} if nodes else {}
        props |= {"tenures": tenures} if tenures else {}
        props |= file.stamp | {"loadedAt": self._at}
        yield self._step(writes.SET_CLAIMS, "rows", _FILES, [{"name": file.owner, "props": props}])

    def _flush_edges(self, edges: list[tuple[str, str, str, dict[str, Any]]]) -> Iterator[WriteStep]:
        for src, rel, dst, props in edges:
            self.report.rels_created[rel] += 1
            self._add(f"edge:{rel}", {"src": src, "dst": dst, "props": props})
            if self._full:
                yield from self._flush()
        yield from self._flush(force=True)

    def _add(self, bucket: str, row: dict[str, Any]) -> None:
        rows = self._pending.setdefault(bucket, [])
        rows.append(row)
        if len(rows) >= self.batch_size:
            self._full.append(self._step(*_query(bucket), rows))
            self._pending[bucket] = []

    def _flush(self, *, force: bool = False) -> Iterator[WriteStep]:
        """The batches that are full (and, forced, the rest, nodes first)."""
        full, self._full = self._full, []
        yield from full
        if force:
            for bucket in sorted(self._pending, key=lambda b: not b.startswith("node:")):
                if self._pending[bucket]:
                    yield self._step(*_query(bucket), self._pending[bucket])
            self._pending = {}

    def _step(self, query: Cypher, name: str, creates: Creates, rows: list[Any]) -> WriteStep:
        self.report.statements += 1
        return WriteStep(query, {name: rows}, creates)

    def _detail(self, detail: RecordChange) -> None:
        if len(self.report.details) < DETAILS_KEPT:
            self.report.details.append(detail)


def _query(bucket: str) -> tuple[Cypher, str, Creates]:
    """A bucket's statement, the name of its rows, and what they create (every statement here only
    creates: a MERGE of a file's list or a claim finds nothing in an empty graph)."""
    what, _, name = bucket.partition(":")
    if what == "node":
        return writes.CREATE_NODES[name], "rows", Creates(_KINDS[name].labels)
    if what == "edge":
        return writes.CREATE_EDGES[Rel(name)], "rows", Creates((name,), edge=True)
    if what == "claims":
        return writes.SET_RECORD_CLAIMS, "rows", Creates(("Claim",))
    return history.RECORD, "rows", Creates(("Change",), props=None)


_FILES = Creates(("SeedFile",))


def _kind(record: str) -> Kind:
    kind = kind_of(record)
    if kind is None:
        raise ValueError(f"{record} is not an id of a registered kind")
    return kind


__all__ = ["DETAILS_KEPT", "FileWrites", "FreshLoad", "Later"]
