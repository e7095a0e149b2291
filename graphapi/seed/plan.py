"""From the records of seed files to the nodes and relationships they stand for, each remembering where
it came from, so a problem found later (a dangling reference, a wrong span) names its file, record and
field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphapi.graph import records as r
from graphapi.graph.kinds import KINDS, TENURE
from graphapi.graph.loads import LoadPlan
from graphapi.graph.mapping import NodeWrite, TenureWrite, node_write, tenure_write
from graphapi.seed.files import SeedDocument


@dataclass(frozen=True)
class Origin:
    file: Path
    record: str


@dataclass
class SeedPlan:
    """The load plan of a set of seed files, with where each node and tenure was stated."""

    nodes: list[tuple[NodeWrite, Origin, SeedDocument]] = field(default_factory=list)
    tenures: list[tuple[TenureWrite, Origin, SeedDocument]] = field(default_factory=list)

    @property
    def load(self) -> LoadPlan:
        return LoadPlan([n for n, _, _ in self.nodes], [t for t, _, _ in self.tenures])


def plan(documents: list[SeedDocument]) -> SeedPlan:
    out = SeedPlan()
    for document in documents:
        _plan_document(document, out)
    return out


def _plan_document(doc: SeedDocument, out: SeedPlan) -> None:
    seed = doc.records
    source_id = seed.source.id if seed.source else None
    # the source's own date, which relative bounds ("latest: written") resolve against
    written = seed.source.written_on.fuzzy() if seed.source and seed.source.written_on else None
    for kind in KINDS:
        section = getattr(seed, kind.section)
        if kind.single:
            if section is not None:
                record = section.model_copy(update={"text": doc.source_text})
                origin = Origin(doc.path, f"{kind.section} ({record.id})")
                out.nodes.append((node_write(record, source_id, written), origin, doc))
            continue
        for i, record in enumerate(section):
            origin = Origin(doc.path, f"{kind.section}[{i}] ({record.id})")
            out.nodes.append((node_write(record, source_id, written), origin, doc))
    for i, tenure in enumerate(getattr(seed, TENURE.section)):
        assert isinstance(tenure, r.Tenure)
        origin = Origin(doc.path, f"{TENURE.section}[{i}] ({tenure.holder} in {tenure.office})")
        out.tenures.append((tenure_write(tenure, source_id, written), origin, doc))
