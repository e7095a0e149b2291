"""The hook: graphql-core executes each root field of a query; a root field that compiles runs as its
one statement and its value goes into the response as the statement made it, without resolving field by
field. Any other root field, in the same response, runs through the resolvers as before."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from graphql import GraphQLObjectType
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphapi.api.compiled.derived import field_table
from graphapi.api.compiled.objects import Compiler
from graphapi.api.compiled.pipeline import Binding, CypherPipeline, Fallback, Refused, Selected
from graphapi.api.compiled.plan_cache import MISS, Plan, PlanCache, shape_of
from graphapi.api.compiled.roots import ROOTS
from graphapi.api.policy.limits import CACHED_QUERY_CHARS

log = logging.getLogger(__name__)


def _document_chars(operation: Any) -> int:
    """The length of the document an operation was parsed from (longer than any cached one if unknown)."""
    location = getattr(operation, "loc", None)
    source = getattr(location, "source", None)
    return len(source.body) if source is not None else CACHED_QUERY_CHARS + 1


def compile_root(
    executor: Any,
    parent: GraphQLObjectType,
    details: FieldDetailsList,
    key: str,
    engine: str,
    binding: Binding,
) -> Plan:
    """The plan of one root field, or Fallback (Refused when only this request's values stop it)."""
    name = details[0].node.name.value
    root = ROOTS.get(name)
    if root is None or any(d.fragment_variable_values or d.defer_usage for d in details):
        raise Fallback(name)
    field = Selected(key, name, parent.fields[name], parent, details)
    compiler = Compiler(executor, CypherPipeline(engine), binding, field_table(executor.schema))
    try:
        return root(compiler, field)
    finally:
        compiler.release()  # a cached plan outlives its request: not its executor, variables or context


class CompiledExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with root query fields run as compiled statements where they compile."""

    plans: PlanCache = PlanCache()

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        *rest: Any,
    ) -> Any:
        if path.prev is None and parent_type is self.schema.query_type:
            compiled = self._compiled(parent_type, source, field_details_list, path, rest)
            if compiled is not None:
                return compiled
        return super().execute_field(parent_type, source, field_details_list, path, *rest)

    def _plan(
        self, parent: GraphQLObjectType, details: FieldDetailsList, key: str, engine: str, binding: Binding
    ) -> tuple[Plan, dict[str, Any]] | None:
        shape = getattr(self, "_shape", None)
        if shape is None:
            shape = self._shape = shape_of(self.variable_values.coerced)
        cache_key = (id(self.operation), key, engine, shape)
        plan = self.plans.get(self.operation, cache_key)
        if plan is MISS:
            try:
                plan = compile_root(self, parent, details, key, engine, binding)
            except Refused as refused:
                log.debug("root field %r: this request is the resolvers' (%s)", key, refused)
                return None
            except Fallback as fallback:
                log.debug("root field %r is the resolvers' (%s)", key, fallback)
                plan = None
            except Exception:  # a bug of the compiler must not cost the client its answer
                log.exception("compiling the root field %r failed; the resolvers answer it", key)
                plan = None
            chars = _document_chars(self.operation)
            if chars <= CACHED_QUERY_CHARS:  # as the parse cache: a longer document is compiled each time
                self.plans.put(self.operation, cache_key, plan, chars)
        if plan is None:
            return None
        assert isinstance(plan, Plan)
        try:
            params = plan.bind(binding)
            if params is None:  # values that choose another text: a plan for this request alone
                plan = compile_root(self, parent, details, key, engine, binding)
                params = plan.bind(binding)
        except Fallback:
            return None
        return (plan, params) if params is not None else None

    def _compiled(
        self,
        parent: GraphQLObjectType,
        source: Any,
        details: FieldDetailsList,
        path: Path,
        rest: tuple[Any, ...],
    ) -> Awaitable[Any] | None:
        store = getattr(self.context_value, "store", None)
        if store is None or details[0].node.name.value not in ROOTS:
            return None
        binding = Binding(self.variable_values)
        found = self._plan(parent, details, str(path.key), store.engine, binding)
        if found is None:
            return None
        plan, params = found

        async def run() -> Any:
            try:
                rows = await store.read(plan.cypher, params)
                if len(rows) != 1:
                    raise Fallback("no row")  # a store that does not run it (a test's recording store)
                return plan.finish(rows[0], binding)
            except Fallback:
                pass
            except Exception as raw:
                field = parent.fields[details[0].node.name.value]
                self.handle_field_error(raw, field.type, details, path)
                return None
            result = StrawberryGraphQLCoreExecutionContext.execute_field(
                self, parent, source, details, path, *rest
            )
            return await result if self.is_awaitable(result) else result

        return run()


def compiled_execution(plans: PlanCache | None = None) -> type[CompiledExecution]:
    """An executor class with its own plan cache (one per schema, so apps and tests do not share)."""
    return type("CompiledExecution", (CompiledExecution,), {"plans": plans or PlanCache()})
