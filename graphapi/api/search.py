"""Full-text search over names, aliases, quotes and source text, ranked by each engine's own index."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable

import strawberry

from graphapi.api.pagination import PageInfo, connection, decode_cursor, page_limit
from graphapi.api.types import Info, Node, build
from graphapi.errors import BadUserInput
from graphapi.graph import model
from graphapi.store.dialect import SEARCH, SEARCH_COUNT, fulltext_query, search_words

MAX_WORDS = 12


@strawberry.enum(description="The kinds of node.")
class NodeKind(enum.Enum):
    COUNTRY = "Country"
    PERSON = "Person"
    PARTY = "Party"
    ORGANIZATION = "Organization"
    OFFICE = "Office"
    MEASURE = "Measure"
    EVENT = "Event"
    STATEMENT = "Statement"
    POSITION = "Position"
    SOURCE = "Source"


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


def query_text(engine: str, text: str, argument: str) -> str:
    words = search_words(text)
    if not words:
        raise BadUserInput(f"`{argument}` has no words to search for", argument=argument)
    if len(words) > MAX_WORDS:
        raise BadUserInput(f"`{argument}` has {len(words)} words; at most {MAX_WORDS}", argument=argument)
    return fulltext_query(engine, words)


async def ranked_ids(
    info: Info, text: str, labels: list[str] | None, limit: int, argument: str
) -> list[tuple[str, float]]:
    store = info.context.store
    params = {"query": query_text(store.engine, text, argument), "labels": labels, "limit": limit}
    rows = await store.read(SEARCH[store.engine], params)
    return [(row["id"], float(row["score"])) for row in rows]


async def search(
    info: Info, text: str, kinds: list[NodeKind] | None, first: int | None, after: str | None
) -> SearchConnection:
    """Ranked pages: a cursor is the offset of the last hit seen."""
    size = page_limit(first)
    position = decode_cursor(after, (int,))
    offset = position[0] + 1 if position else 0
    labels = [k.value for k in kinds] if kinds else None
    hits = (await ranked_ids(info, text, labels, offset + size + 1, "text"))[offset:]
    store = info.context.store

    async def count() -> int:
        params = {"query": query_text(store.engine, text, "text"), "labels": labels}
        return int((await store.read(SEARCH_COUNT[store.engine], params))[0]["total"])

    page = connection([([offset + i], hit) for i, hit in enumerate(hits)], size, after=after, count=count)
    edges = [SearchEdge(cursor=e.cursor, score=e.node[1], node_id=e.node[0]) for e in page.edges]
    return SearchConnection(edges=edges, page_info=page.page_info, count=count)


POSITION_TARGET_LABELS = [model.NODE_KINDS["measure"].label, model.NODE_KINDS["event"].label]
