"""Full-text search over names, aliases, quotes and source text, ranked by each engine's own index (the
store's `search`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from graphapi.api.cursors import CursorScope
from graphapi.api.pagination import PageInfo, connection, page_limit
from graphapi.api.types import Info, Node, build
from graphapi.errors import BadUserInput
from graphapi.graph.kinds import BY_PREFIX
from graphapi.store.dialect import search_words

MAX_WORDS = 12
POSITION_TARGET_LABELS = [BY_PREFIX["measure"].label, BY_PREFIX["event"].label]


@strawberry.type(description="A search result: its node and how well it matches.")
class SearchEdge:
    cursor: str
    score: float = strawberry.field(description="Higher is better; the scale is the engine's own.")
    node_id: strawberry.Private[str]

    @strawberry.field
    async def node(self, info: Info) -> Node | None:
        record = await info.context.loaders.node.load(self.node_id)
        return build(record) if record else None


@strawberry.type(description="Search results, best first, Relay style.")
class SearchConnection:
    edges: list[SearchEdge]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many nodes match, in all pages together.")
    async def total_count(self) -> int:
        return await self.count()


def checked_words(text: str, argument: str) -> list[str]:
    words = search_words(text)
    if not words:
        raise BadUserInput(f"`{argument}` has no words to search for", argument=argument)
    if len(words) > MAX_WORDS:
        raise BadUserInput(f"`{argument}` has {len(words)} words; at most {MAX_WORDS}", argument=argument)
    return words


async def ranked_ids(
    info: Info, text: str, labels: list[str] | None, limit: int, argument: str
) -> list[tuple[str, float]]:
    return await info.context.store.search(checked_words(text, argument), labels, limit)


async def search(
    info: Info, text: str, kinds: list[Any] | None, first: int | None, after: str | None
) -> SearchConnection:
    """Ranked pages: a cursor is the offset of the last hit seen, for these words and kinds."""
    size = page_limit(first)
    labels = sorted(k.value for k in kinds) if kinds else None
    scope = CursorScope.of("search", "SCORE:DESC", {"text": text, "kinds": labels})
    position = scope.decode(after, (int,))
    offset = position[0] + 1 if position else 0
    words = checked_words(text, "text")
    hits = (await info.context.store.search(words, labels, offset + size + 1))[offset:]

    async def count() -> int:
        return await info.context.store.search_count(words, labels)

    page = connection(
        [([offset + i], hit) for i, hit in enumerate(hits)], size, scope=scope, after=after, count=count
    )
    edges = [SearchEdge(cursor=e.cursor, score=e.node[1], node_id=e.node[0]) for e in page.edges]
    return SearchConnection(edges=edges, page_info=page.page_info, count=count)
