"""The upsert mutations, one per kind of the registry (one for the actor kinds together): each takes the
kind's input type, maps it to the kind's record, writes it through the write service and answers a payload
with the node as it now stands. Adding a kind adds its mutation here without a line of code: the kind's
input type is the one written in graphapi/api/mutations/inputs.py, or else derived from its record
(graphapi/api/mutations/derived_inputs.py)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types.field import StrawberryField

from graphapi.api.mutations.convert import as_input_error, to_record
from graphapi.api.mutations.derived_inputs import input_type as kind_input
from graphapi.api.mutations.placing import placed
from graphapi.api.types import NODE_TYPES, Actor, Info, build
from graphapi.auth import Scope
from graphapi.errors import BadUserInput, InvalidRecord
from graphapi.graph.claims import has_claims
from graphapi.graph.kinds import ACTOR_KINDS, KINDS, Kind, kind_of

_CREATED = "True when the node did not exist before."
SOURCE_TEXT_LOCKED = (
    " Its text cannot change while statements or evidence point into it: their spans would no longer hold."
)
_CHANGED = "False when the graph already said exactly this: nothing was written and no change announced."


def payload_type(type_name: str, field: str, node_type: type) -> type:
    """`<Type>Payload { created changed <field> }`."""
    what = type_name.lower()
    namespace: dict[str, Any] = {
        "__annotations__": {"created": bool, "changed": bool, field: node_type},
        "created": strawberry.field(description=_CREATED),
        "changed": strawberry.field(description=_CHANGED),
        field: strawberry.field(description=f"The {what} as it now stands in the graph."),
    }
    description = f"What `upsert{type_name}` did, and the {what} as it now stands."
    return strawberry.type(type(f"{type_name}Payload", (), namespace), description=description)


def _record_type(kinds: tuple[Kind, ...], node_id: str) -> type:
    """The record of the kind an input's id names, among the kinds the mutation writes (a mutation of one
    kind leaves a wrong id to its record's own check and message)."""
    if len(kinds) == 1:
        return kinds[0].record
    kind = kind_of(node_id)
    if kind is None or kind not in kinds:
        wanted = " or ".join(f"'{k.prefix}:...'" for k in kinds)
        raise BadUserInput(f"`input.id` must be the id of a {wanted}", argument="input.id")
    return kind.record


def upsert_mutation(type_name: str, kinds: tuple[Kind, ...], node_type: type) -> StrawberryField:
    input_type = kind_input(type_name, kinds[0])
    field = type_name[0].lower() + type_name[1:]
    payload = payload_type(type_name, field, node_type)

    async def resolve(self: Any, info: Info, input: Any) -> Any:
        principal = await info.context.require(Scope.WRITE)
        record = to_record(_record_type(kinds, input.id), input)
        source = getattr(input, "source", None)
        if source is not None and (kind_of(source) is None or kind_of(source).prefix != "source"):  # type: ignore[union-attr]
            raise BadUserInput("`input.source` must be the id of a 'source:...'", argument="input.source")
        record = await placed(info.context.writer.store, record, source)
        try:
            saved = await info.context.writer.upsert(record, source=source, who=principal.label)
        except InvalidRecord as exc:
            raise as_input_error(exc) from exc
        assert saved.record is not None
        info.context.loaders.forget(saved.id)
        info.context.loaders.prime([saved.record])
        return payload(created=saved.created, changed=saved.changed, **{field: build(saved.record)})

    if has_claims(kinds[0]):
        input_description = (
            f"The {type_name.lower()} as the source it names reports it (or, naming none, as the curators "
            "say it today): the API's claim of that source, which replaces the one before; a field left out "
            "or empty keeps what other sources say (README, Sources and claims)."
        )
    else:
        input_description = (
            f"The {type_name.lower()} as it should be: what it does not name is removed from it."
        )
    resolve.__annotations__ = {
        "info": Info,
        "input": Annotated[input_type, strawberry.argument(description=input_description)],
        "return": payload,
    }
    article = "an" if type_name[0] in "AEIOU" else "a"
    description = f"Create or replace {article} {type_name.lower()} (needs a key with the write scope)."
    if type_name == "Source":
        description += SOURCE_TEXT_LOCKED
    field_: StrawberryField = strawberry.mutation(resolver=resolve, description=description)
    return field_


def upsert_mutations() -> dict[str, StrawberryField]:
    """`upsert<Type>` for every kind, and `upsertActor` for the actor kinds together."""
    fields = {"upsert_actor": upsert_mutation("Actor", ACTOR_KINDS, Actor)}
    for kind in KINDS:
        if not kind.actor:
            name = kind.graphql_type
            snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
            fields[f"upsert_{snake}"] = upsert_mutation(name, (kind,), NODE_TYPES[name])
    return fields
