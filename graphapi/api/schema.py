"""The Strawberry schema, with the project's error policy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import strawberry
from graphql import OperationDefinitionNode
from graphql.error import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graphapi.api import types
from graphapi.api.compiled import compiled_execution
from graphapi.api.live.subscriptions import Subscription
from graphapi.api.mutations import Mutation
from graphapi.api.policy.documents import Documents, TrustedDocuments
from graphapi.api.policy.error_codes import ErrorCodes, RoundTrips
from graphapi.api.policy.limits import (
    CACHED_QUERIES,
    BoundedValidation,
    ParseCache,
    RequireReadKey,
    Validator,
    refusal,
)
from graphapi.api.policy.parsing import parse_document
from graphapi.api.policy.tokens import over_token_limit
from graphapi.api.queries.root import Query
from graphapi.api.reading.list_inputs import DAY_SCALAR, Day
from graphapi.api.transport.fast import FastPath
from graphapi.api.transport.observability import Metrics, Observe
from graphapi.config import Limits


class Parsing(SchemaExtension):
    """Parses a query off the event loop: on the pre-execution worker's thread (see limits.Validator),
    with graphql-core's parser stopping at `max_tokens`, so a large document never holds the loop; parsed
    documents of up to CACHED_QUERY_CHARS are cached by text (tens of megabytes at most, whatever clients
    send) and a cached one is answered on the loop. A syntax error is the request's error, coded as any
    other (BAD_USER_INPUT)."""

    def __init__(self, limits: Limits, worker: Validator, cache: ParseCache) -> None:
        super().__init__()
        self.limits = limits
        self.worker = worker
        self.cache = cache

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        text = context.query
        if context.graphql_document is None and text:
            document = self.cache.get(text)
            if document is None:
                try:
                    refused = over_token_limit(text, self.limits.max_tokens)  # refused by size first
                    if refused is not None:
                        raise refused
                    document = await self.worker.off_loop(parse_document, text, self.limits.max_tokens)
                except GraphQLError as error:
                    # the request's answer (Strawberry makes it a pre-execution error), coded here: it
                    # ends the operation before the error policy sees it
                    error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
                    raise
                self.cache.put(text, document)
            context.graphql_document = document
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
    # compiled queries seen before, answered without extensions or executor (api/transport/fast.py)
    fast_path: FastPath | None = None

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
) -> GraphApiSchema:
    """The schema with its limits (see limits.py) and error policy. `debug` adds the names of the
    database queries a request made to its response's `extensions`; `compiled` runs root query fields as
    compiled statements (graphapi/api/compiled/); `documents` lets clients send a registered or persisted
    document's hash (graphapi/api/policy/documents.py)."""
    limits = limits or Limits()
    observed = metrics or Metrics()
    # Validation is cached by query text, per schema; depth and aliases are checked by BoundedValidation's
    # own pass, not by validation rules.
    validator = Validator(maxsize=CACHED_QUERIES)
    parsed = ParseCache(CACHED_QUERIES)
    guards: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),  # any parse on the loop, too
        lambda: BoundedValidation(limits, validator, *([documents.prevalidated] if documents else [])),
    ]
    if not limits.introspection:
        guards.append(DisableIntrospection)
    if limits.reads_need_key:
        guards.append(RequireReadKey)
    executor = compiled_execution() if compiled else None
    schema = GraphApiSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(types.NODE_TYPES.values()),
        # Parsing and validating a query costs more than many of them take to run: cache both by text.
        extensions=[
            *([lambda: TrustedDocuments(documents)] if documents is not None else []),
            lambda: Parsing(limits, validator, parsed),
            *guards,
            lambda: Observe(observed),  # before ErrorCodes: extensions finish in reverse order
            ErrorCodes,
            lambda: RoundTrips(debug=debug),
        ],
        config=StrawberryConfig(
            scalar_map={**types.SCALARS, Day: DAY_SCALAR},
            disable_field_suggestions=not limits.field_suggestions,
        ),
        execution_context_class=executor,
        **options,
    )
    if executor is not None and not debug and not limits.reads_need_key:
        schema.fast_path = FastPath(schema._schema, parsed, executor.plans, limits, observed, documents)
    return schema
