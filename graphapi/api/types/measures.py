"""Policy measures (tariffs, duties...) and their stated effects."""

from __future__ import annotations

import json
from typing import Annotated

import strawberry

from graphapi.api.reading.list_inputs import Day
from graphapi.api.reading.loaders import Incoming
from graphapi.api.types.actors import Actor
from graphapi.api.types.common import (
    NESTED_DEFAULT,
    Evidence,
    First,
    Info,
    Node,
    Span,
    TimeAnswer,
    incoming,
    nested_size,
    one,
)
from graphapi.api.types.derived_fields import record_type, shown
from graphapi.api.types.refs import MeasureMomentRef, OfficeRef, PositionRef, StatementRef
from graphapi.graph import model, temporal
from graphapi.graph.model import Rel


@strawberry.type(description="An amount of money, as a source states it.")
class Money:
    amount: float = strawberry.field(description="The amount, in units of the currency.")
    currency: str = strawberry.field(description="ISO 4217 code.")
    approximate: bool = strawberry.field(
        description="True when the source gives the amount as roughly this much."
    )
    as_written: str | None = strawberry.field(
        description="The source's own words for the amount, such as `$30 billion`."
    )


@strawberry.type(description="An expected or observed effect of a measure, as the source states it.")
class Effect:
    description: str = strawberry.field(description="What happens, in a few words.")
    amount: float | None = strawberry.field(description="How much, when the source says.")
    unit: str | None = strawberry.field(description="Of what the amount is: jobs, percent...")
    approximate: bool = strawberry.field(
        description="True when the source gives the amount as roughly this much."
    )
    likely: bool = strawberry.field(description="The source says it may, or is expected to, happen.")
    evidence: Evidence = strawberry.field(description="The source span that states the effect.")


@strawberry.type(
    description=(
        "Who imposes a measure: an actor, and for a person the office they acted in and the country or "
        "party they acted for."
    )
)
class Imposer:
    actor_id: strawberry.Private[str]
    office_id: strawberry.Private[str | None]

    @strawberry.field(description="The country, or the person acting for it, that imposes the measure.")
    async def actor(self, info: Info) -> Actor | None:
        return await one(info, self.actor_id, "Actor")

    @strawberry.field(description="The office the person acted in, when the sources say.")
    async def office(self, info: Info) -> OfficeRef | None:
        return await one(info, self.office_id, "Office")

    @strawberry.field(description="The country or party the office belongs to: whom the person acted for.")
    async def acting_for(self, info: Info) -> Actor | None:
        office = await info.context.loaders.node.load(self.office_id) if self.office_id else None
        return await one(info, office.target(Rel.OFFICE_OF) if office else None, "Actor")


@record_type(description="A policy measure: a tariff, duty, quota, sanction...", hidden=("acting_as",))
class Measure(Node):
    name = shown("What the measure is, in a few words.")
    kind = shown("What kind of measure it is: tariff, duty, quota...")
    status = shown(
        "Where the measure stands as its latest source reports: threatened, announced, in force, paused "
        "or removed. Use `inForce(on:)` for a given day."
    )
    rate = shown("Ad valorem rate in percent, when stated.")
    aliases = shown("Other names the sources use, such as 'automotive tariffs'.")
    condition = shown("The condition on which a threatened measure would be imposed.")
    sectors = shown("The sectors the measure covers, in the source's words.")
    products = shown("The goods the measure covers, in the source's words.")

    @strawberry.field(description="The value of trade the measure covers, in each currency the source gives.")
    def value(self) -> list[Money]:
        r = self.record
        return [
            Money(amount=a, currency=c, approximate=x, as_written=w or None)
            for a, c, x, w in zip(
                r.get("valueAmounts", []),
                r.get("valueCurrencies", []),
                r.get("valueApproximate", []),
                r.get("valueAsWritten", []),
                strict=True,
            )
        ]

    @strawberry.field(description="Effects the source states, such as jobs at risk.")
    def effects(self) -> list[Effect]:
        stored = self.record.text("effects")
        return [
            Effect(
                description=e["description"],
                amount=e["amount"],
                unit=e["unit"],
                approximate=e["approximate"],
                likely=e["likely"],
                evidence=Evidence(
                    source_id=e["source"], span=Span(start=e["start"], end=e["end"]), quote=e["quote"]
                ),
            )
            for e in (json.loads(stored) if stored else [])
        ]

    announced_on = shown("When the measure was announced, at the precision the source gives.")
    effective_from = shown(
        "When the measure takes or took effect; for an announced measure, when it is planned to."
    )
    effective_to = shown("When the measure ends or ended; null while the sources report no end.")

    @strawberry.field(description="Whether the measure is in force on a day, how sure that is, and why.")
    def in_force(
        self, on: Annotated[Day, strawberry.argument(description="The day to ask about.")]
    ) -> TimeAnswer:
        return TimeAnswer.of(temporal.in_force(self.record.props, on))

    imposed_by = shown("Who imposes, plans or threatens the measure: countries, and people in office.")

    @strawberry.field(description="Who imposes the measure, with the office a person acted in, when given.")
    def imposers(self) -> list[Imposer]:
        offices = dict(
            zip(self.record.get("actingActors", []), self.record.get("actingOffices", []), strict=True)
        )
        linked = set(self.record.targets(Rel.IN_ROLE))  # an office deleted since is not named
        return [
            Imposer(actor_id=actor, office_id=office if (office := offices.get(actor)) in linked else None)
            for actor in self.record.targets(Rel.IMPOSED_BY)
        ]

    targets = shown("The actors the measure is aimed at.")
    condition_involves = shown("Actors named in the measure's condition.")
    retaliates_against = shown("The measures this one answers.")

    @strawberry.field(description="The measures that answer this one.")
    async def retaliated_by(self, info: Info, first: First = NESTED_DEFAULT) -> list[Measure]:
        key = Incoming(self.record.id, Rel.RETALIATES_AGAINST, nested_size(first))
        return await incoming(info, key, "Measure")

    part_of = shown("The measure this one is a part or extension of.")

    @strawberry.field(
        description=(
            "The measures that are part or extensions of this one (the auto parts tariff of "
            "the vehicle tariff): ask them too for everything said about the whole."
        )
    )
    async def parts(self, info: Info, first: First = NESTED_DEFAULT) -> list[Measure]:
        return await incoming(info, Incoming(self.record.id, Rel.PART_OF, nested_size(first)), "Measure")

    @strawberry.field(description="Positions taken on this measure, optionally of one stance.")
    async def positions(
        self,
        info: Info,
        stance: Annotated[
            model.Stance | None, strawberry.argument(description="Only positions of this stance.")
        ] = None,
        first: First = NESTED_DEFAULT,
    ) -> list[PositionRef]:
        key = Incoming(
            self.record.id,
            Rel.ON,
            nested_size(first),
            "stance" if stance else None,
            stance.value if stance else None,
        )
        return await incoming(info, key, "Position")

    @strawberry.field(description="Statements about this measure.")
    async def statements(self, info: Info, first: First = NESTED_DEFAULT) -> list[StatementRef]:
        return await incoming(info, Incoming(self.record.id, Rel.ABOUT, nested_size(first)), "Statement")

    @strawberry.field(
        description="What happened to it and around it, in date order (undated last): its own dates, each "
        "source's report of it, what was said about it, the positions taken on it, the measures answering it."
    )
    async def timeline(self, info: Info) -> list[MeasureMomentRef]:
        from graphapi.api.types.measure_timeline import timeline

        return await timeline(info, self.record)

    evidence = shown("The source spans that state the measure.")
