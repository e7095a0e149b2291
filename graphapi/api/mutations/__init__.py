"""The Mutation root. Resolvers map input to a record and the write service's answer to a payload; the
write service (graphapi/graph/writer.py) checks and writes in one atomic step and announces the change.

Every mutation needs an API key: the write scope for upserts and plain deletes, the admin scope for
cascading deletes and for managing keys."""

from __future__ import annotations

import enum
import logging
from typing import Annotated

import strawberry

from graphapi.api.enums import described
from graphapi.api.mutations.convert import as_input_error, to_record
from graphapi.api.mutations.inputs import TenureInput
from graphapi.api.mutations.payloads import ApiKeyCreated, DeletePayload
from graphapi.api.mutations.placing import placed
from graphapi.api.mutations.retract import RETRACT_DESCRIPTION, retract_claim
from graphapi.api.mutations.upserts import upsert_mutations
from graphapi.api.queries.drafts import DRAFT_DESCRIPTION, draft_source
from graphapi.api.types import Info, Tenure, build_as
from graphapi.auth import Scope, create_key, revoke_key
from graphapi.errors import BadUserInput, InvalidRecord, NotFound
from graphapi.graph import records as r
from graphapi.graph.kinds import kind_of
from graphapi.graph.model import Rel

log = logging.getLogger("graphapi.edits")


@strawberry.enum(description="What an API key may do: read; write (and read); admin (and write).")
class KeyScope(enum.Enum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


described(
    KeyScope,
    {
        "READ": "Queries (when reads need a key).",
        "WRITE": "Queries, upserts and plain deletes.",
        "ADMIN": "Everything, cascading deletes and managing keys included.",
    },
)


def _checked_id(value: str | None, argument: str, prefixes: tuple[str, ...]) -> str | None:
    kind = kind_of(value) if value is not None else None
    if value is not None and (kind is None or kind.prefix not in prefixes):
        wanted = " or ".join(f"'{p}:...'" for p in prefixes)
        raise BadUserInput(f"`{argument}` must be the id of a {wanted}", argument=argument)
    return value


async def set_tenure(
    info: Info,
    input: Annotated[
        TenureInput,
        strawberry.argument(description="The tenure: who, which office, when, and the spans that say so."),
    ],
) -> Tenure:
    principal = await info.context.require(Scope.WRITE)
    record = to_record(r.Tenure, input)
    _checked_id(input.source, "input.source", ("source",))
    record = await placed(info.context.writer.store, record, input.source)
    try:
        saved = await info.context.writer.set_tenure(record, source=input.source, who=principal.label)
    except InvalidRecord as exc:
        raise as_input_error(exc) from exc
    info.context.loaders.forget(saved.id)
    holder = await info.context.loaders.node.load(saved.id)
    edge = next((e for e in holder.edges(Rel.HOLDS) if e.dst == record.office), None) if holder else None
    if edge is None:
        raise NotFound(
            f"the tenure of {record.holder} in {record.office} was written but cannot be read back"
        )
    return Tenure(holder_id=record.holder, office_id=record.office, props=edge.props)


async def remove_tenure(
    info: Info,
    holder: Annotated[strawberry.ID, strawberry.argument(description="The person (a global id).")],
    office: Annotated[strawberry.ID, strawberry.argument(description="The office (a global id).")],
) -> bool:
    principal = await info.context.require(Scope.WRITE)
    _checked_id(holder, "holder", ("person",))
    _checked_id(office, "office", ("office",))
    removed = await info.context.writer.remove_tenure(holder, office, who=principal.label)
    info.context.loaders.forget(holder)
    return removed


async def delete_node(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The node to delete (a global id).")],
    cascade: Annotated[
        bool,
        strawberry.argument(
            description=(
                "Also delete what cannot stand without it, and detach what only refers to it "
                "(needs the admin scope). Without it, a node others refer to is not deleted."
            )
        ),
    ] = False,
) -> DeletePayload:
    principal = await info.context.require(Scope.ADMIN if cascade else Scope.WRITE)
    if kind_of(id) is None:
        raise BadUserInput("`id` must be a global id such as 'person:mark-carney'", argument="id")
    deleted = await info.context.writer.delete(id, cascade=cascade, who=principal.label)
    # A deleted node cannot carry who deleted it: the log does, with the request id.
    log.info(
        "nodes deleted",
        extra={
            "node_id": id,
            "deleted": deleted.deleted,
            "by": principal.label,
            "cascade": cascade,
            "request_id": info.context.request_id,
        },
    )
    for changed in (*deleted.deleted, *deleted.detached):
        info.context.loaders.forget(changed)
    records = await info.context.loaders.nodes(deleted.detached)
    detached = [built for record in records if (built := build_as(record, "Node")) is not None]
    return DeletePayload(
        deleted_id=strawberry.ID(id), deleted=[strawberry.ID(i) for i in deleted.deleted], detached=detached
    )


async def create_api_key(
    info: Info,
    name: Annotated[
        str, strawberry.argument(description="A name for the key, to recognise it in `apiKeys`.")
    ],
    scope: Annotated[KeyScope, strawberry.argument(description="What the key may do: READ, WRITE or ADMIN.")],
) -> ApiKeyCreated:
    await info.context.require(Scope.ADMIN)
    key = await create_key(info.context.store, name, Scope[scope.name])
    return ApiKeyCreated(id=strawberry.ID(key.split("_")[1]), name=name, scope=scope.value, key=key)


async def revoke_api_key(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The id of the key to revoke.")]
) -> str:
    await info.context.require(Scope.ADMIN)
    return await revoke_key(info.context.store, id)


DELETE_DESCRIPTION = (
    "Delete a node (needs a key with the write scope). Refused while other nodes refer to it, naming them, "
    "unless `cascade` is true (needs the admin scope): then what can no longer stand without it goes too "
    "(a statement whose speaker goes, a position whose last evidence goes), and the nodes that only referred "
    "to it stay, without the relationship."
)

Mutation = strawberry.type(
    type(
        "Mutation",
        (),
        {
            **upsert_mutations(),
            "set_tenure": strawberry.mutation(
                resolver=set_tenure,
                description="Set who holds an office and since when (needs a key with the write scope).",
            ),
            "remove_tenure": strawberry.mutation(
                resolver=remove_tenure,
                description="Remove a tenure; true when there was one (needs a key with the write scope).",
            ),
            "delete_node": strawberry.mutation(
                resolver=delete_node,
                description=DELETE_DESCRIPTION,
            ),
            "retract_claim": strawberry.mutation(resolver=retract_claim, description=RETRACT_DESCRIPTION),
            "draft_source": strawberry.mutation(resolver=draft_source, description=DRAFT_DESCRIPTION),
            "create_api_key": strawberry.mutation(
                resolver=create_api_key, description="Create an API key (needs a key with the admin scope)."
            ),
            "revoke_api_key": strawberry.mutation(
                resolver=revoke_api_key,
                description="Revoke an API key; answers when it was revoked (needs the admin scope).",
            ),
        },
    ),
    description=(
        "What a client can write, with an API key (`Authorization: Bearer gapi_...`): upserts that create "
        "or replace a node by id, tenures, deletes, and the keys themselves. Each write is checked and "
        "lands whole or not at all."
    ),
)
