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
    FuzzyDate,
    Info,
    Node,
    Span,
    TimeAnswer,
    incoming,
    many,
    nested_size,
    node_type,
    one,
    spans_evidence,
)
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


@node_type(description="A policy measure: a tariff, duty, quota, sanction...")
class Measure(Node):
    @strawberry.field(description="What the measure is, in a few words.")
    def name(self) -> str:
        return str(self.record.get("name"))

    @strawberry.field(description="What kind of measure it is: tariff, duty, quota...")
    def kind(self) -> model.MeasureKind:
        return model.MeasureKind(self.record.get("kind"))

    @strawberry.field(
        description=(
            "Where the measure stands as its latest source reports: threatened, announced, in"
            " force, paused or removed. Use `inForce(on:)` for a given day."
        )
    )
    def status(self) -> model.MeasureStatus:
        return model.MeasureStatus(self.record.get("status"))

    @strawberry.field(description="Ad valorem rate in percent, when stated.")
    def rate(self) -> float | None:
        return self.record.number("rate")

    @strawberry.field(description="Other names the sources use, such as 'automotive tariffs'.")
    def aliases(self) -> list[str]:
        return list(self.record.get("aliases", []))

    @strawberry.field(description="The condition on which a threatened measure would be imposed.")
    def condition(self) -> str | None:
        return self.record.text("condition")

    @strawberry.field(description="The sectors the measure covers, in the source's words.")
    def sectors(self) -> list[str]:
        return list(self.record.get("sectors", []))

    @strawberry.field(description="The goods the measure covers, in the source's words.")
    def products(self) -> list[str]:
        return list(self.record.get("products", []))

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

    @strawberry.field(description="When the measure was announced, at the precision the source gives.")
    def announced_on(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("announcedOn"))

    @strawberry.field(
        description=(
            "When the measure takes or took effect; for an announced measure, when it is planned to."
        )
    )
    def effective_from(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("effectiveFrom"))

    @strawberry.field(description="When the measure ends or ended; null while the sources report no end.")
    def effective_to(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("effectiveTo"))

    @strawberry.field(description="Whether the measure is in force on a day, how sure that is, and why.")
    def in_force(
        self, on: Annotated[Day, strawberry.argument(description="The day to ask about.")]
    ) -> TimeAnswer:
        return TimeAnswer.of(temporal.in_force(self.record.props, on))

    @strawberry.field(
        description="Who imposes, plans or threatens the measure: countries, and people in office."
    )
    async def imposed_by(self, info: Info) -> list[Actor]:
        return await many(info, self.record.targets(Rel.IMPOSED_BY), "Actor")

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

    @strawberry.field(description="The actors the measure is aimed at.")
    async def targets(self, info: Info) -> list[Actor]:
        return await many(info, self.record.targets(Rel.TARGETS), "Actor")

    @strawberry.field(description="Actors named in the measure's condition.")
    async def condition_involves(self, info: Info) -> list[Actor]:
        return await many(info, self.record.targets(Rel.CONDITION_INVOLVES), "Actor")

    @strawberry.field(description="The measures this one answers.")
    async def retaliates_against(self, info: Info) -> list[Measure]:
        return await many(info, self.record.targets(Rel.RETALIATES_AGAINST), "Measure")

    @strawberry.field(description="The measures that answer this one.")
    async def retaliated_by(self, info: Info, first: First = NESTED_DEFAULT) -> list[Measure]:
        key = Incoming(self.record.id, Rel.RETALIATES_AGAINST, nested_size(first))
        return await incoming(info, key, "Measure")

    @strawberry.field(description="The measure this one is a part or extension of.")
    async def part_of(self, info: Info) -> Measure | None:
        return await one(info, self.record.target(Rel.PART_OF), "Measure")

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

    @strawberry.field(description="The source spans that state the measure.")
    def evidence(self) -> list[Evidence]:
        return spans_evidence(self.record.props)
