"""The per-type field table: how each field of each GraphQL type compiles to Cypher, mirroring its
resolver in graphapi/api/types/. A field marked FALLBACK, or missing, sends its root field to the
resolvers; tests/test_compiled.py fails when a field of the schema is in neither column, so a new field
is noticed.

Expressions read the node's stored properties as the resolvers read its NodeRecord (graphapi/graph/
nodes.py): dates from their flat properties (graphapi/graph/dates.py), evidence spans from parallel
lists (graphapi/graph/mapping.py), related nodes through the relationship types of graphapi/graph/model.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphapi.api.compiled.objects import FALLBACK, Compiled, Compiler, NodeVar, Rule
from graphapi.api.compiled.pipeline import Binding, Fallback, Refused, Selected
from graphapi.api.compiled.shapes import Shape
from graphapi.api.reading.arguments import MAX_CONTEXT, NESTED_MAX, checked_certainty
from graphapi.graph import model
from graphapi.graph.dates import OPEN_END, OPEN_START
from graphapi.graph.model import Rel

# --- the sources of objects that are not nodes ---------------------------------------------------


@dataclass(frozen=True)
class Dated:
    """A date stored flat on `base` (a node or relationship variable) under `field`."""

    base: str
    field: str


@dataclass(frozen=True)
class Spanned:
    start: str
    end: str


@dataclass(frozen=True)
class Held:
    """A tenure: `holder` -[rel]-> `office`."""

    holder: str
    rel: str
    office: str


@dataclass(frozen=True)
class Edited:
    var: str


@dataclass(frozen=True)
class Priced:
    """The `index`th amount of money of the measure `var`."""

    var: str
    index: str


@dataclass(frozen=True)
class Cited:
    """An evidence span: where it is (`start`, `end`), its words, the node its source id names
    (`source`, a variable, null when none) and the statement it is the quote of (a variable, or None)."""

    start: str
    end: str
    quote: str
    source: str
    statement: str | None


@dataclass(frozen=True)
class Excerpt:
    """The text around `start`..`end` in the source `source`, `chars` characters on each side."""

    source: str
    start: str
    end: str
    chars: str


# --- scalars -------------------------------------------------------------------------------------


def prop(name: str, default: str | None = None) -> Rule:
    def rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
        value = f"{node.var}.{name}"
        return (f"coalesce({value}, {default})" if default else value), None

    return rule


def attr(name: str) -> Rule:
    """A field of a non-node source, read as the source's attribute (an expression)."""

    def rule(c: Compiler, source: Any, field: Selected) -> Compiled:
        return getattr(source, name), None

    return rule


def _node_id(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return f"{node.var}.id", None


def _edited(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    expression, shape = c.nested(Edited(node.var), field)
    return f"CASE WHEN {node.var}.createdAt IS NULL THEN null ELSE {expression} END", shape


def _audit(name: str) -> Rule:
    # str() of what is stored, as the resolver does (every write sets all four)
    return lambda c, e, f: (f"coalesce(toString({e.var}.{name}), 'None')", None)


def date(name: str) -> Rule:
    def rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
        return dated(c, Dated(node.var, name), field)

    return rule


def dated(c: Compiler, source: Dated, field: Selected) -> Compiled:
    # A date known only by its bounds has no `iso` but a precision (FuzzyDate.from_props).
    expression, shape = c.nested(source, field)
    base, name = source.base, source.field
    return (
        f"CASE WHEN {base}.{name} IS NULL AND {base}.{name}Precision IS NULL THEN null ELSE {expression} END",
        shape,
    )


def _bound(suffix: str) -> Rule:
    """The first or last day a date can be: null where the sources leave that side open."""

    def rule(c: Compiler, d: Dated, field: Selected) -> Compiled:
        stored = f"{d.base}.{d.field}{suffix}"
        return f"CASE WHEN {stored} IN ['{OPEN_START}', '{OPEN_END}'] THEN null ELSE {stored} END", None

    return rule


DATE_FIELDS: dict[str, Rule] = {
    "iso": lambda c, d, f: (f"toString({d.base}.{d.field})", None),
    "precision": lambda c, d, f: (f"coalesce({d.base}.{d.field}Precision, 'DAY')", None),
    "asWritten": lambda c, d, f: (f"{d.base}.{d.field}AsWritten", None),
    "yearStated": lambda c, d, f: (f"coalesce({d.base}.{d.field}YearStated, true)", None),
    "earliest": _bound("Start"),
    "latest": _bound("End"),
    "relativeToSource": lambda c, d, f: (f"coalesce({d.base}.{d.field}Relative, false)", None),
    "evidence": FALLBACK,  # spans stored as parallel lists: left to the resolver
}


# --- related nodes -------------------------------------------------------------------------------


def out_one(rel: Rel, label: str) -> Rule:
    """The node a relationship of the node leads to (the records allow one), if it is a `label`."""

    def rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
        other = c.to_one(node.var, f"({{v}})-[:{rel.value}]->({{m}}:{label})")
        return c.nested(NodeVar(other), field)

    return rule


def out_many(rel: Rel, label: str) -> Rule:
    """The nodes the node's relationships of a type lead to, in id order (NodeRecord.targets)."""

    def rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
        return c.node_list(node.var, f"({{v}})-[:{rel.value}]->({{m}}:{label})", field)

    return rule


def nested_first(c: Compiler, field: Selected) -> str:
    """The `first` of a nested list, checked as the resolver checks it (nested_size)."""

    def first(b: Binding) -> int:
        value = b.args(field)["first"]
        if not isinstance(value, int) or not 0 <= value <= NESTED_MAX:
            raise Refused("`first` out of range: the resolver says why")
        return value

    return c.p.param(first)


def incoming(rel: Rel, label: str, by_stance: bool = False) -> Rule:
    """The nodes with a relationship of a type to the node, at most `first`, in id order; Measure.positions
    also by stance."""

    def rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
        limit = nested_first(c, field)
        where = ""
        if by_stance and c.p.chosen_by(lambda b: b.args(field)["stance"] is None, c.binding) is False:
            stance = c.p.param(lambda b: b.args(field)["stance"].value)
            where = f"{{m}}.stance = {stance}"
        return c.incoming(
            node.var, rel.value, label, limit, lambda m: c.nested(NodeVar(m), field), where=where
        )

    return rule


# --- evidence ------------------------------------------------------------------------------------


def spans_evidence(c: Compiler, base: str, field: Selected) -> Compiled:
    """Evidence spans stored flat on a node or relationship (spans_evidence in types/common.py)."""
    source = c.to_one(base, "({m}:Node {{id: {v}.evidenceSource}})", lookup=True)
    i = c.p.name("i")
    item = Cited(
        f"{base}.evidenceStarts[{i}]",
        f"{base}.evidenceEnds[{i}]",
        f"{base}.evidenceQuotes[{i}]",
        source,
        None,
    )
    expression, shape = c.nested(item, field)
    spans = f"[{i} IN range(0, size(coalesce({base}.evidenceStarts, [])) - 1) | {expression}]"
    return f"CASE WHEN {base}.evidenceSource IS NULL THEN [] ELSE {spans} END", (
        None if shape is None else _list_of(shape)
    )


def quote_evidence(c: Compiler, statement: str, field: Selected) -> Compiled:
    """A statement's quote as a list of one evidence span, or none (quote_evidence in types/common.py)."""
    source = c.to_one(statement, "({v})-[:QUOTED_IN]->({m}:Node)")
    s = statement
    item = Cited(f"{s}.spanStart", f"{s}.spanEnd", f"coalesce({s}.quote, '')", source, s)
    expression, shape = c.nested(item, field)
    missing = f"{source} IS NULL OR {s}.spanStart IS NULL OR {s}.spanEnd IS NULL"
    return f"CASE WHEN {missing} THEN [] ELSE [{expression}] END", (
        None if shape is None else _list_of(shape)
    )


def _list_of(shape: Shape) -> Shape:
    from graphapi.api.compiled.shapes import ListShape

    return ListShape(shape)


def _node_evidence(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return spans_evidence(c, node.var, field)


def _statement_evidence(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return quote_evidence(c, node.var, field)


# The statements behind a position: the speakers' own words first, then in the order of the source text.
_EVIDENCE_ORDER = "CASE WHEN {m}.direct THEN 0 ELSE 1 END, coalesce({m}.spanStart, 0), {m}.id"


def _position_statements(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return c.node_list(node.var, "({v})-[:EVIDENCED_BY]->({m}:Statement)", field, _EVIDENCE_ORDER)


def position_evidence(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    """Each statement's quote, in statement order, then the position's own spans (evidence_of)."""

    quote_shapes: list[Shape | None] = []

    def item(statement: str) -> Compiled:
        expression, shape = quote_evidence(c, statement, field)
        quote_shapes.append(shape)
        return f"CASE WHEN {statement} IS NULL THEN null ELSE {expression} END", None

    pattern = "({v})-[:EVIDENCED_BY]->({m}:Statement)"
    quotes, _ = c.to_many(node.var, pattern, _EVIDENCE_ORDER, item)
    spans, spans_shape = spans_evidence(c, node.var, field)
    flat, each = c.p.name("e"), c.p.name("x")
    expression = f"reduce({flat} = [], {each} IN {quotes} | {flat} + {each}) + {spans}"
    # The two kinds of span differ only in `statement`, null for the position's own: the quotes' shape
    # takes both.
    return expression, quote_shapes[0] or spans_shape


def _evidence_source(c: Compiler, cited: Cited, field: Selected) -> Compiled:
    return c.nested(NodeVar(cited.source, f"{cited.source}:Source"), field)


def _evidence_statement(c: Compiler, cited: Cited, field: Selected) -> Compiled:
    if cited.statement is None:
        return "null", None
    return c.nested(NodeVar(cited.statement), field)


def _evidence_context(c: Compiler, cited: Cited, field: Selected) -> Compiled:
    def chars(b: Binding) -> int:
        value = b.args(field)["chars"]
        if not isinstance(value, int) or not 0 <= value <= MAX_CONTEXT:
            raise Refused("`chars` out of range: the resolver says why")
        return value

    # FalkorDB evaluates every branch of a CASE, and substring() refuses a null position: a statement
    # without a span gets no context (the CASE above), but its positions must still be numbers.
    start, end = f"coalesce({cited.start}, 0)", f"coalesce({cited.end}, 0)"
    excerpt = Excerpt(cited.source, start, end, c.p.param(chars))
    expression, shape = c.nested(excerpt, field)
    return f"CASE WHEN {cited.source}:Source THEN {expression} END", shape


def _context_before(c: Compiler, e: Excerpt, field: Selected) -> Compiled:
    origin = f"CASE WHEN {e.start} - {e.chars} > 0 THEN {e.start} - {e.chars} ELSE 0 END"
    return f"substring({e.source}.text, {origin}, {e.start} - ({origin}))", None


CONTEXT_FIELDS: dict[str, Rule] = {
    "before": _context_before,
    "quote": lambda c, e, f: (f"substring({e.source}.text, {e.start}, {e.end} - {e.start})", None),
    "after": lambda c, e, f: (f"substring({e.source}.text, {e.end}, {e.chars})", None),
    "truncatedBefore": lambda c, e, f: (f"{e.start} - {e.chars} > 0", None),
    "truncatedAfter": lambda c, e, f: (f"{e.end} + {e.chars} < size({e.source}.text)", None),
}


def _span(c: Compiler, cited: Cited, field: Selected) -> Compiled:
    return c.nested(Spanned(cited.start, cited.end), field)


def _statement_span(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return c.nested(Spanned(f"{node.var}.spanStart", f"{node.var}.spanEnd"), field)


# --- tenures -------------------------------------------------------------------------------------


def held_on(rel: str, day: str, possible: str) -> str:
    """held_on in graphapi/graph/temporal.py, as a condition: known to be held on `day` (a start known
    to have come by it, no end before it), or with `possible` true, possibly held."""
    known = (
        f"{rel}.fromEnd IS NOT NULL AND {rel}.fromEnd <= {day} "
        f"AND ({rel}.toStart IS NULL OR {day} < {rel}.toStart) "
        f"AND ({rel}.reportedUntil IS NULL OR {day} <= {rel}.reportedUntil)"
    )
    maybe = (
        f"({rel}.fromStart IS NULL OR {rel}.fromStart <= {day}) "
        f"AND ({rel}.toEnd IS NULL OR {day} < {rel}.toEnd)"
    )
    return f"(({known}) OR ({possible} AND {maybe}))"


def day_asked(c: Compiler, field: Selected) -> tuple[str, bool, str]:
    """The `on` day of a field as a parameter, whether one is given (the text differs), and whether
    answers that only possibly hold are asked for (`certainty`, checked as checked_certainty does)."""
    given = c.p.chosen_by(lambda b: b.args(field).get("on") is not None, c.binding)
    possible = c.p.param(lambda b: possible_asked(b.args(field).get("certainty"), "certainty"))
    return c.p.param(lambda b: b.args(field).get("on")), given, possible


def possible_asked(certainty: Any, argument: str) -> bool:
    """Whether answers that only possibly hold are asked for, as checked_certainty checks it (Refused for
    what it refuses: the resolver says why)."""
    if certainty is None:
        return False
    least = model.Certainty(getattr(certainty, "value", certainty))
    if least is model.Certainty.NO:
        raise Refused(f"`{argument}` NO: the resolver says why")
    return checked_certainty(least, argument) is model.Certainty.POSSIBLE


def _tenures(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    """Person.tenures: the person's HOLDS relationships, in office id order, those held `on` a day."""
    day, given, possible = day_asked(c, field)
    outer = list(c.p.scope)
    rel, office = c.p.name("h"), c.p.name("n")
    where = f" WHERE {held_on(rel, day, possible)}" if given else ""
    c.p.add(f"OPTIONAL MATCH ({node.var})-[{rel}:HOLDS]->({office}:Node){where}")
    c.p.scope += [rel, office]
    return c._collect(outer, office, "{m}.id", lambda m: _tenure(c, Held(node.var, rel, m), field))


def holders(c: Compiler, office: str, field: Selected, limit: str, on: tuple[str, bool, str]) -> Compiled:
    """Who holds or held the office: at most `limit` holders in id order, then their tenures of it held
    `day` when given (office_holders in types/actors.py)."""
    day, given, possible = on
    outer = list(c.p.scope)
    found, holder, rel = c.p.name("l"), c.p.name("n"), c.p.name("h")
    c.p.add(
        f"CALL {{ WITH {office} MATCH ({office})<-[:HOLDS]-(m:Node) WITH m ORDER BY m.id LIMIT {limit} "
        f"RETURN collect(m) AS {found} }} WITH {c.p.carried(found)} "
        f"UNWIND CASE WHEN size({found}) = 0 THEN [null] ELSE {found} END AS {holder} "
        f"OPTIONAL MATCH ({holder})-[{rel}:HOLDS]->({office})"
        + (f" WHERE {held_on(rel, day, possible)}" if given else "")
    )
    c.p.scope += [holder, rel]
    item = Held(holder, rel, office)
    return c._collect(outer, rel, f"{holder}.id", lambda r: _tenure(c, item, field))


def _tenure(c: Compiler, held: Held, field: Selected) -> Compiled:
    expression, shape = c.nested(held, field)
    return f"CASE WHEN {held.rel} IS NULL THEN null ELSE {expression} END", shape


def _office_holders(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return holders(c, node.var, field, nested_first(c, field), day_asked(c, field))


TENURE_FIELDS: dict[str, Rule] = {
    "holder": lambda c, t, f: c.nested(NodeVar(t.holder, f"{t.holder}:Person"), f),
    "office": lambda c, t, f: c.nested(NodeVar(t.office, f"{t.office}:Office"), f),
    "from": lambda c, t, f: dated(c, Dated(t.rel, "from"), f),
    "to": lambda c, t, f: dated(c, Dated(t.rel, "to"), f),
    "evidence": lambda c, t, f: spans_evidence(c, t.rel, f),
    "held": FALLBACK,  # how sure, and why in words: graphapi/graph/temporal.py
}


# --- measures ------------------------------------------------------------------------------------


def _value(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    i = c.p.name("i")
    expression, shape = c.nested(Priced(node.var, i), field)
    v = node.var
    return f"[{i} IN range(0, size(coalesce({v}.valueAmounts, [])) - 1) | {expression}]", (
        None if shape is None else _list_of(shape)
    )


MONEY_FIELDS: dict[str, Rule] = {
    "amount": lambda c, m, f: (f"{m.var}.valueAmounts[{m.index}]", None),
    "currency": lambda c, m, f: (f"{m.var}.valueCurrencies[{m.index}]", None),
    "approximate": lambda c, m, f: (f"{m.var}.valueApproximate[{m.index}]", None),
    # an empty text stands for none
    "asWritten": lambda c, m, f: (
        f"CASE WHEN {m.var}.valueAsWritten[{m.index}] = '' THEN null "
        f"ELSE {m.var}.valueAsWritten[{m.index}] END",
        None,
    ),
}


def _effects(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    """Effects are stored as JSON text: the statement returns it, and Python reads the selected fields."""
    return f"{node.var}.effects", EffectsShape(_json_projection(c, field, "Effect"))


@dataclass(frozen=True)
class Projection:
    """Which keys of a stored JSON object a selection takes, and how (a nested projection or a value)."""

    typename: str
    fields: tuple[tuple[str, str, Any], ...]  # (response key, field name, nested Projection or None)

    def apply(self, value: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for response, name, nested in self.fields:
            out[response] = _EFFECT_VALUES[(self.typename, name)](value, nested)
        return out


# How each field of an effect (as mapping.py stores it) is read, as Effect and its Evidence read it.
_EFFECT_VALUES: dict[tuple[str, str], Any] = {
    ("Effect", "__typename"): lambda v, n: "Effect",
    ("Effect", "description"): lambda v, n: v["description"],
    ("Effect", "amount"): lambda v, n: None if v["amount"] is None else float(v["amount"]),
    ("Effect", "unit"): lambda v, n: v["unit"],
    ("Effect", "approximate"): lambda v, n: v["approximate"],
    ("Effect", "likely"): lambda v, n: v["likely"],
    ("Effect", "evidence"): lambda v, n: n.apply(v),
    ("Evidence", "__typename"): lambda v, n: "Evidence",
    ("Evidence", "quote"): lambda v, n: v["quote"],
    ("Evidence", "span"): lambda v, n: n.apply(v),
    ("Evidence", "statement"): lambda v, n: None,
    ("Span", "__typename"): lambda v, n: "Span",
    ("Span", "start"): lambda v, n: v["start"],
    ("Span", "end"): lambda v, n: v["end"],
}


def _json_projection(c: Compiler, field: Selected, typename: str) -> Projection:
    runtime = c.schema.get_type(typename)
    fields = []
    for sub in c.selection(runtime, field.details):  # type: ignore[arg-type]
        if (typename, sub.name) not in _EFFECT_VALUES:
            raise Fallback(f"{typename}.{sub.name} of an effect")  # a source or context: the resolvers
        nested = None
        if sub.name in ("evidence", "span"):
            nested = _json_projection(c, sub, "Evidence" if sub.name == "evidence" else "Span")
        fields.append((sub.key, sub.name, nested))
    return Projection(typename, tuple(fields))


def FROM_JSON(c: Compiler, source: Any, field: Selected) -> Compiled:
    """A field read in Python from its parent's stored JSON (see _effects), never compiled on its own."""
    raise Fallback(f"{field.parent.name}.{field.name} outside its JSON")


@dataclass(frozen=True)
class EffectsShape:
    projection: Projection

    def __call__(self, value: Any) -> Any:
        return [self.projection.apply(e) for e in (json.loads(value) if value else [])]


# --- the table -----------------------------------------------------------------------------------

# claims: each source's claims of the record, and which stand (graphapi/graph/claims.py), in Python
NODE: dict[str, Rule] = {
    "id": _node_id,
    "edited": _edited,
    "claims": FALLBACK,
    "disputed": prop("disputed", "[]"),
}
_ACTOR: dict[str, Rule] = {
    **NODE,
    "name": prop("name"),
    "aliases": prop("aliases", "[]"),
    "wikidata": prop("wikidata"),
    "statements": incoming(Rel.SAID_BY, "Statement"),
    "positions": incoming(Rel.HELD_BY, "Position"),
    "measuresImposed": incoming(Rel.IMPOSED_BY, "Measure"),
    "targetedBy": incoming(Rel.TARGETS, "Measure"),
    "evidence": _node_evidence,
}

# An entry of the compiled timeline (roots.py, timeline): its node `n`, `kind` and date map `dm` are
# variables of each row (graphapi/graph/reads.py, TIMELINE_ENTRIES).
TIMELINE_ENTRY_FIELDS: dict[str, Rule] = {
    "kind": lambda c, e, f: ("kind", None),
    "summary": lambda c, e, f: (
        f"coalesce(CASE WHEN kind = 'STATEMENT' THEN {e.var}.quote ELSE {e.var}.name END, '')",
        None,
    ),
    "date": lambda c, e, f: dated(c, Dated("dm", "v"), f),
    "node": lambda c, e, f: c.nested(NodeVar(e.var), f),
    "inRange": FALLBACK,  # how sure, and why in words: graphapi/graph/temporal.py
}


FIELDS: dict[str, dict[str, Rule]] = {
    "Country": {**_ACTOR, "isoCode": prop("isoCode"), "offices": incoming(Rel.OFFICE_OF, "Office")},
    "Person": {**_ACTOR, "tenures": _tenures},
    "Party": {
        **_ACTOR,
        "description": prop("description"),
        "country": out_one(Rel.BASED_IN, "Country"),
        "offices": incoming(Rel.OFFICE_OF, "Office"),
    },
    "Organization": {**_ACTOR, "kind": prop("kind")},
    "Office": {
        **NODE,
        "name": prop("name"),
        "of": out_one(Rel.OFFICE_OF, "Actor"),
        "holders": _office_holders,
        "evidence": _node_evidence,
    },
    "Measure": {
        "timeline": FALLBACK,  # gathered from claims, statements, positions and answers, in Python
        **NODE,
        "name": prop("name"),
        "kind": prop("kind"),
        "status": prop("status"),
        "rate": prop("rate"),
        "aliases": prop("aliases", "[]"),
        "condition": prop("condition"),
        "sectors": prop("sectors", "[]"),
        "products": prop("products", "[]"),
        "value": _value,
        "effects": _effects,
        "announcedOn": date("announcedOn"),
        "effectiveFrom": date("effectiveFrom"),
        "effectiveTo": date("effectiveTo"),
        "imposedBy": out_many(Rel.IMPOSED_BY, "Actor"),
        "targets": out_many(Rel.TARGETS, "Actor"),
        "conditionInvolves": out_many(Rel.CONDITION_INVOLVES, "Actor"),
        "retaliatesAgainst": out_many(Rel.RETALIATES_AGAINST, "Measure"),
        "retaliatedBy": incoming(Rel.RETALIATES_AGAINST, "Measure"),
        "partOf": out_one(Rel.PART_OF, "Measure"),
        "parts": incoming(Rel.PART_OF, "Measure"),
        "positions": incoming(Rel.ON, "Position", by_stance=True),
        "statements": incoming(Rel.ABOUT, "Statement"),
        "evidence": _node_evidence,
        # decided in Python over bounded dates (graphapi/graph/temporal.py) and over tenures
        "inForce": FALLBACK,
        "imposers": FALLBACK,
    },
    "Event": {
        **NODE,
        "name": prop("name"),
        "kind": prop("kind"),
        "status": prop("status"),
        "date": date("date"),
        "end": date("end"),
        "timing": prop("timing"),
        "topics": prop("topics", "[]"),
        "participants": out_many(Rel.PARTICIPANT, "Actor"),
        "location": out_one(Rel.LOCATED_IN, "Country"),
        "after": out_one(Rel.AFTER, "Event"),
        "statements": incoming(Rel.AT_EVENT, "Statement"),
        "evidence": _node_evidence,
    },
    "Statement": {
        **NODE,
        "quote": prop("quote"),
        "direct": prop("direct", "false"),
        "span": _statement_span,
        "saidOn": date("saidOn"),
        "timing": prop("timing"),
        "channel": prop("channel"),
        "speaker": out_one(Rel.SAID_BY, "Actor"),
        "role": out_one(Rel.IN_ROLE, "Office"),
        "atEvent": out_one(Rel.AT_EVENT, "Event"),
        "about": out_many(Rel.ABOUT, "Node"),
        "source": out_one(Rel.QUOTED_IN, "Source"),
        "evidence": _statement_evidence,
    },
    "Position": {
        **NODE,
        "stance": prop("stance"),
        "stanceOn": FALLBACK,  # from the claims kept beside the graph, in Python
        "basis": lambda c, e, f: (f"coalesce({e.var}.basis, 'STATEMENT')", None),
        "confidence": prop("confidence"),
        "note": prop("note"),
        "validFrom": date("validFrom"),
        "validTo": date("validTo"),
        "actor": out_one(Rel.HELD_BY, "Actor"),
        "on": out_one(Rel.ON, "Node"),
        "statements": _position_statements,
        "evidence": position_evidence,
    },
    "Source": {
        **NODE,
        "title": prop("title"),
        "publisher": prop("publisher"),
        "publishedOn": date("publishedOn"),
        "writtenOn": date("writtenOn"),
        "url": prop("url"),
        "language": prop("language"),
        "text": prop("text", "''"),
        "checksum": prop("checksum"),
        "statements": incoming(Rel.QUOTED_IN, "Statement"),
    },
    "Tenure": TENURE_FIELDS,
    "FuzzyDate": DATE_FIELDS,
    "TimelineEntry": TIMELINE_ENTRY_FIELDS,
    "Span": {"start": attr("start"), "end": attr("end")},
    "EditInfo": {
        "createdAt": _audit("createdAt"),
        "createdBy": _audit("createdBy"),
        "updatedAt": _audit("updatedAt"),
        "updatedBy": _audit("updatedBy"),
    },
    "Money": MONEY_FIELDS,
    # Effects are read from their JSON in Python (EffectsShape, which knows these fields).
    "Effect": {
        name: FROM_JSON for name in ("description", "amount", "unit", "approximate", "likely", "evidence")
    },
    "Evidence": {
        "span": _span,
        "quote": attr("quote"),
        "source": _evidence_source,
        "statement": _evidence_statement,
        "context": _evidence_context,
    },
    "EvidenceContext": CONTEXT_FIELDS,
}
