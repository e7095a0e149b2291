"""How evidence compiles: the source spans of a node, a statement's quote, the statements behind a position,
and the text around a quote."""

from __future__ import annotations

from graphapi.api.compiled.clauses import Var
from graphapi.api.compiled.field_rules import Cited, ExcerptSource, Spanned
from graphapi.api.compiled.objects import Compiled, Compiler, NodeVar, Rule
from graphapi.api.compiled.pipeline import Binding, Refused, Selected
from graphapi.api.compiled.shapes import Shape
from graphapi.api.reading.arguments import MAX_CONTEXT

# --- evidence ------------------------------------------------------------------------------------


def spans_evidence(c: Compiler, base: Var, field: Selected) -> Compiled:
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
        None if shape is None else list_of(shape)
    )


def quote_evidence(c: Compiler, statement: Var, field: Selected) -> Compiled:
    """A statement's quote as a list of one evidence span, or none (quote_evidence in types/common.py)."""
    source = c.to_one(statement, "({v})-[:QUOTED_IN]->({m}:Node)")
    s = statement
    item = Cited(f"{s}.spanStart", f"{s}.spanEnd", f"coalesce({s}.quote, '')", source, s)
    expression, shape = c.nested(item, field)
    missing = f"{source} IS NULL OR {s}.spanStart IS NULL OR {s}.spanEnd IS NULL"
    return f"CASE WHEN {missing} THEN [] ELSE [{expression}] END", (None if shape is None else list_of(shape))


def list_of(shape: Shape) -> Shape:
    from graphapi.api.compiled.shapes import ListShape

    return ListShape(shape)


def node_evidence(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return spans_evidence(c, node.var, field)


def statement_evidence(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return quote_evidence(c, node.var, field)


# The statements behind a position: the speakers' own words first, then in the order of the source text.
_EVIDENCE_ORDER = "CASE WHEN {m}.direct THEN 0 ELSE 1 END, coalesce({m}.spanStart, 0), {m}.id"


def position_statements(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return c.node_list(node.var, "({v})-[:EVIDENCED_BY]->({m}:Statement)", field, _EVIDENCE_ORDER)


def position_evidence(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    """Each statement's quote, in statement order, then the position's own spans (evidence_of)."""

    quote_shapes: list[Shape | None] = []

    def item(statement: Var) -> Compiled:
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


def evidence_source(c: Compiler, cited: Cited, field: Selected) -> Compiled:
    return c.nested(NodeVar(cited.source, f"{cited.source}:Source"), field)


def evidence_statement(c: Compiler, cited: Cited, field: Selected) -> Compiled:
    if cited.statement is None:
        return "null", None
    return c.nested(NodeVar(cited.statement), field)


def evidence_context(c: Compiler, cited: Cited, field: Selected) -> Compiled:
    def chars(b: Binding) -> int:
        value = b.args(field)["chars"]
        if not isinstance(value, int) or not 0 <= value <= MAX_CONTEXT:
            raise Refused("`chars` out of range: the resolver says why")
        return value

    # FalkorDB evaluates every branch of a CASE, and substring() refuses a null position: a statement
    # without a span gets no context (the CASE above), but its positions must still be numbers.
    start, end = f"coalesce({cited.start}, 0)", f"coalesce({cited.end}, 0)"
    excerpt = ExcerptSource(cited.source, start, end, c.p.param(chars))
    expression, shape = c.nested(excerpt, field)
    return f"CASE WHEN {cited.source}:Source THEN {expression} END", shape


def _context_before(c: Compiler, e: ExcerptSource, field: Selected) -> Compiled:
    origin = f"CASE WHEN {e.start} - {e.chars} > 0 THEN {e.start} - {e.chars} ELSE 0 END"
    return f"substring({e.source}.text, {origin}, {e.start} - ({origin}))", None


CONTEXT_FIELDS: dict[str, Rule] = {
    "before": _context_before,
    "quote": lambda c, e, f: (f"substring({e.source}.text, {e.start}, {e.end} - {e.start})", None),
    "after": lambda c, e, f: (f"substring({e.source}.text, {e.end}, {e.chars})", None),
    "truncatedBefore": lambda c, e, f: (f"{e.start} - {e.chars} > 0", None),
    "truncatedAfter": lambda c, e, f: (f"{e.end} + {e.chars} < size({e.source}.text)", None),
}


def span_rule(c: Compiler, cited: Cited, field: Selected) -> Compiled:
    return c.nested(Spanned(cited.start, cited.end), field)


def statement_span(c: Compiler, node: NodeVar, field: Selected) -> Compiled:
    return c.nested(Spanned(f"{node.var}.spanStart", f"{node.var}.spanEnd"), field)
