"""A kind's GraphQL type derived from its record, for the kinds no module of api/types/ writes.

A field for each of the record's, described in the record's words, the record's docstring for the type
(derived_fields.py). A kind whose fields need logic of their own (dates read together, incoming
relationships, lists of parts) writes its type by hand, and only those fields: its plain ones stand in it
as `shown()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry

from graphapi.api.types.actors import Actor
from graphapi.api.types.common import NODE_TYPES, Node, missing_types
from graphapi.api.types.derived_fields import NOT_SHOWN, Fields
from graphapi.graph.kinds import Kind


def derive_missing(kinds: Iterable[Kind]) -> None:
    """A type for each kind no module writes one for, registered as the kind's (NODE_TYPES)."""
    by_type = {kind.graphql_type: kind for kind in kinds}
    for name in missing_types(by_type.values()):
        NODE_TYPES[name] = derived_type(by_type[name])


def derived_type(kind: Kind) -> type:
    """The kind's GraphQL type: a field for each of its record's but the id, described as the record
    describes it; a relationship its record owns leads to the nodes of its id's kind."""
    fields = Fields.of_kind(kind)
    namespace: dict[str, Any] = {
        name: fields.field(name) for name in kind.record.model_fields if name not in NOT_SHOWN
    }
    base = Actor if kind.actor else Node
    words = " ".join((kind.record.__doc__ or kind.words).split())
    return strawberry.type(type(kind.graphql_type, (base,), namespace), description=words)
