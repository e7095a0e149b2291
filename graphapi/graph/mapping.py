"""From a validated record to what the graph holds: node properties, owned relationships and the spans of
the source that must hold the record's quotes. One mapping for seed loads and API mutations alike.

Neither engine stores maps, or nulls in lists, so nested values are flattened: a date becomes
`<field>`, `<field>Precision`, `<field>AsWritten`, `<field>YearStated`, `<field>Start`, `<field>End`...
(graphapi/graph/dates.py), its bounds relative to the source resolved against the source's own date;
evidence spans become parallel lists (`evidenceStarts`...); amounts of money parallel lists
(`valueAmounts`...); the offices imposers acted in parallel lists (`actingActors`, `actingOffices`);
effects, with optional parts, one JSON text.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphapi.graph import records as r
from graphapi.graph.dates import DateInterval
from graphapi.graph.kinds import BY_PREFIX, TENURE, Kind, kind_of
from graphapi.graph.model import EventStatus, Rel
from graphapi.graph.record_fields import field_names
from graphapi.graph.timeline import timeline_key
from graphapi.graph.words import index_text


@dataclass(frozen=True)
class LinkWrite:
    """One owned relationship: (rel, the record's field it comes from, the target id)."""

    rel: Rel
    field: str
    dst: str


@dataclass(frozen=True)
class SpanCheck:
    """A quote that must sit at text[start:end] of the record's source; `field` names it in errors."""

    field: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class NodeWrite:
    """A record mapped to the graph: the node's properties (without who/when), its owned relationships,
    and the spans to check against its source."""

    id: str
    kind: Kind
    props: dict[str, Any]
    links: tuple[LinkWrite, ...]
    spans: tuple[SpanCheck, ...]
    source: str | None  # the source the spans point into
    # (field, message) of what the record alone could not settle, such as a bound relative to a source
    # that gives no date of its own; a write with problems is refused.
    problems: tuple[tuple[str, str], ...] = ()
    # The properties each field the record states gives (a date gives several): what a claim of the
    # record's source is made of (graphapi/graph/claims.py).
    by_field: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def targets(self) -> list[str]:
        return sorted({link.dst for link in self.links})


@dataclass(frozen=True)
class TenureWrite:
    holder: str
    office: str
    props: dict[str, Any]
    spans: tuple[SpanCheck, ...]
    source: str | None
    problems: tuple[tuple[str, str], ...] = ()


def kind_of_record(record: r.Record) -> Kind:
    node_id = getattr(record, "id", None)
    kind = kind_of(node_id)
    if kind is None or not isinstance(record, kind.record):
        raise TypeError(f"{type(record).__name__} {node_id!r} is not a record of a registered kind")
    return kind


def node_write(record: r.Record, source: str | None, written: DateInterval | None = None) -> NodeWrite:
    """The node a record stands for. `source` is the source its evidence and quote point into, `written`
    that source's own date, against which bounds such as `latest: written` ("already") resolve. Every span
    has its offsets by now (a seed's are found when left out: graphapi/seed/spans.py)."""
    kind = kind_of_record(record)
    if unplaced(record):
        raise ValueError(f"{record.id}: a quote without its offsets cannot be written")  # type: ignore[attr-defined]
    spans_field = kind.spans_field
    link_fields = {link.field for link in kind.links}
    if isinstance(record, r.Source) and record.written_on is not None:
        written = record.written_on.fuzzy()  # a source's other dates are relative to its own
    dates = _Dates(source, written)
    props: dict[str, Any] = {}
    spans: list[SpanCheck] = []
    by_field: dict[str, tuple[str, ...]] = {}
    for name in field_names(type(record)):
        value = getattr(record, name)
        if (
            name in ("id", "occurrence", "draft")
            or (name in link_fields and name != spans_field)
            or value is None
        ):
            continue  # (`occurrence` only helps find a quote: graphapi/seed/spans.py; a draft is not loaded)
        before = set(props)
        _field_props(name, value, kind, source, dates, props, spans)
        by_field[name] = tuple(sorted(set(props) - before))
    if isinstance(record, r.Measure) and record.acting_as:
        props["actingActors"] = [a.actor for a in record.acting_as]
        props["actingOffices"] = [a.office for a in record.acting_as]
        by_field["acting_as"] = ("actingActors", "actingOffices")
    return _finish(record, kind, source, written, dates, props, spans, by_field)


def _field_props(
    name: str,
    value: Any,
    kind: Kind,
    source: str | None,
    dates: _Dates,
    props: dict[str, Any],
    spans: list[SpanCheck],
) -> None:
    """The properties (and spans to check) one field of a record gives."""
    prop = kind.renamed.get(name, camel(name))
    if name == kind.spans_field:
        props.update(evidence_props(value, source))
        spans += [SpanCheck(f"{name}[{i}]", s.quote, s.start, s.end) for i, s in enumerate(value)]
    elif name == "effects":
        props.update(_effects(value, source))
        spans += [
            SpanCheck(f"effects[{i}].evidence", e.evidence.quote, e.evidence.start, e.evidence.end)
            for i, e in enumerate(value)
        ]
    elif name == "value":
        props.update(_money(value))
    elif isinstance(value, r.DateIn):
        props.update(dates.props(name, prop, value))
    else:
        props.update(_scalar(prop, value))


# Which bound of its source's date an undated event takes, by its status (a cancelled one: none).
_EVENT_BOUNDS = {
    EventStatus.HELD: "latest",
    EventStatus.ONGOING: "latest",
    EventStatus.SCHEDULED: "earliest",
    EventStatus.PLANNED: "earliest",
}


def _finish(
    record: r.Record,
    kind: Kind,
    source: str | None,
    written: DateInterval | None,
    dates: _Dates,
    props: dict[str, Any],
    spans: list[SpanCheck],
    by_field: dict[str, tuple[str, ...]],
) -> NodeWrite:
    """What a record gives beyond its fields: its quote's span, dates bounded by its source, the timeline's
    key, the checksum, the search text."""
    if kind.quoted:
        quote, start, end = (getattr(record, f) for f in ("quote", "start", "end"))
        spans.append(SpanCheck("quote", quote, start, end))
    if isinstance(record, r.Statement) and record.said_on is None and written is not None and written.latest:
        # Undated, but reported by a dated source: said on or before the source was written.
        bound = r.DateIn(latest=r.WRITTEN, as_written=record.timing)
        props.update(dates.props("said_on", kind.renamed.get("said_on", camel("said_on")), bound))
    if isinstance(record, r.Event) and record.date is None and written is not None and written.latest:
        # Undated, but reported by a dated source: held (or under way) by the time it was written, or,
        # when still to come, on or after it.
        side = _EVENT_BOUNDS.get(record.status)
        if side is not None:
            date = r.DateIn.model_validate({side: r.WRITTEN, "as_written": record.timing})
            props.update(dates.props("date", kind.renamed.get("date", "date"), date))
    if isinstance(record, r.Measure) and written is not None and written.latest:
        # What the source reports as current is known up to its own date (graphapi/graph/temporal.py).
        props["reportedUntil"] = written.end_key
    if isinstance(record, r.Statement):
        said_on = dates.resolved.get("said_on")
        props["timelineKey"] = timeline_key(said_on, placed(record.start), record.id, "STATEMENT")
    if isinstance(record, r.Source) and record.text is not None:
        props["checksum"] = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
    props["searchText"] = search_text(kind, props)
    return NodeWrite(
        record.id,  # type: ignore[attr-defined]
        kind,
        clean_props(props),
        tuple(_links(kind, record, source)),
        tuple(spans + dates.spans),
        source,
        tuple(dates.problems + _order_problems(record, dates.resolved)),
        tuple(by_field.items()),
    )


def tenure_write(record: r.Tenure, source: str | None, written: DateInterval | None = None) -> TenureWrite:
    if unplaced(record):
        raise ValueError(f"the tenure of {record.holder}: a quote without its offsets cannot be written")
    dates = _Dates(source, written)
    props = {
        **(dates.props("from_", "from", record.from_) if record.from_ else {}),
        **(dates.props("to", "to", record.to) if record.to else {}),
        **evidence_props(record.evidence, source),
        # A tenure without a reported end is known to go on up to its source's own date, not after.
        **({"reportedUntil": written.end_key} if written is not None and written.latest else {}),
    }
    spans = [
        SpanCheck(f"evidence[{i}]", s.quote, placed(s.start), placed(s.end))
        for i, s in enumerate(record.evidence)
    ]
    problems = dates.problems + _order_problems(record, dates.resolved)
    problems = [("from" if f == "from_" else f, m) for f, m in problems]
    return TenureWrite(
        record.holder, record.office, clean_props(props), tuple(spans + dates.spans), source, tuple(problems)
    )


class _Dates:
    """The dates of one record, resolved against its source's own date, with the spans that bound them
    and what could not be resolved."""

    def __init__(self, source: str | None, written: DateInterval | None) -> None:
        self.source, self.written = source, written
        self.resolved: dict[str, DateInterval] = {}
        self.spans: list[SpanCheck] = []
        self.problems: list[tuple[str, str]] = []

    def props(self, name: str, prop: str, value: r.DateIn) -> dict[str, Any]:
        self.spans += [
            SpanCheck(f"{name.rstrip('_')}.evidence[{i}]", s.quote, placed(s.start), placed(s.end))
            for i, s in enumerate(value.evidence)
        ]
        try:
            date = value.fuzzy(self.written, self.source)
        except ValueError as exc:
            self.problems.append((name, str(exc)))
            return {}
        self.resolved[name] = date
        return date.to_props(prop)


# The pairs of dates a record orders (first, last): a check the record makes for absolute dates, made
# again here once bounds relative to the source are resolved.
_ORDERED = {
    r.Measure: ("effective_from", "effective_to"),
    r.Event: ("date", "end"),
    r.Position: ("valid_from", "valid_to"),
    r.Tenure: ("from_", "to"),
}


def _order_problems(record: r.Record, resolved: dict[str, DateInterval]) -> list[tuple[str, str]]:
    pair = _ORDERED.get(type(record))
    if pair is None or pair[0] not in resolved or pair[1] not in resolved:
        return []
    first, last = resolved[pair[0]], resolved[pair[1]]
    if first.earliest is not None and last.latest is not None and first.earliest > last.latest:
        names = [n.rstrip("_") for n in pair]
        message = f"{names[0]} ({first.describe(False)}) is after {names[1]} ({last.describe(False)})"
        return [(pair[0], message)]
    return []


def placed(offset: int | None) -> int:
    """An offset of a record that unplaced() has passed."""
    if offset is None:
        raise ValueError("a quote without its offsets cannot be written")
    return offset


def unplaced(record: r.Record) -> bool:
    """Whether some quote of the record (its own, or a span of its evidence or effects) has no offsets."""
    if isinstance(record, r.Span | r.Statement) and record.start is None:
        return True
    for name in field_names(type(record)):
        value = getattr(record, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, r.Record) and unplaced(item):
                return True
    return False


def _links(kind: Kind, record: r.Record, source: str | None) -> list[LinkWrite]:
    out: list[LinkWrite] = []
    for link in kind.links:
        if link.rel is Rel.EVIDENCE_IN:
            targets: Any = source if getattr(record, link.field, None) else None
        elif link.field == "source":
            targets = source
        else:
            targets = getattr(record, link.field)
        for entry in [targets] if isinstance(targets, str) else targets or []:
            dst = getattr(entry, link.part) if link.part else entry
            out.append(LinkWrite(link.rel, link.field, dst))
    return list(dict.fromkeys(out))  # a target named twice is one relationship


def _scalar(prop: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, enum.Enum):
        return {prop: value.value}
    return {prop: value}


def _money(values: list[r.Money]) -> dict[str, Any]:
    return {
        "valueAmounts": [v.amount for v in values],
        "valueCurrencies": [v.currency for v in values],
        "valueApproximate": [v.approximate for v in values],
        "valueAsWritten": [v.as_written or "" for v in values],
    }


def _effects(effects: list[r.Effect], source: str | None) -> dict[str, Any]:
    if not effects:
        return {}
    stored = [
        {
            **e.model_dump(exclude={"evidence"}),
            "source": source,
            "start": e.evidence.start,
            "quote": e.evidence.quote,
            "end": e.evidence.end,
        }
        for e in effects
    ]
    return {"effects": json.dumps(stored, sort_keys=True)}


def evidence_props(spans: list[r.Span], source: str | None) -> dict[str, Any]:
    """Evidence spans, flat on the node or relationship."""
    if not spans:
        return {}
    return {
        "evidenceSource": source,
        "evidenceStarts": [s.start for s in spans],
        "evidenceEnds": [s.end for s in spans],
        "evidenceQuotes": [s.quote for s in spans],
    }


def searched_fields(kind: Kind, props: dict[str, Any]) -> list[tuple[str, str]]:
    """The texts a node is found by, each with the field it comes from (`aliases[1]`,
    `effects[0].description`): the kind's searched properties, and the words of its effects."""
    out: list[tuple[str, str]] = []
    for key in kind.searched:
        value = props.get(key)
        if isinstance(value, str):
            out.append((key, value))
        elif isinstance(value, list):
            out += [(f"{key}[{i}]", item) for i, item in enumerate(value) if isinstance(item, str)]
    if isinstance(props.get("effects"), str):
        for i, effect in enumerate(json.loads(props["effects"])):
            out += [
                (f"effects[{i}].{part}", effect[part])
                for part in ("description", "quote")
                if effect.get(part)
            ]
    return out


def search_text(kind: Kind, props: dict[str, Any]) -> str | None:
    """The text the full-text index sees for a node, normalized (graphapi/graph/words.py), in one property
    so that one index over `Node` serves every kind on both engines."""
    return index_text(value for _, value in searched_fields(kind, props))


def clean_props(props: dict[str, Any]) -> dict[str, Any]:
    """Neither engine stores nulls, and empty lists read back the same as absent ones: drop both, so what
    is written compares equal to what is read back."""
    return {k: v for k, v in props.items() if v is not None and v != []}


@lru_cache(maxsize=1024)
def camel(name: str) -> str:
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(part.title() for part in rest)


__all__ = [
    "BY_PREFIX",
    "TENURE",
    "LinkWrite",
    "NodeWrite",
    "SpanCheck",
    "TenureWrite",
    "camel",
    "clean_props",
    "evidence_props",
    "node_write",
    "search_text",
    "searched_fields",
    "tenure_write",
]
