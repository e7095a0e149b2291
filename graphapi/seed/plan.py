"""From seed records to the nodes and relationships they stand for, each remembering where it came from
so a problem found later (a dangling reference, a wrong span) can name its file, record and field."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphapi.graph.model import NodeKind, Rel, kind_of
from graphapi.seed import records as r
from graphapi.seed.files import SeedDocument


@dataclass(frozen=True)
class Origin:
    file: Path
    record: str


@dataclass
class NodeWrite:
    id: str
    kind: NodeKind
    props: dict[str, Any]
    origin: Origin


@dataclass(frozen=True)
class EdgeWrite:
    src: str
    rel: Rel
    dst: str
    props: dict[str, Any]
    origin: Origin
    field: str

    @property
    def key(self) -> tuple[str, Rel, str]:
        return (self.src, self.rel, self.dst)


@dataclass(frozen=True)
class SpanCheck:
    """A quote that must sit at text[start:end] of the file's source."""

    origin: Origin
    field: str
    quote: str
    start: int
    end: int


@dataclass
class GraphPlan:
    nodes: list[NodeWrite] = field(default_factory=list)
    edges: list[EdgeWrite] = field(default_factory=list)
    spans: list[tuple[SeedDocument, SpanCheck]] = field(default_factory=list)


def plan(documents: list[SeedDocument]) -> GraphPlan:
    out = GraphPlan()
    for document in documents:
        _plan_document(document, out)
    return out


def _plan_document(doc: SeedDocument, out: GraphPlan) -> None:
    seed = doc.records
    source_id = seed.source.id if seed.source else None

    def node(record_name: str, node_id: str, props: dict[str, Any]) -> Origin:
        origin = Origin(doc.path, record_name)
        kind = kind_of(node_id)
        assert kind is not None  # ids are validated by the records' types
        props["searchText"] = search_text(props) or None
        out.nodes.append(NodeWrite(node_id, kind, clean_props(props), origin))
        return origin

    def edges(
        origin: Origin,
        src: str,
        rel: Rel,
        field_name: str,
        targets: list[str] | str | None,
        props: dict[str, Any] | None = None,
    ) -> None:
        for dst in [targets] if isinstance(targets, str) else targets or []:
            out.edges.append(EdgeWrite(src, rel, dst, clean_props(props or {}), origin, field_name))

    def evidence(origin: Origin, spans: list[r.Span], field_name: str = "evidence") -> dict[str, Any]:
        for i, span in enumerate(spans):
            out.spans.append((doc, SpanCheck(origin, f"{field_name}[{i}]", span.quote, span.start, span.end)))
        return evidence_props(spans, source_id)

    def with_evidence(origin: Origin, node_id: str, spans: list[r.Span]) -> None:
        props = evidence(origin, spans)
        target = next(n for n in reversed(out.nodes) if n.id == node_id)
        target.props.update(clean_props(props))
        if spans and source_id:
            edges(origin, node_id, Rel.EVIDENCE_IN, "evidence", source_id)

    if seed.source:
        node("source", seed.source.id, source_props(seed.source, doc.source_text, doc.source_checksum))
    actors: list[tuple[str, Sequence[AnyActor]]] = [
        ("countries", seed.countries),
        ("persons", seed.persons),
        ("parties", seed.parties),
        ("organizations", seed.organizations),
    ]
    for section, items in actors:
        for i, actor in enumerate(items):
            o = node(f"{section}[{i}] ({actor.id})", actor.id, actor_props(actor))
            for rel, field_name, targets in actor_links(actor):
                edges(o, actor.id, rel, field_name, targets)
            with_evidence(o, actor.id, actor.evidence)
    for i, office in enumerate(seed.offices):
        o = node(f"offices[{i}] ({office.id})", office.id, {"name": office.name})
        edges(o, office.id, Rel.OFFICE_OF, "of", office.of)
        with_evidence(o, office.id, office.evidence)
    for i, t in enumerate(seed.tenures):
        o = Origin(doc.path, f"tenures[{i}] ({t.holder} in {t.office})")
        props = {**_date(t.from_, "from"), **_date(t.to, "to"), **evidence(o, t.evidence)}
        edges(o, t.holder, Rel.HOLDS, "holder", t.office, props)
    for i, m in enumerate(seed.measures):
        o = node(f"measures[{i}] ({m.id})", m.id, measure_props(m, source_id))
        for k, span in enumerate(m.evidence):
            out.spans.append((doc, SpanCheck(o, f"evidence[{k}]", span.quote, span.start, span.end)))
        for k, effect in enumerate(m.effects):
            span = effect.evidence
            out.spans.append((doc, SpanCheck(o, f"effects[{k}].evidence", span.quote, span.start, span.end)))
        for rel, field_name, targets in measure_links(m, source_id):
            edges(o, m.id, rel, field_name, targets)
    for i, e in enumerate(seed.events):
        o = node(f"events[{i}] ({e.id})", e.id, event_props(e, source_id))
        for k, span in enumerate(e.evidence):
            out.spans.append((doc, SpanCheck(o, f"evidence[{k}]", span.quote, span.start, span.end)))
        for rel, field_name, targets in event_links(e, source_id):
            edges(o, e.id, rel, field_name, targets)
    for i, st in enumerate(seed.statements):
        o = node(f"statements[{i}] ({st.id})", st.id, statement_props(st))
        out.spans.append((doc, SpanCheck(o, "quote", st.quote, st.start, st.end)))
        for rel, field_name, targets in statement_links(st, source_id):
            edges(o, st.id, rel, field_name, targets)
    for i, p in enumerate(seed.positions):
        o = node(f"positions[{i}] ({p.id})", p.id, position_props(p))
        for rel, field_name, targets in position_links(p):
            edges(o, p.id, rel, field_name, targets)


Links = list[tuple[Rel, str, list[str] | str | None]]  # (type, the record's field, target ids)


def evidence_props(spans: list[r.Span], source_id: str | None) -> dict[str, Any]:
    """Evidence spans, flat on the node (neither engine stores lists of maps)."""
    if not spans:
        return {}
    return {
        "evidenceSource": source_id,
        "evidenceStarts": [s.start for s in spans],
        "evidenceEnds": [s.end for s in spans],
        "evidenceQuotes": [s.quote for s in spans],
    }


AnyActor = r.Country | r.Person | r.Party | r.Organization


def actor_props(a: AnyActor) -> dict[str, Any]:
    props = _actor(a)
    if isinstance(a, r.Country):
        props["isoCode"] = a.iso_code
    elif isinstance(a, r.Party):
        props["description"] = a.description
    elif isinstance(a, r.Organization):
        props["kind"] = a.kind
    return props


def actor_links(a: AnyActor) -> Links:
    return [(Rel.BASED_IN, "country", a.country)] if isinstance(a, r.Party) else []


def source_props(s: r.Source, text: str | None, checksum: str | None) -> dict[str, Any]:
    return {
        "title": s.title,
        "publisher": s.publisher,
        "url": s.url,
        "language": s.language,
        **_date(s.published_on, "publishedOn"),
        "text": text,
        "checksum": checksum,
        "file": s.file,
    }


def measure_props(m: r.Measure, source_id: str | None) -> dict[str, Any]:
    props = {
        "name": m.name,
        "aliases": m.aliases,
        "kind": m.kind.value,
        "status": m.status.value,
        "rate": m.rate,
        "sectors": m.sectors,
        "products": m.products,
        "condition": m.condition,
        "valueAmounts": [v.amount for v in m.value],
        "valueCurrencies": [v.currency for v in m.value],
        "valueApproximate": [v.approximate for v in m.value],
        "valueAsWritten": [v.as_written or "" for v in m.value],
        **_date(m.announced_on, "announcedOn"),
        **_date(m.effective_from, "effectiveFrom"),
        **_date(m.effective_to, "effectiveTo"),
        **evidence_props(m.evidence, source_id),
    }
    if m.effects:
        # Nested values with optional parts: neither engine stores maps or nulls in lists, so JSON.
        effects = [
            {
                **e.model_dump(exclude={"evidence"}),
                "source": source_id,
                "start": e.evidence.start,
                "quote": e.evidence.quote,
                "end": e.evidence.end,
            }
            for e in m.effects
        ]
        props["effects"] = json.dumps(effects, sort_keys=True)
    return props


def measure_links(m: r.Measure, source_id: str | None) -> Links:
    return [
        (Rel.IMPOSED_BY, "imposed_by", m.imposed_by),
        (Rel.TARGETS, "targets", m.targets),
        (Rel.CONDITION_INVOLVES, "condition_involves", m.condition_involves),
        (Rel.RETALIATES_AGAINST, "retaliates_against", m.retaliates_against),
        (Rel.PART_OF, "part_of", m.part_of),
        (Rel.EVIDENCE_IN, "evidence", source_id if m.evidence else None),
    ]


def event_props(e: r.Event, source_id: str | None) -> dict[str, Any]:
    return {
        "name": e.name,
        "kind": e.kind.value,
        "status": e.status.value,
        "timing": e.timing,
        "topics": e.topics,
        **_date(e.date, "date"),
        **_date(e.end, "end"),
        **evidence_props(e.evidence, source_id),
    }


def event_links(e: r.Event, source_id: str | None) -> Links:
    return [
        (Rel.PARTICIPANT, "participants", e.participants),
        (Rel.LOCATED_IN, "location", e.location),
        (Rel.AFTER, "after", e.after),
        (Rel.EVIDENCE_IN, "evidence", source_id if e.evidence else None),
    ]


def statement_props(st: r.Statement) -> dict[str, Any]:
    return {
        "quote": st.quote,
        "spanStart": st.start,
        "spanEnd": st.end,
        "direct": st.direct,
        "timing": st.timing,
        "channel": st.channel,
        **_date(st.said_on, "saidOn"),
    }


def statement_links(st: r.Statement, source_id: str | None) -> Links:
    return [
        (Rel.SAID_BY, "speaker", st.speaker),
        (Rel.IN_ROLE, "role", st.role),
        (Rel.AT_EVENT, "at_event", st.at_event),
        (Rel.ABOUT, "about", st.about),
        (Rel.QUOTED_IN, "quote", source_id),
    ]


def position_props(p: r.Position) -> dict[str, Any]:
    return {
        "stance": p.stance.value,
        "confidence": p.confidence,
        "note": p.note,
        **_date(p.valid_from, "validFrom"),
        **_date(p.valid_to, "validTo"),
    }


def position_links(p: r.Position) -> Links:
    return [(Rel.HELD_BY, "actor", p.actor), (Rel.ON, "on", p.on), (Rel.EVIDENCED_BY, "evidence", p.evidence)]


SEARCHED = (
    "name",
    "aliases",
    "title",
    "quote",
    "text",
    "description",
    "sectors",
    "products",
    "topics",
    "condition",
    "channel",
    "kind",
)


def search_text(props: dict[str, Any]) -> str:
    """The text the full-text index sees for a node: its names, words and quotes, in one property, so one
    index over `Node` serves every kind on both engines."""
    parts: list[str] = []
    for key in SEARCHED:
        value = props.get(key)
        parts += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return " ".join(parts)


def _actor(a: r.Country | r.Person | r.Party | r.Organization) -> dict[str, Any]:
    return {"name": a.name, "aliases": a.aliases, "wikidata": a.wikidata}


def _date(value: r.DateIn | None, name: str) -> dict[str, Any]:
    return value.fuzzy().to_props(name) if value else {}


def clean_props(props: dict[str, Any]) -> dict[str, Any]:
    """Neither engine stores nulls, and empty lists read back the same as absent ones: drop both, so
    what we write compares equal to what we read back."""
    return {k: v for k, v in props.items() if v is not None and v != []}
