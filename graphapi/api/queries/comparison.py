"""The `compare` query: the positions of several actors on several measures or events, side by side, in
one round of the database (and one more to find the parts of measures when asked)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from graphapi.api.reading.arguments import checked_id
from graphapi.api.types import Actor, Info, Node, Position
from graphapi.api.types.common import many, one
from graphapi.errors import BadUserInput
from graphapi.graph import model, reads

MAX_SIDE = 20  # actors, and measures or events, per comparison


@strawberry.type(description="One actor's positions on one measure or event.")
class Cell:
    actor_id: strawberry.Private[str]
    on_id: strawberry.Private[str]
    position_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The actor.")
    async def actor(self, info: Info) -> Actor | None:
        return await one(info, self.actor_id, "Actor")  # type: ignore[no-any-return]

    @strawberry.field(description="The measure or event.")
    async def on(self, info: Info) -> Node | None:
        return await one(info, self.on_id, "Node")  # type: ignore[no-any-return]

    @strawberry.field(
        description="The actor's positions on it (and on its parts, when asked); empty if none."
    )
    async def positions(self, info: Info) -> list[Position]:
        return await many(info, self.position_ids, "Position")

    @strawberry.field(
        description="The stance, when the positions agree on one; MIXED when they disagree; null without any."
    )
    async def stance(self, info: Info) -> model.Stance | None:
        stances = {model.Stance(p.record.get("stance")) for p in await self.positions(info)}
        if not stances:
            return None
        return stances.pop() if len(stances) == 1 else model.Stance.MIXED


async def compare(info: Info, actors: Sequence[str], on: Sequence[str], include_parts: bool) -> list[Cell]:
    for name, ids in (("actors", actors), ("on", on)):
        if not 1 <= len(ids) <= MAX_SIDE:
            raise BadUserInput(f"`{name}` names {len(ids)} ids: from 1 to {MAX_SIDE}", argument=name)
    actor_ids = list(dict.fromkeys(checked_id(a, "actors") for a in actors))
    on_ids = list(dict.fromkeys(checked_id(o, "on", kinds=("measure", "event")) for o in on))
    whole_of = {i: i for i in on_ids}
    if include_parts:
        rows = await info.context.store.read(reads.PARTS_OF, {"ids": on_ids})
        whole_of |= {str(row["id"]): str(row["whole"]) for row in rows if row["id"] not in whole_of}
    found = await info.context.store.read(reads.POSITIONS_OF_ON, {"actors": actor_ids, "on": list(whole_of)})
    held: dict[tuple[str, str], list[str]] = {}
    for row in found:
        held.setdefault((row["actor"], whole_of[row["on"]]), []).append(str(row["id"]))
    return [Cell(actor_id=a, on_id=o, position_ids=held.get((a, o), [])) for a in actor_ids for o in on_ids]
