"""The GraphQL object types, one module per family of kinds. Each wraps a NodeRecord; related nodes come
through the request's loaders. Every kind of the registry (graphapi/graph/kinds.py) has its type here."""

from __future__ import annotations

from graphapi.api.types.actors import Actor, Country, Office, Organization, Party, Person, Tenure
from graphapi.api.types.common import (
    NODE_TYPES,
    SCALARS,
    EditInfo,
    Evidence,
    EvidenceContext,
    FuzzyDate,
    Info,
    Node,
    Span,
    build,
    build_as,
)
from graphapi.api.types.events import Event
from graphapi.api.types.measures import Effect, Measure, Money
from graphapi.api.types.sources import Source
from graphapi.api.types.statements import Position, Statement, evidence_of
from graphapi.graph.kinds import KINDS

_missing = [kind.graphql_type for kind in KINDS if kind.graphql_type not in NODE_TYPES]
if _missing:  # a kind declared without its GraphQL type would give clients INTERNAL errors
    raise RuntimeError(f"no GraphQL type for the kinds {_missing}: add them to graphapi/api/types/")

__all__ = [
    "NODE_TYPES",
    "SCALARS",
    "Actor",
    "Country",
    "EditInfo",
    "Effect",
    "Event",
    "Evidence",
    "EvidenceContext",
    "FuzzyDate",
    "Info",
    "Measure",
    "Money",
    "Node",
    "Office",
    "Organization",
    "Party",
    "Person",
    "Position",
    "Source",
    "Span",
    "Statement",
    "Tenure",
    "build",
    "build_as",
    "evidence_of",
]
