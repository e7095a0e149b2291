"""Subgraphs a client can draw: a node's neighbourhood, the shortest connection between two nodes, and
retaliation chains. The resolvers walk one level per database round-trip (the compiled path reads the same
levels in one statement: graphapi/api/compiled/walk_roots.py); what they share is
graphapi/api/reading/walking.py."""

from __future__ import annotations

import enum

import strawberry

from graphapi.api.enums import described
from graphapi.api.reading.walking import (
    LEVEL_COLUMNS,
    LEVEL_LIMIT,
    Hop,
    NeighbourhoodWalk,
    Walked,
    chain_params,
    chain_walked,
    checked_depth,
    checked_limit,
    checked_neighbourhood,
    level_of,
    retaliations_walked,
)
from graphapi.api.types import Info, Node, build
from graphapi.graph import model, reads


@strawberry.type(description="A typed, directed relationship between two nodes.")
class GraphEdge:
    type: model.Rel = strawberry.field(description="The relationship's type.")
    source: strawberry.ID = strawberry.field(
        name="from",
        description="The id of the node the relationship leaves (the node whose record declares it).",
    )
    target: strawberry.ID = strawberry.field(
        name="to", description="The id of the node the relationship points to."
    )


@strawberry.type(description="Nodes and the typed relationships between them, ready to draw.")
class Subgraph:
    node_ids: strawberry.Private[list[str]]
    edges: list[GraphEdge] = strawberry.field(
        description="The relationships found, each between two of `nodes`."
    )
    truncated: bool = strawberry.field(description="True when limits cut the subgraph short.")

    @strawberry.field(description="The nodes at either end of the relationships, each once.")
    async def nodes(self, info: Info) -> list[Node]:
        return [build(record) for record in await info.context.loaders.nodes(self.node_ids)]


@strawberry.enum(description="Which way to follow RETALIATES_AGAINST.")
class RetaliationDirection(enum.Enum):
    AGAINST = "AGAINST"  # what the measure answers, and what those answer...
    BY = "BY"  # what answers the measure, and what answers those...
    BOTH = "BOTH"


described(
    RetaliationDirection,
    {
        "AGAINST": "What the measure answers, then what those answer, and so on back.",
        "BY": "What answers the measure, then what answers those, and so on forward.",
        "BOTH": "Both ways.",
    },
)


def _edge(hop: Hop) -> GraphEdge:
    return GraphEdge(type=hop.rel, source=strawberry.ID(hop.src), target=strawberry.ID(hop.dst))


def subgraph(found: Walked) -> Subgraph:
    return Subgraph(node_ids=found.node_ids, edges=[_edge(h) for h in found.hops], truncated=found.truncated)


async def _hops(
    info: Info, ids: list[str], types: list[model.Rel] | None, limit: int = LEVEL_LIMIT
) -> tuple[dict[str, list[Hop]], bool]:
    """One level of relationships from `ids`, at most `limit` of them (and whether there were more)."""
    rows = await info.context.store.read(
        reads.NEIGHBOURS,
        {"ids": ids, "types": [t.value for t in types] if types else None, "limit": limit + 1},
    )
    return level_of(([row[c] for c in LEVEL_COLUMNS] for row in rows), limit)


async def neighbourhood(
    info: Info, node_id: str, depth: int, types: list[model.Rel] | None, limit: int
) -> Subgraph:
    cap = checked_neighbourhood(depth, limit)
    walk = NeighbourhoodWalk(node_id, limit)
    for _ in range(depth):
        if not walk.take(*await _hops(info, walk.frontier, types, cap)):
            break
    return subgraph(walk.walked())


async def shortest_path(
    info: Info, start: str, goal: str, max_depth: int, types: list[model.Rel] | None
) -> Subgraph | None:
    """Breadth-first from both ends, always widening the smaller frontier; relationships are followed
    either way. None when no path of at most `max_depth` relationships exists."""
    checked_depth(max_depth)
    if start == goal:
        return Subgraph(node_ids=[start], edges=[], truncated=False)
    # node -> the hop that reached it, on each side
    came: list[dict[str, Hop | None]] = [{start: None}, {goal: None}]
    frontiers = [[start], [goal]]
    truncated = False
    for _ in range(max_depth):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        level, cut = await _hops(info, frontiers[side], types)
        truncated |= cut
        frontiers[side] = []
        for origin, hop_list in level.items():
            for hop in hop_list:
                if hop.other in came[side]:
                    continue
                came[side][hop.other] = Hop(hop.rel, hop.src, hop.dst, origin)
                frontiers[side].append(hop.other)
                if hop.other in came[1 - side]:
                    return _join(came, hop.other)
        if not frontiers[side]:
            break
    return None if not truncated else Subgraph(node_ids=[], edges=[], truncated=True)


def _join(came: list[dict[str, Hop | None]], meeting: str) -> Subgraph:
    """The path through `meeting`: back to the start on one side, on to the goal on the other."""
    halves: list[list[tuple[str, Hop]]] = [[], []]
    for side in (0, 1):
        node = meeting
        while (hop := came[side][node]) is not None:
            halves[side].append((node, hop))
            node = hop.other  # where this hop was taken from
    start_half = list(reversed(halves[0]))
    order = [start_half[0][1].other] if start_half else [meeting]
    hops = []
    for node, hop in start_half:
        order.append(node)
        hops.append(hop)
    for _node, hop in halves[1]:
        order.append(hop.other)
        hops.append(hop)
    edges = [_edge(h) for h in hops]
    return Subgraph(node_ids=order, edges=edges, truncated=False)


async def retaliation_chain(
    info: Info, measure: str, direction: RetaliationDirection, max_depth: int
) -> Subgraph:
    params = chain_params(measure, direction.value, max_depth)
    return subgraph(chain_walked(measure, await info.context.store.read(reads.RETALIATION_CHAIN, params)))


async def retaliations(info: Info, limit: int) -> Subgraph:
    rows = await info.context.store.read(reads.RETALIATIONS, {"limit": checked_limit(limit) + 1})
    return subgraph(retaliations_walked(rows, limit))
