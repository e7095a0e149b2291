"""Records still marked as drafts (`draft:`, written by `graphapi seed draft`): a file validates with
them, so a curator can check a draft as it is, but a load refuses them, naming each, until the curator
accepts the record by removing its mark."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphapi.graph import records as r
from graphapi.graph.kinds import KINDS, RELATIONSHIP_KINDS
from graphapi.seed.files import SeedDocument
from graphapi.seed.problems import SeedProblem

REFUSED = (
    "is still a draft ({rule}, confidence {confidence:g}): review it, then remove its `draft` field to "
    "accept it, or remove the record"
)


def drafted(documents: Iterable[SeedDocument]) -> list[SeedProblem]:
    """A problem for each record of the files that is still marked as a draft."""
    problems: list[SeedProblem] = []
    for document in documents:
        for section, index, record in _records(document):
            mark = getattr(record, "draft", None)
            if isinstance(mark, r.DraftMark):
                message = REFUSED.format(rule=mark.rule, confidence=mark.confidence)
                problems.append(SeedProblem(document.path, _where(section, index, record), "draft", message))
    return problems


def _records(document: SeedDocument) -> list[tuple[str, int | None, r.Record]]:
    """Each record of a file: its section, its place in it (None: the source) and itself."""
    out: list[tuple[str, int | None, r.Record]] = []
    for kind in sorted(KINDS, key=lambda k: not k.single):  # the source first
        value = getattr(document.records, kind.section)
        if kind.single:
            if value is not None:
                out.append((kind.section, None, value))
            continue
        out += [(kind.section, i, record) for i, record in enumerate(value)]
    for rel in RELATIONSHIP_KINDS:
        out += [(rel.section, i, record) for i, record in enumerate(getattr(document.records, rel.section))]
    return out


def _where(section: str, index: int | None, record: Any) -> str:
    """How problems name a record: `statements[3] (statement:s3)`, `tenures[0] (holder in office)`."""
    if index is None:
        return f"{section} ({record.id})"
    if isinstance(record, r.Tenure):
        return f"{section}[{index}] ({record.holder} in {record.office})"
    return f"{section}[{index}] ({record.id})"
