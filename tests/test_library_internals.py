"""The internals of Strawberry and graphql-core that graphapi relies on, each named here, so an upgrade
that changes one fails in this file first and says which (pyproject.toml pins both to the minor version
tested). Public API is not listed: a change there fails the tests that use it."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
from graphql.execution.collect_fields import FieldDetails
from graphql.execution.values import VariableValues
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionContext

from graphapi.api.compiled.execution import CompiledExecution
from graphapi.api.schema import build_schema
from graphapi.api.transport.http import GraphQLView


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


# Methods of Strawberry's ASGI view that graphapi/api/transport/http.py overrides: the override must take what the
# base passes (execute_single is not documented; the others are the view's hooks).
VIEW_OVERRIDES = [
    "execute_single",
    "execute_operation",
    "parse_http_body",
    "process_result",
    "get_context",
    "get_sub_response",
    "__call__",
]


@pytest.mark.parametrize("name", VIEW_OVERRIDES)
def test_the_views_overrides_match_strawberrys_methods(name: str) -> None:
    base = getattr(GraphQL, name, None)
    assert base is not None, f"strawberry.asgi.GraphQL no longer has {name}, which GraphQLView overrides"
    assert name in GraphQLView.__dict__, f"GraphQLView no longer overrides {name}: drop it from this list"
    assert parameters(GraphQLView.__dict__[name]) == parameters(base), (
        f"strawberry.asgi.GraphQL.{name} now takes {parameters(base)}"
    )


def test_the_executor_hook_matches_graphql_cores_execute_field() -> None:
    """graphapi/api/compiled/execution.py runs root fields compiled by overriding execute_field."""
    base = StrawberryGraphQLCoreExecutionContext.execute_field
    assert parameters(base)[:5] == ["self", "parent_type", "source", "field_details_list", "path"]
    assert "execute_field" in CompiledExecution.__dict__


def test_field_details_carry_what_the_compiler_reads() -> None:
    """The compiler reads each field's node and refuses fragment variables and @defer by these names."""
    assert {"node", "fragment_variable_values", "defer_usage"} <= set(FieldDetails.__annotations__)
    assert "coerced" in VariableValues._fields  # the executor's variable_values.coerced (plan shapes)


def test_the_execution_context_keeps_the_operation_name_the_client_gave() -> None:
    """graphapi/api/schema.py refuses a document of several operations sent without operationName; only
    Strawberry's private `_provided_operation_name` tells "none given" from "the only one"."""
    names = {f.name for f in dataclasses.fields(ExecutionContext)}
    assert {
        "graphql_document",
        "pre_execution_errors",
        "result",
        "validation_rules",
        "operation_extensions",
    } <= names
    context = ExecutionContext(query="{ a }", schema=None, allowed_operations=(), provided_operation_name="A")  # type: ignore[arg-type]
    assert context._provided_operation_name == "A"
    assert (
        ExecutionContext(query="{ a }", schema=None, allowed_operations=())._provided_operation_name is None
    )  # type: ignore[arg-type]


def test_the_parser_cache_and_the_schema_expose_what_the_extensions_use() -> None:
    """CachedParsing calls ParserCache's cached_parse_document; the limits and metrics read the
    graphql-core schema behind Strawberry's as `_schema`."""
    assert callable(ParserCache(maxsize=1).cached_parse_document)
    schema = build_schema()
    assert schema._schema.query_type is not None
