"""What every node type shares: the Node interface, dates, spans, evidence and who edited a node, and the
plumbing that turns NodeRecords into GraphQL objects through the request's loaders (one batched query per
level of a query, not one per result)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, NewType, TypeVar

import strawberry

from graphapi.api.context import Context
from graphapi.api.reading.arguments import MAX_CONTEXT, NESTED_MAX
from graphapi.api.reading.loaders import Incoming
from graphapi.api.types.refs import SourceClaimRef
from graphapi.errors import BadUserInput
from graphapi.graph import model
from graphapi.graph.dates import DateInterval
from graphapi.graph.kinds import Kind
from graphapi.graph.nodes import NodeRecord
from graphapi.graph.temporal import Answer

if TYPE_CHECKING:
    from graphapi.api.types.sources import Source
    from graphapi.api.types.statements import Statement

Info = strawberry.Info[Context, None]

Date = NewType("Date", str)
SCALARS: dict[object, Any] = {
    Date: strawberry.scalar(
        name="Date",
        description="An ISO 8601 calendar date at the precision known: YYYY-MM-DD, YYYY-MM or YYYY.",
        serialize=str,
        parse_value=str,
    )
}

# Nested lists on types are bounded: `first` items (this many by default), in id order; page through
# more with the top-level queries.
NESTED_DEFAULT = 20


def nested_size(first: int) -> int:
    if not 0 <= first <= NESTED_MAX:
        raise BadUserInput(f"`first` must be between 0 and {NESTED_MAX}; got {first}", argument="first")
    return first


FIRST_DESCRIPTION = (
    f"At most this many, in id order (at most {NESTED_MAX}); "  # the top-level queries page through all
    "page through all of them with the top-level query."
)
First = Annotated[int, strawberry.argument(description=FIRST_DESCRIPTION)]


@strawberry.type(
    description=(
        "A date as the source gives it: a day, month or year (`iso` at its `precision`), or only bounds "
        "(`precision` RANGE, `iso` null), with the first and last day it can be; a missing year and "
        "bounds taken from the source's own date are kept."
    )
)
class FuzzyDate:
    iso: Date | None = strawberry.field(
        description="The day, month or year the source gives; null when it gives only bounds."
    )
    precision: model.DatePrecision = strawberry.field(
        description=(
            "How much of the date the source gives: DAY, MONTH, YEAR, or RANGE when only its "
            "bounds are known."
        )
    )
    as_written: str | None = strawberry.field(description="The source's own words for the date.")
    year_stated: bool = strawberry.field(
        description="False when the source gives no year and it was placed from the source's context."
    )
    earliest: Date | None = strawberry.field(
        description="The first day the date can be (YYYY-MM-DD); null when the sources set no lower bound."
    )
    latest: Date | None = strawberry.field(
        description="The last day the date can be (YYYY-MM-DD); null when the sources set no upper bound."
    )
    relative_to_source: bool = strawberry.field(
        description=(
            "True when a bound is the source's own date, as for 'already': on or before the day it "
            "was written."
        )
    )
    value: strawberry.Private[DateInterval]

    @strawberry.field(description="The spans of the source that bound the date, when recorded.")
    def evidence(self) -> list[Evidence]:
        source = self.value.evidence_source
        if source is None:
            return []
        return [
            Evidence(source_id=source, span=Span(start=q.start, end=q.end), quote=q.quote)
            for q in self.value.evidence
        ]

    @classmethod
    def of(cls, value: DateInterval | None) -> FuzzyDate | None:
        if value is None:
            return None
        return cls(
            iso=None if value.iso is None else Date(value.iso),
            precision=value.precision,
            as_written=value.as_written,
            year_stated=value.year_stated,
            earliest=Date(value.earliest.isoformat()) if value.earliest else None,
            latest=Date(value.latest.isoformat()) if value.latest else None,
            relative_to_source=value.relative,
            value=value,
        )


@strawberry.type(description="How sure an answer about time is, and why, from the dates the sources give.")
class TimeAnswer:
    certainty: model.Certainty = strawberry.field(
        description="KNOWN, POSSIBLE or NO: how far the sources' dates settle the answer."
    )
    why: str = strawberry.field(description="The dates the answer rests on, in words.")

    @classmethod
    def of(cls, answer: Answer) -> TimeAnswer:
        return cls(certainty=answer.certainty, why=answer.why)


@strawberry.type(description="A character range of a source's text: text[start:end].")
class Span:
    start: int = strawberry.field(
        description=(
            "The offset of the quote's first character in the source's text, counted in "
            "Unicode code points from 0."
        )
    )
    end: int = strawberry.field(
        description=("The offset just past the quote's last character (exclusive), in Unicode code points.")
    )


@strawberry.type(description="A quote and the source text on either side of it.")
class EvidenceContext:
    before: str = strawberry.field(description="The source's text just before the quote.")
    quote: str = strawberry.field(description="The quote itself, exactly as in the source.")
    after: str = strawberry.field(description="The source's text just after the quote.")
    truncated_before: bool = strawberry.field(description="The text goes on before `before`.")
    truncated_after: bool = strawberry.field(description="The text goes on after `after`.")


@strawberry.type(description="The words of a source that support a fact, and where they are.")
class Evidence:
    source_id: strawberry.Private[str]
    span: Span = strawberry.field(
        description=(
            "Where the quote sits in the source's text: `source.text[span.start:span.end]` is the quote."
        )
    )
    quote: str = strawberry.field(description="The evidence text: the source's text[start:end].")
    statement_id: strawberry.Private[str | None] = None

    @strawberry.field(description="The source document the quote is from.")
    async def source(
        self, info: Info
    ) -> Annotated[Source, strawberry.lazy("graphapi.api.types.sources")] | None:
        return await one(info, self.source_id, "Source")

    @strawberry.field(description="The statement whose quote this is, when it is one.")
    async def statement(
        self, info: Info
    ) -> Annotated[Statement, strawberry.lazy("graphapi.api.types.statements")] | None:
        return await one(info, self.statement_id, "Statement")

    @strawberry.field(description="The quote with the source text around it, for highlighting.")
    async def context(
        self,
        info: Info,
        chars: Annotated[
            int,
            strawberry.argument(
                description=(
                    "How many characters of the source's text to give on each side of the quote (cut "
                    "at word boundaries)."
                )
            ),
        ] = 160,
    ) -> EvidenceContext | None:
        if not 0 <= chars <= MAX_CONTEXT:
            raise BadUserInput(f"`chars` must be between 0 and {MAX_CONTEXT}; got {chars}", argument="chars")
        excerpt = await info.context.loaders.excerpt.load(
            (self.source_id, self.span.start, self.span.end, chars)
        )
        if excerpt is None:
            return None
        return EvidenceContext(
            before=excerpt.before,
            quote=excerpt.quote,
            after=excerpt.after,
            truncated_before=self.span.start - chars > 0,
            truncated_after=self.span.end + chars < excerpt.length,
        )


def spans_evidence(props: dict[str, Any]) -> list[Evidence]:
    """Evidence spans, stored flat on a node or relationship (graphapi/graph/mapping.py)."""
    source = props.get("evidenceSource")
    if source is None:
        return []
    spans = zip(
        props.get("evidenceStarts", []),
        props.get("evidenceEnds", []),
        props.get("evidenceQuotes", []),
        strict=True,
    )
    return [Evidence(source_id=str(source), span=Span(start=s, end=e), quote=q) for s, e, q in spans]


def quote_evidence(record: NodeRecord) -> list[Evidence]:
    """A statement's quote as evidence: its span in the source it is quoted in."""
    source, start, end = record.target(model.Rel.QUOTED_IN), record.get("spanStart"), record.get("spanEnd")
    if source is None or start is None or end is None:
        return []
    quote = record.text("quote") or ""
    return [
        Evidence(
            source_id=source, statement_id=record.id, span=Span(start=int(start), end=int(end)), quote=quote
        )
    ]


@strawberry.type(description="Who changed a node through the API, and when (null for seed data).")
class EditInfo:
    created_at: str = strawberry.field(
        description="When the node was created through the API (ISO 8601, UTC); null for seed data."
    )
    created_by: str = strawberry.field(
        description="The name of the API key that created the node; null for seed data."
    )
    updated_at: str = strawberry.field(
        description="When the node was last changed through the API (ISO 8601, UTC); null if never."
    )
    updated_by: str = strawberry.field(
        description="The name of the API key that last changed the node; null if never."
    )


@strawberry.interface(
    description="Anything with a global id: a type-prefixed slug such as `person:mark-carney`."
)
class Node:
    record: strawberry.Private[NodeRecord]

    @strawberry.field(
        description=(
            "The global id: the kind's prefix and a slug, such as `person:mark-carney` or "
            "`measure:us-vehicle-tariff-2025`. Stable: use it to fetch the node again "
            "(`node(id:)`)."
        )
    )
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field(
        description="What each source says of this record, oldest first: the fields it reports, their "
        "values, and whether each stands (the latest source's value wins; see README, Sources and claims). "
        "Only the claims reporting `field` (a seed file's field name, such as `status`) when given. Empty "
        "for statements and sources, which are one source's words."
    )
    async def claims(
        self,
        info: Info,
        field: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "Only the claims reporting this field (a seed file's field name, such as "
                    "`status`); all of them when null."
                )
            ),
        ] = None,
    ) -> list[SourceClaimRef]:
        from graphapi.api.types.claims import claims_of

        return await claims_of(info, self.record, field)

    @strawberry.field(
        description="The fields on which sources of the same date disagree (seed file names); the value "
        "shown is the one of the file whose name sorts last, and `claims` gives each."
    )
    def disputed(self) -> list[str]:
        return [str(name) for name in self.record.props.get("disputed") or []]

    @strawberry.field(description="Who made and last changed this node through the API; null for seed data.")
    def edited(self) -> EditInfo | None:
        props = self.record.props
        if props.get("createdAt") is None:
            return None
        return EditInfo(
            created_at=str(props["createdAt"]),
            created_by=str(props.get("createdBy")),
            updated_at=str(props.get("updatedAt")),
            updated_by=str(props.get("updatedBy")),
        )


# --- from records to GraphQL objects ---------------------------------------------------------------

# The GraphQL class of each kind's `graphql_type`, filled by @node_type as the type modules load.
NODE_TYPES: dict[str, type[Node]] = {}
N = TypeVar("N", bound=type[Node])


def node_type(description: str | None = None) -> Callable[[N], N]:
    """strawberry.type, and the class registered as the GraphQL type of the kind that names it."""

    def register(cls: N) -> N:
        typed = strawberry.type(cls, description=description)
        NODE_TYPES[cls.__name__] = typed
        return typed

    return register


def missing_types(kinds: Iterable[Kind]) -> list[str]:
    """The kinds declared without a GraphQL type (a client would get INTERNAL for their nodes)."""
    return [kind.graphql_type for kind in kinds if kind.graphql_type not in NODE_TYPES]


# What a field may return: a concrete type's name, "Actor" (any actor kind) or "Node" (anything).
def _wanted(kind: Kind, expected: str) -> bool:
    return expected == "Node" or kind.graphql_type == expected or (expected == "Actor" and kind.actor)


def build(record: NodeRecord) -> Node:
    return NODE_TYPES[record.kind.graphql_type](record=record)


def build_as(record: NodeRecord | None, expected: str) -> Node | None:
    """The typed object for a record, or None when the record is missing or of another type."""
    if record is None or not _wanted(record.kind, expected):
        return None
    return build(record)


# The helpers below return Any: a field's annotation says which GraphQL type it gives, and the name passed
# (`expected`) keeps to it; the classes live in modules that refer to each other.
async def one(info: Info, node_id: str | None, expected: str) -> Any:
    if node_id is None:
        return None
    return build_as(await info.context.loaders.node.load(node_id), expected)


async def many(info: Info, ids: list[str], expected: str) -> list[Any]:
    records = await info.context.loaders.nodes(ids)
    return [built for r in records if (built := build_as(r, expected)) is not None]


async def incoming(info: Info, key: Incoming, expected: str) -> list[Any]:
    """The nodes with a relationship to a node: `key` names the node, the type, an optional property
    filter and how many (bounded)."""
    ids = await info.context.loaders.incoming.load(key)
    return await many(info, ids, expected)
