"""Relay cursor connections: pages of a list, with cursors bound to it (graphapi/api/cursors.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from graphapi.api.cursors import CursorScope
from graphapi.errors import BadUserInput

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of results, Relay style.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
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
