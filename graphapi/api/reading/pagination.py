"""Relay cursor connections: pages of a list, with cursors bound to it (graphapi/api/reading/cursors.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from graphapi.api.reading.cursors import CursorScope
from graphapi.errors import BadUserInput

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@strawberry.type(
    description=(
        "Where a page stands in its list: whether more pages follow, and the cursors of "
        "its first and last results."
    )
)
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether another page follows this one: ask for it with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether this page was asked for with `after` (results come before it)."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of this page's first result; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description=(
            "The cursor of this page's last result, to pass as `after` for the next page; "
            "null when the page is empty."
        )
    )


@strawberry.type(description="A result of a list, with its place in the list.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="This result's place in the list: pass it as `after` for the results that follow it."
    )
    node: T = strawberry.field(description="The result.")


@strawberry.type(description="A page of results, Relay style.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The results of this page, each with its cursor.")
    page_info: PageInfo = strawberry.field(description="Where this page stands in the list.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many results there are in all pages together.")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The nodes of this page, for clients that do not need cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def page_limit(first: int | None) -> int:
    """The page size asked for, checked; the query fetches one more row to know if a next page exists."""
    size = DEFAULT_PAGE_SIZE if first is None else first
    if size < 0:
        raise BadUserInput("`first` must not be negative", argument="first")
    if size > MAX_PAGE_SIZE:
        raise BadUserInput(f"`first` is {size}; at most {MAX_PAGE_SIZE} results per page", argument="first")
    return size


def connection(
    positions_and_nodes: list[tuple[list[Any], T]],
    size: int,
    *,
    scope: CursorScope,
    after: str | None,
    count: Callable[[], Awaitable[int]],
) -> Connection[T]:
    """A page from rows fetched with one extra (to know whether a next page exists)."""
    page = positions_and_nodes[:size]
    edges = [Edge(cursor=scope.encode(position), node=node) for position, node in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(positions_and_nodes) > size,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )
