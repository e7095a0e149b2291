"""Full-text search over names, aliases, quotes, effects and source text, ranked by each engine's own
index (the store's `search`) over words normalized the same way for both (graphapi/graph/words.py); each
hit can say where it matched, as a snippet with the matched words' offsets."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from graphapi.api.reading.arguments import checked_terms, offset_after
from graphapi.api.reading.cursors import CursorScope
from graphapi.api.reading.pagination import PageInfo, connection, page_limit
from graphapi.api.types import Info, Node, Span, build
from graphapi.graph.mapping import searched_fields
from graphapi.graph.nodes import NodeRecord
from graphapi.graph.words import Term, Token, iter_matches, matches

# A snippet shows about this many characters of the matched text, around its densest match.
SNIPPET_CHARS = 160
# A snippet is looked for in the first this many characters of a text (a source may hold millions).
MAX_SCANNED = 200_000


@strawberry.type(
    description=(
        "Where a search result matched: a piece of one of its texts, with the matched words' offsets. "
        "Offsets count characters (Unicode code points), as spans do."
    )
)
class SearchSnippet:
    field: str = strawberry.field(
        description=(
            "The text matched: `name`, `aliases[0]`, `quote`, `text` (a source's), `effects[1].quote`..."
        )
    )
    text: str = strawberry.field(description="A piece of that text around the match.")
    offset: int = strawberry.field(
        description="Where `text` starts in the whole field: add it to `highlights`."
    )
    highlights: list[Span] = strawberry.field(description="The matched words, as offsets into `text`.")
    truncated_before: bool = strawberry.field(description="The field's text goes on before `text`.")
    truncated_after: bool = strawberry.field(description="The field's text goes on after `text`.")


@strawberry.type(description="A search result: its node and how well it matches.")
class SearchEdge:
    cursor: str = strawberry.field(description="This hit's place in the results, to pass as `after`.")
    score: float = strawberry.field(description="Higher is better; the scale is the engine's own.")
    node_id: strawberry.Private[str]
    terms: strawberry.Private[list[list[Term]]]

    @strawberry.field(description="The node found.")
    async def node(self, info: Info) -> Node | None:
        record = await info.context.loaders.node.load(self.node_id)
        return build(record) if record else None

    @strawberry.field(description="Where the node matched, for highlighting (not the whole text).")
    async def snippet(self, info: Info) -> SearchSnippet | None:
        record = await info.context.loaders.node.load(self.node_id)
        if record is None:
            return None
        props: dict[str, Any] = record.props
        if "text" in record.kind.searched:  # a source's text is read on its own, only when asked for
            props = {**props, "text": await info.context.loaders.source_text.load(record.id)}
        return snippet(record, props, self.terms)


@strawberry.type(description="Search results, best first, Relay style.")
class SearchConnection:
    edges: list[SearchEdge] = strawberry.field(
        description="The hits of this page, best first, each with its cursor."
    )
    page_info: PageInfo = strawberry.field(description="Where this page stands in the results.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many nodes match, in all pages together.")
    async def total_count(self) -> int:
        return await self.count()


async def ranked_ids(
    info: Info, text: str, labels: list[str] | None, limit: int, argument: str
) -> list[tuple[str, float]]:
    return await info.context.store.search(checked_terms(text, argument), labels, limit)


async def search(
    info: Info, text: str, kinds: list[Any] | None, first: int | None, after: str | None
) -> SearchConnection:
    """Ranked pages: a cursor is the offset of the last hit seen, for these words and kinds."""
    size = page_limit(first)
    labels = sorted(k.value for k in kinds) if kinds else None
    scope = CursorScope.of("search", "SCORE:DESC", {"text": text, "kinds": labels})
    position = scope.decode(after, (int,))
    offset = offset_after(position)
    terms = checked_terms(text, "text")
    hits = (await info.context.store.search(terms, labels, offset + size + 1))[offset:]

    async def count() -> int:
        return await info.context.store.search_count(terms, labels)

    page = connection(
        [([offset + i], hit) for i, hit in enumerate(hits)], size, scope=scope, after=after, count=count
    )
    edges = [SearchEdge(cursor=e.cursor, score=e.node[1], node_id=e.node[0], terms=terms) for e in page.edges]
    return SearchConnection(edges=edges, page_info=page.page_info, count=count)


def snippet(record: NodeRecord, props: dict[str, Any], terms: list[list[Term]]) -> SearchSnippet | None:
    """The piece of the node's searched texts that answers most of the query's words (the first such
    field, and in it the first densest stretch), with its matched words; None when no text of it matches
    (the node was found by an earlier version of its words)."""
    best: tuple[int, str, str, int] | None = None  # (words answered, field, its text, where they begin)
    for field, value in searched_fields(record.kind, props):
        answered, begins = _densest(value[:MAX_SCANNED], terms)
        if answered and (best is None or answered > best[0]):
            best = (answered, field, value, begins)
        if best is not None and best[0] == len(terms):
            break
    if best is None:
        return None
    _, field, value, begins = best
    start = max(0, begins - SNIPPET_CHARS // 3)
    if start > 0:  # begin at a word
        space = value.find(" ", start, begins)
        start = space + 1 if space >= 0 else start
    end = min(len(value), start + SNIPPET_CHARS)
    if end < len(value):  # end at a word
        space = value.rfind(" ", begins, end)
        end = space if space > begins else end
    shown = [token for token, _ in matches(value[start:end], terms)]
    return SearchSnippet(
        field=field,
        text=value[start:end],
        offset=start,
        highlights=[Span(start=t.start, end=t.end) for t in shown],
        truncated_before=start > 0,
        truncated_after=end < len(value),
    )


def _densest(text: str, terms: list[list[Term]]) -> tuple[int, int]:
    """(how many of the query's words, where they begin) of the first stretch of SNIPPET_CHARS characters
    of the text that answers most of them; the scan stops at the first stretch answering all."""
    window: deque[tuple[Token, int]] = deque()
    counts = Counter[int]()
    best, begins = 0, 0
    for token, group in iter_matches(text, terms):
        window.append((token, group))
        counts[group] += 1
        while token.end - window[0][0].start > SNIPPET_CHARS:
            _, dropped = window.popleft()
            counts[dropped] -= 1
            if not counts[dropped]:
                del counts[dropped]
        if len(counts) > best:
            best, begins = len(counts), window[0][0].start
            if best == len(terms):
                break
    return best, begins
