"""Policy measures (tariffs, duties...) and their stated effects."""

from __future__ import annotations

import json

import strawberry

from graphapi.api.inputs import Day
from graphapi.api.loaders import Incoming
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
    amount: float
    currency: str = strawberry.field(description="ISO 4217 code.")
    approximate: bool
    as_written: str | None


@strawberry.type(description="An expected or observed effect of a measure, as the source states it.")
class Effect:
    description: str
    amount: float | None
    unit: str | None
    approximate: bool
    likely: bool = strawberry.field(description="The source says it may, or is expected to, happen.")
    evidence: Evidence


@strawberry.type(
    description=(
        "Who imposes a measure: an actor, and for a person the office they acted in and the country or "
        "party they acted for."
    )
)
class Imposer:
    actor_id: strawberry.Private[str]
    office_id: strawberry.Private[str | None]

    @strawberry.field
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
    @strawberry.field
    def name(self) -> str:
        return str(self.record.get("name"))

    @strawberry.field
    def kind(self) -> model.MeasureKind:
        return model.MeasureKind(self.record.get("kind"))

    @strawberry.field
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

    @strawberry.field
    def sectors(self) -> list[str]:
        return list(self.record.get("sectors", []))

    @strawberry.field
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

    @strawberry.field
    def announced_on(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("announcedOn"))

    @strawberry.field
    def effective_from(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("effectiveFrom"))

    @strawberry.field
    def effective_to(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("effectiveTo"))

    @strawberry.field(description="Whether the measure is in force on a day, how sure that is, and why.")
    def in_force(self, on: Day) -> TimeAnswer:
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

    @strawberry.field
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

    @strawberry.field
    async def parts(self, info: Info, first: First = NESTED_DEFAULT) -> list[Measure]:
        return await incoming(info, Incoming(self.record.id, Rel.PART_OF, nested_size(first)), "Measure")

    @strawberry.field(description="Positions taken on this measure, optionally of one stance.")
    async def positions(
        self, info: Info, stance: model.Stance | None = None, first: First = NESTED_DEFAULT
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

    @strawberry.field
    def evidence(self) -> list[Evidence]:
        return spans_evidence(self.record.props)
