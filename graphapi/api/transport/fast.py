"""The fast path of a compiled query: a document seen before, whose every root field has its compiled
plan, goes from the cached plans to the bound statements to the result without Strawberry's extensions
or graphql-core's executor. What it skips does not depend on the request: the document was parsed,
validated and compiled by an earlier request through the whole pipeline (a plan is only cached by an
execution, which only follows validation), so here it is only looked up. What does depend on the request
is done as the pipeline does it: the variables coerced by graphql-core, the limits checked with them
(a client's `first` can make any document costly), each plan bound to them, the statements run (one
round-trip each, counted), the metrics and the log line of the operation. Documents of up to
ON_LOOP_CHARS characters only, whose limits the pipeline too checks on the event loop.

Anything else, or anything unusual on the way, is the full pipeline's, which then answers exactly as it
always does: a document or operation name not seen yet, more than one operation without a name,
directives or fragments at the root, `__typename`, variables that do not coerce (their errors are the
pipeline's), values a plan does not take (another statement, or the resolvers), a root field a
statement does not answer alone (a node that is not there), a database error (its coded error is the
pipeline's to give: the statement is sent again), persisted or registered documents, `debug`, and
reads that need an API key. So the answers and the errors are the pipeline's (tests/test_compiled.py
and tests/test_compiled_fuzz.py compare both paths on their corpora)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from graphql import FieldNode, GraphQLSchema, OperationDefinitionNode, OperationType
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.types import ExecutionResult

from graphapi.api.compiled.pipeline import Binding
from graphapi.api.compiled.plan_cache import Plan, PlanCache, shape_of
from graphapi.api.context import Context
from graphapi.api.policy.checked import CheckedLimits
from graphapi.api.policy.documents import Documents
from graphapi.api.policy.limits import ON_LOOP_CHARS, ParseCache
from graphapi.api.transport.observability import Metrics
from graphapi.config import Limits


class _NotFast(Exception):
    """This request is the full pipeline's."""


@dataclass
class FastPath:
    schema: GraphQLSchema
    parsed: ParseCache
    plans: PlanCache
    limits: Limits
    metrics: Metrics
    documents: Documents | None = None
    checked: CheckedLimits = field(init=False)

    def __post_init__(self) -> None:
        self.checked = CheckedLimits(self.limits, self.schema)

    def takes(self, extensions: dict[str, Any] | None) -> bool:
        """Whether a request may try the fast path: no extensions (a persisted query's hash), and no
        registered documents (a registered text would need its hash computed to be known)."""
        documents = self.documents
        registered = documents is not None and bool(documents.registered or documents.only_registered)
        return not extensions and not registered

    async def run(
        self,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Context,
    ) -> ExecutionResult | None:
        """The result, or None when the full pipeline must answer (nothing has been answered then)."""
        if query is None or len(query) > ON_LOOP_CHARS:
            return None  # longer documents' limits are checked off the loop, by the pipeline
        started = time.perf_counter()
        document = self.parsed.get(query)
        if document is None:
            return None
        try:
            operation = _operation(document.definitions, operation_name)
            if self.checked.check(document, variables or {}) is not None:
                raise _NotFast  # refused: the pipeline says so, in its words
            coerced = self._variables(operation, variables or {})
            data = await self._answer(operation, coerced, context)
        except Exception:  # _NotFast, Fallback, or anything unusual: the pipeline's to answer
            context.store.sent.clear()  # the pipeline counts its own round-trips
            return None
        trips = context.store.round_trips
        label = self.metrics.label_of(self.schema, document, operation_name)
        name = operation_name or (operation.name.value if operation.name else None)
        elapsed = time.perf_counter() - started
        self.metrics.record(label, elapsed, trips, [], request_id=context.request_id, operation_name=name)
        self.metrics.fast.inc()
        return ExecutionResult(data=data, errors=None, extensions={"dbRoundTrips": trips})

    def _variables(self, operation: OperationDefinitionNode, given: dict[str, Any]) -> VariableValues:
        coerced = get_variable_values(self.schema, operation.variable_definitions or (), given)
        if isinstance(coerced, list):
            raise _NotFast  # errors: the pipeline words them
        return coerced

    def _plans(self, operation: OperationDefinitionNode, binding: Binding, engine: str) -> list[Any]:
        """(response key, plan, parameters) of each root field, in the order of the selection."""
        shape = shape_of(binding.variables.coerced)
        bound = []
        keys = set()
        for selection in operation.selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.directives:
                raise _NotFast
            key = selection.alias.value if selection.alias else selection.name.value
            if key in keys:
                raise _NotFast  # fields merged by their key: the executor's to do
            keys.add(key)
            plan = self.plans.get(operation, (id(operation), key, engine, shape))
            if not isinstance(plan, Plan):
                raise _NotFast  # not compiled yet (or left to the resolvers)
            params = plan.bind(binding)
            if params is None:
                raise _NotFast  # values that need another statement
            bound.append((key, plan, params))
        return bound

    async def _answer(
        self, operation: OperationDefinitionNode, variables: VariableValues, context: Context
    ) -> dict[str, Any]:
        binding = Binding(variables)
        store = context.store
        bound = self._plans(operation, binding, store.engine)
        # a database error raised here is the pipeline's to code (the statement is sent again)
        if len(bound) == 1:  # most documents: no task to make
            answers = [await store.read(bound[0][1].cypher, bound[0][2])]
        else:
            answers = await asyncio.gather(*(store.read(plan.cypher, params) for _, plan, params in bound))
        data = {}
        for (key, plan, _), rows in zip(bound, answers, strict=True):
            if len(rows) != 1:
                raise _NotFast
            data[key] = plan.finish(rows[0], binding)
        return data


def _operation(definitions: Any, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    if name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == name]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        raise _NotFast
    return operations[0]
