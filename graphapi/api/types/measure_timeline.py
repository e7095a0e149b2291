"""A measure's timeline: what happened to it and around it, in date order: its own dates (announced,
taking effect, ending), each source's report of it (its claims), what was said about it, the positions
taken on it, and the measures that answer it."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import strawberry

from graphapi.api.reading.loaders import Incoming
from graphapi.api.types.common import FuzzyDate, Info, Node, build
from graphapi.graph.claims import Claim
from graphapi.graph.dates import DateInterval
from graphapi.graph.model import DatePrecision, Rel
from graphapi.graph.nodes import NodeRecord

AROUND = 100  # statements, positions and answering measures read, each
_STANCE_WORDS = {
    "SUPPORT": "supports it",
    "OPPOSE": "opposes it",
    "MIXED": "is of two minds on it",
    "NEUTRAL": "is neutral on it",
}


@strawberry.enum(description="What a moment of a measure's timeline is.")
class MomentKind(enum.Enum):
    ANNOUNCED = strawberry.enum_value("ANNOUNCED", description="It was announced.")
    TAKES_EFFECT = strawberry.enum_value("TAKES_EFFECT", description="It takes or took effect.")
    ENDS = strawberry.enum_value("ENDS", description="It ends or ended.")
    REPORTED = strawberry.enum_value(
        "REPORTED", description="A source reported it (its claim: see `claims`), on the source's date."
    )
    STATEMENT = strawberry.enum_value("STATEMENT", description="Something said about it.")
    POSITION = strawberry.enum_value("POSITION", description="A position taken on it.")
    ANSWERED = strawberry.enum_value("ANSWERED", description="A measure that retaliates against it.")


@strawberry.type(description="One moment of a measure's timeline.")
class MeasureMoment:
    kind: MomentKind = strawberry.field(description="What it is.")
    date: FuzzyDate | None = strawberry.field(description="When, as the sources date it; null if undated.")
    summary: str = strawberry.field(description="In a few words, or the words said.")
    node_record: strawberry.Private[NodeRecord | None]

    @strawberry.field(description="The statement, position, answering measure or source it comes from.")
    def node(self) -> Node | None:
        return build(self.node_record) if self.node_record is not None else None


@dataclass(frozen=True)
class _Moment:
    kind: MomentKind
    date: DateInterval | None
    summary: str
    node: NodeRecord | None

    @property
    def key(self) -> tuple[str, int, str]:
        start = self.date.start_key if self.date is not None else "9999-99-99~"
        return (start, list(MomentKind).index(self.kind), self.node.id if self.node else "")


async def timeline(info: Info, measure: NodeRecord) -> list[MeasureMoment]:
    loaders = info.context.loaders
    moments = [
        _Moment(kind, measure.date(prop), words, None)
        for kind, prop, words in (
            (MomentKind.ANNOUNCED, "announcedOn", "announced"),
            (MomentKind.TAKES_EFFECT, "effectiveFrom", "takes effect"),
            (MomentKind.ENDS, "effectiveTo", "ends"),
        )
        if measure.date(prop) is not None
    ]
    claims: list[Claim] = await loaders.claims.load(measure.id)
    sources = {r.id: r for r in await loaders.nodes([c.source for c in claims if c.source])}
    for claim in claims:
        source = sources.get(claim.source or "")
        status = claim.values.get("status", {}).get("status")
        title = source.text("title") if source else claim.owner
        said = (
            f"reported {str(status).replace('_', ' ').lower()} by {title}"
            if status
            else f"reported by {title}"
        )
        date = source.date("writtenOn") if source else _by(claim.reported)
        moments.append(_Moment(MomentKind.REPORTED, date, said, source))
    spoken = await loaders.nodes(await loaders.incoming.load(Incoming(measure.id, Rel.ABOUT, AROUND)))
    moments += [_Moment(MomentKind.STATEMENT, r.date("saidOn"), str(r.get("quote")), r) for r in spoken]
    held = await loaders.nodes(await loaders.incoming.load(Incoming(measure.id, Rel.ON, AROUND)))
    holders = {r.id: r for r in await loaders.nodes([p.target(Rel.HELD_BY) or "" for p in held])}
    for position in held:
        holder = holders.get(position.target(Rel.HELD_BY) or "")
        who = str(holder.get("name")) if holder else "someone"
        stance = _STANCE_WORDS.get(str(position.get("stance")), "takes a position on it")
        moments.append(_Moment(MomentKind.POSITION, position.date("validFrom"), f"{who} {stance}", position))
    answers = await loaders.incoming.load(Incoming(measure.id, Rel.RETALIATES_AGAINST, AROUND))
    for record in await loaders.nodes(answers):
        date = record.date("announcedOn") or record.date("effectiveFrom")
        moments.append(_Moment(MomentKind.ANSWERED, date, str(record.get("name")), record))
    return [
        MeasureMoment(kind=m.kind, date=FuzzyDate.of(m.date), summary=m.summary, node_record=m.node)
        for m in sorted(moments, key=lambda m: m.key)
    ]


def _by(day: str) -> DateInterval | None:
    """'On or before this day', for a source known only by the last day it can have been written."""
    if not day:
        return None
    return DateInterval(iso=None, precision=DatePrecision.RANGE, latest=dt.date.fromisoformat(day))
