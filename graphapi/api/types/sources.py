"""Source documents: every fact points into their text."""

from __future__ import annotations

import strawberry

from graphapi.api.reading.loaders import Incoming
from graphapi.api.types.common import (
    NESTED_DEFAULT,
    First,
    FuzzyDate,
    Info,
    Node,
    incoming,
    nested_size,
    node_type,
)
from graphapi.api.types.refs import StatementRef
from graphapi.graph.model import Rel


@node_type(description="A source document: every fact points into its text.")
class Source(Node):
    @strawberry.field(description="The document's title.")
    def title(self) -> str:
        return str(self.record.get("title"))

    @strawberry.field(description="Who published the document; null when it does not say.")
    def publisher(self) -> str | None:
        return self.record.text("publisher")

    @strawberry.field(description="When the document was published; null when it does not say.")
    def published_on(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("publishedOn"))

    @strawberry.field(
        description=(
            "When the text was written, as far as it says (often bounded: what it calls past and upcoming), "
            "with the spans that bound it; its relative words ('already', 'upcoming') resolve against it."
        )
    )
    def written_on(self) -> FuzzyDate | None:
        return FuzzyDate.of(self.record.date("writtenOn"))

    @strawberry.field(description="Where the document was published.")
    def url(self) -> str | None:
        return self.record.text("url")

    @strawberry.field(description="The language of the text, as a code such as `en`.")
    def language(self) -> str | None:
        return self.record.text("language")

    @strawberry.field(description="The full text; spans index into it (Unicode code points).")
    async def text(self, info: Info) -> str:
        return await info.context.loaders.source_text.load(self.record.id) or ""

    @strawberry.field(description="SHA-256 of the text, hex.")
    def checksum(self) -> str:
        return str(self.record.get("checksum"))

    @strawberry.field(description="Statements quoted from this source.")
    async def statements(self, info: Info, first: First = NESTED_DEFAULT) -> list[StatementRef]:
        return await incoming(info, Incoming(self.record.id, Rel.QUOTED_IN, nested_size(first)), "Statement")
