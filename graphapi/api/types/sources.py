"""Source documents: every fact points into their text."""

from __future__ import annotations

import strawberry

from graphapi.api.reading.loaders import Incoming
from graphapi.api.types.common import (
    NESTED_DEFAULT,
    First,
    Info,
    Node,
    incoming,
    nested_size,
)
from graphapi.api.types.derived_fields import record_type, shown
from graphapi.api.types.refs import StatementRef
from graphapi.graph.model import Rel


@record_type(description="A source document: every fact points into its text.", hidden=("file",))
class Source(Node):
    title = shown()
    publisher = shown("Who published the document; null when it does not say.")
    published_on = shown("When the document was published; null when it does not say.")
    written_on = shown(
        "When the text was written, as far as it says (often bounded: what it calls past and upcoming), "
        "with the spans that bound it; its relative words ('already', 'upcoming') resolve against it."
    )
    url = shown("Where the document was published.")
    language = shown("The language of the text, as a code such as `en`.")

    @strawberry.field(description="The full text; spans index into it (Unicode code points).")
    async def text(self, info: Info) -> str:
        return await info.context.loaders.source_text.load(self.record.id) or ""

    @strawberry.field(description="SHA-256 of the text, hex.")
    def checksum(self) -> str:
        return str(self.record.get("checksum"))

    @strawberry.field(description="Statements quoted from this source.")
    async def statements(self, info: Info, first: First = NESTED_DEFAULT) -> list[StatementRef]:
        return await incoming(info, Incoming(self.record.id, Rel.QUOTED_IN, nested_size(first)), "Statement")
