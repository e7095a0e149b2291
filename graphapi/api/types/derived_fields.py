"""A record's fields as GraphQL fields: the Strawberry field and its resolver derived from the record's
field and the relationships its kind owns (graphapi/graph/kinds.py, Link).

A type written by hand declares only the fields with logic of their own; a plain field stands in it as
`shown()` (at its place among the written ones, with the API's words where they are not the record's),
and `@record_type` gives it its type and its resolver from the record. A kind no module writes a type for
gets one from its record alone (derived_types.py).
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import strawberry
from pydantic.fields import FieldInfo
from strawberry.utils.str_converters import to_camel_case

from graphapi.api.types.common import (
    NODE_TYPES,
    Evidence,
    FuzzyDate,
    Info,
    Node,
    many,
    node_type,
    one,
    spans_evidence,
)
from graphapi.api.types.refs import REFS
from graphapi.graph import records as r
from graphapi.graph.kinds import ACTOR_KINDS, BY_PREFIX, KINDS, Kind, Link, actor_fields
from graphapi.graph.model import Rel
from graphapi.graph.record_fields import IdOf

NOT_SHOWN = frozenset({"id", "draft"})  # the id is every node's; the drafter's mark is for seed files
SCALARS = (str, bool, int, float)
BY_TYPE: Mapping[str, Kind] = {kind.graphql_type: kind for kind in KINDS}
T = TypeVar("T", bound=type)


@dataclass(frozen=True)
class Plain:
    """A record's field shown (or sent, in an input) as it is: its place in a written type, and the API's
    words for it when they are not the record's (None: the record's description, as a sentence)."""

    words: str | None = None


def shown(words: str | None = None) -> Any:
    """A plain field of a written type: its type and resolver come from the record (@record_type)."""
    return Plain(words)


@dataclass(frozen=True)
class Fields:
    """What a type's fields are derived from: the record's fields, the relationships they hold, and the
    node's properties where their names are not the camelCase of the fields'."""

    of: str  # the record's name, for the errors
    fields: Mapping[str, FieldInfo]
    links: Mapping[str, Link]
    renamed: Mapping[str, str]

    @classmethod
    def of_kind(cls, kind: Kind) -> Fields:
        links = {link.field: link for link in kind.links}
        return cls(kind.record.__name__, kind.record.model_fields, links, kind.renamed)

    def field(self, name: str, words: str | None = None) -> Any:
        """The Strawberry field that shows the record's field `name`."""
        if name not in self.fields:
            raise TypeError(f"{self.of} has no field {name}: write the field by hand")
        field, where = self.fields[name], f"{self.of}.{name}"
        link = self.links.get(name)
        if link is not None:
            resolve = link_resolver(link, field, where)
        else:
            resolve = property_resolver(self.renamed.get(name, to_camel_case(name)), field, where)
        return strawberry.field(resolver=resolve, description=words or sentence(field.description or name))


def record_type(description: str, hidden: Iterable[str] = ()) -> Callable[[T], T]:
    """@node_type for a kind's type written by hand: its `shown()` fields derived from the kind's record.
    Every field of the record is shown, written, or `hidden` (shown by a written field of other words)."""

    def derive(cls: T) -> T:
        kind = BY_TYPE[cls.__name__]
        return node_type(description)(derive_shown(cls, Fields.of_kind(kind), hidden))

    return derive


def actor_interface(description: str) -> Callable[[T], T]:
    """strawberry.interface for the Actor interface: its `shown()` fields derived from the fields every
    actor kind's record has."""

    def derive(cls: T) -> T:
        first = ACTOR_KINDS[0]
        links = {link.field: link for link in first.links if all(link in k.links for k in ACTOR_KINDS)}
        fields = Fields("Actor", actor_fields(), links, {})
        return strawberry.interface(derive_shown(cls, fields), description=description)

    return derive


def derive_shown(cls: T, fields: Fields, hidden: Iterable[str] = ()) -> T:
    """The class with each `shown()` replaced, in place, by the field derived from the record's."""
    for name, value in list(vars(cls).items()):
        if isinstance(value, Plain):
            setattr(cls, name, fields.field(name, value.words))
    inherited = {f.python_name for base in cls.__mro__[1:] for f in _definition_fields(base)}
    missing = set(fields.fields) - NOT_SHOWN - set(vars(cls)) - inherited - set(hidden)
    if missing:
        raise TypeError(
            f"{fields.of}: {sorted(missing)} are neither shown(), written, nor hidden in {cls.__name__}"
        )
    return cls


def _definition_fields(cls: type) -> list[Any]:
    definition = getattr(cls, "__strawberry_definition__", None)
    return list(definition.fields) if definition is not None else []


def link_resolver(link: Link, field: FieldInfo, where: str) -> Callable[..., Any]:
    """The nodes a relationship the record owns leads to, or its evidence spans."""
    if link.rel is Rel.EVIDENCE_IN:

        def spans(self: Any) -> Any:
            return spans_evidence(self.record.props)

        spans.__annotations__ = {"return": list[Evidence]}
        return spans
    target, listed = id_field(field.annotation, field.metadata, where)
    name, cls = target_type(target, where)
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


def target_type(kinds: str, where: str) -> tuple[str, Any]:
    """The GraphQL type of the nodes an id names: a kind's, or an interface over several (its class, or a
    lazy reference to the module that writes it, which may not have run yet)."""
    several = kinds.split(" or ")  # ids of a few kinds ("measure or event") lead to any node
    if kinds == "node" or (len(several) > 1 and all(name in BY_PREFIX for name in several)):
        return "Node", Node
    if kinds == "actor":
        return "Actor", REFS["Actor"]
    kind = BY_PREFIX.get(kinds)
    if kind is not None and kind.graphql_type in NODE_TYPES:
        return kind.graphql_type, NODE_TYPES[kind.graphql_type]
    if kind is not None and kind.graphql_type in REFS:
        return kind.graphql_type, REFS[kind.graphql_type]
    raise TypeError(f"{where}: ids of {kinds} lead to no written type; write the kind's type by hand")


def id_field(annotation: Any, metadata: Sequence[Any], where: str) -> tuple[str, bool]:
    """(what the ids name, whether a list) of a field of ids."""
    for mark in metadata:
        if isinstance(mark, IdOf):
            return mark.kinds, False
    origin = get_origin(annotation)
    if origin is Annotated:
        return id_field(get_args(annotation)[0], get_args(annotation)[1:], where)
    if origin is list:
        kinds, _ = id_field(get_args(annotation)[0], (), where)
        return kinds, True
    if origin in (Union, types.UnionType):
        given = [a for a in get_args(annotation) if a is not type(None)]
        if len(given) == 1:
            return id_field(given[0], (), where)
    raise TypeError(f"{where}: a relationship's field holds ids; write the kind's type by hand")


def property_resolver(prop: str, field: FieldInfo, where: str) -> Callable[..., Any]:
    """The node's property `prop`: a scalar, an enum, a list of them, or a date."""
    shown, convert = shown_as(field.annotation, where)

    def resolve(self: Any) -> Any:
        return convert(self.record, prop)

    resolve.__annotations__ = {"return": shown}
    return resolve


def shown_as(annotation: Any, where: str) -> tuple[Any, Callable[[Any, str], Any]]:
    """The GraphQL type a record's field is shown as, and how it is read from the node's record."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return shown_as(get_args(annotation)[0], where)
    if origin in (Union, types.UnionType):
        given = [a for a in get_args(annotation) if a is not type(None)]
        if len(given) == 1:
            shown, convert = shown_as(given[0], where)
            if shown is FuzzyDate:
                return FuzzyDate | None, convert
            return (
                shown | None,
                lambda record, prop: None if record.get(prop) is None else convert(record, prop),
            )
    elif origin is list:
        item, _ = shown_as(get_args(annotation)[0], where)
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
