"""The selection walker: an object's selection becomes a Cypher map (and the pipeline clauses it needs),
field by field through the per-type field table (fields.py).

Related nodes are reached with OPTIONAL MATCH and lists are built with collect(), in the row pipeline,
rather than with pattern comprehensions: FalkorDB evaluates a pattern comprehension nested in another (or
in a list comprehension) with its variable unbound, and runs each one as a sub-plan per row (measured:
4x the time of the same OPTIONAL MATCH). A list is collected before the next one is expanded, so rows
never multiply across siblings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLOutputType,
    get_named_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList

from graphapi.api.compiled.clauses import Carry, Collect, FirstIncoming, OptionalMatch, Scope, Var
from graphapi.api.compiled.pipeline import Binding, CypherPipeline, Fallback, Selected, key
from graphapi.api.compiled.shapes import Shape, list_shape, object_shape

if TYPE_CHECKING:
    from graphql.execution import Executor

Compiled = tuple[str, Shape | None]  # a Cypher expression and how its value becomes the response's
TYPE_KEY = "__t"  # the database key of an object's runtime type, when its type is abstract


@dataclass(frozen=True)
class NodeVar:
    """A node bound to a Cypher variable (null when an optional match found none). `present` is the
    condition for the object to exist, `v IS NOT NULL` unless a rule needs a label too."""

    var: Var
    present: str | None = None

    @property
    def condition(self) -> str:
        return self.present or f"{self.var} IS NOT NULL"


Rule = Callable[["Compiler", Any, Selected], Compiled]
FieldTable = Mapping[str, Mapping[str, Rule]]  # per type, per field: its rule (fields.py)


class Compiler:
    """Walks one root field's selection, writing its pipeline. The executor collects each selection as
    it would to run it (fragments, aliases, @skip/@include), so both paths see the same fields."""

    def __init__(
        self, executor: Executor[Any], pipeline: CypherPipeline, binding: Binding, fields: FieldTable
    ) -> None:
        self.executor = executor
        self.schema = executor.schema
        self.p = pipeline
        self.binding = binding
        self.fields = fields  # the field table (fields.py)
        self._expanded: dict[tuple[Var, str], Var] = {}

    def release(self) -> None:
        """Drop what belongs to the request the plan was compiled in (its executor: variables, context,
        the whole document): the plan's rules keep the compiler, and the plan may be cached."""
        del self.executor, self.schema, self.binding

    # --- selections ----------------------------------------------------------------------------

    def selection(self, runtime: GraphQLObjectType, details: FieldDetailsList) -> list[Selected]:
        grouped = self.executor.collect_subfields(runtime, details).grouped_field_set
        out = []
        for response_key, field_details in grouped.items():
            if any(d.fragment_variable_values or d.defer_usage for d in field_details):
                raise Fallback("fragment arguments and @defer are left to the resolvers")
            name = field_details[0].node.name.value
            definition = runtime.fields.get(name)
            if definition is None and name != "__typename":
                raise Fallback(f"{runtime.name}.{name}")
            out.append(Selected(response_key, name, definition, runtime, field_details))
        return out

    def runtimes(self, named: GraphQLNamedType) -> list[GraphQLObjectType]:
        if isinstance(named, GraphQLObjectType):
            return [named]
        if isinstance(named, GraphQLInterfaceType):
            return list(self.schema.get_possible_types(named))
        raise Fallback(f"unions such as {named.name}")

    def args(self, field: Selected) -> dict[str, Any]:
        """The field's arguments in this request (to choose a text by: see CypherPipeline.chosen_by)."""
        return self.binding.args(field)

    # --- objects -------------------------------------------------------------------------------

    def object(self, source: Any, field_type: GraphQLOutputType, details: FieldDetailsList) -> Compiled:
        """A map of the selected fields of the object `source` stands for, null when it is absent."""
        named = get_named_type(field_type)
        runtimes = self.runtimes(named)
        abstract = not is_object_type(named)
        entries: dict[str, str] = {}
        shared: dict[tuple[Any, ...], tuple[str, Shape | None]] = {}
        per_type: dict[str | None, tuple[tuple[str, str, Shape | None], ...]] = {}
        for runtime in runtimes:
            table = self.fields.get(runtime.name)
            if table is None:
                raise Fallback(f"the type {runtime.name}")
            fields: list[tuple[str, str, Shape | None]] = []
            for field in self.selection(runtime, details):
                if field.name == "__typename":
                    if abstract:
                        fields.append((field.key, TYPE_KEY, None))
                    else:
                        entries[field.key] = f"'{runtime.name}'"
                        fields.append((field.key, field.key, None))
                    continue
                rule = table.get(field.name)
                if rule is None or rule is FALLBACK:
                    raise Fallback(f"{runtime.name}.{field.name}")
                signature = (rule, tuple(id(d.node) for d in field.details))
                if signature not in shared:
                    stored = field.key if field.key not in entries else f"{field.key}__{runtime.name}"
                    if stored == TYPE_KEY or stored in entries:
                        raise Fallback("a response key the compiler uses itself")
                    expression, shape = rule(self, source, field)
                    entries[stored] = expression
                    shared[signature] = (stored, shape)
                stored, shape = shared[signature]
                fields.append((field.key, stored, shape))
            per_type[runtime.name if abstract else None] = tuple(fields)
        first = next(iter(per_type.values()))
        if abstract and all(fields == first for fields in per_type.values()):
            # the same fields whatever the runtime type: no choosing in Python; __typename from the labels
            fields = list(first)
            for i, (response, stored, _shape) in enumerate(fields):
                if stored == TYPE_KEY:
                    entries[response] = self.type_name(source, runtimes)
                    fields[i] = (response, response, None)
            entries = {stored: entries[stored] for _response, stored, _shape in fields}  # selection order
            per_type, abstract = {None: tuple(fields)}, False
        if abstract:
            entries[TYPE_KEY] = self.type_name(source, runtimes)
        body = "{" + ", ".join(f"{key(k)}: {v}" for k, v in entries.items()) + "}"
        condition = source.condition if isinstance(source, NodeVar) else None
        expression = f"CASE WHEN {condition} THEN {body} END" if condition else body
        return expression, object_shape(per_type, TYPE_KEY if abstract else None)

    def nested(self, source: Any, field: Selected) -> Compiled:
        return self.object(source, field.definition.type, field.details)

    @staticmethod
    def type_name(source: Any, runtimes: list[GraphQLObjectType]) -> str:
        if not isinstance(source, NodeVar):
            raise Fallback("an abstract type that is not a node")
        # Each kind's GraphQL type is named as its label (tests/api/compiled/test_compiled.py checks it).
        names = ", ".join(f"'{t.name}'" for t in runtimes)
        return f"head([l IN labels({source.var}) WHERE l IN [{names}]])"

    # --- relationships -------------------------------------------------------------------------

    def to_one(self, var: Var, pattern: str, *, lookup: bool = False) -> Var:
        """The node `pattern` leads to from `var` (at most one, as the records guarantee), matched once
        per row and variable. `pattern` is written with `{v}` and `{m}` for the two nodes; `lookup` when
        it finds the node by a property of `var` through the id index."""
        memo = (var, pattern)
        found = self._expanded.get(memo)
        if found is not None and found in self.p.scope:
            return found
        other = self.p.var("n")
        if lookup:
            # FalkorDB 4.16 fails an index lookup by a property of a relationship an OPTIONAL MATCH just
            # left null ("No record was given to locate a value"); a WITH between them avoids it.
            self.p.add(Carry())
        self.p.add(OptionalMatch(pattern.format(v=var, m=other), (other,)))
        self._expanded[memo] = other
        return other

    def to_many(
        self, var: Var, pattern: str, order: str, item: Callable[[Var], Compiled], *, where: str = ""
    ) -> Compiled:
        """A list: the nodes `pattern` leads to from `var`, each made by `item`, in `order` (over `{m}`),
        collected back into one value per row."""
        outer = self.p.scope
        other = self.p.var("n")
        self.p.add(OptionalMatch(pattern.format(v=var, m=other), (other,), where))
        return self.collect(outer, other, order, item)

    def incoming(
        self, var: Var, rel: str, label: str, limit: str, item: Callable[[Var], Compiled], where: str = ""
    ) -> Compiled:
        """At most `limit` nodes with a `rel` relationship to `var`, in id order: the engine stops at the
        limit (a hub's thousands of relationships are not all read), as the resolvers' loader does."""
        outer = self.p.scope
        found, other = self.p.var("l"), self.p.var("n")
        self.p.add(FirstIncoming(var, rel, label, limit, found, other, where.format(m="m")))
        return self.collect(outer, other, "{m}.id", item)

    def collect(self, outer: Scope, other: Var, order: str, item: Callable[[Var], Compiled]) -> Compiled:
        """What `item` makes of each `other`, in `order`, collected into one list per row of `outer` (the
        scope before `other` was matched)."""
        expression, shape = item(other)
        collected = self.p.var("l")
        self.p.add(Carry(order.format(m=other)))
        self.p.add(Collect(outer, expression, collected))
        return str(collected), list_shape(shape)

    def node_list(self, var: Var, pattern: str, field: Selected, order: str = "{m}.id") -> Compiled:
        """The selected objects of the nodes `pattern` leads to, in `order`."""
        return self.to_many(var, pattern, order, lambda m: self.nested(NodeVar(m), field))


# A field the compiler leaves to the resolvers, on purpose: its root field falls back.
def FALLBACK(compiler: Compiler, source: Any, field: Selected) -> Compiled:
    raise Fallback(f"{field.parent.name}.{field.name}")
