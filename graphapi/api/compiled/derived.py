"""The field table's rules that follow from the kind registry (graphapi/graph/kinds.py) and the schema, so
a plain field is declared once, in its record, and its GraphQL type follows from it (a written type's
`shown()` fields, graphapi/api/types/derived_fields.py, or the derived type of derived_types.py): a
kind's property (a scalar, an enum, a list of them) reads the node's property; a date reads the date's
flat properties; a relationship the kind's record owns (its `links`) leads to the nodes of the field's
type, or to the evidence spans stored on the node. Fields with their own logic are written in the table
(fields.py), which wins over what is derived here."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    get_named_type,
    is_enum_type,
    is_scalar_type,
)
from strawberry.utils.str_converters import to_camel_case

from graphapi.api.compiled.evidence import node_evidence
from graphapi.api.compiled.field_rules import date, out_many, out_one, prop
from graphapi.api.compiled.fields import FIELDS, NODE
from graphapi.api.compiled.objects import FieldTable, Rule
from graphapi.graph.kinds import ACTOR_LABEL, KINDS, Kind
from graphapi.graph.model import Rel

DATE_TYPE = "FuzzyDate"
EVIDENCE_TYPE = "Evidence"
# The types a relationship leads to: a kind's, or the interfaces over several kinds.
NODE_TYPES = frozenset({kind.graphql_type for kind in KINDS} | {"Node", ACTOR_LABEL})


@functools.cache
def _rule(make: Callable[..., Rule], *args: Any) -> Rule:
    """One rule per declaration: the actor types share their `name`'s rule, so a selection on the Actor
    interface reads it once for every type (objects.py)."""
    return make(*args)


def _is_list(field_type: GraphQLOutputType) -> bool:
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    return isinstance(inner, GraphQLList)


def derived_rule(kind: Kind, name: str, field: GraphQLField) -> Rule | None:
    """The rule a field of a kind's GraphQL type follows from its declarations, or None."""
    if name in NODE or field.args:
        return None
    links = {to_camel_case(link.field): link for link in kind.links if link.part is None}
    named = get_named_type(field.type)
    link = links.get(name)
    if link is not None:
        if link.rel is Rel.EVIDENCE_IN and named.name == EVIDENCE_TYPE:
            return node_evidence  # the spans stored flat on the node
        if named.name not in NODE_TYPES:
            return None
        return _rule(out_many if _is_list(field.type) else out_one, link.rel, named.name)
    properties = {to_camel_case(f): kind.renamed.get(f, to_camel_case(f)) for f in kind.record.model_fields}
    if name not in properties:
        return None
    if named.name == DATE_TYPE:
        return _rule(date, properties[name])
    if is_scalar_type(named) or is_enum_type(named):
        return _rule(prop, properties[name], "[]" if _is_list(field.type) else None)
    return None


def kind_rules(kind: Kind, schema: GraphQLSchema) -> dict[str, Rule]:
    """The derived rules of a kind's GraphQL type: every node's fields (NODE), then its plain ones."""
    graphql_type = schema.get_type(kind.graphql_type)
    if not isinstance(graphql_type, GraphQLObjectType):
        return {}
    found = {name: derived_rule(kind, name, field) for name, field in graphql_type.fields.items()}
    return {**NODE, **{name: rule for name, rule in found.items() if rule is not None}}


@functools.lru_cache(maxsize=8)
def field_table(schema: GraphQLSchema) -> FieldTable:
    """The field table of a schema: what the registry declares, then what is written by hand (FIELDS)."""
    table: dict[str, Mapping[str, Rule]] = dict(FIELDS)
    for kind in KINDS:
        table[kind.graphql_type] = {**kind_rules(kind, schema), **FIELDS.get(kind.graphql_type, {})}
    return table
