"""From the records of seed files to the nodes and relationships they stand for, each remembering where
it came from, so a problem found later (a dangling reference, a quote not in its source) names its file,
record and field. Quotes are placed in their source's text here (graphapi/seed/spans.py), and each record
belongs to its file: a file is known by its name, and owns what it states (graphapi/graph/loads.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphapi.graph import records as r
from graphapi.graph.claims import Claim, claim_of, has_claims
from graphapi.graph.kinds import KINDS, TENURE
from graphapi.graph.load_plan import LoadPlan, TenureKey, tenure_label
from graphapi.graph.mapping import NodeWrite, TenureWrite, node_write, tenure_write
from graphapi.seed.digests import stamp
from graphapi.seed.files import SeedDocument
from graphapi.seed.problems import SeedProblem
from graphapi.seed.spans import place_record


@dataclass(frozen=True)
class Origin:
    file: Path
    record: str


def owner_name(path: Path) -> str:
    """How the graph knows a seed file: by its name (seed files live side by side in one directory)."""
    return path.name


@dataclass
class SeedPlan:
    """The load plan of a set of seed files, with where each node and tenure was stated, and the problems
    found placing their quotes."""

    nodes: list[tuple[NodeWrite, Origin, SeedDocument]] = field(default_factory=list)
    tenures: list[tuple[TenureWrite, Origin, SeedDocument]] = field(default_factory=list)
    documents: list[SeedDocument] = field(default_factory=list)
    problems: list[SeedProblem] = field(default_factory=list)
    # what each file says of the records several files may state (graphapi/graph/claims.py)
    claims: list[Claim] = field(default_factory=list)

    @property
    def load(self) -> LoadPlan:
        return LoadPlan(
            [n for n, _, _ in self.nodes],
            [t for t, _, _ in self.tenures],
            owners=[owner_name(doc.path) for doc in self.documents],
            owner_of={n.id: owner_name(origin.file) for n, origin, _ in self.nodes},
            tenure_owner_of={(t.holder, t.office): owner_name(origin.file) for t, origin, _ in self.tenures},
            claims=self.claims,
            stamps={owner_name(doc.path): stamp(doc.digest, doc.inputs) for doc in self.documents},
        )

    def origin(self, record: str) -> Origin | None:
        """Where a node (by id) or a tenure (`holder -[HOLDS]-> office`) is stated."""
        for node, origin, _ in self.nodes:
            if node.id == record:
                return origin
        for tenure, origin, _ in self.tenures:
            if tenure_label((tenure.holder, tenure.office)) == record:
                return origin
        return None

    def file_named(self, owner: str | None) -> Path | None:
        return next((doc.path for doc in self.documents if owner_name(doc.path) == owner), None)


def plan(documents: list[SeedDocument]) -> SeedPlan:
    out = SeedPlan(documents=list(documents))
    names: dict[str, Path] = {}
    for document in documents:
        first = names.setdefault(owner_name(document.path), document.path)
        if first != document.path:
            message = f"a file is known by its name, and {first} has the same one; rename one of them"
            out.problems.append(SeedProblem(document.path, None, None, message))
        _plan_document(document, out)
    return out


def _plan_document(doc: SeedDocument, out: SeedPlan) -> None:
    seed = doc.records
    source = seed.source
    if source is not None:  # first: its own date, placed, is what relative bounds resolve against
        origin = Origin(doc.path, f"source ({source.id})")
        source = _placed(source.model_copy(update={"text": doc.source_text}), doc, origin, out)
        out.nodes.append((node_write(source, source.id), origin, doc))
    source_id = source.id if source else None
    # the source's own date, which relative bounds ("latest: written") resolve against
    written = source.written_on.fuzzy() if source and source.written_on else None
    for kind in KINDS:
        if kind.single:
            continue
        for i, record in enumerate(getattr(seed, kind.section)):
            origin = Origin(doc.path, f"{kind.section}[{i}] ({record.id})")
            write = node_write(_placed(record, doc, origin, out), source_id, written)
            out.nodes.append((write, origin, doc))
            if has_claims(kind):
                reported = written.end_key if written is not None and written.latest else ""
                out.claims.append(claim_of(write, owner_name(doc.path), record.model_fields_set, reported))
    for i, tenure in enumerate(getattr(seed, TENURE.section)):
        assert isinstance(tenure, r.Tenure)
        origin = Origin(doc.path, f"{TENURE.section}[{i}] ({tenure.holder} in {tenure.office})")
        placed = _placed(tenure, doc, origin, out)
        out.tenures.append((tenure_write(placed, source_id, written), origin, doc))


def _placed(record: Any, doc: SeedDocument, origin: Origin, out: SeedPlan) -> Any:
    """The record with its quotes' offsets, found where left out; what cannot be placed is a problem."""
    placed, problems = place_record(record, doc.source_text)
    out.problems += [SeedProblem(origin.file, origin.record, f, message) for f, message in problems]
    return placed


__all__ = ["Origin", "SeedPlan", "TenureKey", "owner_name", "plan"]
