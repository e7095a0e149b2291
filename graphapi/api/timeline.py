"""An actor's timeline: what it said and did, in date order.

Dated entries come first, by their first possible day; at the same day a vaguer date (a month, a year)
comes before a precise one, and every entry carries its date's precision. Undated entries follow, in the
order of the source text, since that is the only order the sources give them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import strawberry

from graphapi.api.pagination import Connection, connection, decode_cursor, page_limit
from graphapi.api.records import NodeRecord
from graphapi.api.types import FuzzyDate, Info, Node, build
from graphapi.graph import model, reads
from graphapi.graph.dates import FuzzyDate as FuzzyDateValue

_PRECISION_ORDER = {model.DatePrecision.YEAR: 0, model.DatePrecision.MONTH: 1, model.DatePrecision.DAY: 2}


@strawberry.enum(description="What a timeline entry records.")
class TimelineKind(enum.Enum):
    STATEMENT = "STATEMENT"
    MEASURE_ANNOUNCED = "MEASURE_ANNOUNCED"
    MEASURE_EFFECTIVE = "MEASURE_EFFECTIVE"
    MEASURE_ENDED = "MEASURE_ENDED"
    MEASURE = "MEASURE"
    EVENT = "EVENT"
    TENURE_STARTED = "TENURE_STARTED"
    TENURE_ENDED = "TENURE_ENDED"
    TENURE = "TENURE"


@strawberry.type(description="One thing an actor said or did. `date` is null when the sources give none.")
class TimelineEntry:
    kind: TimelineKind
    date: FuzzyDate | None
    summary: str = strawberry.field(description="The quote, or the name of the measure, event or office.")
    node_id: strawberry.Private[str]

    @strawberry.field(description="The statement, measure, event or office the entry is about.")
    async def node(self, info: Info) -> Node | None:
        record = await info.context.loaders.node.load(self.node_id)
        return build(record) if record else None


@dataclass(frozen=True)
class _Entry:
    kind: TimelineKind
    date: FuzzyDateValue | None
    summary: str
    node_id: str
    text_position: int  # where its evidence starts in the source text: the order of undated entries

    @property
    def sort_key(self) -> tuple[int, str, int, int, str]:
        if self.date is None:
            return (1, "", 0, self.text_position, self.node_id)
        return (0, self.date.first_day.isoformat(), _PRECISION_ORDER[self.date.precision], 0, self.node_id)

    def overlaps(self, start: str | None, end: str | None) -> bool:
        if self.date is None:
            return True
        return (end is None or self.date.first_day.isoformat() <= end) and (
            start is None or self.date.last_day.isoformat() >= start
        )


def _position(record: NodeRecord) -> int:
    starts = record.get("evidenceStarts") or [record.get("spanStart", 0)]
    return int(min(starts))


def _entries(
    actor: NodeRecord, activity: list[tuple[str, NodeRecord]], offices: dict[str, NodeRecord]
) -> list[_Entry]:
    out: list[_Entry] = []

    def add(
        kind: TimelineKind,
        undated: TimelineKind,
        date: FuzzyDateValue | None,
        record: NodeRecord,
        summary: str,
    ) -> None:
        out.append(_Entry(kind if date else undated, date, summary, record.id, _position(record)))

    for rel, record in activity:
        if rel == model.Rel.SAID_BY.value:
            add(
                TimelineKind.STATEMENT,
                TimelineKind.STATEMENT,
                record.date("saidOn"),
                record,
                record.text("quote") or "",
            )
        elif rel == model.Rel.PARTICIPANT.value:
            add(
                TimelineKind.EVENT, TimelineKind.EVENT, record.date("date"), record, record.text("name") or ""
            )
        elif rel == model.Rel.IMPOSED_BY.value:
            name = record.text("name") or ""
            dates = [
                (TimelineKind.MEASURE_ANNOUNCED, record.date("announcedOn")),
                (TimelineKind.MEASURE_EFFECTIVE, record.date("effectiveFrom")),
                (TimelineKind.MEASURE_ENDED, record.date("effectiveTo")),
            ]
            dated: list[tuple[TimelineKind, FuzzyDateValue | None]] = [
                (k, d) for k, d in dates if d is not None
            ]
            for kind, date in dated or [(TimelineKind.MEASURE, None)]:
                add(kind, TimelineKind.MEASURE, date, record, name)
    for edge in actor.edges(model.Rel.HOLDS):
        office = offices.get(edge.dst)
        if office is None:
            continue
        name = office.text("name") or ""
        start, end = (
            FuzzyDateValue.from_props(edge.props, "from"),
            FuzzyDateValue.from_props(edge.props, "to"),
        )
        position = int(min(edge.props.get("evidenceStarts") or [0]))
        if start is None and end is None:
            out.append(_Entry(TimelineKind.TENURE, None, name, office.id, position))
        if start is not None:
            out.append(_Entry(TimelineKind.TENURE_STARTED, start, name, office.id, position))
        if end is not None:
            out.append(_Entry(TimelineKind.TENURE_ENDED, end, name, office.id, position))
    return out


async def timeline(
    info: Info,
    actor: NodeRecord,
    start: str | None,
    end: str | None,
    include_undated: bool,
    first: int | None,
    after: str | None,
) -> Connection[TimelineEntry]:
    size = page_limit(first)
    position = decode_cursor(after, (int,))
    offset = position[0] + 1 if position else 0
    rows = await info.context.store.read(reads.ACTOR_ACTIVITY, {"actor": actor.id})
    loaders = info.context.loaders
    records = {r.id: r for r in await loaders.nodes(sorted({row["id"] for row in rows}))}
    offices = {r.id: r for r in await loaders.nodes(actor.targets(model.Rel.HOLDS))}
    activity = [(row["rel"], records[row["id"]]) for row in rows if row["id"] in records]
    entries = sorted(
        (
            e
            for e in _entries(actor, activity, offices)
            if e.overlaps(start, end) and (include_undated or e.date is not None)
        ),
        key=lambda e: e.sort_key,
    )

    async def count() -> int:
        return len(entries)

    window = entries[offset : offset + size + 1]
    items = [
        (
            [offset + i],
            TimelineEntry(kind=e.kind, date=FuzzyDate.of(e.date), summary=e.summary, node_id=e.node_id),
        )
        for i, e in enumerate(window)
    ]
    return connection(items, size, after=after, count=count)
