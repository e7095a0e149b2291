"""Actors (countries, persons, parties, organizations), offices and who holds them."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graphapi.api.reading.arguments import checked_certainty
from graphapi.api.reading.list_inputs import Day
from graphapi.api.reading.loaders import Incoming
from graphapi.api.types.common import (
    NESTED_DEFAULT,
    Evidence,
    First,
    FuzzyDate,
    Info,
    Node,
    TimeAnswer,
    incoming,
    nested_size,
    one,
    spans_evidence,
)
from graphapi.api.types.derived_fields import actor_interface, record_type, shown
from graphapi.api.types.refs import (
    MeasureRef,
    OfficeRef,
    PersonRef,
    PositionRef,
    StatementRef,
)
from graphapi.graph import model
from graphapi.graph.dates import DateInterval
from graphapi.graph.model import Rel
from graphapi.graph.temporal import held_on, included


@actor_interface(description="Someone or something that acts: a country, person, party or organization.")
class Actor(Node):
    name = shown("The name the sources use most for the actor.")
    aliases = shown("Other names the sources use.")
    wikidata = shown("Wikidata identifier (QID), when known.")

    @strawberry.field(description="What this actor said, in id order.")
    async def statements(self, info: Info, first: First = NESTED_DEFAULT) -> list[StatementRef]:
        key = Incoming(self.record.id, Rel.SAID_BY, nested_size(first))
        return await incoming(info, key, "Statement")

    @strawberry.field(description="The positions this actor takes.")
    async def positions(self, info: Info, first: First = NESTED_DEFAULT) -> list[PositionRef]:
        return await incoming(info, Incoming(self.record.id, Rel.HELD_BY, nested_size(first)), "Position")

    @strawberry.field(description="Measures this actor imposes or threatens.")
    async def measures_imposed(self, info: Info, first: First = NESTED_DEFAULT) -> list[MeasureRef]:
        return await incoming(info, Incoming(self.record.id, Rel.IMPOSED_BY, nested_size(first)), "Measure")

    @strawberry.field(description="Measures aimed at this actor.")
    async def targeted_by(self, info: Info, first: First = NESTED_DEFAULT) -> list[MeasureRef]:
        return await incoming(info, Incoming(self.record.id, Rel.TARGETS, nested_size(first)), "Measure")

    evidence = shown("Where the sources mention this actor, when recorded.")


@record_type(
    description=(
        "A country: an actor that imposes and is targeted by measures. Its id is "
        "`country:` and its ISO 3166-1 alpha-2 code."
    )
)
class Country(Actor):
    iso_code = shown()

    @strawberry.field(description="Offices of this country's state.")
    async def offices(self, info: Info, first: First = NESTED_DEFAULT) -> list[OfficeRef]:
        return await incoming(info, Incoming(self.record.id, Rel.OFFICE_OF, nested_size(first)), "Office")


@record_type(
    description=(
        "A person: a head of government, minister, party leader... who speaks and may act in an office."
    )
)
class Person(Actor):
    @strawberry.field(
        description=(
            "Offices this person holds or held, with the dates the sources give; with `on`, those known to "
            "be held that day (with `certainty: POSSIBLE`, also those that may be)."
        )
    )
    def tenures(
        self,
        on: Annotated[
            Day | None,
            strawberry.argument(
                description=(
                    "Only the tenures held on this day (known to be, or with `certainty: POSSIBLE` "
                    "possibly); all of them when null."
                )
            ),
        ] = None,
        certainty: Annotated[
            model.Certainty,
            strawberry.argument(
                description=(
                    "With `on`: KNOWN (the default) for tenures the sources' dates settle, POSSIBLE "
                    "to add those the dates allow."
                )
            ),
        ] = model.Certainty.KNOWN,
    ) -> list[Tenure]:
        least = checked_certainty(certainty)
        held = [
            Tenure(holder_id=self.record.id, office_id=e.dst, props=e.props, on=on)
            for e in self.record.edges(Rel.HOLDS)
        ]
        return [t for t in held if on is None or included(held_on(t.props, on), least)]


@record_type(description="A political party, based in a country.")
class Party(Actor):
    description = shown("How the source describes the party, in its own words.")
    country = shown("The country the party is based in.")

    @strawberry.field(description="Offices of this party, such as its leader.")
    async def offices(self, info: Info, first: First = NESTED_DEFAULT) -> list[OfficeRef]:
        return await incoming(info, Incoming(self.record.id, Rel.OFFICE_OF, nested_size(first)), "Office")


@record_type(description="An organization: a bloc such as the EU, a government body, an agency.")
class Organization(Actor):
    kind = shown("What kind of organization: bloc, agency, ...")


@record_type(description="A post that exists apart from who holds it, such as Prime Minister of Canada.")
class Office(Node):
    name = shown("The post's name, such as Prime Minister of Canada.")
    of = shown("The country or party the office belongs to.")

    @strawberry.field(
        description=(
            "Who holds or held the office, with the dates the sources give; with `on`, who is known to have "
            "held it that day (with `certainty: POSSIBLE`, also who may have)."
        )
    )
    async def holders(
        self,
        info: Info,
        on: Annotated[
            Day | None,
            strawberry.argument(
                description="Only those holding it on this day; everyone who held it when null."
            ),
        ] = None,
        certainty: Annotated[
            model.Certainty,
            strawberry.argument(
                description=(
                    "With `on`: KNOWN (the default) for holders the sources' dates settle, POSSIBLE "
                    "to add those the dates allow."
                )
            ),
        ] = model.Certainty.KNOWN,
        first: First = NESTED_DEFAULT,
    ) -> list[Tenure]:
        return await office_holders(info, self.record.id, on, nested_size(first), certainty)

    evidence = shown("The source spans that state the office.")


async def office_holders(
    info: Info, office_id: str, on: str | None, limit: int, certainty: model.Certainty = model.Certainty.KNOWN
) -> list[Tenure]:
    """The tenures of an office; with `on`, those held that day with at least `certainty`."""
    least = checked_certainty(certainty)
    loaders = info.context.loaders
    holders = await loaders.nodes(await loaders.incoming.load(Incoming(office_id, Rel.HOLDS, limit)))
    return [
        Tenure(holder_id=holder.id, office_id=office_id, props=edge.props, on=on)
        for holder in holders
        for edge in holder.edges(Rel.HOLDS)
        if edge.dst == office_id and (on is None or included(held_on(edge.props, on), least))
    ]


@strawberry.type(description="A person's holding of an office.")
class Tenure:
    holder_id: strawberry.Private[str]
    office_id: strawberry.Private[str]
    props: strawberry.Private[dict[str, Any]]
    on: strawberry.Private[str | None] = None  # the day the tenure was asked about, if any

    @strawberry.field(
        description=(
            "Whether the office was held on a day (by default the `on` it was listed for), how sure that "
            "is, and why; null without a day."
        )
    )
    def held(
        self, on: Annotated[Day | None, strawberry.argument(description="The day to ask about.")] = None
    ) -> TimeAnswer | None:
        day = on or self.on
        return TimeAnswer.of(held_on(self.props, day)) if day else None

    @strawberry.field(description="The person who holds (or held) the office.")
    async def holder(self, info: Info) -> PersonRef | None:
        return await one(info, self.holder_id, "Person")

    @strawberry.field(description="The office held.")
    async def office(self, info: Info) -> Office | None:
        return await one(info, self.office_id, "Office")

    @strawberry.field(name="from", description="Start of the tenure, when the sources give it.")
    def start(self) -> FuzzyDate | None:
        return FuzzyDate.of(DateInterval.from_props(self.props, "from"))

    @strawberry.field(name="to", description="End of the tenure, when the sources give it.")
    def end(self) -> FuzzyDate | None:
        return FuzzyDate.of(DateInterval.from_props(self.props, "to"))

    @strawberry.field(description="The source spans that state the tenure.")
    def evidence(self) -> list[Evidence]:
        return spans_evidence(self.props)
