"""The Mutation root. Resolvers map input to a record and the write service's answer to a payload; the
write service (graphapi/graph/writer.py) checks and writes in one atomic step and announces the change.

Every mutation needs an API key: the write scope for upserts and plain deletes, the admin scope for
cascading deletes and for managing keys."""

from __future__ import annotations

import enum
import logging
from typing import Any

import strawberry

from graphapi.api.mutations.convert import as_input_error, to_record
from graphapi.api.mutations.inputs import (
    ActorInput,
    EventInput,
    MeasureInput,
    OfficeInput,
    PositionInput,
    SourceInput,
    StatementInput,
    TenureInput,
)
from graphapi.api.mutations.payloads import (
    ActorPayload,
    ApiKeyCreated,
    DeletePayload,
    EventPayload,
    MeasurePayload,
    OfficePayload,
    PositionPayload,
    SourcePayload,
    StatementPayload,
)
from graphapi.api.types import Info, Tenure, build, build_as
from graphapi.auth import Scope, create_key, revoke_key
from graphapi.errors import BadUserInput, InvalidRecord, NotFound
from graphapi.graph import records as r
from graphapi.graph.kinds import ACTOR_KINDS, BY_PREFIX, kind_of
from graphapi.graph.model import Rel
from graphapi.graph.writer import Saved

log = logging.getLogger("graphapi.edits")


@strawberry.enum(description="What an API key may do: read; write (and read); admin (and write).")
class KeyScope(enum.Enum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


def _checked_id(value: str | None, argument: str, prefixes: tuple[str, ...]) -> str | None:
    kind = kind_of(value) if value is not None else None
    if value is not None and (kind is None or kind.prefix not in prefixes):
        wanted = " or ".join(f"'{p}:...'" for p in prefixes)
        raise BadUserInput(f"`{argument}` must be the id of a {wanted}", argument=argument)
    return value


async def _upsert(info: Info, record_type: type[r.Record], given: Any, source: str | None) -> Saved:
    principal = await info.context.require(Scope.WRITE)
    record = to_record(record_type, given)
    _checked_id(source, "input.source", ("source",))
    try:
        saved = await info.context.writer.upsert(record, source=source, who=principal.label)
    except InvalidRecord as exc:
        raise as_input_error(exc) from exc
    info.context.loaders.forget(saved.id)
    if saved.record is not None:
        info.context.loaders.prime([saved.record])
    return saved


def _built(saved: Saved) -> Any:
    assert saved.record is not None
    return build(saved.record)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create or replace a statement (needs a key with the write scope).")
    async def upsert_statement(self, info: Info, input: StatementInput) -> StatementPayload:
        saved = await _upsert(info, r.Statement, input, input.source)
        return StatementPayload(created=saved.created, changed=saved.changed, statement=_built(saved))

    @strawberry.mutation(description="Create or replace a position (needs a key with the write scope).")
    async def upsert_position(self, info: Info, input: PositionInput) -> PositionPayload:
        saved = await _upsert(info, r.Position, input, None)
        return PositionPayload(created=saved.created, changed=saved.changed, position=_built(saved))

    @strawberry.mutation(description="Create or replace a measure (needs a key with the write scope).")
    async def upsert_measure(self, info: Info, input: MeasureInput) -> MeasurePayload:
        saved = await _upsert(info, r.Measure, input, input.source)
        return MeasurePayload(created=saved.created, changed=saved.changed, measure=_built(saved))

    @strawberry.mutation(description="Create or replace an event (needs a key with the write scope).")
    async def upsert_event(self, info: Info, input: EventInput) -> EventPayload:
        saved = await _upsert(info, r.Event, input, input.source)
        return EventPayload(created=saved.created, changed=saved.changed, event=_built(saved))

    @strawberry.mutation(description="Create or replace an actor (needs a key with the write scope).")
    async def upsert_actor(self, info: Info, input: ActorInput) -> ActorPayload:
        kind = kind_of(input.id)
        if kind is None or not kind.actor:
            wanted = ", ".join(f"'{k.prefix}:'" for k in ACTOR_KINDS)
            raise BadUserInput(f"`input.id` must be the id of a {wanted}", argument="input.id")
        saved = await _upsert(info, kind.record, input, input.source)
        return ActorPayload(created=saved.created, changed=saved.changed, actor=_built(saved))

    @strawberry.mutation(description="Create or replace an office (needs a key with the write scope).")
    async def upsert_office(self, info: Info, input: OfficeInput) -> OfficePayload:
        saved = await _upsert(info, r.Office, input, input.source)
        return OfficePayload(created=saved.created, changed=saved.changed, office=_built(saved))

    @strawberry.mutation(
        description=(
            "Create or replace a source (needs a key with the write scope). Its text cannot change while "
            "statements or evidence point into it: their spans would no longer hold."
        )
    )
    async def upsert_source(self, info: Info, input: SourceInput) -> SourcePayload:
        saved = await _upsert(info, BY_PREFIX["source"].record, input, None)
        return SourcePayload(created=saved.created, changed=saved.changed, source=_built(saved))

    @strawberry.mutation(
        description="Set who holds an office and since when (needs a key with the write scope)."
    )
    async def set_tenure(self, info: Info, input: TenureInput) -> Tenure:
        principal = await info.context.require(Scope.WRITE)
        record = to_record(r.Tenure, input)
        _checked_id(input.source, "input.source", ("source",))
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

    @strawberry.mutation(
        description="Remove a tenure; true when there was one (needs a key with the write scope)."
    )
    async def remove_tenure(self, info: Info, holder: strawberry.ID, office: strawberry.ID) -> bool:
        await info.context.require(Scope.WRITE)
        _checked_id(holder, "holder", ("person",))
        _checked_id(office, "office", ("office",))
        removed = await info.context.writer.remove_tenure(holder, office)
        info.context.loaders.forget(holder)
        return removed

    @strawberry.mutation(
        description=(
            "Delete a node (needs a key with the write scope). Refused while other nodes refer to it, "
            "naming them, unless `cascade` is true (needs the admin scope): then what can no longer stand "
            "without it goes too (a statement whose speaker goes, a position whose last evidence goes), "
            "and the nodes that only referred to it stay, without the relationship."
        )
    )
    async def delete_node(self, info: Info, id: strawberry.ID, cascade: bool = False) -> DeletePayload:
        principal = await info.context.require(Scope.ADMIN if cascade else Scope.WRITE)
        if kind_of(id) is None:
            raise BadUserInput("`id` must be a global id such as 'person:mark-carney'", argument="id")
        deleted = await info.context.writer.delete(id, cascade=cascade)
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
        for gone in deleted.deleted:
            info.context.loaders.forget(gone)
        for kept in deleted.detached:
            info.context.loaders.forget(kept)
        detached = [
            built
            for record in await info.context.loaders.nodes(deleted.detached)
            if (built := build_as(record, "Node")) is not None
        ]
        return DeletePayload(
            deleted_id=strawberry.ID(id),
            deleted=[strawberry.ID(i) for i in deleted.deleted],
            detached=detached,
        )

    @strawberry.mutation(description="Create an API key (needs a key with the admin scope).")
    async def create_api_key(self, info: Info, name: str, scope: KeyScope) -> ApiKeyCreated:
        await info.context.require(Scope.ADMIN)
        key = await create_key(info.context.store, name, Scope[scope.name])
        return ApiKeyCreated(id=strawberry.ID(key.split("_")[1]), name=name, scope=scope.value, key=key)

    @strawberry.mutation(
        description="Revoke an API key; answers when it was revoked (needs a key with the admin scope)."
    )
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> str:
        await info.context.require(Scope.ADMIN)
        return await revoke_key(info.context.store, id)
