"""The per-type field table: how each field of each GraphQL type compiles to Cypher, mirroring its
resolver in graphapi/api/types/. A field marked FALLBACK, or missing, sends its root field to the
resolvers; tests/api/compiled/test_compiled.py fails when a field of the schema is in neither column, so a
new field is noticed.

Expressions read the node's stored properties as the resolvers read its NodeRecord (graphapi/graph/
nodes.py): dates from their flat properties (graphapi/graph/dates.py), evidence spans from parallel
lists (graphapi/graph/mapping.py), related nodes through the relationship types of graphapi/graph/model.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphapi.api.compiled.clauses import Var
from graphapi.api.compiled.evidence import (
    CONTEXT_FIELDS,
    evidence_context,
    evidence_source,
    evidence_statement,
    list_of,
    position_evidence,
    position_statements,
    span_rule,
    statement_evidence,
    statement_span,
)
from graphapi.api.compiled.field_rules import (
    DATE_FIELDS,
    DateSource,
    Priced,
    attr,
    audit,
    dated,
    edited_rule,
    incoming,
    node_id,
    prop,
)
from graphapi.api.compiled.objects import FALLBACK, Compiled, Compiler, NodeVar, Rule
from graphapi.api.compiled.pipeline import Fallback, Selected
from graphapi.api.compiled.tenure_rules import TENURE_FIELDS, office_holders_rule, tenures_rule
from graphapi.graph.model import Rel

# --- measures ------------------------------------------------------------------------------------


def _value(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    i = c.p.name("i")
    expression, shape = c.nested(Priced(node.var, i), field)
    v = node.var
    return f"[{i} IN range(0, size(coalesce({v}.valueAmounts, [])) - 1) | {expression}]", (
        None if shape is None else list_of(shape)
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
    "id": node_id,
    "edited": edited_rule,
    "claims": FALLBACK,
    "disputed": prop("disputed", "[]"),
}
# The fields of every actor type with their own rules (the others follow from the registry: derived.py).
_ACTOR: dict[str, Rule] = {
    "statements": incoming(Rel.SAID_BY, "Statement"),
    "positions": incoming(Rel.HELD_BY, "Position"),
    "measuresImposed": incoming(Rel.IMPOSED_BY, "Measure"),
    "targetedBy": incoming(Rel.TARGETS, "Measure"),
}

# An entry of the compiled timeline (roots.py, timeline): its node `n`, `kind` and date map `dm` are
# variables of each row (graphapi/graph/reads.py, TIMELINE_ENTRIES).
TIMELINE_ENTRY_FIELDS: dict[str, Rule] = {
    "kind": lambda c, e, f: ("kind", None),
    "summary": lambda c, e, f: (
        f"coalesce(CASE WHEN kind = 'STATEMENT' THEN {e.var}.quote ELSE {e.var}.name END, '')",
        None,
    ),
    "date": lambda c, e, f: dated(c, DateSource(Var("dm"), "v"), f),
    "node": lambda c, e, f: c.nested(NodeVar(e.var), f),
    "inRange": FALLBACK,  # how sure, and why in words: graphapi/graph/temporal.py
}


# The fields with their own rules, per type. A kind's plain fields (its properties, dates, and the
# relationships its record owns) and every node's (NODE) follow from the registry (derived.py), and
# what is written here wins over them.
FIELDS: dict[str, dict[str, Rule]] = {
    "Country": {**_ACTOR, "offices": incoming(Rel.OFFICE_OF, "Office")},
    "Person": {**_ACTOR, "tenures": tenures_rule},
    "Party": {**_ACTOR, "offices": incoming(Rel.OFFICE_OF, "Office")},
    "Organization": _ACTOR,
    "Office": {"holders": office_holders_rule},
    "Measure": {
        "timeline": FALLBACK,  # gathered from claims, statements, positions and answers, in Python
        "value": _value,
        "effects": _effects,
        "retaliatedBy": incoming(Rel.RETALIATES_AGAINST, "Measure"),
        "parts": incoming(Rel.PART_OF, "Measure"),
        "positions": incoming(Rel.ON, "Position", by_stance=True),
        "statements": incoming(Rel.ABOUT, "Statement"),
        # decided in Python over bounded dates (graphapi/graph/temporal.py) and over tenures
        "inForce": FALLBACK,
        "imposers": FALLBACK,
    },
    "Event": {"statements": incoming(Rel.AT_EVENT, "Statement")},
    "Statement": {
        "direct": prop("direct", "false"),
        "span": statement_span,
        "evidence": statement_evidence,
    },
    "Position": {
        "stanceOn": FALLBACK,  # from the claims kept beside the graph, in Python
        "basis": lambda c, e, f: (f"coalesce({e.var}.basis, 'STATEMENT')", None),
        "statements": position_statements,
        "evidence": position_evidence,
    },
    "Source": {
        "text": prop("text", "''"),
        "checksum": prop("checksum"),  # computed from the text, not a field of the record
        "statements": incoming(Rel.QUOTED_IN, "Statement"),
    },
    "Tenure": TENURE_FIELDS,
    "FuzzyDate": DATE_FIELDS,
    "TimelineEntry": TIMELINE_ENTRY_FIELDS,
    "Span": {"start": attr("start"), "end": attr("end")},
    "EditInfo": {
        "createdAt": audit("createdAt"),
        "createdBy": audit("createdBy"),
        "updatedAt": audit("updatedAt"),
        "updatedBy": audit("updatedBy"),
    },
    "Money": MONEY_FIELDS,
    # Effects are read from their JSON in Python (EffectsShape, which knows these fields).
    "Effect": {
        name: FROM_JSON for name in ("description", "amount", "unit", "approximate", "likely", "evidence")
    },
    "Evidence": {
        "span": span_rule,
        "quote": attr("quote"),
        "source": evidence_source,
        "statement": evidence_statement,
        "context": evidence_context,
    },
    "EvidenceContext": CONTEXT_FIELDS,
}
