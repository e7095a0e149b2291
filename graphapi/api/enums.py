"""The graph model's enums, registered once as GraphQL enums (strawberry.enum marks each class and returns
it, so resolvers use the model's own classes)."""

from __future__ import annotations

import strawberry

from graphapi.graph import model

Stance = strawberry.enum(model.Stance, description="An actor's stance on a measure or event.")
MeasureStatus = strawberry.enum(model.MeasureStatus, description="Where a measure stands.")
MeasureKind = strawberry.enum(model.MeasureKind, description="What kind of measure it is.")
EventKind = strawberry.enum(model.EventKind, description="What kind of event it is.")
EventStatus = strawberry.enum(model.EventStatus, description="Whether the event happened or is to come.")
DatePrecision = strawberry.enum(model.DatePrecision, description="How much of a date the source gives.")
ActorKind = strawberry.enum(model.ActorKind, description="The kinds of actor.")
RelType = strawberry.enum(model.Rel, description="The relationship types of the graph.")
