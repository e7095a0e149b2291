"""What each source says of a record (graphapi/graph/claims.py): its claims, field by field, and which
of them stand."""

from __future__ import annotations

import json

import strawberry

from graphapi.api.types.common import Date, Info, one
from graphapi.api.types.refs import SourceRef
from graphapi.graph.claims import Claim, Merged, merge
from graphapi.graph.nodes import NodeRecord


@strawberry.type(description="One field of a record as one source reports it.")
class ClaimedField:
    name: str = strawberry.field(
        description="The field, named as in seed files (`status`, `effective_from`, `imposed_by`)."
    )
    value: str = strawberry.field(
        description="What the source says of it, as JSON: the properties it gives the record (a date "
        "gives several), `{}` for a field that is only relationships."
    )
    targets: list[strawberry.ID] = strawberry.field(
        description="The ids it points to, for a field that is a relationship (`imposed_by`, `targets`)."
    )
    stands: bool = strawberry.field(
        description="Whether this source's value is the record's: the latest source's wins (or, for "
        "fields that gather, such as `aliases`, every source's counts)."
    )
    disputed: bool = strawberry.field(
        description="Whether sources of the same date disagree on this field (see `Node.disputed`)."
    )


@strawberry.type(description="What one source says of a record: the fields it reports, with their values.")
class SourceClaim:
    source_id: strawberry.Private[str | None]
    file: str = strawberry.field(
        description="The seed file that states it, or `api <source id>` for a write through the API naming "
        "that source (`api` for one naming none, dated the day it was made)."
    )
    written_by: Date | None = strawberry.field(
        description="The last day the source can have been written: later sources win."
    )
    fields: list[ClaimedField] = strawberry.field(description="The fields it reports, by name.")

    @strawberry.field(description="The source document.")
    async def source(self, info: Info) -> SourceRef | None:
        return await one(info, self.source_id, "Source")


async def claims_of(info: Info, record: NodeRecord, field: str | None) -> list[SourceClaim]:
    """Every claim of a record, oldest source first; only those reporting `field` when given."""
    claims: list[Claim] = sorted(await info.context.loaders.claims.load(record.id), key=lambda c: c.order)
    if not claims:
        return []
    merged = merge(record.kind, claims)
    out = []
    for claim in claims:
        names = [n for n in sorted({*claim.values, *claim.links}) if field is None or n == field]
        if names:
            out.append(_claim(claim, names, merged))
    return out


def _claim(claim: Claim, names: list[str], merged: Merged) -> SourceClaim:
    return SourceClaim(
        source_id=claim.source,
        file=claim.owner,
        written_by=Date(claim.reported) if claim.reported else None,
        fields=[
            ClaimedField(
                name=name,
                value=json.dumps(claim.values.get(name, {}), sort_keys=True),
                targets=[strawberry.ID(dst) for _, dst in claim.links.get(name, [])],
                stands=merged.stands(claim, name),
                disputed=merged.disputes(claim, name),
            )
            for name in names
        ],
    )
