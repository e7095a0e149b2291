"""The selection of a connection (edges, nodes, pageInfo, totalCount) over the rows of a compiled page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import get_named_type

from graphapi.api.compiled.clauses import Var
from graphapi.api.compiled.objects import Compiler, NodeVar
from graphapi.api.compiled.pipeline import Fallback, Selected
from graphapi.api.reading.cursors import CursorScope

# --- connections ---------------------------------------------------------------------------------


# The fields of connections, their edges and their page info, as PageSelection reads them.
CONNECTION_FIELDS = frozenset({"__typename", "edges", "nodes", "pageInfo", "totalCount"})
EDGE_FIELDS = frozenset({"__typename", "cursor", "node", "score"})
# A search hit's snippet is cut from the matched text in Python (graphapi/api/queries/search.py).
EDGE_FALLBACK = frozenset({"snippet"})
PAGE_INFO_FIELDS = frozenset({"__typename", "hasNextPage", "hasPreviousPage", "startCursor", "endCursor"})


class PageSelection:
    """The selection of a connection (edges, nodes, pageInfo, totalCount) over the rows of a page: each
    row is [sort key, id, score, one projection of the node per selection of it]."""

    def __init__(self, c: Compiler, field: Selected, node: Var) -> None:
        self.c = c
        self.projections: list[str] = []
        self.counted = False
        self.builders: list[tuple[str, Callable[[Page], Any]]] = []
        named = get_named_type(field.definition.type)
        for sub in c.selection(named, field.details):  # type: ignore[arg-type]
            self.builders.append((sub.key, self._part(sub, node, named.name)))

    def _node(self, node: Var, field: Selected) -> Callable[[list[Any]], Any]:
        """A projection of the row's node for this selection of it, and how to read it from a row."""
        expression, shape = self.c.nested(NodeVar(node), field)
        self.projections.append(expression)
        column = 2 + len(self.projections)  # after the sort key, the id and the score
        if shape is None:
            return lambda row: row[column]
        return lambda row: shape(row[column])

    def _part(self, sub: Selected, node: Var, typename: str) -> Callable[[Page], Any]:
        if sub.name == "__typename":
            return lambda page: typename
        if sub.name == "totalCount":
            self.counted = True
            return lambda page: page.total
        if sub.name == "nodes":
            read = self._node(node, sub)
            return lambda page: [read(row) for row in page.rows]
        if sub.name == "pageInfo":
            return self._page_info(sub)
        if sub.name == "edges":
            return self._edges(sub, node)
        raise Fallback(f"{typename}.{sub.name}")  # a field not in CONNECTION_FIELDS

    def _edges(self, field: Selected, node: Var) -> Callable[[Page], Any]:
        named = get_named_type(field.definition.type)
        parts: list[tuple[str, Callable[[Page, int, list[Any]], Any]]] = []
        for sub in self.c.selection(named, field.details):  # type: ignore[arg-type]
            if sub.name == "__typename":
                parts.append((sub.key, _constant(named.name)))
            elif sub.name == "cursor":
                parts.append((sub.key, lambda page, i, row: page.cursor(i)))
            elif sub.name == "score":
                parts.append((sub.key, lambda page, i, row: row[2]))
            elif sub.name == "node":
                parts.append((sub.key, _reading(self._node(node, sub))))
            else:
                raise Fallback(f"{named.name}.{sub.name}")
        return lambda page: [
            {response: make(page, i, row) for response, make in parts} for i, row in enumerate(page.rows)
        ]

    def _page_info(self, field: Selected) -> Callable[[Page], Any]:
        named = get_named_type(field.definition.type)
        values: dict[str, Callable[[Page], Any]] = {
            "__typename": lambda page: named.name,
            "hasNextPage": lambda page: page.has_next,
            "hasPreviousPage": lambda page: page.after is not None,
            "startCursor": lambda page: page.cursor(0) if page.rows else None,
            "endCursor": lambda page: page.cursor(len(page.rows) - 1) if page.rows else None,
        }
        parts = []
        for sub in self.c.selection(named, field.details):  # type: ignore[arg-type]
            if sub.name not in values:
                raise Fallback(f"PageInfo.{sub.name}")
            parts.append((sub.key, values[sub.name]))
        return lambda page: {response: make(page) for response, make in parts}

    def build(self, page: Page) -> dict[str, Any]:
        return {response: make(page) for response, make in self.builders}


def _constant(value: Any) -> Callable[[Page, int, list[Any]], Any]:
    return lambda page, i, row: value


def _reading(read: Callable[[list[Any]], Any]) -> Callable[[Page, int, list[Any]], Any]:
    return lambda page, i, row: read(row)


class Page:
    """One page of rows as the resolvers' `connection` makes it: one row more than asked tells whether
    there is a next page; cursors are encoded when asked for."""

    def __init__(
        self,
        rows: list[list[Any]],
        size: int,
        scope: CursorScope,
        after: str | None,
        total: int | None,
        position: Callable[[int, list[Any]], list[Any]],
    ) -> None:
        self.rows = rows[:size]
        self.has_next = len(rows) > size
        self.scope = scope
        self.after = after
        self.total = total
        self.position = position

    def cursor(self, i: int) -> str:
        return self.scope.encode(self.position(i, self.rows[i]))
