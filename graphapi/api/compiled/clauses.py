"""A statement's clauses as objects, with its row variables (`Var`) and what each row carries (`Scope`).

Each clause says which variables it binds, so the pipeline keeps the scope, not the code that adds the
clause; each writes its text from the scope it follows.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class Var:
    """A variable of the statement's rows: a node, a relationship, a list collected."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Scope:
    """The variables each row carries, in the order a WITH lists them."""

    vars: tuple[Var, ...] = ()

    @staticmethod
    def of(*names: str) -> Scope:
        return Scope(tuple(Var(name) for name in names))

    def plus(self, *more: Var) -> Scope:
        return Scope((*self.vars, *more))

    def __contains__(self, var: object) -> bool:
        return var in self.vars

    def listed(self, *more: str | Var) -> str:
        """The variables as a WITH carries them, and `more` after them (a collected list, say)."""
        return ", ".join(str(v) for v in (*self.vars, *more))


class Clause(ABC):
    @abstractmethod
    def text(self, scope: Scope) -> str:
        """The clause's Cypher, after clauses that left `scope`."""

    def scope(self, before: Scope) -> Scope:
        """The variables rows carry after the clause (those before it, unless it binds or drops some)."""
        return before


@dataclass(frozen=True)
class Raw(Clause):
    """A clause written whole (a root field's head or tail); `binds`, when given, is the scope it leaves."""

    cypher: str
    binds: Scope | None = None

    def text(self, scope: Scope) -> str:
        return self.cypher

    def scope(self, before: Scope) -> Scope:
        return before if self.binds is None else self.binds


@dataclass(frozen=True)
class OptionalMatch(Clause):
    """OPTIONAL MATCH of `pattern`, binding `binds` (null where nothing matches)."""

    pattern: str
    binds: tuple[Var, ...]
    where: str = ""

    def text(self, scope: Scope) -> str:
        return f"OPTIONAL MATCH {self.pattern}" + (f" WHERE {self.where}" if self.where else "")

    def scope(self, before: Scope) -> Scope:
        return before.plus(*self.binds)


@dataclass(frozen=True)
class Carry(Clause):
    """WITH every variable of the scope, in `order` when given."""

    order: str = ""

    def text(self, scope: Scope) -> str:
        return f"WITH {scope.listed()}" + (f" ORDER BY {self.order}" if self.order else "")


@dataclass(frozen=True)
class Collect(Clause):
    """WITH the variables of `outer` and `expression` collected into `into`: one row per row of `outer`."""

    outer: Scope
    expression: str
    into: Var

    def text(self, scope: Scope) -> str:
        return f"WITH {self.outer.listed(f'collect({self.expression}) AS {self.into}')}"

    def scope(self, before: Scope) -> Scope:
        return self.outer.plus(self.into)


@dataclass(frozen=True)
class FirstIncoming(Clause):
    """At most `limit` nodes of `label` with a `rel` relationship to `to`, in id order, one per row as `each`
    (null when there are none): collected in a subquery, so the engine stops at the limit, then unwound.
    `where` is a condition on `m`, each such node."""

    to: Var
    rel: str
    label: str
    limit: str
    found: Var
    each: Var
    where: str = ""

    def text(self, scope: Scope) -> str:
        condition = f"WHERE {self.where} " if self.where else ""
        return (
            f"CALL {{ WITH {self.to} MATCH ({self.to})<-[:{self.rel}]-(m:{self.label}) {condition}"
            f"WITH m ORDER BY m.id LIMIT {self.limit} RETURN collect(m) AS {self.found} }} "
            f"WITH {scope.listed(self.found)} "
            f"UNWIND CASE WHEN size({self.found}) = 0 THEN [null] ELSE {self.found} END AS {self.each}"
        )

    def scope(self, before: Scope) -> Scope:
        return before.plus(self.each)


@dataclass(frozen=True)
class Subquery(Clause):
    """CALL { `body` } returning `returns`, carried on with the scope (a total counted beside a page)."""

    body: str
    returns: Var

    def text(self, scope: Scope) -> str:
        return f"CALL {{ {self.body} }} WITH {scope.listed(self.returns)}"

    def scope(self, before: Scope) -> Scope:
        return before.plus(self.returns)
