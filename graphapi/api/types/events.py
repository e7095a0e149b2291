"""Events: calls, meetings, talks, elections."""

from __future__ import annotations

import strawberry

from graphapi.api.reading.loaders import Incoming
from graphapi.api.types.actors import Actor
from graphapi.api.types.common import (
    NESTED_DEFAULT,
    Evidence,
    First,
    FuzzyDate,
    Info,
    Node,
    incoming,
    many,
    nested_size,
    node_type,
    one,
    spans_evidence,
)
from graphapi.api.types.refs import CountryRef, StatementRef
from graphapi.graph import model
from graphapi.graph.model import Rel


@node_type(description="Something that happens: a call, a meeting, talks, an election.")
class Event(Node):
    @strawberry.field(description="What the event is, in a few words.")
    def name(self) -> str:
        return str(self.record.get("name"))

    @strawberry.field(description="What kind of event it is: a call, meeting, talks, election, summit.")
    def kind(self) -> model.EventKind:
        return model.EventKind(self.record.get("kind"))

    @strawberry.field(description="Whether the event was held, is ongoing, or is to come.")
    def status(self) -> model.EventStatus:
        return model.EventStatus(self.record.get("status"))

    @strawberry.field(description="When the event happens or began, at the precision the source gives.")
    def date(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("date"))

    @strawberry.field(description="When an event of several days ended; null for a one-day event.")
    def end(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("end"))

    @strawberry.field(description="The source's words placing the event in time, when it gives no date.")
    def timing(self) -> str | None:
        return self.record.text("timing")

    @strawberry.field(description="What the event is about, in the source's words.")
    def topics(self) -> list[str]:
        return list(self.record.get("topics", []))

    @strawberry.field(description="The actors taking part.")
    async def participants(self, info: Info) -> list[Actor]:
        return await many(info, self.record.targets(Rel.PARTICIPANT), "Actor")

    @strawberry.field(description="The country the event takes place in, when the source says.")
    async def location(self, info: Info) -> CountryRef | None:
        return await one(info, self.record.target(Rel.LOCATED_IN), "Country")

    @strawberry.field(description="The event this one follows.")
    async def after(self, info: Info) -> Event | None:
        return await one(info, self.record.target(Rel.AFTER), "Event")

    @strawberry.field(description="Statements made at this event.")
    async def statements(self, info: Info, first: First = NESTED_DEFAULT) -> list[StatementRef]:
        return await incoming(info, Incoming(self.record.id, Rel.AT_EVENT, nested_size(first)), "Statement")

    @strawberry.field(description="The source spans that state the event.")
    def evidence(self) -> list[Evidence]:
        return spans_evidence(self.record.props)
