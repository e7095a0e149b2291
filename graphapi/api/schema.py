"""The Strawberry schema, with the project's error policy."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graphapi.api import types
from graphapi.api.compiled import compiled_execution
from graphapi.api.documents import Documents, TrustedDocuments
from graphapi.api.errors import ErrorCodes, RoundTrips
from graphapi.api.inputs import DAY_SCALAR, Day
from graphapi.api.limits import QueryCost, RequireReadKey
from graphapi.api.mutations import Mutation
from graphapi.api.observability import Metrics, Observe
from graphapi.api.queries import Query
from graphapi.api.subscriptions import Subscription
from graphapi.config import Limits


class CachedParsing(ParserCache):
    """Strawberry's parser cache, except that a query that does not parse is left to the normal parse,
    whose syntax error then goes through the error policy like any other (the cache's would escape it)."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            with contextlib.suppress(GraphQLError):
                context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
        yield


class GraphApiSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged by ErrorCodes (unexpected ones only), not once more here with a stack trace."""


def build_schema(
    limits: Limits | None = None,
    metrics: Metrics | None = None,
    *,
    compiled: bool = True,
    documents: Documents | None = None,
    **options: Any,
) -> strawberry.Schema:
    """The schema; `compiled` runs root query fields as compiled statements (graphapi/api/compiled/),
    `documents` lets clients send a registered or persisted document's hash (graphapi/api/documents.py)."""
    limits = limits or Limits()
    observed = metrics or Metrics()
    # The limiters' validation rules are built once: a fresh rule class per request would never hit the
    # validation cache (measured: validation re-run on every request, 3.4 ms of a 12 ms one).
    rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    guards: list[Any] = [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: QueryCost(limits.max_cost),
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
            lambda: CachedParsing(maxsize=512),
            lambda: ValidationCache(maxsize=512),
            *guards,
            lambda: Observe(observed),  # before ErrorCodes: extensions finish in reverse order
            ErrorCodes,
            RoundTrips,
        ],
        config=StrawberryConfig(
            scalar_map={**types.SCALARS, Day: DAY_SCALAR},
            disable_field_suggestions=not limits.field_suggestions,
        ),
        execution_context_class=compiled_execution() if compiled else None,
        **options,
    )
