"""Limits that keep a careless or hostile client from taking the service down.

Strawberry's own extensions bound depth, aliases and tokens; this module adds what Strawberry lacks: a
query cost computed before execution, a cap on the request body, and a time limit per request.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution import ExecutionResult
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from graphapi.api.pagination import DEFAULT_PAGE_SIZE
from graphapi.auth import Scope as KeyScope
from graphapi.errors import GraphApiError

# What one item of a list whose size the query does not state counts as: nested lists on types are not
# paged, and ten is what they hold at most in the seed data.
UNSTATED_LIST_SIZE = 10
SIZE_ARGUMENTS = ("first", "limit")


class QueryCost(SchemaExtension):
    """Rejects, before anything runs, a query whose cost exceeds the limit. A field costs 1 plus what it
    selects, times the number of items it can return: its `first` or `limit` argument, the default page
    size for a connection without one, UNSTATED_LIST_SIZE for other lists."""

    def __init__(self, max_cost: int) -> None:
        super().__init__()
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            fragments = {
                d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
            }
            schema = context.schema._schema
            variables = context.variables or {}
            for operation in document.definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                root = schema.get_root_type(operation.operation)
                cost = _selection_cost(schema, root, operation.selection_set, fragments, variables)
                if cost > self.max_cost:
                    error = GraphQLError(
                        f"the query costs {cost}, more than the limit of {self.max_cost}: ask for fewer "
                        "items per list (`first`) or fewer nested lists",
                        extensions={"code": "BAD_USER_INPUT", "cost": cost, "maxCost": self.max_cost},
                    )
                    context.result = ExecutionResult(data=None, errors=[error])
                    break
        yield


def _selection_cost(
    schema: GraphQLSchema,
    parent: GraphQLNamedType | None,
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> int:
    if selection_set is None or parent is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += _field_cost(schema, parent, selection, fragments, variables)
        elif isinstance(selection, InlineFragmentNode):
            target = (
                schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
            )
            total += _selection_cost(schema, target, selection.selection_set, fragments, variables)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            fragment = fragments[selection.name.value]
            target = schema.get_type(fragment.type_condition.name.value)
            total += _selection_cost(schema, target, fragment.selection_set, fragments, variables)
    return total


def _field_cost(
    schema: GraphQLSchema,
    parent: GraphQLNamedType,
    field: FieldNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> int:
    fields = getattr(parent, "fields", {})
    definition = fields.get(field.name.value)
    if definition is None or field.selection_set is None:
        return 0  # scalars, and fields validation will reject anyway
    field_type, is_list = definition.type, False
    while isinstance(field_type, GraphQLNonNull | GraphQLList):
        is_list |= isinstance(field_type, GraphQLList)
        field_type = field_type.of_type
    size = _stated_size(field, variables)
    if size is None:
        connection = getattr(field_type, "name", "").endswith("Connection")
        size = DEFAULT_PAGE_SIZE if connection else UNSTATED_LIST_SIZE if is_list else 1
    children = _selection_cost(schema, field_type, field.selection_set, fragments, variables)
    return 1 + max(size, 1) * children


def _stated_size(field: FieldNode, variables: dict[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value not in SIZE_ARGUMENTS:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode) and isinstance(variables.get(value.name.value), int):
            return int(variables[value.name.value])
    return None


class RequireReadKey(SchemaExtension):
    """With GRAPHAPI_READS_NEED_KEY, queries need a key with the read scope too (mutations always need
    write, checked by each mutation)."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operations = [
            d for d in getattr(document, "definitions", ()) if isinstance(d, OperationDefinitionNode)
        ]
        if context.result is None and any(op.operation.value == "query" for op in operations):
            try:
                await context.context.require(KeyScope.READ)
            except GraphApiError as exc:
                context.result = ExecutionResult(
                    data=None, errors=[GraphQLError(str(exc), original_error=exc)]
                )
        yield


class BodySizeLimit:
    """Refuses a request body larger than the limit, counting what arrives (a client may lie in
    Content-Length, or send none), before the app reads it all."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            if refused:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "data": None,
                "errors": [
                    {
                        "message": f"the request body is larger than {self.max_bytes} bytes",
                        "extensions": {"code": "BAD_USER_INPUT"},
                    }
                ],
            }
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def timed_out(seconds: float) -> ExecutionResult:
    error = GraphQLError(
        f"the request took longer than {seconds:g}s and was cancelled",
        extensions={"code": "UNAVAILABLE"},
    )
    return ExecutionResult(data=None, errors=[error])


async def within(seconds: float, work: Any) -> Any:
    """`work` awaited, or cancelled (with the database call it is in) when the time is up."""
    async with asyncio.timeout(seconds):
        return await work
