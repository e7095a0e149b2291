"""A kind's GraphQL type derived from its record, for the kinds no module of api/types/ writes.

A field for each of the record's, described in the record's words, the record's docstring for the type.
A kind whose fields need logic of their own (dates read together, incoming relationships, lists of
parts) writes its type by hand.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

import strawberry
from pydantic.fields import FieldInfo
from strawberry.utils.str_converters import to_camel_case

from graphapi.api.types.actors import Actor
from graphapi.api.types.common import (
    NODE_TYPES,
    Evidence,
    FuzzyDate,
    Info,
    Node,
    many,
    missing_types,
    one,
    spans_evidence,
)
from graphapi.graph import records as r
from graphapi.graph.kinds import BY_PREFIX, Kind, Link
from graphapi.graph.model import Rel
from graphapi.graph.record_fields import IdOf

NOT_SHOWN = frozenset({"id", "draft"})  # the id is every node's; the drafter's mark is for seed files
SCALARS = (str, bool, int, float)
INTERFACES: dict[str, type] = {"actor": Actor, "node": Node}  # ids of any actor, of any node


def derive_missing(kinds: Iterable[Kind]) -> None:
    """A type for each kind no module writes one for, registered as the kind's (NODE_TYPES)."""
    by_type = {kind.graphql_type: kind for kind in kinds}
    for name in missing_types(by_type.values()):
        NODE_TYPES[name] = derived_type(by_type[name])


def derived_type(kind: Kind) -> type:
    """The kind's GraphQL type: a field for each of its record's but the id, described as the record
    describes it; a relationship its record owns leads to the nodes of its id's kind."""
    namespace: dict[str, Any] = {}
    links = {link.field: link for link in kind.links}
    for name, field in kind.record.model_fields.items():
        if name in NOT_SHOWN:
            continue
        where = f"{kind.record.__name__}.{name}"
        link = links.get(name)
        if link is not None:
            resolve = _link_resolver(link, field, where)
        else:
            resolve = _property_resolver(kind.renamed.get(name, to_camel_case(name)), field, where)
        namespace[name] = strawberry.field(resolver=resolve, description=sentence(field.description or name))
    base = Actor if kind.actor else Node
    words = " ".join((kind.record.__doc__ or kind.words).split())
    return strawberry.type(type(kind.graphql_type, (base,), namespace), description=words)


def _link_resolver(link: Link, field: FieldInfo, where: str) -> Callable[..., Any]:
    """The nodes a relationship the record owns leads to, or its evidence spans."""
    if link.rel is Rel.EVIDENCE_IN:

        def spans(self: Any) -> Any:
            return spans_evidence(self.record.props)

        spans.__annotations__ = {"return": list[Evidence]}
        return spans
    target, listed = _id_field(field.annotation, field.metadata, where)
    name, cls = _target(target, where)
    rel = link.rel
    if listed:

        async def resolve_many(self: Any, info: Info) -> Any:
            return await many(info, self.record.targets(rel), name)

        resolve_many.__annotations__ = {"info": Info, "return": list[cls]}  # type: ignore[valid-type]
        return resolve_many

    async def resolve_one(self: Any, info: Info) -> Any:
        return await one(info, self.record.target(rel), name)

    resolve_one.__annotations__ = {"info": Info, "return": cls | None}
    return resolve_one


def _target(kinds: str, where: str) -> tuple[str, type]:
    """The GraphQL type of the nodes an id names: a kind's, or an interface over several."""
    if kinds in INTERFACES:
        return kinds.capitalize(), INTERFACES[kinds]
    kind = BY_PREFIX.get(kinds)
    if kind is None or kind.graphql_type not in NODE_TYPES:
        raise TypeError(f"{where}: ids of {kinds} lead to no written type; write the kind's type by hand")
    return kind.graphql_type, NODE_TYPES[kind.graphql_type]


def _id_field(annotation: Any, metadata: Sequence[Any], where: str) -> tuple[str, bool]:
    """(what the ids name, whether a list) of a field of ids."""
    for mark in metadata:
        if isinstance(mark, IdOf):
            return mark.kinds, False
    origin = get_origin(annotation)
    if origin is Annotated:
        return _id_field(get_args(annotation)[0], get_args(annotation)[1:], where)
    if origin is list:
        kinds, _ = _id_field(get_args(annotation)[0], (), where)
        return kinds, True
    if origin in (Union, types.UnionType):
        given = [a for a in get_args(annotation) if a is not type(None)]
        if len(given) == 1:
            return _id_field(given[0], (), where)
    raise TypeError(f"{where}: a relationship's field holds ids; write the kind's type by hand")


def _property_resolver(prop: str, field: FieldInfo, where: str) -> Callable[..., Any]:
    """The node's property `prop`: a scalar, an enum, a list of them, or a date."""
    shown, convert = _shown(field.annotation, where)

    def resolve(self: Any) -> Any:
        return convert(self.record, prop)

    resolve.__annotations__ = {"return": shown}
    return resolve


def _shown(annotation: Any, where: str) -> tuple[Any, Callable[[Any, str], Any]]:
    """The GraphQL type a record's field is shown as, and how it is read from the node's record."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _shown(get_args(annotation)[0], where)
    if origin in (Union, types.UnionType):
        given = [a for a in get_args(annotation) if a is not type(None)]
        if len(given) == 1:
            shown, convert = _shown(given[0], where)
            if shown is FuzzyDate:
                return FuzzyDate | None, convert
            return (
                shown | None,
                lambda record, prop: None if record.get(prop) is None else convert(record, prop),
            )
    elif origin is list:
        item, _ = _shown(get_args(annotation)[0], where)
        if item in SCALARS or (isinstance(item, type) and issubclass(item, enum.Enum)):
            return list[item], lambda record, prop: [item(v) for v in record.get(prop) or []]  # type: ignore[valid-type]
    elif annotation is r.DateIn:
        return FuzzyDate, lambda record, prop: FuzzyDate.of(record.date(prop))
    elif annotation in SCALARS or (isinstance(annotation, type) and issubclass(annotation, enum.Enum)):
        return annotation, lambda record, prop: annotation(record.get(prop))
    raise TypeError(f"{where}: no GraphQL type for {annotation!r}; write the kind's type by hand")


def sentence(words: str) -> str:
    """A record's description ("its name") as the API words one ("Its name.")."""
    words = words[:1].upper() + words[1:]
    return words if words.endswith(".") else words + "."
