"""An actor's timeline: what it said and did, in date order, keyset-paged.

Dated entries come first, by their first possible day (a date the sources bound only from above, such
as "already", before every other); at the same day a vaguer date (a month, a year) comes before a precise
one, and every entry carries its date's precision. With a range (`from`, `to`), the entries known to fall
in it are kept, and with `certainty: POSSIBLE` also those that may. Undated entries follow, in the
order of the source text, since that is the only order the sources give them. The database reads each part
of the timeline from the cursor's key on, a page at a time (graphapi/graph/reads.py), so a page of an actor
with ten thousand statements costs what a page of one with ten does.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import strawberry

from graphapi.api.enums import described
from graphapi.api.reading.cursors import CursorScope
from graphapi.api.reading.pagination import Connection, connection, page_limit
from graphapi.api.types import FuzzyDate, Info, Node, build
from graphapi.api.types.common import TimeAnswer
from graphapi.graph import model, reads, temporal
from graphapi.graph.dates import DateInterval
from graphapi.graph.nodes import NodeRecord
from graphapi.graph.timeline import timeline_key


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


described(
    TimelineKind,
    {
        "STATEMENT": "The actor said something.",
        "MEASURE_ANNOUNCED": "A measure the actor imposes was announced.",
        "MEASURE_EFFECTIVE": "A measure the actor imposes took effect.",
        "MEASURE_ENDED": "A measure the actor imposes ended.",
        "MEASURE": "A measure the actor imposes, without a date of its own.",
        "EVENT": "An event the actor took part in.",
        "TENURE_STARTED": "The actor took up an office.",
        "TENURE_ENDED": "The actor left an office.",
        "TENURE": "An office the actor held, without dates.",
    },
)


@strawberry.type(description="One thing an actor said or did. `date` is null when the sources give none.")
class TimelineEntry:
    kind: TimelineKind = strawberry.field(
        description=(
            "What the entry is: a statement, a measure announced, taking effect or ending, an"
            " event, a tenure starting or ending."
        )
    )
    date: FuzzyDate | None = strawberry.field(
        description=(
            "When it happened, at the precision the source gives; null when the sources give no date."
        )
    )
    summary: str = strawberry.field(description="The quote, or the name of the measure, event or office.")
    node_id: strawberry.Private[str]
    range: strawberry.Private[tuple[str | None, str | None]] = (None, None)

    @strawberry.field(
        description=(
            "With `from` or `to`: whether the entry's date falls in the range, how sure that is, and why; "
            "null for an undated entry or without a range."
        )
    )
    def in_range(self) -> TimeAnswer | None:
        value = self.date.value if self.date else None
        if value is None or self.range == (None, None):
            return None
        return TimeAnswer.of(temporal.in_range(value, *self.range))

    @strawberry.field(description="The statement, measure, event or office the entry is about.")
    async def node(self, info: Info) -> Node | None:
        record = await info.context.loaders.node.load(self.node_id)
        return build(record) if record else None


@dataclass(frozen=True)
class _Entry:
    key: str  # the keyset sort key (graphapi/graph/reads.py, TIMELINE_KEY)
    kind: TimelineKind
    date: DateInterval | None
    summary: str
    node_id: str


def _tenure_entries(
    actor: NodeRecord,
    offices: dict[str, NodeRecord],
    start: str | None,
    end: str | None,
    undated: bool,
    least: model.Certainty,
) -> list[_Entry]:
    """A person's tenures, from its own record (few, so read whole)."""
    out: list[_Entry] = []
    for edge in actor.edges(model.Rel.HOLDS):
        office = offices.get(edge.dst)
        if office is None:
            continue
        name = office.text("name") or ""
        position = int(min(edge.props.get("evidenceStarts") or [0]))
        dates: list[tuple[TimelineKind, DateInterval | None]] = [
            (TimelineKind.TENURE_STARTED, DateInterval.from_props(edge.props, "from")),
            (TimelineKind.TENURE_ENDED, DateInterval.from_props(edge.props, "to")),
        ]
        dated: list[tuple[TimelineKind, DateInterval | None]] = [(k, d) for k, d in dates if d is not None]
        for kind, date in dated or [(TimelineKind.TENURE, None)]:
            if date is None and not undated:
                continue
            if date is not None and not temporal.included(temporal.in_range(date, start, end), least):
                continue
            key = timeline_key(date, position, office.id, kind.value)
            out.append(_Entry(key, kind, date, name, office.id))
    return out


def _summary(kind: TimelineKind, record: NodeRecord) -> str:
    return (record.text("quote") if kind is TimelineKind.STATEMENT else record.text("name")) or ""


async def timeline(
    info: Info,
    actor: NodeRecord,
    start: str | None,
    end: str | None,
    include_undated: bool,
    least: model.Certainty,
    first: int | None,
    after: str | None,
) -> Connection[TimelineEntry]:
    size = page_limit(first)
    filters = {
        "actor": actor.id,
        "from": start,
        "to": end,
        "undated": include_undated,
        "possible": least is model.Certainty.POSSIBLE,
    }
    scope = CursorScope.of("timeline", "DATE:ASC", filters)
    position = scope.decode(after, (str,))
    after_key = position[0] if position else None
    params = {**filters, "after": after_key, "limit": size + 1}
    store, loaders = info.context.store, info.context.loaders
    rows = await store.read(reads.TIMELINE_PAGE, params)
    records = [NodeRecord.from_row(row) for row in rows]
    loaders.prime(records)
    entries = [
        _Entry(
            row["key"],
            TimelineKind(row["kind"]),
            record.date(row["field"]) if row["field"] else None,
            _summary(TimelineKind(row["kind"]), record),
            record.id,
        )
        for row, record in zip(rows, records, strict=True)
    ]
    offices = {r.id: r for r in await loaders.nodes(actor.targets(model.Rel.HOLDS))}
    tenures = _tenure_entries(actor, offices, start, end, include_undated, least)
    entries += [e for e in tenures if after_key is None or e.key > after_key]
    window = sorted(entries, key=lambda e: e.key)[: size + 1]

    async def count() -> int:
        totals = await store.read(reads.TIMELINE_COUNT, filters)
        return sum(int(row["total"]) for row in totals) + len(tenures)

    items = [
        (
            [e.key],
            TimelineEntry(
                kind=e.kind,
                date=FuzzyDate.of(e.date),
                summary=e.summary,
                node_id=e.node_id,
                range=(start, end),
            ),
        )
        for e in window
    ]
    return connection(items, size, scope=scope, after=after, count=count)
