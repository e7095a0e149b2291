"""A Cypher statement being built: a chain of clauses over a growing set of row variables, with its
parameters as functions of the request (so one compiled statement serves every request of its shape)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, GraphQLField, GraphQLObjectType
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.values import get_argument_values

from graphapi.api.compiled.clauses import Clause, Raw, Scope, Var

if TYPE_CHECKING:
    from graphql.execution.values import VariableValues

Getter = Callable[["Binding"], Any]


class Fallback(Exception):
    """The resolvers answer this root field: something in it the compiler does not take."""


class Refused(Fallback):
    """The resolvers answer this request of the root field: a value they refuse (and say why), or one the
    statement cannot take. Another request of the same shape may still compile."""


@dataclass(eq=False)
class Selected:
    """One field of a selection, merged as GraphQL merges fields of the same response key."""

    key: str  # the response key: the alias, or the field's name
    name: str
    definition: GraphQLField
    parent: GraphQLObjectType
    details: FieldDetailsList

    @property
    def node(self) -> FieldNode:
        return self.details[0].node


class Binding:
    """One request's values for a compiled statement: the arguments of its fields, read once."""

    def __init__(self, variables: VariableValues) -> None:
        self.variables = variables
        self._args: dict[int, dict[str, Any]] = {}
        self._memo: dict[object, Any] = {}

    def once(self, key: object, compute: Callable[[Binding], Any]) -> Any:
        """`compute(self)`, computed once per request (several parameters read the same values)."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    def args(self, field: Selected) -> dict[str, Any]:
        found = self._args.get(id(field))
        if found is None:
            first = field.details[0]
            found = get_argument_values(
                field.definition, first.node, self.variables, first.fragment_variable_values
            )
            self._args[id(field)] = found
        return found


@dataclass
class CypherPipeline:
    """Clauses (graphapi/api/compiled/clauses.py), the variables each row carries after them (`scope`), and
    the parameters with how to compute them."""

    engine: str
    clauses: list[Clause] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)
    params: dict[str, Getter] = field(default_factory=dict)
    # Values the statement's text was chosen by (an ordering, which filters are set): a request whose
    # values differ needs another statement.
    guards: list[tuple[Getter, Any]] = field(default_factory=list)
    own_engine: bool = False  # the text is this engine's own (a full-text call)
    _names: itertools.count[int] = field(default_factory=itertools.count)
    _texts: list[str] = field(default_factory=list)

    def name(self, prefix: str) -> str:
        """A new name: of a parameter, or of a variable within an expression (a list comprehension's)."""
        return f"{prefix}{next(self._names)}"

    def var(self, prefix: str) -> Var:
        """A new row variable."""
        return Var(self.name(prefix))

    def param(self, getter: Getter, name: str | None = None) -> str:
        name = name or self.name("p")
        self.params[name] = getter
        return "$" + name

    def add(self, clause: Clause | str) -> None:
        """The clause next, its text written from the scope it follows (a string: a clause written whole,
        which leaves the scope as it was)."""
        if isinstance(clause, str):
            clause = Raw(clause)
        self.clauses.append(clause)
        self._texts.append(clause.text(self.scope))
        self.scope = clause.scope(self.scope)

    def chosen_by(self, getter: Getter, binding: Binding) -> Any:
        """A value the text depends on, remembered so a request with another value gets another text."""
        value = getter(binding)
        self.guards.append((getter, value))
        return value

    @property
    def text(self) -> str:
        return " ".join(self._texts)


def key(name: str) -> str:
    """A map key or variable as Cypher writes any name (GraphQL names are letters, digits and `_`)."""
    return f"`{name}`"
