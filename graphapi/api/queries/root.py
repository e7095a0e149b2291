"""The Query root: lookup by id, the lists (Relay connections with filters and orderings), timelines,
office holders, walks over the graph, provenance and search."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, cast

import strawberry

from graphapi.api.enums import NodeKind
from graphapi.api.mutations.payloads import ApiKey
from graphapi.api.queries import actor_timeline as timeline_api
from graphapi.api.queries import comparison, walks
from graphapi.api.queries import history as history_api
from graphapi.api.queries import search as search_api
from graphapi.api.reading.arguments import (
    ACTORS,
    MAX_IDS,
    NESTED_MAX,
    POSITION_TARGET_LABELS,
    REFS,
    actor_filters,
    checked_certainty,
    checked_id,
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
    Day,
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
    Evidence,
    Info,
    Measure,
    Node,
    Position,
    Source,
    Statement,
    Tenure,
    build,
    build_as,
    evidence_of,
)
from graphapi.api.types.actors import office_holders
from graphapi.auth import Scope, list_keys
from graphapi.errors import BadUserInput, NotFound
from graphapi.graph import model, reads
from graphapi.graph.nodes import NodeRecord

N = TypeVar("N", bound=Node)


async def parts_of(info: Info, wholes: list[str]) -> list[str]:
    """The measures that are part of these (one level: a part of a part is named by its own whole)."""
    rows = await info.context.store.read(reads.PARTS_OF, {"ids": wholes})
    return [str(row["id"]) for row in rows]


async def require_node(info: Info, node_id: str, argument: str, kinds: tuple[str, ...] = ()) -> NodeRecord:
    """The record of an id a client named: well-formed, of the right kind, and existing."""
    record = await info.context.loaders.node.load(checked_id(node_id, argument, kinds=kinds))
    if record is None:
        raise NotFound(f"`{argument}`: no node has the id {node_id!r}")
    return record


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
    query: reads.ListQuery,
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


@strawberry.type(
    description=(
        "What a client can read: nodes by id, lists with filters and orderings, "
        "timelines, office holders, walks over the graph, provenance and search."
    )
)
class Query:
    @strawberry.field(
        description="Any node by its global id; null, with a NOT_FOUND error, when there is none."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="A global id, such as `person:mark-carney`.")
        ],
    ) -> Node | None:
        return build(await require_node(info, id, "id"))

    @strawberry.field(
        description=f"Nodes by global id, in the order asked; null where none exists. At most {MAX_IDS}."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids, at most 100.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_IDS:
            raise BadUserInput(f"`ids` has {len(ids)} ids; at most {MAX_IDS}", argument="ids")
        records = await info.context.loaders.node.load_many([checked_id(i, "ids") for i in ids])
        return [build(r) if r else None for r in records]

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
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
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
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
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
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
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
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
    ) -> Connection[Position]:
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
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
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
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
    ) -> Connection[Source]:
        return await _page(info, reads.SOURCES, {}, first, after, order_by or SourceOrder(), Source)

    @strawberry.field(
        description=(
            "Everything an actor said or did (statements, measures it imposed, events it took part in, "
            "offices it took up or left), in date order; see TimelineEntry. `from`/`to` keep the entries "
            "whose date is known to fall in the range (with `certainty: POSSIBLE`, also those whose date "
            "may); undated entries come last, in source order."
        )
    )
    async def timeline(
        self,
        info: Info,
        actor: Annotated[
            strawberry.ID, strawberry.argument(description="The actor whose timeline to give (a global id).")
        ],
        start: Annotated[
            Day | None, strawberry.argument(name="from", description="Only entries on or after this day.")
        ] = None,
        end: Annotated[
            Day | None, strawberry.argument(name="to", description="Only entries on or before this day.")
        ] = None,
        include_undated: Annotated[
            bool,
            strawberry.argument(
                description=(
                    "Whether entries the sources give no date for are included (at the end); they are"
                    " by default."
                )
            ),
        ] = True,
        certainty: Annotated[
            model.Certainty,
            strawberry.argument(
                description=(
                    "KNOWN (the default): entries whose date is known to fall in the range; POSSIBLE "
                    "adds those whose date may."
                )
            ),
        ] = model.Certainty.KNOWN,
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
    ) -> Connection[timeline_api.TimelineEntry]:
        page_limit(first)
        least = checked_certainty(certainty, "certainty")
        record = await require_node(info, actor, "actor", ACTORS)
        if start and end and start > end:
            raise BadUserInput(f"`from` ({start}) is after `to` ({end})", argument="from")
        return await timeline_api.timeline(info, record, start, end, include_undated, least, first, after)

    @strawberry.field(
        description=(
            "Who held an office (and when); with `on`, who is known to have held it that day (with "
            "`certainty: POSSIBLE`, also who may have). `Tenure.held` says how sure, and why."
        )
    )
    async def office_holders(
        self,
        info: Info,
        office: Annotated[
            strawberry.ID,
            strawberry.argument(description="The office (a global id such as `office:ca-prime-minister`)."),
        ],
        on: Annotated[
            Day | None,
            strawberry.argument(description="The day to ask about; every holder, whenever, when null."),
        ] = None,
        certainty: Annotated[
            model.Certainty,
            strawberry.argument(
                description=(
                    "KNOWN (the default) for who the sources' dates settle held it; POSSIBLE to add "
                    "who may have."
                )
            ),
        ] = model.Certainty.KNOWN,
    ) -> list[Tenure]:
        least = checked_certainty(certainty, "certainty")
        record = await require_node(info, office, "office", ("office",))
        return await office_holders(info, record.id, on, NESTED_MAX, least)

    @strawberry.field(
        description=(
            "A node and what is one or two relationships away, as nodes and typed edges. Links to sources "
            "(QUOTED_IN, EVIDENCE_IN) are left out unless `includeProvenance` or `types` asks for them."
        )
    )
    async def neighbourhood(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The node at the centre (a global id).")
        ],
        depth: Annotated[
            int, strawberry.argument(description="How many relationships away to go: 1 (the default) or 2.")
        ] = 1,
        types: Annotated[
            list[model.Rel] | None,
            strawberry.argument(
                description="Only relationships of these types; all but the links to sources when null."
            ),
        ] = None,
        limit: Annotated[
            int,
            strawberry.argument(
                description=(
                    "At most this many relationships per level (default 100); `truncated` says when "
                    "there were more."
                )
            ),
        ] = 100,
        include_provenance: Annotated[
            bool,
            strawberry.argument(
                description="Also the relationships to the sources the facts are quoted from."
            ),
        ] = False,
    ) -> walks.Subgraph:
        await require_node(info, id, "id")
        return await walks.neighbourhood(
            info, id, depth, walks.walked_types(types, include_provenance), limit
        )

    @strawberry.field(
        description=(
            "The shortest connection between two nodes, following relationships either way; null when "
            "none is within `maxDepth`. Links to sources (QUOTED_IN, EVIDENCE_IN) are left out unless "
            "`includeProvenance` or `types` asks for them: two facts quoted from one article are not "
            "connected by it."
        )
    )
    async def path(
        self,
        info: Info,
        start: Annotated[
            strawberry.ID,
            strawberry.argument(name="from", description="Where the path starts (a global id)."),
        ],
        goal: Annotated[
            strawberry.ID, strawberry.argument(name="to", description="Where the path ends (a global id).")
        ],
        max_depth: Annotated[
            int, strawberry.argument(description="The most relationships the path may have (default 6).")
        ] = 6,
        types: Annotated[
            list[model.Rel] | None,
            strawberry.argument(
                description="Only relationships of these types; all but the links to sources when null."
            ),
        ] = None,
        include_provenance: Annotated[
            bool, strawberry.argument(description="Also go through the relationships to sources.")
        ] = False,
    ) -> walks.Subgraph | None:
        # both ends in one batched lookup
        await asyncio.gather(require_node(info, start, "from"), require_node(info, goal, "to"))
        walked = walks.walked_types(types, include_provenance)
        return await walks.shortest_path(info, start, goal, max_depth, walked)

    @strawberry.field(
        description=(
            "What a measure retaliates against and what retaliates against it, to any depth up to `maxDepth`."
        )
    )
    async def retaliation_chain(
        self,
        info: Info,
        measure: Annotated[
            strawberry.ID, strawberry.argument(description="The measure to start from (a global id).")
        ],
        direction: Annotated[
            walks.RetaliationDirection,
            strawberry.argument(
                description=(
                    "AGAINST: what the measure answers, and so on back; BY: what answers it, and so "
                    "on forward; BOTH (the default)."
                )
            ),
        ] = walks.RetaliationDirection.BOTH,
        max_depth: Annotated[
            int, strawberry.argument(description="How many steps to follow at most (default 10).")
        ] = 10,
    ) -> walks.Subgraph:
        await require_node(info, measure, "measure", ("measure",))
        return await walks.retaliation_chain(info, measure, direction, max_depth)

    @strawberry.field(
        description="Who retaliated against what: every RETALIATES_AGAINST relationship, up to `limit`."
    )
    async def retaliations(
        self,
        info: Info,
        limit: Annotated[
            int,
            strawberry.argument(
                description=(
                    "At most this many relationships (default 100); `truncated` says when there were more."
                )
            ),
        ] = 100,
    ) -> walks.Subgraph:
        return await walks.retaliations(info, limit)

    @strawberry.field(
        description=(
            "Where a fact comes from: the source spans of a statement, of the statements behind a position, "
            "or of the evidence of any other node, each with the text around it."
        )
    )
    async def provenance(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The fact's global id: a statement, position, measure, event..."),
        ],
    ) -> list[Evidence]:
        return await evidence_of(info, await require_node(info, id, "id"))

    @strawberry.field(
        description="Full-text search over names, aliases, quotes and source text, best match first."
    )
    async def search(
        self,
        info: Info,
        text: Annotated[
            str,
            strawberry.argument(
                description=(
                    'The words to look for. Stems match ("tariffs" finds "tariff"), and a word of '
                    "four letters or more finds the words it begins."
                )
            ),
        ],
        kinds: Annotated[
            list[NodeKind] | None,
            strawberry.argument(description="Only nodes of these kinds; all when null."),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
    ) -> search_api.SearchConnection:
        return await search_api.search(info, checked_words(text, "text") or "", kinds, first, after)

    @strawberry.field(
        description="What changed in the graph, oldest first: every node a seed load or a write through "
        "the API created, changed or deleted, with each field's old and new value, when and by what; "
        "`since` a day or time (UTC), `id` one node's changes. The same changes the subscriptions announce."
    )
    async def changes(
        self,
        info: Info,
        since: Annotated[
            str | None,
            strawberry.argument(
                description="Only changes made on or after this day (YYYY-MM-DD) or time (ISO 8601, UTC)."
            ),
        ] = None,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only the changes of this node (a global id), a deleted one's included."
            ),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results per page (default 20, at most 100)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The `endCursor` of the previous page: the page starts after it. A cursor belongs"
                    " to its list, ordering and filters."
                )
            ),
        ] = None,
    ) -> Connection[history_api.GraphChange]:
        node_id = checked_id(id, "id") if id is not None else None
        return await history_api.changes(info, since, node_id, first, after)

    @strawberry.field(description="The API keys, never their secrets (needs a key with the admin scope).")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        await info.context.require(Scope.ADMIN)
        return [
            ApiKey(
                id=strawberry.ID(str(row["keyId"])),
                name=str(row["name"]),
                scope=str(row["scope"]),
                created_at=str(row["createdAt"]),
                revoked_at=str(row["revokedAt"]) if row["revokedAt"] else None,
            )
            for row in await list_keys(info.context.store)
        ]
