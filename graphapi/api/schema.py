"""The Strawberry schema, with the project's error policy."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graphapi.api import types
from graphapi.api.errors import ErrorCodes, RoundTrips
from graphapi.api.inputs import DAY_SCALAR, Day
from graphapi.api.queries import Query


class GraphApiSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged by ErrorCodes (unexpected ones only), not once more here with a stack trace."""


def build_schema(**options: Any) -> strawberry.Schema:
    return GraphApiSchema(
        query=Query,
        types=list(types.TYPE_BY_LABEL.values()),
        extensions=[ErrorCodes, RoundTrips],
        config=StrawberryConfig(scalar_map={**types.SCALARS, Day: DAY_SCALAR}),
        **options,
    )
