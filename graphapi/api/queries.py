"""The Query root: lookup by id, the lists (Relay connections with filters and orderings), timelines,
office holders, walks over the graph, provenance and search."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, cast

import strawberry

from graphapi.api import comparison, walks
from graphapi.api import history as history_api
from graphapi.api import search as search_api
from graphapi.api import timeline as timeline_api
from graphapi.api.cursors import CursorScope
from graphapi.api.enums import NodeKind
from graphapi.api.inputs import (
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
from graphapi.api.mutations.payloads import ApiKey
from graphapi.api.pagination import Connection, connection, page_limit
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
from graphapi.api.types.actors import checked_certainty, office_holders
from graphapi.api.types.common import NESTED_MAX
from graphapi.auth import Scope, list_keys
from graphapi.errors import BadUserInput, NotFound
from graphapi.graph import model, reads
from graphapi.graph.kinds import ACTOR_PREFIXES, BY_PREFIX, kind_of
from graphapi.graph.nodes import NodeRecord
from graphapi.graph.text import check_line

MAX_IDS = 100
N = TypeVar("N", bound=Node)
_ACTOR_PREFIXES = tuple(sorted(ACTOR_PREFIXES))


async def parts_of(info: Info, wholes: list[str]) -> list[str]:
    """The measures that are part of these (one level: a part of a part is named by its own whole)."""
    rows = await info.context.store.read(reads.PARTS_OF, {"ids": wholes})
    return [str(row["id"]) for row in rows]


def checked_id(value: str, argument: str, *, kinds: tuple[str, ...] = ()) -> str:
    """A well-formed global id, of one of `kinds` when given; BAD_USER_INPUT otherwise."""
    kind = kind_of(value)
    if kind is None:
        raise BadUserInput(
            f"`{argument}` must be a global id such as 'person:mark-carney'; got {value[:80]!r}",
            argument=argument,
        )
    if kinds and kind.prefix not in kinds:
        wanted = " or ".join(f"'{k}:...'" for k in kinds)
        raise BadUserInput(
            f"`{argument}` must be the id of a {wanted}; got {value[:80]!r}", argument=argument
        )
    return value


def checked_words(value: str | None, argument: str) -> str | None:
    """Words a client filters or searches by: one line of text, not too long."""
    if value is None:
        return None
    try:
        return check_line(value, 500)
    except ValueError as exc:
        raise BadUserInput(f"`{argument}` {exc}", argument=argument) from None


async def require_node(info: Info, node_id: str, argument: str, kinds: tuple[str, ...] = ()) -> NodeRecord:
    """The record of an id a client named: well-formed, of the right kind, and existing."""
    record = await info.context.loaders.node.load(checked_id(node_id, argument, kinds=kinds))
    if record is None:
        raise NotFound(f"`{argument}`: no node has the id {node_id!r}")
    return record


async def _optional_ref(info: Info, value: str | None, argument: str, kinds: tuple[str, ...]) -> str | None:
    """A filter naming a node: well-formed, and existing (an unknown id is an error, not an empty list)."""
    if value is None:
        return None
    return (await require_node(info, value, argument, kinds)).id


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


@strawberry.type
class Query:
    @strawberry.field(
        description="Any node by its global id; null, with a NOT_FOUND error, when there is none."
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return build(await require_node(info, id, "id"))

    @strawberry.field(
        description=f"Nodes by global id, in the order asked; null where none exists. At most {MAX_IDS}."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_IDS:
            raise BadUserInput(f"`ids` has {len(ids)} ids; at most {MAX_IDS}", argument="ids")
        records = await info.context.loaders.node.load_many([checked_id(i, "ids") for i in ids])
        return [build(r) if r else None for r in records]

    @strawberry.field(description="Actors: countries, persons, parties, organizations.")
    async def actors(
        self,
        info: Info,
        filter: ActorFilter | None = None,
        order_by: ActorOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Actor]:
        f = filter or ActorFilter()
        words = checked_words(f.name_contains, "filter.nameContains")
        params = {
            "label": BY_PREFIX[f.kind.value].label if f.kind else None,
            "nameContains": words.lower() if words else None,
        }
        return await _page(info, reads.ACTORS, params, first, after, order_by or ActorOrder(), Actor)

    @strawberry.field(description="Measures: tariffs, duties and the like.")
    async def measures(
        self,
        info: Info,
        filter: MeasureFilter | None = None,
        order_by: MeasureOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Measure]:
        f = filter or MeasureFilter()
        params = {
            "status": f.status.value if f.status else None,
            "kind": f.kind.value if f.kind else None,
            "sector": checked_words(f.sector, "filter.sector"),
            "imposedBy": await _optional_ref(info, f.imposed_by, "filter.imposedBy", _ACTOR_PREFIXES),
            "target": await _optional_ref(info, f.target, "filter.target", _ACTOR_PREFIXES),
            "inForceOn": f.in_force_on,
            "possible": checked_certainty(f.certainty, "filter.certainty") is model.Certainty.POSSIBLE,
        }
        return await _page(info, reads.MEASURES, params, first, after, order_by or MeasureOrder(), Measure)

    @strawberry.field(description="Statements, by speaker (`by`) and by what they are about (`about`).")
    async def statements(
        self,
        info: Info,
        by: strawberry.ID | None = None,
        about: strawberry.ID | None = None,
        filter: StatementFilter | None = None,
        order_by: StatementOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Statement]:
        f = filter or StatementFilter()
        params = {
            "by": await _optional_ref(info, by, "by", _ACTOR_PREFIXES),
            "about": await _optional_ref(info, about, "about", ()),
            "direct": f.direct,
            "saidFrom": f.said_from,
            "saidTo": f.said_to,
        }
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
        on: strawberry.ID | None = None,
        on_text: str | None = None,
        include_parts: bool = False,
        stance: model.Stance | None = None,
        filter: PositionFilter | None = None,
        order_by: PositionOrder | None = None,
        first: int | None = None,
        after: str | None = None,
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
                info, checked_words(on_text, "onText") or "", search_api.POSITION_TARGET_LABELS, 50, "onText"
            )
            targets = [node_id for node_id, _ in hits]
        f = filter or PositionFilter()
        if stance is not None and f.stance is not None and stance != f.stance:
            raise BadUserInput("`stance` and `filter.stance` disagree", argument="stance")
        chosen = stance or f.stance
        params = {
            "on": targets,
            "stance": chosen.value if chosen else None,
            "minConfidence": f.min_confidence,
            "actor": await _optional_ref(info, f.actor, "filter.actor", _ACTOR_PREFIXES),
            "basis": f.basis.value if f.basis else None,
        }
        order = order_by or PositionOrder()
        return await _page(info, reads.POSITIONS, params, first, after, order, Position)

    @strawberry.field(
        description="Side by side: the positions of each actor on each measure or event (at most 20 of "
        "each), one cell per pair in the order given, empty where the actor holds none; with "
        "`includeParts`, a measure's cell also holds the positions on its parts."
    )
    async def compare(
        self, info: Info, actors: list[strawberry.ID], on: list[strawberry.ID], include_parts: bool = False
    ) -> list[comparison.Cell]:
        return await comparison.compare(info, actors, on, include_parts)

    @strawberry.field(
        description="Events: calls, meetings, talks, elections; by kind, status, participant, date."
    )
    async def events(
        self,
        info: Info,
        filter: EventFilter | None = None,
        order_by: EventOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Event]:
        f = filter or EventFilter()
        if f.start and f.end and f.start > f.end:
            raise BadUserInput(
                f"`filter.from` ({f.start}) is after `filter.to` ({f.end})", argument="filter.from"
            )
        params = {
            "kind": f.kind.value if f.kind else None,
            "status": f.status.value if f.status else None,
            "participant": await _optional_ref(info, f.participant, "filter.participant", _ACTOR_PREFIXES),
            "from": f.start,
            "to": f.end,
            "possible": checked_certainty(f.certainty, "filter.certainty") is model.Certainty.POSSIBLE,
        }
        return await _page(info, reads.EVENTS, params, first, after, order_by or EventOrder(), Event)

    @strawberry.field(description="Source documents.")
    async def sources(
        self,
        info: Info,
        order_by: SourceOrder | None = None,
        first: int | None = None,
        after: str | None = None,
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
        actor: strawberry.ID,
        start: Annotated[Day | None, strawberry.argument(name="from")] = None,
        end: Annotated[Day | None, strawberry.argument(name="to")] = None,
        include_undated: bool = True,
        certainty: model.Certainty = model.Certainty.KNOWN,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[timeline_api.TimelineEntry]:
        page_limit(first)
        least = checked_certainty(certainty, "certainty")
        record = await require_node(info, actor, "actor", _ACTOR_PREFIXES)
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
        office: strawberry.ID,
        on: Day | None = None,
        certainty: model.Certainty = model.Certainty.KNOWN,
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
        id: strawberry.ID,
        depth: int = 1,
        types: list[model.Rel] | None = None,
        limit: int = 100,
        include_provenance: bool = False,
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
        start: Annotated[strawberry.ID, strawberry.argument(name="from")],
        goal: Annotated[strawberry.ID, strawberry.argument(name="to")],
        max_depth: int = 6,
        types: list[model.Rel] | None = None,
        include_provenance: bool = False,
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
        measure: strawberry.ID,
        direction: walks.RetaliationDirection = walks.RetaliationDirection.BOTH,
        max_depth: int = 10,
    ) -> walks.Subgraph:
        await require_node(info, measure, "measure", ("measure",))
        return await walks.retaliation_chain(info, measure, direction, max_depth)

    @strawberry.field(
        description="Who retaliated against what: every RETALIATES_AGAINST relationship, up to `limit`."
    )
    async def retaliations(self, info: Info, limit: int = 100) -> walks.Subgraph:
        return await walks.retaliations(info, limit)

    @strawberry.field(
        description=(
            "Where a fact comes from: the source spans of a statement, of the statements behind a position, "
            "or of the evidence of any other node, each with the text around it."
        )
    )
    async def provenance(self, info: Info, id: strawberry.ID) -> list[Evidence]:
        return await evidence_of(info, await require_node(info, id, "id"))

    @strawberry.field(
        description="Full-text search over names, aliases, quotes and source text, best match first."
    )
    async def search(
        self,
        info: Info,
        text: str,
        kinds: list[NodeKind] | None = None,
        first: int | None = None,
        after: str | None = None,
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
        since: str | None = None,
        id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
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
