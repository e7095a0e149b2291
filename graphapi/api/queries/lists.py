"""The Query root's lists: Relay connections with filters and orderings, paged by keyset, and `compare`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, cast

import strawberry

from graphapi.api.queries import comparison
from graphapi.api.queries import search as search_api
from graphapi.api.queries.lookup import parts_of, require_node
from graphapi.api.reading.arguments import (
    POSITION_TARGET_LABELS,
    REFS,
    actor_filters,
    checked_words,
    event_filters,
    given,
    measure_filters,
    position_filters,
    statement_filters,
)
from graphapi.api.reading.cursors import CursorScope
from graphapi.api.reading.list_inputs import (
    ActorFilter,
    ActorOrder,
    EventFilter,
    EventOrder,
    MeasureFilter,
    MeasureOrder,
    PositionFilter,
    PositionOrder,
    SourceOrder,
    StatementFilter,
    StatementOrder,
    sort_of,
)
from graphapi.api.reading.pagination import Connection, connection, page_limit
from graphapi.api.types import (
    Actor,
    Event,
    Info,
    Measure,
    Node,
    Position,
    Source,
    Statement,
    build_as,
)
from graphapi.errors import BadUserInput
from graphapi.graph import model, reads
from graphapi.graph.list_queries import ListQuery
from graphapi.graph.nodes import NodeRecord

N = TypeVar("N", bound=Node)
# The arguments every list takes to page.
First = Annotated[
    int | None, strawberry.argument(description="How many results per page (default 20, at most 100).")
]
After = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
            " to its list, ordering and filters."
        )
    ),
]


async def _existing(info: Info, params: dict[str, Any]) -> dict[str, Any]:
    """A list's parameters, once every node its filters name is known to exist (an unknown id is an
    error, not an empty list)."""
    for name, argument in REFS.items():
        if params.get(name) is not None:
            await require_node(info, params[name], argument)
    return params


@dataclass(frozen=True)
class PageArgs:
    """`first`, `after` and the ordering, checked before anything is read; the cursor must come from the
    same list, ordering and filters."""

    size: int
    after: str | None
    after_key: Any
    after_id: str | None
    field: str
    descending: bool
    scope: CursorScope

    @classmethod
    def of(
        cls, list_name: str, first: int | None, after: str | None, order: Any, filters: dict[str, Any]
    ) -> PageArgs:
        field, descending = sort_of(order)
        scope = CursorScope.of(list_name, f"{field}:{'DESC' if descending else 'ASC'}", filters)
        position = scope.decode(after, (object, str))
        key, after_id = position if position else (None, None)
        return cls(page_limit(first), after, key, after_id, field, descending, scope)


async def _page(
    info: Info,
    query: ListQuery,
    params: dict[str, Any],
    first: int | None,
    after: str | None,
    order: Any,
    expected: type[N],
) -> Connection[N]:
    """One page of a list, primed into the request's node loader. The total is counted only when a client
    asks for `totalCount`."""
    page = PageArgs.of(query.name, first, after, order, params)
    store = info.context.store
    # Filters naming a node that are set pick the variant of the query that starts from those nodes.
    anchors = frozenset(name for name, value in params.items() if name in query.anchors and value is not None)
    cypher = query.page(anchors, page.field, page.descending)
    keyset = {"afterKey": page.after_key, "afterId": page.after_id, "limit": page.size + 1}
    rows = await store.read(cypher, {**params, **keyset})
    records = [(row["sortKey"], NodeRecord.from_row(row)) for row in rows]
    info.context.loaders.prime([r for _, r in records])

    async def count() -> int:
        return int((await store.read(query.count(anchors), params))[0]["total"])

    label = expected.__name__
    items = [([key, r.id], cast(N, built)) for key, r in records if (built := build_as(r, label)) is not None]
    return connection(items, page.size, scope=page.scope, after=page.after, count=count)


async def _position_targets(
    info: Info, on: str | None, on_text: str | None, include_parts: bool
) -> list[str] | None:
    """The measures and events whose positions are asked: the one named (and its parts), or those the
    words find; None for all."""
    if on is not None and on_text is not None:
        raise BadUserInput("give at most one of `on` (an id) and `onText` (words)", argument="on")
    targets: list[str] | None = None
    if on is not None:
        targets = [(await require_node(info, on, "on", ("measure", "event"))).id]
        if include_parts:
            targets += await parts_of(info, targets)
    elif on_text is not None:
        hits = await search_api.ranked_ids(
            info, checked_words(on_text, "onText") or "", POSITION_TARGET_LABELS, 50, "onText"
        )
        targets = [node_id for node_id, _ in hits]
    return targets


@strawberry.type
class ListQueries:
    @strawberry.field(description="Actors: countries, persons, parties, organizations.")
    async def actors(
        self,
        info: Info,
        filter: Annotated[
            ActorFilter | None, strawberry.argument(description="Which actors; all when null.")
        ] = None,
        order_by: Annotated[
            ActorOrder | None, strawberry.argument(description="How to order them; by id when null.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Actor]:
        params = actor_filters(given(filter))
        return await _page(info, reads.ACTORS, params, first, after, order_by or ActorOrder(), Actor)

    @strawberry.field(description="Measures: tariffs, duties and the like.")
    async def measures(
        self,
        info: Info,
        filter: Annotated[
            MeasureFilter | None, strawberry.argument(description="Which measures; all when null.")
        ] = None,
        order_by: Annotated[
            MeasureOrder | None, strawberry.argument(description="How to order them; by id when null.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Measure]:
        params = await _existing(info, measure_filters(given(filter or MeasureFilter())))
        return await _page(info, reads.MEASURES, params, first, after, order_by or MeasureOrder(), Measure)

    @strawberry.field(description="Statements, by speaker (`by`) and by what they are about (`about`).")
    async def statements(
        self,
        info: Info,
        by: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only statements by this actor (a global id)."),
        ] = None,
        about: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only statements about this node (a measure, event or actor id)."
            ),
        ] = None,
        filter: Annotated[
            StatementFilter | None, strawberry.argument(description="More conditions; none when null.")
        ] = None,
        order_by: Annotated[
            StatementOrder | None, strawberry.argument(description="How to order them; by id when null.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Statement]:
        params = await _existing(info, statement_filters(by, about, given(filter)))
        order = order_by or StatementOrder()
        return await _page(info, reads.STATEMENTS, params, first, after, order, Statement)

    @strawberry.field(
        description=(
            "Positions, all of them or those on a measure or event: name it by id (`on`) or by words "
            '(`onText`, such as "auto tariffs": the positions on every measure or event matching all the '
            "words); with `includeParts`, also those on the measures that are part of the one named by "
            "`on` (the parts tariff of the vehicle tariffs); `filter` narrows by actor, stance, basis and "
            "confidence."
        )
    )
    async def positions(
        self,
        info: Info,
        on: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only positions on this measure or event (a global id)."),
        ] = None,
        on_text: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "Only positions on the measures and events whose names, aliases or effects match "
                    'these words ("auto tariffs"). Not with `on`.'
                )
            ),
        ] = None,
        include_parts: Annotated[
            bool,
            strawberry.argument(
                description=(
                    "With `on` a measure: the positions on the measures that are part of it too (the "
                    "tariff on parts of the vehicle tariff), as one list."
                )
            ),
        ] = False,
        stance: Annotated[
            model.Stance | None, strawberry.argument(description="Only positions of this stance.")
        ] = None,
        filter: Annotated[
            PositionFilter | None, strawberry.argument(description="More conditions; none when null.")
        ] = None,
        order_by: Annotated[
            PositionOrder | None, strawberry.argument(description="How to order them; by id when null.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Position]:
        targets = await _position_targets(info, on, on_text, include_parts)
        params = {"on": targets, **await _existing(info, position_filters(stance, given(filter)))}
        order = order_by or PositionOrder()
        return await _page(info, reads.POSITIONS, params, first, after, order, Position)

    @strawberry.field(
        description="Side by side: the positions of each actor on each measure or event (at most 20 of "
        "each), one cell per pair in the order given, empty where the actor holds none; with "
        "`includeParts`, a measure's cell also holds the positions on its parts."
    )
    async def compare(
        self,
        info: Info,
        actors: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="The actors to compare (global ids), one row each."),
        ],
        on: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description="The measures or events to compare them on (global ids), one column each."
            ),
        ],
        include_parts: Annotated[
            bool,
            strawberry.argument(
                description=(
                    "Whether a measure's cell also holds the positions on the measures that are part of it."
                )
            ),
        ] = False,
    ) -> list[comparison.Cell]:
        return await comparison.compare(info, actors, on, include_parts)

    @strawberry.field(
        description="Events: calls, meetings, talks, elections; by kind, status, participant, date."
    )
    async def events(
        self,
        info: Info,
        filter: Annotated[
            EventFilter | None, strawberry.argument(description="Which events; all when null.")
        ] = None,
        order_by: Annotated[
            EventOrder | None, strawberry.argument(description="How to order them; by id when null.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Event]:
        params = await _existing(info, event_filters(given(filter or EventFilter())))
        return await _page(info, reads.EVENTS, params, first, after, order_by or EventOrder(), Event)

    @strawberry.field(description="Source documents.")
    async def sources(
        self,
        info: Info,
        order_by: Annotated[
            SourceOrder | None, strawberry.argument(description="How to order them; by id when null.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Source]:
        return await _page(info, reads.SOURCES, {}, first, after, order_by or SourceOrder(), Source)
