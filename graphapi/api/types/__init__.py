"""The GraphQL object types, one module per family of kinds. Each wraps a NodeRecord; related nodes come
through the request's loaders. Every kind of the registry (graphapi/graph/kinds.py) has its type here,
written in a module (only its fields with logic of their own; its plain fields derived from the record by
@record_type, derived_fields.py) or derived from its record (derived_types.py)."""

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
from graphapi.api.types.derived_types import derive_missing
from graphapi.api.types.events import Event
from graphapi.api.types.measures import Effect, Measure, Money
from graphapi.api.types.sources import Source
from graphapi.api.types.statements import Position, Statement, evidence_of
from graphapi.graph.kinds import KINDS

derive_missing(KINDS)  # a kind declared without a GraphQL type written for it gets one from its record

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
