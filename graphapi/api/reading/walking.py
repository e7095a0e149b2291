"""What both read paths share of the walks (graphapi/api/queries/walks.py resolves them a level per
round-trip, graphapi/api/compiled/walk_roots.py in one statement): the limits, the arguments' checks, and
the bookkeeping that turns the rows read into a subgraph, so both answer alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graphapi.errors import BadUserInput
from graphapi.graph import model, reads
from graphapi.store.base import Record

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


class Hop(NamedTuple):
    rel: model.Rel
    src: str
    dst: str
    other: str


@dataclass
class Walked:
    """A subgraph: its nodes' ids in order, its relationships (each once) and whether limits cut it."""

    node_ids: list[str]
    hops: list[Hop] = field(default_factory=list)
    truncated: bool = False


def walked(order: list[str], hops: list[Hop], truncated: bool) -> Walked:
    edges: dict[tuple[str, str, str], Hop] = {}
    for hop in hops:
        edges.setdefault((hop.rel.value, hop.src, hop.dst), hop)
    return Walked(order, list(edges.values()), truncated)


# The types by their names (a dict lookup: cheaper than calling the enum for every row).
_RELS = dict(model.Rel.__members__)
# The columns of a level's row: where the hop was taken from, its type, its ends, the node reached.
LEVEL_COLUMNS = ("origin", "type", "src", "dst", "other")


def level_of(rows: Iterable[Sequence[str]], limit: int) -> tuple[dict[str, list[Hop]], bool]:
    """A level's rows (LEVEL_COLUMNS of `reads.NEIGHBOURS`) as hops by the node they were taken from:
    the first `limit` of them (and whether there were more)."""
    found: dict[str, list[Hop]] = {}
    count = 0
    for origin, kind, src, dst, other in rows:
        count += 1
        if count > limit:
            break
        rel = _RELS.get(kind)
        if rel is not None:
            found.setdefault(origin, []).append(Hop(rel, src, dst, other))
    return found, count > limit


def checked_neighbourhood(depth: int, limit: int) -> int:
    """How many relationships a level of the neighbourhood reads (BAD_USER_INPUT for a bad argument):
    a hub's thousands of relationships are not read to draw `limit` nodes of them."""
    if depth not in (1, 2):
        raise BadUserInput("`depth` must be 1 or 2", argument="depth")
    checked_limit(limit)
    return min(LEVEL_LIMIT, NEIGHBOURS_PER_NODE * limit)


class NeighbourhoodWalk:
    """A neighbourhood level by level: the nodes seen in the order found (at most `limit`), the next
    level's frontier, the hops taken and whether a limit cut it short."""

    def __init__(self, center: str, limit: int) -> None:
        self.limit = limit
        self.seen, self.frontier = [center], [center]
        self._seen = {center}
        self.hops: list[Hop] = []
        self.truncated = False

    def take(self, level: dict[str, list[Hop]], cut: bool) -> list[str]:
        """Adds a level read from the frontier; the next frontier (empty: the walk is over)."""
        self.truncated |= cut
        self.frontier = []
        for hop_list in level.values():
            for hop in hop_list:
                if hop.other not in self._seen:
                    if len(self.seen) >= self.limit:
                        self.truncated = True
                        continue
                    self.seen.append(hop.other)
                    self._seen.add(hop.other)
                    self.frontier.append(hop.other)
                self.hops.append(hop)
        return self.frontier

    def walked(self) -> Walked:
        kept = set(self.seen)
        hops = [h for h in self.hops if h.src in kept and h.dst in kept]
        return walked(self.seen, hops, self.truncated)


def checked_depth(max_depth: int) -> int:
    if not 1 <= max_depth <= reads.MAX_WALK:
        raise BadUserInput(f"`maxDepth` must be between 1 and {reads.MAX_WALK}", argument="maxDepth")
    return max_depth


def chain_params(measure: str, direction: str, max_depth: int) -> dict[str, Any]:
    """The parameters of `reads.RETALIATION_CHAIN`, for a direction named AGAINST, BY or BOTH."""
    return {
        "id": measure,
        "against": direction != "BY",
        "by": direction != "AGAINST",
        "maxDepth": checked_depth(max_depth),
    }


def chain_walked(measure: str, rows: list[Record]) -> Walked:
    """The chain's relationships (rows of `reads.RETALIATION_CHAIN`): the measure first, then the
    others by id; the relationships by their ends' ids."""
    hops = [Hop(model.Rel.RETALIATES_AGAINST, r["src"], r["dst"], r["dst"]) for r in rows]
    order = [measure, *sorted({i for h in hops for i in (h.src, h.dst)} - {measure})]
    return walked(order, sorted(hops, key=lambda h: (h.src, h.dst)), False)


def checked_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_SUBGRAPH:
        raise BadUserInput(f"`limit` must be between 1 and {MAX_SUBGRAPH}", argument="limit")
    return limit


def retaliations_walked(rows: list[Record], limit: int) -> Walked:
    """The first `limit` rows of `reads.RETALIATIONS` (asked for one more), their nodes by id."""
    hops = [Hop(model.Rel.RETALIATES_AGAINST, r["src"], r["dst"], r["dst"]) for r in rows[:limit]]
    order = sorted({i for h in hops for i in (h.src, h.dst)})
    return walked(order, hops, len(rows) > limit)
