"""How tenures compile: who held an office, and when, on a day asked with its certainty."""

from __future__ import annotations

from typing import Any

from graphapi.api.compiled.clauses import FirstIncoming, OptionalMatch, Var
from graphapi.api.compiled.evidence import spans_evidence
from graphapi.api.compiled.field_rules import DateSource, Held, dated, nested_first
from graphapi.api.compiled.objects import FALLBACK, Compiled, Compiler, NodeVar, Rule
from graphapi.api.compiled.pipeline import Refused, Selected
from graphapi.api.reading.arguments import checked_certainty
from graphapi.graph import model

# --- tenures -------------------------------------------------------------------------------------


def held_on(rel: Var, day: str, possible: str) -> str:
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


def tenures_rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    """Person.tenures: the person's HOLDS relationships, in office id order, those held `on` a day."""
    day, given, possible = day_asked(c, field)
    outer = c.p.scope
    rel, office = c.p.var("h"), c.p.var("n")
    where = held_on(rel, day, possible) if given else ""
    c.p.add(OptionalMatch(f"({node.var})-[{rel}:HOLDS]->({office}:Node)", (rel, office), where))
    return c.collect(outer, office, "{m}.id", lambda m: _tenure(c, Held(node.var, rel, m), field))


def holders(c: Compiler, office: Var, field: Selected, limit: str, on: tuple[str, bool, str]) -> Compiled:
    """Who holds or held the office: at most `limit` holders in id order, then their tenures of it held
    `day` when given (office_holders in types/actors.py)."""
    day, given, possible = on
    outer = c.p.scope
    found, holder, rel = c.p.var("l"), c.p.var("n"), c.p.var("h")
    c.p.add(FirstIncoming(office, "HOLDS", "Node", limit, found, holder))
    where = held_on(rel, day, possible) if given else ""
    c.p.add(OptionalMatch(f"({holder})-[{rel}:HOLDS]->({office})", (rel,), where))
    item = Held(holder, rel, office)
    return c.collect(outer, rel, f"{holder}.id", lambda r: _tenure(c, item, field))


def _tenure(c: Compiler, held: Held, field: Selected) -> Compiled:
    expression, shape = c.nested(held, field)
    return f"CASE WHEN {held.rel} IS NULL THEN null ELSE {expression} END", shape


def office_holders_rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return holders(c, node.var, field, nested_first(c, field), day_asked(c, field))


TENURE_FIELDS: dict[str, Rule] = {
    "holder": lambda c, t, f: c.nested(NodeVar(t.holder, f"{t.holder}:Person"), f),
    "office": lambda c, t, f: c.nested(NodeVar(t.office, f"{t.office}:Office"), f),
    "from": lambda c, t, f: dated(c, DateSource(t.rel, "from"), f),
    "to": lambda c, t, f: dated(c, DateSource(t.rel, "to"), f),
    "evidence": lambda c, t, f: spans_evidence(c, t.rel, f),
    "held": FALLBACK,  # how sure, and why in words: graphapi/graph/temporal.py
}
