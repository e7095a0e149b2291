"""The building blocks of the field table (fields.py): the sources of objects that are not nodes, scalar
properties, dates and related nodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphapi.api.compiled.clauses import Var
from graphapi.api.compiled.objects import FALLBACK, Compiled, Compiler, NodeVar, Rule
from graphapi.api.compiled.pipeline import Binding, Refused, Selected
from graphapi.api.reading.arguments import NESTED_MAX
from graphapi.graph.dates import OPEN_END, OPEN_START
from graphapi.graph.model import Rel

# --- the sources of objects that are not nodes ---------------------------------------------------


@dataclass(frozen=True)
class DateSource:
    """A date stored flat on `base` (a node or relationship variable) under `field`."""

    base: Var
    field: str


@dataclass(frozen=True)
class Spanned:
    start: str
    end: str


@dataclass(frozen=True)
class Held:
    """A tenure: `holder` -[rel]-> `office`."""

    holder: Var
    rel: Var
    office: Var


@dataclass(frozen=True)
class Edited:
    var: Var


@dataclass(frozen=True)
class Priced:
    """The `index`th amount of money of the measure `var`."""

    var: Var
    index: str


@dataclass(frozen=True)
class Cited:
    """An evidence span: where it is (`start`, `end`), its words, the node its source id names
    (`source`, a variable, null when none) and the statement it is the quote of (a variable, or None)."""

    start: str
    end: str
    quote: str
    source: Var
    statement: Var | None


@dataclass(frozen=True)
class ExcerptSource:
    """The text around `start`..`end` in the source `source`, `chars` characters on each side."""

    source: Var
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


def node_id(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return f"{node.var}.id", None


def edited_rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    expression, shape = c.nested(Edited(node.var), field)
    return f"CASE WHEN {node.var}.createdAt IS NULL THEN null ELSE {expression} END", shape


def audit(name: str) -> Rule:
    # str() of what is stored, as the resolver does (every write sets all four)
    return lambda c, e, f: (f"coalesce(toString({e.var}.{name}), 'None')", None)


def date(name: str) -> Rule:
    def rule(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
        return dated(c, DateSource(node.var, name), field)

    return rule


def dated(c: Compiler, source: DateSource, field: Selected) -> Compiled:
    # A date known only by its bounds has no `iso` but a precision (DateInterval.from_props).
    expression, shape = c.nested(source, field)
    base, name = source.base, source.field
    return (
        f"CASE WHEN {base}.{name} IS NULL AND {base}.{name}Precision IS NULL THEN null ELSE {expression} END",
        shape,
    )


def _bound(suffix: str) -> Rule:
    """The first or last day a date can be: null where the sources leave that side open."""

    def rule(c: Compiler, d: DateSource, field: Selected) -> Compiled:
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
