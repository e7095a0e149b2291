"""`retractClaim`: take back what writes through the API claimed of a record for a source
(graphapi/graph/api_claims.py); the record is worked out again from the claims left, and goes with the
last."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphapi.api.types import Info, Node, build_as
from graphapi.auth import Scope
from graphapi.errors import BadUserInput
from graphapi.graph.claims import has_claims
from graphapi.graph.kinds import kind_of

RETRACT_DESCRIPTION = (
    "Take back the claim writes through the API made of a record for a source (`source`; null: the claim "
    "of writes that named none). The record is worked out again from the claims left (the seed files', "
    "other sources'); with none left it is deleted, refused while other nodes refer to it. Statements and "
    "sources are not claims: delete them instead (needs a key with the write scope)."
)


@strawberry.type(description="What `retractClaim` did.")
class RetractPayload:
    retracted: bool = strawberry.field(description="False when the API had no such claim: nothing changed.")
    deleted: bool = strawberry.field(description="True when no claim was left, and the record went.")
    node: Node | None = strawberry.field(description="The record as it now stands; null when it went.")


async def retract_claim(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The record (a global id).")],
    source: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="The source the claim was written for; null for writes naming none."),
    ] = None,
) -> RetractPayload:
    principal = await info.context.require(Scope.WRITE)
    kind = kind_of(id)
    if kind is None or not has_claims(kind):
        raise BadUserInput(
            "`id` must be the id of a record sources claim (an actor, office, measure, event or position)",
            argument="id",
        )
    source_kind = kind_of(source) if source is not None else None
    if source is not None and (source_kind is None or source_kind.prefix != "source"):
        raise BadUserInput("`source` must be the id of a 'source:...'", argument="source")
    done = await info.context.writer.retract(id, source, who=principal.label)
    info.context.loaders.forget(id)
    if done.record is not None:
        info.context.loaders.prime([done.record])
    return RetractPayload(retracted=done.retracted, deleted=done.deleted, node=build_as(done.record, "Node"))
