"""Events: calls, meetings, talks, elections."""

from __future__ import annotations

import strawberry

from graphapi.api.reading.loaders import Incoming
from graphapi.api.types.common import (
    NESTED_DEFAULT,
    First,
    Info,
    Node,
    incoming,
    nested_size,
)
from graphapi.api.types.derived_fields import record_type, shown
from graphapi.api.types.refs import StatementRef
from graphapi.graph.model import Rel


@record_type(description="Something that happens: a call, a meeting, talks, an election.")
class Event(Node):
    name = shown("What the event is, in a few words.")
    kind = shown("What kind of event it is: a call, meeting, talks, election, summit.")
    status = shown("Whether the event was held, is ongoing, or is to come.")
    date = shown("When the event happens or began, at the precision the source gives.")
    end = shown("When an event of several days ended; null for a one-day event.")
    timing = shown("The source's words placing the event in time, when it gives no date.")
    topics = shown("What the event is about, in the source's words.")
    participants = shown()
    location = shown("The country the event takes place in, when the source says.")
    after = shown("The event this one follows.")

    @strawberry.field(description="Statements made at this event.")
    async def statements(self, info: Info, first: First = NESTED_DEFAULT) -> list[StatementRef]:
        return await incoming(info, Incoming(self.record.id, Rel.AT_EVENT, nested_size(first)), "Statement")

    evidence = shown("The source spans that state the event.")
