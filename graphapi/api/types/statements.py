"""What was said (statements, verbatim) and our reading of it (positions)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphapi.api.reading.list_inputs import Day
from graphapi.api.types.common import (
    Evidence,
    Info,
    Node,
    Span,
    many,
    one,
    quote_evidence,
    spans_evidence,
)
from graphapi.api.types.derived_fields import record_type, shown
from graphapi.api.types.refs import SourceRef
from graphapi.graph import model
from graphapi.graph.claims import Claim
from graphapi.graph.model import Rel
from graphapi.graph.nodes import NodeRecord


@record_type(
    description="Something an actor said, quoted verbatim from a source.",
    hidden=("start", "end", "occurrence"),  # shown together as `span`
)
class Statement(Node):
    quote = shown("The source's text at `span`: the speaker's words, or the source's report of them.")
    direct = shown("True when the quote is the speaker's own words (in quotation marks in the source).")

    @strawberry.field(
        description=(
            "Where the quote sits in the source's text: `source.text[span.start:span.end]` is `quote`."
        )
    )
    def span(self) -> Span:
        return Span(start=int(self.record.get("spanStart")), end=int(self.record.get("spanEnd")))

    said_on = shown(
        "When it was said, at the precision the source gives; null when the source does not date it."
    )
    timing = shown("The source's words placing the statement in time, when it gives no date.")
    channel = shown()
    speaker = shown()
    role = shown()
    at_event = shown("The event it was said at, if any.")
    about = shown("What the statement is about: measures, events, actors.")

    @strawberry.field(description="The source document that quotes or reports it.")
    async def source(self, info: Info) -> SourceRef | None:
        return await one(info, self.record.target(Rel.QUOTED_IN), "Source")

    @strawberry.field(description="The quote's place in its source, with the text around it.")
    def evidence(self) -> list[Evidence]:
        return quote_evidence(self.record)


@record_type(
    description=(
        "Our reading of an actor's stance on a measure or event, with the statements behind it and the "
        "spans of the sources that support it."
    ),
    hidden=("spans",),  # shown in `evidence`, after the statements' quotes
)
class Position(Node):
    stance = shown()

    @strawberry.field(
        description="The stance as the sources written by `on` last reported it (the claim of the latest "
        'of them: see `claims(field: "stance")` for its whole history); null when none had reported it by '
        "then, or when the position was written through the API rather than stated by a seed file."
    )
    async def stance_on(
        self,
        info: Info,
        on: Annotated[
            Day,
            strawberry.argument(
                description="The day to ask about: the sources written on or before it count."
            ),
        ],
    ) -> model.Stance | None:
        claims: list[Claim] = await info.context.loaders.claims.load(self.record.id)
        stated = [c for c in claims if "stance" in c.values and c.reported and c.reported <= on]
        if not stated:
            return None
        return model.Stance(max(stated, key=lambda c: c.order).values["stance"]["stance"])

    @strawberry.field(
        description=(
            "What the position rests on: STATEMENT, the actor's words; ACTION, a deed the source reports "
            "(imposing, announcing, planning or threatening a measure), evidenced by the span that "
            "reports it."
        )
    )
    def basis(self) -> model.Basis:
        return model.Basis(self.record.get("basis") or model.Basis.STATEMENT)

    confidence = shown()
    note = shown("Why the evidence is read this way, when it needs saying (what the text only implies).")
    valid_from = shown("Since when the position is held, when the sources say.")
    valid_to = shown("Until when the position was held, when the sources say; null while it stands.")
    actor = shown("The actor who holds the position.")
    on = shown("The measure or event the position is on.")

    @strawberry.field(description="The statements the position is read from, the speakers' own words first.")
    async def statements(self, info: Info) -> list[Statement]:
        return await _statements(info, self.record)

    @strawberry.field(
        description=(
            "Where the position comes from in the sources: the quote of each statement behind it, the "
            "speakers' own words first, each linked to its statement; then the spans that report the deed "
            "it rests on."
        )
    )
    async def evidence(self, info: Info) -> list[Evidence]:
        return await evidence_of(info, self.record)


async def _statements(info: Info, record: NodeRecord) -> list[Statement]:
    found: list[Statement] = await many(info, record.targets(Rel.EVIDENCED_BY), "Statement")
    # the speakers' direct words before reports of them; within each, the order of the source text
    return sorted(
        found, key=lambda s: (not s.record.get("direct"), s.record.get("spanStart") or 0, s.record.id)
    )


async def evidence_of(info: Info, record: NodeRecord) -> list[Evidence]:
    """Where a node's facts sit in the sources: a statement's own span, the spans of the statements behind
    a position, the evidence spans of anything else."""
    if record.kind.label == "Statement":
        return quote_evidence(record)
    if record.kind.label == "Position":
        statements = await _statements(info, record)
        return [evidence for s in statements for evidence in quote_evidence(s.record)] + spans_evidence(
            record.props
        )
    return spans_evidence(record.props)
