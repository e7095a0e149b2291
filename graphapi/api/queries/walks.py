"""Subgraphs a client can draw: a node's neighbourhood, the shortest connection between two nodes, and
retaliation chains. Walks go one level per database round-trip, so their cost is bounded by their depth."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import strawberry

from graphapi.api.enums import described
from graphapi.api.types import Info, Node, build
from graphapi.errors import BadUserInput
from graphapi.graph import model, reads

MAX_SUBGRAPH = 500
# How many relationships one walk level may bring back; a walk that needs more says it was cut short.
LEVEL_LIMIT = 5000
# A neighbourhood reads at most this many relationships per node it may draw.
NEIGHBOURS_PER_NODE = 4
# Links from a fact to the document it comes from. Every quoted fact has one, so a walk through them
# connects anything to anything through the source, which says nothing: walks leave them out unless asked.
PROVENANCE = (model.Rel.QUOTED_IN, model.Rel.EVIDENCE_IN)


def walked_types(types: list[model.Rel] | None, include_provenance: bool) -> list[model.Rel] | None:
    """The relationship types a walk follows: those asked for, or all but provenance unless included."""
    if types is not None or include_provenance:
        return types
    return [rel for rel in model.Rel if rel not in PROVENANCE]


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


@dataclass(frozen=True)
class Hop:
    rel: model.Rel
    src: str
    dst: str
    other: str

    @property
    def edge(self) -> GraphEdge:
        return GraphEdge(type=self.rel, source=strawberry.ID(self.src), target=strawberry.ID(self.dst))


async def _hops(
    info: Info, ids: list[str], types: list[model.Rel] | None, limit: int = LEVEL_LIMIT
) -> tuple[dict[str, list[Hop]], bool]:
    """One level of relationships from `ids`, at most `limit` of them (and whether there were more)."""
    rows = await info.context.store.read(
        reads.NEIGHBOURS,
        {"ids": ids, "types": [t.value for t in types] if types else None, "limit": limit + 1},
    )
    found: dict[str, list[Hop]] = {}
    for row in rows[:limit]:
        if row["type"] in model.Rel.__members__:
            hop = Hop(model.Rel(row["type"]), row["src"], row["dst"], row["other"])
            found.setdefault(row["origin"], []).append(hop)
    return found, len(rows) > limit


def _subgraph(order: list[str], hops: list[Hop], truncated: bool) -> Subgraph:
    edges: dict[tuple[str, str, str], GraphEdge] = {}
    for hop in hops:
        edges.setdefault((hop.rel.value, hop.src, hop.dst), hop.edge)
    return Subgraph(node_ids=order, edges=list(edges.values()), truncated=truncated)


async def neighbourhood(
    info: Info, node_id: str, depth: int, types: list[model.Rel] | None, limit: int
) -> Subgraph:
    if depth not in (1, 2):
        raise BadUserInput("`depth` must be 1 or 2", argument="depth")
    if not 1 <= limit <= MAX_SUBGRAPH:
        raise BadUserInput(f"`limit` must be between 1 and {MAX_SUBGRAPH}", argument="limit")
    seen, frontier, hops, truncated = [node_id], [node_id], [], False
    for _ in range(depth):
        # a hub's thousands of relationships are not read to draw `limit` nodes of them
        level, cut = await _hops(info, frontier, types, min(LEVEL_LIMIT, NEIGHBOURS_PER_NODE * limit))
        truncated |= cut
        frontier = []
        for hop_list in level.values():
            for hop in hop_list:
                if hop.other not in seen:
                    if len(seen) >= limit:
                        truncated = True
                        continue
                    seen.append(hop.other)
                    frontier.append(hop.other)
                hops.append(hop)
        if not frontier:
            break
    kept = set(seen)
    return _subgraph(seen, [h for h in hops if h.src in kept and h.dst in kept], truncated)


async def shortest_path(
    info: Info, start: str, goal: str, max_depth: int, types: list[model.Rel] | None
) -> Subgraph | None:
    """Breadth-first from both ends, always widening the smaller frontier; relationships are followed
    either way. None when no path of at most `max_depth` relationships exists."""
    if not 1 <= max_depth <= reads.MAX_WALK:
        raise BadUserInput(f"`maxDepth` must be between 1 and {reads.MAX_WALK}", argument="maxDepth")
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
    edges = [h.edge for h in hops]
    return Subgraph(node_ids=order, edges=edges, truncated=False)


async def retaliation_chain(
    info: Info, measure: str, direction: RetaliationDirection, max_depth: int
) -> Subgraph:
    if not 1 <= max_depth <= reads.MAX_WALK:
        raise BadUserInput(f"`maxDepth` must be between 1 and {reads.MAX_WALK}", argument="maxDepth")
    rows = await info.context.store.read(
        reads.RETALIATION_CHAIN,
        {
            "id": measure,
            "against": direction is not RetaliationDirection.BY,
            "by": direction is not RetaliationDirection.AGAINST,
            "maxDepth": max_depth,
        },
    )
    hops = [Hop(model.Rel.RETALIATES_AGAINST, r["src"], r["dst"], r["dst"]) for r in rows]
    order = [measure, *sorted({i for h in hops for i in (h.src, h.dst)} - {measure})]
    return _subgraph(order, sorted(hops, key=lambda h: (h.src, h.dst)), False)


async def retaliations(info: Info, limit: int) -> Subgraph:
    if not 1 <= limit <= MAX_SUBGRAPH:
        raise BadUserInput(f"`limit` must be between 1 and {MAX_SUBGRAPH}", argument="limit")
    rows = await info.context.store.read(reads.RETALIATIONS, {"limit": limit + 1})
    hops = [Hop(model.Rel.RETALIATES_AGAINST, r["src"], r["dst"], r["dst"]) for r in rows[:limit]]
    order = sorted({i for h in hops for i in (h.src, h.dst)})
    return _subgraph(order, hops, len(rows) > limit)
