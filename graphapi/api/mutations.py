"""Writes over GraphQL: statements and positions upserted by id, nodes deleted. Every mutation needs an
API key with the write scope; its input is checked as a seed record is (the same pydantic models, then
references and the quote's span) before one atomic statement writes it, with who and when."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

import strawberry
from pydantic import ValidationError

from graphapi.api.changes import Change, ChangeKind
from graphapi.api.types import (
    Actor,
    Event,
    Info,
    Measure,
    Node,
    Office,
    Position,
    Source,
    Statement,
    Tenure,
    build,
    build_as,
)
from graphapi.auth import Scope
from graphapi.errors import BadUserInput, NotFound
from graphapi.graph import edits, model
from graphapi.graph.reads import SOURCE_TEXTS
from graphapi.graph.writes import EXISTING_IDS
from graphapi.seed import records
from graphapi.seed.plan import (
    actor_links,
    actor_props,
    clean_props,
    event_links,
    event_props,
    evidence_props,
    measure_links,
    measure_props,
    position_links,
    position_props,
    search_text,
    source_props,
    statement_links,
    statement_props,
)

log = logging.getLogger("graphapi.edits")


@strawberry.input(description="A date as the source gives it: YYYY, YYYY-MM or YYYY-MM-DD.")
class DateInput:
    on: str
    as_written: str | None = None
    year_stated: bool = True


@strawberry.input(description="A statement: the quote must be the source's text[start:end].")
class StatementInput:
    id: strawberry.ID
    speaker: strawberry.ID
    source: strawberry.ID
    quote: str
    start: int
    end: int
    direct: bool
    said_on: DateInput | None = None
    timing: str | None = None
    channel: str | None = None
    role: strawberry.ID | None = None
    at_event: strawberry.ID | None = None
    about: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(description="A position: an actor's stance on a measure or event, read from statements.")
class PositionInput:
    id: strawberry.ID
    actor: strawberry.ID
    on: strawberry.ID
    stance: model.Stance
    confidence: float
    evidence: list[strawberry.ID]
    valid_from: DateInput | None = None
    valid_to: DateInput | None = None
    note: str | None = None


@strawberry.input(
    description="Where evidence sits in a source: the source's text[start:end] must be the quote."
)
class SpanInput:
    quote: str
    start: int
    end: int


@strawberry.input(description="An amount of money as the source states it.")
class MoneyInput:
    amount: float
    currency: str
    approximate: bool = False
    as_written: str | None = None


@strawberry.input(description="A measure, with the spans of its source that state it.")
class MeasureInput:
    id: strawberry.ID
    name: str
    kind: model.MeasureKind
    status: model.MeasureStatus
    imposed_by: list[strawberry.ID]
    source: strawberry.ID
    evidence: list[SpanInput]
    targets: list[strawberry.ID] = strawberry.field(default_factory=list)
    rate: float | None = None
    aliases: list[str] = strawberry.field(default_factory=list)
    sectors: list[str] = strawberry.field(default_factory=list)
    products: list[str] = strawberry.field(default_factory=list)
    value: list[MoneyInput] = strawberry.field(default_factory=list)
    announced_on: DateInput | None = None
    effective_from: DateInput | None = None
    effective_to: DateInput | None = None
    condition: str | None = None
    condition_involves: list[strawberry.ID] = strawberry.field(default_factory=list)
    retaliates_against: list[strawberry.ID] = strawberry.field(default_factory=list)
    part_of: strawberry.ID | None = None


@strawberry.input(description="An event, with the spans of its source that state it.")
class EventInput:
    id: strawberry.ID
    name: str
    kind: model.EventKind
    status: model.EventStatus
    source: strawberry.ID
    evidence: list[SpanInput]
    date: DateInput | None = None
    end: DateInput | None = None
    timing: str | None = None
    participants: list[strawberry.ID] = strawberry.field(default_factory=list)
    location: strawberry.ID | None = None
    after: strawberry.ID | None = None
    topics: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="A country, person, party or organization; the id's prefix says which.")
class ActorInput:
    id: strawberry.ID
    name: str
    aliases: list[str] = strawberry.field(default_factory=list)
    wikidata: str | None = None
    iso_code: str | None = strawberry.field(default=None, description="Countries: ISO 3166-1 alpha-2.")
    country: strawberry.ID | None = strawberry.field(default=None, description="Parties: their country.")
    description: str | None = strawberry.field(default=None, description="Parties.")
    kind: str | None = strawberry.field(default=None, description="Organizations: bloc, agency...")
    source: strawberry.ID | None = None
    evidence: list[SpanInput] = strawberry.field(default_factory=list)


@strawberry.input
class OfficeInput:
    id: strawberry.ID
    name: str
    of: strawberry.ID
    source: strawberry.ID | None = None
    evidence: list[SpanInput] = strawberry.field(default_factory=list)


@strawberry.input(description="A person's holding of an office, with the source spans that state it.")
class TenureInput:
    holder: strawberry.ID
    office: strawberry.ID
    source: strawberry.ID
    evidence: list[SpanInput]
    start: DateInput | None = strawberry.field(default=None, name="from")
    end: DateInput | None = strawberry.field(default=None, name="to")


@strawberry.input(description="A source document; statements and evidence index into its text.")
class SourceInput:
    id: strawberry.ID
    title: str
    text: str
    publisher: str | None = None
    published_on: DateInput | None = None
    url: str | None = None
    language: str | None = None


@strawberry.type
class ActorPayload:
    created: bool
    actor: Actor


@strawberry.type
class OfficePayload:
    created: bool
    office: Office


@strawberry.type
class SourcePayload:
    created: bool
    source: Source


@strawberry.type
class MeasurePayload:
    created: bool
    measure: Measure


@strawberry.type
class EventPayload:
    created: bool
    event: Event


@strawberry.type
class StatementPayload:
    created: bool
    statement: Statement


@strawberry.type
class PositionPayload:
    created: bool
    position: Position


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID
    detached: list[Node] = strawberry.field(
        description="Nodes that referred to the deleted one (with cascade)."
    )


def _record(model_type: type[records.Record], data: dict[str, Any]) -> Any:
    try:
        return model_type.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = ".".join(str(part) for part in error["loc"])
        argument = f"input.{_camel(path)}" if path else "input"  # a check across fields has no field
        message = (
            str(error["ctx"]["error"]) if error["type"] == "value_error" and "ctx" in error else error["msg"]
        )
        raise BadUserInput(f"`{argument}`: {message}", argument=argument) from exc


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _date(value: DateInput | None) -> dict[str, Any] | None:
    return (
        None
        if value is None
        else {"on": value.on, "as_written": value.as_written, "year_stated": value.year_stated}
    )


async def _check_references(info: Info, links: list[tuple[model.Rel, str, Any]]) -> None:
    wanted = {
        dst: field
        for _, field, targets in links
        for dst in ([targets] if isinstance(targets, str) else targets or [])
    }
    found = {row["id"] for row in await info.context.store.read(EXISTING_IDS, {"ids": sorted(wanted)})}
    for dst, field in wanted.items():
        if dst not in found:
            raise BadUserInput(
                f"`input.{_camel(field)}`: no node has the id {dst!r}", argument=f"input.{_camel(field)}"
            )


async def _source_text(info: Info, source: str) -> str:
    if model.kind_of(source) is not model.NODE_KINDS["source"]:
        raise BadUserInput("`input.source` must be the id of a 'source:...'", argument="input.source")
    rows = await info.context.store.read(SOURCE_TEXTS, {"ids": [source]})
    if not rows:
        raise BadUserInput(f"`input.source`: no node has the id {source!r}", argument="input.source")
    return str(rows[0]["text"])


def _check_span(text: str, field: str, quote: str, start: int, end: int) -> None:
    if text[start:end] != quote:
        found = text.find(quote)
        hint = f"; the quote is at start {found}, end {found + len(quote)}" if found >= 0 else ""
        raise BadUserInput(
            f"`{field}`: the source's text [{start}:{end}] is not the quote{hint}", argument=field
        )


def _check_evidence(text: str, spans: list[records.Span]) -> None:
    for i, span in enumerate(spans):
        _check_span(text, f"input.evidence[{i}]", span.quote, span.start, span.end)


def _spans(spans: list[SpanInput]) -> list[dict[str, Any]]:
    return [{"quote": s.quote, "start": s.start, "end": s.end} for s in spans]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


async def _with_evidence(
    info: Info, source: str | None, spans: list[records.Span], props: dict[str, Any], links: list[Any]
) -> tuple[dict[str, Any], list[Any]]:
    """Optional evidence: when spans are given, their source must be too, and they must hold in it."""
    if not spans:
        return props, links
    if source is None:
        raise BadUserInput("`input.source` is needed with `input.evidence`", argument="input.source")
    _check_evidence(await _source_text(info, source), spans)
    return {**props, **evidence_props(spans, source)}, [*links, (model.Rel.EVIDENCE_IN, "evidence", source)]


async def _write(
    info: Info, prefix: str, node_id: str, props: dict[str, Any], links: list[tuple[model.Rel, str, Any]]
) -> bool:
    principal = await info.context.require(Scope.WRITE)
    existed = bool(await info.context.store.read(EXISTING_IDS, {"ids": [node_id]}))
    props = clean_props({**props, "id": node_id})
    props["searchText"] = search_text(props) or None
    params = {
        "id": node_id,
        "props": clean_props(props),
        "now": _now(),
        "who": principal.label,
        "owned": [rel.value for rel in edits.OWNED[prefix]],
        "links": [
            {"type": rel.value, "dst": dst}
            for rel, _, targets in links
            for dst in ([targets] if isinstance(targets, str) else targets or [])
        ],
    }
    await info.context.store.write(edits.UPSERTS[prefix], params)
    info.context.loaders.forget(node_id)
    return not existed


async def _save(
    info: Info, prefix: str, node_id: str, props: dict[str, Any], links: list[tuple[model.Rel, str, Any]]
) -> tuple[bool, Any]:
    """Write, tell the subscribers, and read back what now stands."""
    created = await _write(info, prefix, node_id, props, links)
    _announce(info, created, node_id, model.NODE_KINDS[prefix].label, links)
    return created, await _reload(info, node_id)


def _announce(
    info: Info, created: bool, node_id: str, label: str, links: list[tuple[model.Rel, str, Any]]
) -> None:
    related = frozenset(
        dst for _, _, targets in links for dst in ([targets] if isinstance(targets, str) else targets or [])
    )
    kind = ChangeKind.CREATED if created else ChangeKind.UPDATED
    info.context.bus.publish(Change(kind, node_id, label, related))


async def _reload(info: Info, node_id: str) -> Any:
    record = await info.context.loaders.node.load(node_id)
    if record is None:
        raise NotFound(f"{node_id!r} was written but cannot be read back")
    return build(record)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create or replace a statement (needs a key with the write scope).")
    async def upsert_statement(self, info: Info, input: StatementInput) -> StatementPayload:
        await info.context.require(Scope.WRITE)
        statement = _record(
            records.Statement,
            {
                "id": input.id,
                "speaker": input.speaker,
                "quote": input.quote,
                "start": input.start,
                "end": input.end,
                "direct": input.direct,
                "said_on": _date(input.said_on),
                "timing": input.timing,
                "channel": input.channel,
                "role": input.role,
                "at_event": input.at_event,
                "about": list(input.about),
            },
        )
        text = await _source_text(info, input.source)
        links = statement_links(statement, input.source)
        await _check_references(info, links)
        _check_span(text, "input.quote", input.quote, input.start, input.end)
        created, saved = await _save(info, "statement", statement.id, statement_props(statement), links)
        return StatementPayload(created=created, statement=saved)

    @strawberry.mutation(description="Create or replace a position (needs a key with the write scope).")
    async def upsert_position(self, info: Info, input: PositionInput) -> PositionPayload:
        await info.context.require(Scope.WRITE)
        position = _record(
            records.Position,
            {
                "id": input.id,
                "actor": input.actor,
                "on": input.on,
                "stance": input.stance,
                "confidence": input.confidence,
                "evidence": list(input.evidence),
                "valid_from": _date(input.valid_from),
                "valid_to": _date(input.valid_to),
                "note": input.note,
            },
        )
        if (
            position.valid_from
            and position.valid_to
            and position.valid_from.fuzzy().iso > position.valid_to.fuzzy().iso
        ):
            raise BadUserInput("`input.validFrom` is after `input.validTo`", argument="input.validFrom")
        links = position_links(position)
        await _check_references(info, links)
        created, saved = await _save(info, "position", position.id, position_props(position), links)
        return PositionPayload(created=created, position=saved)

    @strawberry.mutation(description="Create or replace a measure (needs a key with the write scope).")
    async def upsert_measure(self, info: Info, input: MeasureInput) -> MeasurePayload:
        await info.context.require(Scope.WRITE)
        measure = _record(
            records.Measure,
            {
                "id": input.id,
                "name": input.name,
                "aliases": list(input.aliases),
                "kind": input.kind,
                "status": input.status,
                "rate": input.rate,
                "imposed_by": list(input.imposed_by),
                "targets": list(input.targets),
                "sectors": list(input.sectors),
                "products": list(input.products),
                "value": [
                    {
                        "amount": v.amount,
                        "currency": v.currency,
                        "approximate": v.approximate,
                        "as_written": v.as_written,
                    }
                    for v in input.value
                ],
                "announced_on": _date(input.announced_on),
                "effective_from": _date(input.effective_from),
                "effective_to": _date(input.effective_to),
                "condition": input.condition,
                "condition_involves": list(input.condition_involves),
                "retaliates_against": list(input.retaliates_against),
                "part_of": input.part_of,
                "evidence": _spans(input.evidence),
            },
        )
        text = await _source_text(info, input.source)
        _check_evidence(text, measure.evidence)
        links = measure_links(measure, input.source)
        await _check_references(info, links)
        created, saved = await _save(info, "measure", measure.id, measure_props(measure, input.source), links)
        return MeasurePayload(created=created, measure=saved)

    @strawberry.mutation(description="Create or replace an event (needs a key with the write scope).")
    async def upsert_event(self, info: Info, input: EventInput) -> EventPayload:
        await info.context.require(Scope.WRITE)
        event = _record(
            records.Event,
            {
                "id": input.id,
                "name": input.name,
                "kind": input.kind,
                "status": input.status,
                "date": _date(input.date),
                "end": _date(input.end),
                "timing": input.timing,
                "participants": list(input.participants),
                "location": input.location,
                "after": input.after,
                "topics": list(input.topics),
                "evidence": _spans(input.evidence),
            },
        )
        text = await _source_text(info, input.source)
        _check_evidence(text, event.evidence)
        links = event_links(event, input.source)
        await _check_references(info, links)
        created, saved = await _save(info, "event", event.id, event_props(event, input.source), links)
        return EventPayload(created=created, event=saved)

    @strawberry.mutation(description="Create or replace an actor (needs a key with the write scope).")
    async def upsert_actor(self, info: Info, input: ActorInput) -> ActorPayload:
        await info.context.require(Scope.WRITE)
        kinds: dict[str, type[records.Record]] = {
            "country": records.Country,
            "person": records.Person,
            "party": records.Party,
            "org": records.Organization,
        }
        kind = model.kind_of(input.id)
        if kind is None or kind.prefix not in kinds:
            raise BadUserInput(
                "`input.id` must be the id of a 'country:', 'person:', 'party:' or 'org:'",
                argument="input.id",
            )
        fields = {
            "country": input.iso_code and {"iso_code": input.iso_code},
            "party": {"country": input.country, "description": input.description},
            "org": {"kind": input.kind},
        }
        actor = _record(
            kinds[kind.prefix],
            {
                "id": input.id,
                "name": input.name,
                "aliases": list(input.aliases),
                "wikidata": input.wikidata,
                "evidence": _spans(input.evidence),
                **(fields.get(kind.prefix) or {}),
            },
        )
        props, links = actor_props(actor), actor_links(actor)
        props, links = await _with_evidence(info, input.source, actor.evidence, props, links)
        await _check_references(info, links)
        created, saved = await _save(info, kind.prefix, actor.id, props, links)
        return ActorPayload(created=created, actor=saved)

    @strawberry.mutation(description="Create or replace an office (needs a key with the write scope).")
    async def upsert_office(self, info: Info, input: OfficeInput) -> OfficePayload:
        await info.context.require(Scope.WRITE)
        office = _record(
            records.Office,
            {"id": input.id, "name": input.name, "of": input.of, "evidence": _spans(input.evidence)},
        )
        links: list[tuple[model.Rel, str, Any]] = [(model.Rel.OFFICE_OF, "of", office.of)]
        props, links = await _with_evidence(info, input.source, office.evidence, {"name": office.name}, links)
        await _check_references(info, links)
        created, saved = await _save(info, "office", office.id, props, links)
        return OfficePayload(created=created, office=saved)

    @strawberry.mutation(
        description="Set who holds an office and since when (needs a key with the write scope)."
    )
    async def set_tenure(self, info: Info, input: TenureInput) -> Tenure:
        principal = await info.context.require(Scope.WRITE)
        tenure = _record(
            records.Tenure,
            {
                "holder": input.holder,
                "office": input.office,
                "from": _date(input.start),
                "to": _date(input.end),
                "evidence": _spans(input.evidence),
            },
        )
        text = await _source_text(info, input.source)
        _check_evidence(text, tenure.evidence)
        await _check_references(
            info, [(model.Rel.HOLDS, "holder", tenure.holder), (model.Rel.HOLDS, "office", tenure.office)]
        )
        props = clean_props(
            {
                **(tenure.from_.fuzzy().to_props("from") if tenure.from_ else {}),
                **(tenure.to.fuzzy().to_props("to") if tenure.to else {}),
                **evidence_props(tenure.evidence, input.source),
            }
        )
        await info.context.store.write(
            edits.SET_TENURE,
            {
                "holder": tenure.holder,
                "office": tenure.office,
                "props": props,
                "now": _now(),
                "who": principal.label,
            },
        )
        info.context.loaders.forget(tenure.holder)
        holder = await info.context.loaders.node.load(tenure.holder)
        edge = next(e for e in holder.edges(model.Rel.HOLDS) if e.dst == tenure.office) if holder else None
        if edge is None:
            raise NotFound(
                f"the tenure of {tenure.holder} in {tenure.office} was written but cannot be read back"
            )
        return Tenure(holder_id=tenure.holder, office_id=tenure.office, props=edge.props)

    @strawberry.mutation(
        description="Remove a tenure; true when there was one (needs a key with the write scope)."
    )
    async def remove_tenure(self, info: Info, holder: strawberry.ID, office: strawberry.ID) -> bool:
        await info.context.require(Scope.WRITE)
        rows = await info.context.store.write(edits.REMOVE_TENURE, {"holder": holder, "office": office})
        info.context.loaders.forget(holder)
        return bool(rows and rows[0]["removed"])

    @strawberry.mutation(
        description=(
            "Create or replace a source (needs a key with the write scope). Its text cannot change while "
            "statements or evidence point into it: their spans would no longer hold."
        )
    )
    async def upsert_source(self, info: Info, input: SourceInput) -> SourcePayload:
        await info.context.require(Scope.WRITE)
        source = _record(
            records.Source,
            {
                "id": input.id,
                "title": input.title,
                "file": "(sent through the API)",
                "publisher": input.publisher,
                "published_on": _date(input.published_on),
                "url": input.url,
                "language": input.language,
            },
        )
        if not input.text:
            raise BadUserInput("`input.text` must not be empty", argument="input.text")
        checksum = hashlib.sha256(input.text.encode("utf-8")).hexdigest()
        existing = await info.context.loaders.node.load(source.id)
        if existing is not None and existing.get("checksum") != checksum:
            dependents = await info.context.store.read(edits.DEPENDENTS, {"id": source.id})
            if dependents:
                raise BadUserInput(
                    f"`input.text`: {len(dependents)} fact(s) quote {source.id} by position, such as "
                    f"{dependents[0]['id']}; its text cannot change under them",
                    argument="input.text",
                )
        props = source_props(source, input.text, checksum)
        props.pop("file")
        created, saved = await _save(info, "source", source.id, props, [])
        return SourcePayload(created=created, source=saved)

    @strawberry.mutation(
        description=(
            "Delete a node. Refused while other nodes refer to it, naming them, unless `cascade` is true: "
            "then its relationships go with it and the nodes that referred to it stay."
        )
    )
    async def delete_node(self, info: Info, id: strawberry.ID, cascade: bool = False) -> DeletePayload:
        principal = await info.context.require(Scope.WRITE)
        record = await info.context.loaders.node.load(id) if model.kind_of(id) else None
        if record is None:
            raise NotFound(f"`id`: no node has the id {id!r}")
        dependents = await info.context.store.read(edits.DEPENDENTS, {"id": id})
        if dependents and not cascade:
            named = ", ".join(f"{row['id']} ({row['rel']})" for row in dependents[:10])
            more = f" and {len(dependents) - 10} more" if len(dependents) > 10 else ""
            raise BadUserInput(
                f"`id`: {id} is referred to by {named}{more}; pass cascade: true to delete it anyway",
                argument="id",
            )
        await info.context.store.write(edits.DELETE, {"id": id})
        # A deleted node cannot carry who deleted it: the log does, with the request id.
        log.info(
            "node deleted",
            extra={
                "node_id": id,
                "by": principal.label,
                "cascade": cascade,
                "request_id": info.context.request_id,
            },
        )
        info.context.loaders.forget(id)
        related = frozenset(edge.dst for edge in record.out)
        info.context.bus.publish(Change(ChangeKind.DELETED, id, record.kind.label, related))
        detached = [
            built
            for r in await info.context.loaders.nodes(sorted({row["id"] for row in dependents}))
            if (built := build_as(r, Node)) is not None
        ]
        return DeletePayload(deleted_id=strawberry.ID(id), detached=detached)
