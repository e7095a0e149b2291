"""The Strawberry schema, with the project's error policy."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import OperationDefinitionNode
from graphql.error import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graphapi.api import types
from graphapi.api.compiled import compiled_execution
from graphapi.api.documents import Documents, TrustedDocuments
from graphapi.api.errors import ErrorCodes, RoundTrips
from graphapi.api.inputs import DAY_SCALAR, Day
from graphapi.api.limits import (
    CACHED_QUERIES,
    CACHED_QUERY_CHARS,
    BoundedValidation,
    RequireReadKey,
    Validator,
    refusal,
)
from graphapi.api.mutations import Mutation
from graphapi.api.observability import Metrics, Observe
from graphapi.api.queries import Query
from graphapi.api.subscriptions import Subscription
from graphapi.config import Limits


class CachedParsing(ParserCache):
    """Strawberry's parser cache, for queries of up to CACHED_QUERY_CHARS only (so the cache holds tens of
    megabytes at most, whatever clients send), and a query that does not parse is left to the normal
    parse, whose syntax error then goes through the error policy like any other (the cache's would escape
    it)."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and len(context.query) <= CACHED_QUERY_CHARS:
            with contextlib.suppress(GraphQLError):
                context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
        yield
        document = context.graphql_document
        operations = [
            d for d in getattr(document, "definitions", ()) if isinstance(d, OperationDefinitionNode)
        ]
        # Strawberry runs the first operation when no name is given; the spec wants an error. (The name
        # the client gave is only kept privately by Strawberry; a test fails if that changes.)
        if len(operations) > 1 and context._provided_operation_name is None:
            context.pre_execution_errors = [
                refusal(
                    f"the document has {len(operations)} operations: name the one to run in `operationName`",
                    argument="operationName",
                )
            ]


class GraphApiSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged by ErrorCodes (unexpected ones only), not once more here with a stack trace."""


def build_schema(
    limits: Limits | None = None,
    metrics: Metrics | None = None,
    *,
    debug: bool = False,
    compiled: bool = True,
    documents: Documents | None = None,
    **options: Any,
) -> strawberry.Schema:
    """The schema with its limits (see limits.py) and error policy. `debug` adds the names of the
    database queries a request made to its response's `extensions`; `compiled` runs root query fields as
    compiled statements (graphapi/api/compiled/); `documents` lets clients send a registered or persisted
    document's hash (graphapi/api/documents.py)."""
    limits = limits or Limits()
    observed = metrics or Metrics()
    # Validation is cached by query text, per schema; depth and aliases are checked by BoundedValidation's
    # own pass, not by validation rules.
    validator = Validator(maxsize=CACHED_QUERIES)
    guards: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: BoundedValidation(limits, validator, *([documents.prevalidated] if documents else [])),
    ]
    if not limits.introspection:
        guards.append(DisableIntrospection)
    if limits.reads_need_key:
        guards.append(RequireReadKey)
    return GraphApiSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(types.NODE_TYPES.values()),
        # Parsing and validating a query costs more than many of them take to run: cache both by text.
        extensions=[
            *([lambda: TrustedDocuments(documents)] if documents is not None else []),
            lambda: CachedParsing(maxsize=CACHED_QUERIES),
            *guards,
            lambda: Observe(observed),  # before ErrorCodes: extensions finish in reverse order
            ErrorCodes,
            lambda: RoundTrips(debug=debug),
        ],
        config=StrawberryConfig(
            scalar_map={**types.SCALARS, Day: DAY_SCALAR},
            disable_field_suggestions=not limits.field_suggestions,
        ),
        execution_context_class=compiled_execution() if compiled else None,
        **options,
    )
