"""The Query root: global lookup by id and the top-level lists, each a Relay connection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry

from graphapi.api.pagination import Connection, connection, decode_cursor, page_limit
from graphapi.api.records import NodeRecord
from graphapi.api.types import (
    Actor,
    Info,
    Measure,
    Node,
    Position,
    Source,
    Statement,
    build,
    build_as,
)
from graphapi.errors import BadUserInput, NotFound
from graphapi.graph import model, reads
from graphapi.store.base import Cypher

MAX_IDS = 100

N = TypeVar("N", bound=Node)


def checked_id(value: str, argument: str, *, kinds: tuple[str, ...] = ()) -> str:
    """A well-formed global id, of one of `kinds` when given; BAD_USER_INPUT otherwise."""
    kind = model.kind_of(value)
    if kind is None:
        raise BadUserInput(
            f"`{argument}` must be a global id such as 'person:mark-carney'; got {value!r}", argument=argument
        )
    if kinds and kind.prefix not in kinds:
        wanted = " or ".join(f"'{k}:...'" for k in kinds)
        raise BadUserInput(f"`{argument}` must be the id of a {wanted}; got {value!r}", argument=argument)
    return value


async def require_node(info: Info, node_id: str, argument: str) -> NodeRecord:
    record = await info.context.loaders.node.load(node_id)
    if record is None:
        raise NotFound(f"`{argument}`: no node has the id {node_id!r}")
    return record


async def _optional_ref(info: Info, value: str | None, argument: str, kinds: tuple[str, ...]) -> str | None:
    """A filter naming a node: well-formed, and existing (an unknown id is an error, not an empty list)."""
    if value is None:
        return None
    await require_node(info, checked_id(value, argument, kinds=kinds), argument)
    return value


@dataclass(frozen=True)
class PageArgs:
    """`first` and `after`, checked before anything is read."""

    size: int
    after: str | None
    after_id: str | None

    @classmethod
    def of(cls, first: int | None, after: str | None) -> PageArgs:
        return cls(page_limit(first), after, decode_cursor(after))


async def _page(
    info: Info,
    queries: tuple[Cypher, Cypher],
    params: dict[str, Any],
    page: PageArgs,
    expected: type[N],
) -> Connection[N]:
    """One page of a list query, primed into the request's node loader. The total is counted only when a
    client asks for `totalCount`."""
    page_query, count_query = queries
    store = info.context.store
    rows = await store.read(page_query, {**params, "after": page.after_id, "limit": page.size + 1})
    records = [NodeRecord.from_row(row) for row in rows]
    info.context.loaders.prime(records)

    async def count() -> int:
        return int((await store.read(count_query, params))[0]["total"])

    items = [(r.id, built) for r in records if (built := build_as(r, expected)) is not None]
    return connection(items, page.size, after=page.after, count=count)


_ACTOR_PREFIXES = tuple(sorted(model.ACTOR_PREFIXES))


@strawberry.type
class Query:
    @strawberry.field(
        description="Any node by its global id; null, with a NOT_FOUND error, when there is none."
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return build(await require_node(info, checked_id(id, "id"), "id"))

    @strawberry.field(
        description=f"Nodes by global id, in the order asked; null where none exists. At most {MAX_IDS}."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_IDS:
            raise BadUserInput(f"`ids` has {len(ids)} ids; at most {MAX_IDS}", argument="ids")
        records = await info.context.loaders.node.load_many([checked_id(i, "ids") for i in ids])
        return [build(r) if r else None for r in records]

    @strawberry.field(description="Actors: countries, persons, parties, organizations; ordered by id.")
    async def actors(
        self,
        info: Info,
        kind: model.ActorKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Actor]:
        page = PageArgs.of(first, after)
        label = model.NODE_KINDS[kind.value].label if kind else None
        return await _page(info, (reads.ACTORS_PAGE, reads.ACTORS_COUNT), {"label": label}, page, Actor)

    @strawberry.field(
        description="Measures (tariffs, duties...), filtered by status, kind, imposer, target; by id."
    )
    async def measures(
        self,
        info: Info,
        status: model.MeasureStatus | None = None,
        kind: model.MeasureKind | None = None,
        imposed_by: strawberry.ID | None = None,
        target: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Measure]:
        page = PageArgs.of(first, after)
        params = {
            "status": status.value if status else None,
            "kind": kind.value if kind else None,
            "imposedBy": await _optional_ref(info, imposed_by, "imposedBy", _ACTOR_PREFIXES),
            "target": await _optional_ref(info, target, "target", _ACTOR_PREFIXES),
        }
        return await _page(info, (reads.MEASURES_PAGE, reads.MEASURES_COUNT), params, page, Measure)

    @strawberry.field(description="Statements, filtered by speaker (`by`) and by what they are about; by id.")
    async def statements(
        self,
        info: Info,
        by: strawberry.ID | None = None,
        about: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Statement]:
        page = PageArgs.of(first, after)
        params = {
            "by": await _optional_ref(info, by, "by", _ACTOR_PREFIXES),
            "about": await _optional_ref(info, about, "about", ()),
        }
        return await _page(info, (reads.STATEMENTS_PAGE, reads.STATEMENTS_COUNT), params, page, Statement)

    @strawberry.field(description="Positions on a measure or event, optionally of one stance; by id.")
    async def positions(
        self,
        info: Info,
        on: strawberry.ID,
        stance: model.Stance | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Position]:
        page = PageArgs.of(first, after)
        params = {
            "on": await _optional_ref(info, on, "on", ("measure", "event")),
            "stance": stance.value if stance else None,
        }
        return await _page(info, (reads.POSITIONS_PAGE, reads.POSITIONS_COUNT), params, page, Position)

    @strawberry.field(description="Source documents; by id.")
    async def sources(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Source]:
        page = PageArgs.of(first, after)
        return await _page(info, (reads.SOURCES_PAGE, reads.SOURCES_COUNT), {}, page, Source)
