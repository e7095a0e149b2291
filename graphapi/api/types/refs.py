"""Lazy references between the type modules, which refer to each other (strawberry.lazy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from graphapi.api.types.actors import Actor, Country, Office, Organization, Party, Person, Tenure
    from graphapi.api.types.claims import SourceClaim
    from graphapi.api.types.events import Event
    from graphapi.api.types.measure_timeline import MeasureMoment
    from graphapi.api.types.measures import Measure
    from graphapi.api.types.sources import Source
    from graphapi.api.types.statements import Position, Statement

_ACTORS = "graphapi.api.types.actors"
ActorRef = Annotated["Actor", strawberry.lazy(_ACTORS)]
CountryRef = Annotated["Country", strawberry.lazy(_ACTORS)]
PersonRef = Annotated["Person", strawberry.lazy(_ACTORS)]
PartyRef = Annotated["Party", strawberry.lazy(_ACTORS)]
OrganizationRef = Annotated["Organization", strawberry.lazy(_ACTORS)]
OfficeRef = Annotated["Office", strawberry.lazy(_ACTORS)]
TenureRef = Annotated["Tenure", strawberry.lazy(_ACTORS)]
EventRef = Annotated["Event", strawberry.lazy("graphapi.api.types.events")]
MeasureRef = Annotated["Measure", strawberry.lazy("graphapi.api.types.measures")]
SourceRef = Annotated["Source", strawberry.lazy("graphapi.api.types.sources")]
StatementRef = Annotated["Statement", strawberry.lazy("graphapi.api.types.statements")]
PositionRef = Annotated["Position", strawberry.lazy("graphapi.api.types.statements")]
SourceClaimRef = Annotated["SourceClaim", strawberry.lazy("graphapi.api.types.claims")]
MeasureMomentRef = Annotated["MeasureMoment", strawberry.lazy("graphapi.api.types.measure_timeline")]

# The node types and the Actor interface by name, for fields derived from a record (derived_fields.py)
REFS: dict[str, object] = {
    "Actor": ActorRef,
    "Country": CountryRef,
    "Person": PersonRef,
    "Party": PartyRef,
    "Organization": OrganizationRef,
    "Office": OfficeRef,
    "Event": EventRef,
    "Measure": MeasureRef,
    "Source": SourceRef,
    "Statement": StatementRef,
    "Position": PositionRef,
}
