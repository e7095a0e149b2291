"""The Query root's questions over time: an actor's timeline and who held an office."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphapi.api.queries import actor_timeline as timeline_api
from graphapi.api.queries.lookup import require_node
from graphapi.api.reading.arguments import (
    ACTORS,
    NESTED_MAX,
    checked_certainty,
)
from graphapi.api.reading.list_inputs import (
    Day,
)
from graphapi.api.reading.pagination import Connection, page_limit
from graphapi.api.types import (
    Info,
    Tenure,
)
from graphapi.api.types.actors import office_holders
from graphapi.errors import BadUserInput
from graphapi.graph import model


@strawberry.type
class TimeQueries:
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
