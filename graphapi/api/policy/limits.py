"""Limits that keep a careless or hostile client from taking the service down.

Everything that runs before execution is bounded by the document's size, not by what it could expand to:
the parser stops at `max_tokens`; one linear pass (`measure`) then finds fragment cycles and counts the
document's selections, depth, aliases and cost, each fragment once however often it is spread; only a
document within those limits reaches graphql-core's validation, some of whose rules take time quadratic
in the number of selections (at most ~0.2 s at 300 selections, measured). All three (parsing, the pass,
validation) run on one thread of their own (short documents' pass excepted), so the event loop keeps
answering other requests (and `/health`) meanwhile, and the request's time limit can fire during them.
"""

from __future__ import annotations

import asyncio
import functools
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FloatValueNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    validate,
)
from graphql.execution import ExecutionResult
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension

from graphapi.api.policy.sizes import integer_defaults, size_of
from graphapi.api.reading.pagination import DEFAULT_PAGE_SIZE
from graphapi.auth import Scope as KeyScope
from graphapi.config import Limits
from graphapi.errors import GraphApiError

# What a list counts as when the query does not state its size and its field declares no default `first`
# (a nested list that declares one counts that default).
UNSTATED_LIST_SIZE = 10
SIZE_ARGUMENTS = ("first", "limit")
# Costs are exact up to here and saturate above it: a few nested spreads can state numbers with thousands
# of digits, and past any limit the exact figure tells the client nothing more.
COST_CEILING = 10**12
# Integer literals: an Int is 32 bits, so longer ones are mistakes (and Python refuses, in its own words,
# to read one of more than 4,300 digits).
MAX_NUMBER_CHARS = 40
ABORTED = "Validation aborted."
T = TypeVar("T")
# Parsed documents and validation results are cached by query text, for texts of up to this many
# characters: an application's queries are that short, and a parsed document takes up to ~75 times the
# memory of its text (measured: 256 documents of 5,000 dense characters, 97 MB; 512 of 4,000 tokens, 840).
CACHED_QUERIES = 128
CACHED_QUERY_CHARS = 5_000
# The limits' pass over a document of up to this many characters runs on the event loop (well under a
# millisecond); over longer ones, or registered documents, on the pre-execution worker's thread.
ON_LOOP_CHARS = 2_000
TOO_DEEP = "the query nests selections and fragments too deeply to check (more than 200 levels)"


def refusal(message: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", **extensions})


@dataclass
class _Totals:
    """A selection set with its fragments expanded: how deep it goes, its aliases, what it costs."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0


@dataclass
class DocumentSize:
    """What a document asks for, in one pass over it (each fragment measured once)."""

    selections: int = 0
    depth: dict[str, int] = field(default_factory=dict)  # per operation
    aliases: int = 0
    cost: int = 0  # of its costliest operation
    cycle: list[str] | None = None
    long_number: str | None = None  # an argument or variable holding an integer literal that long


def measure(schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]) -> DocumentSize:
    return _Measurer(schema, document, variables).run()


class _Measurer:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]) -> None:
        self.schema = schema
        self.variables = variables
        self.document = document
        self.fragments: dict[str, FragmentDefinitionNode] = {}
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                self.fragments.setdefault(definition.name.value, definition)
        self.done: dict[str, _Totals] = {}
        self.result = DocumentSize()
        self.defaults = integer_defaults(document, COST_CEILING)

    def run(self) -> DocumentSize:
        order = self._fragment_order()
        if order is None:
            return self.result
        for name in order:
            fragment = self.fragments[name]
            target = self.schema.get_type(fragment.type_condition.name.value)
            self.done[name] = self._selection_set(target, fragment.selection_set)
        for definition in self.document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                for variable in definition.variable_definitions or ():
                    default = variable.default_value
                    if self.result.long_number is None and default and _has_long_number(default):
                        self.result.long_number = f"${variable.variable.name.value}"
                root = self.schema.get_root_type(definition.operation)
                totals = self._selection_set(root, definition.selection_set)
                name = definition.name.value if definition.name else "anonymous"
                self.result.depth[name] = max(self.result.depth.get(name, 0), totals.depth)
                self.result.aliases += totals.aliases
                self.result.cost = max(self.result.cost, totals.cost)
        return self.result

    def _fragment_order(self) -> list[str] | None:
        """The fragments, each after those it spreads; None (and `cycle` set) when one spreads itself.
        Iterative, so a long chain of fragments cannot exhaust the stack."""
        spreads = {name: _spreads(fragment.selection_set) for name, fragment in self.fragments.items()}
        order: list[str] = []
        state: dict[str, int] = {}  # 1: being visited, 2: done
        for start in self.fragments:
            if state.get(start):
                continue
            path = [start]
            stack = [iter(spreads[start])]
            state[start] = 1
            while stack:
                child = next(stack[-1], None)
                if child is None:
                    stack.pop()
                    done = path.pop()
                    state[done] = 2
                    order.append(done)
                elif child not in self.fragments or state.get(child) == 2:
                    continue
                elif state.get(child) == 1:
                    self.result.cycle = [*path[path.index(child) :], child]
                    return None
                else:
                    state[child] = 1
                    path.append(child)
                    stack.append(iter(spreads[child]))
        return order

    def _selection_set(self, parent: GraphQLNamedType | None, selection_set: SelectionSetNode) -> _Totals:
        # Recursion follows the nesting of one definition only (the parser refuses more than 200 levels);
        # fragments are looked up, not walked again.
        self.result.selections += len(selection_set.selections)
        totals = _Totals()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                inner = self._field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                inner = self._selection_set(target, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.done.get(selection.name.value) or _Totals()
            else:  # pragma: no cover - the grammar has no other selection
                continue
            totals.depth = max(totals.depth, inner.depth)
            totals.aliases += inner.aliases
            totals.cost = min(totals.cost + inner.cost, COST_CEILING)
        return totals

    def _field(self, parent: GraphQLNamedType | None, node: FieldNode) -> _Totals:
        """A field: 1 level deeper (introspection fields excepted, as Strawberry's depth limiter has it),
        and costing 1 plus its selection times the items it can return."""
        for argument in node.arguments or ():
            if self.result.long_number is None and _has_long_number(argument.value):
                self.result.long_number = argument.name.value
        aliases = 1 if node.alias else 0
        if node.selection_set is None:
            return _Totals(aliases=aliases)
        definition = getattr(parent, "fields", {}).get(node.name.value) if parent is not None else None
        field_type: Any = definition.type if definition is not None else None
        is_list = False
        while isinstance(field_type, GraphQLNonNull | GraphQLList):
            is_list |= isinstance(field_type, GraphQLList)
            field_type = field_type.of_type
        inner = self._selection_set(field_type, node.selection_set)
        depth = 0 if node.name.value.startswith("__") else 1 + inner.depth
        if definition is None:
            return _Totals(depth, aliases + inner.aliases, 0)  # validation refuses the unknown field
        size = self._stated_size(node)
        connection = getattr(field_type, "name", "").endswith("Connection")
        if size is None and (is_list or connection):
            size = _declared_size(definition)
        if size is None:
            size = DEFAULT_PAGE_SIZE if connection else UNSTATED_LIST_SIZE if is_list else 1
        cost = min(1 + max(size, 1) * inner.cost, COST_CEILING)
        return _Totals(depth, aliases + inner.aliases, cost)

    def _stated_size(self, node: FieldNode) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value not in SIZE_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                digits = value.value.lstrip("-")
                return COST_CEILING if len(digits) > 12 else int(value.value)
            if isinstance(value, VariableNode):
                name = value.name.value  # left out, it runs as its default
                stated = size_of(self.variables[name]) if name in self.variables else self.defaults.get(name)
                if stated is not None:
                    return min(stated, COST_CEILING)
        return None


def _declared_size(definition: Any) -> int | None:
    """The default of a field's `first` (or `limit`) argument, when its schema declares one: a nested list
    of at most `first` (default 20) items costs 20 of them, not the flat guess for lists."""
    for name in SIZE_ARGUMENTS:
        argument = definition.args.get(name)
        default = getattr(argument, "default_value", None)
        if isinstance(default, int) and not isinstance(default, bool):
            return min(default, COST_CEILING)
    return None


def _has_long_number(value: ValueNode) -> bool:
    pending = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, IntValueNode | FloatValueNode) and len(node.value) > MAX_NUMBER_CHARS:
            return True
        if isinstance(node, ListValueNode):
            pending.extend(node.values)
        elif isinstance(node, ObjectValueNode):
            pending.extend(item.value for item in node.fields)
    return False


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    """The names of the fragments a selection set spreads, at any depth (iteratively)."""
    names: list[str] = []
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                pending.append(selection.selection_set)
    return names


def check(
    limits: Limits, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]
) -> GraphQLError | None:
    """The first limit the document is over, as a refusal that names it; None when it is within all."""
    found = measure(schema, document, variables)
    if found.cycle:
        return refusal(f"fragment `{found.cycle[0]}` spreads itself: {' -> '.join(found.cycle)}")
    if found.long_number:
        return refusal(
            f"`{found.long_number}` holds a number of more than {MAX_NUMBER_CHARS} characters",
            argument=found.long_number,
        )
    if found.selections > limits.max_selections:
        return refusal(
            f"the query has {found.selections} selections (fields and fragments), more than the limit "
            f"of {limits.max_selections}",
            selections=found.selections,
            maxSelections=limits.max_selections,
        )
    for name, depth in found.depth.items():
        if depth > limits.max_depth:
            return refusal(f"'{name}' exceeds maximum operation depth of {limits.max_depth}")
    if found.aliases > limits.max_aliases:
        return refusal(f"{found.aliases} aliases found. Allowed: {limits.max_aliases}")
    if found.cost > limits.max_cost:
        shown = f"at least {COST_CEILING}" if found.cost >= COST_CEILING else str(found.cost)
        return refusal(
            f"the query costs {shown}, more than the limit of {limits.max_cost}: ask for fewer items per "
            "list (`first`) or fewer nested lists",
            cost=found.cost,
            maxCost=limits.max_cost,
        )
    return None


class ParseCache:
    """Parsed documents by their text, for texts of up to CACHED_QUERY_CHARS, the most recent `maxsize`."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.documents: OrderedDict[str, DocumentNode] = OrderedDict()

    def get(self, text: str) -> DocumentNode | None:
        document = self.documents.get(text)
        if document is not None:
            self.documents.move_to_end(text)
        return document

    def put(self, text: str, document: DocumentNode) -> None:
        if len(text) <= CACHED_QUERY_CHARS:
            self.documents[text] = document
            if len(self.documents) > self.maxsize:
                self.documents.popitem(last=False)


class Validator:
    """graphql-core's validation, cached by query text, with the misses run one at a time on a thread of
    its own. One thread: validation is pure Python, so more threads would not validate more per second
    (the interpreter runs one at a time) but would take more turns from the event loop. Hits are answered
    on the loop, without waiting behind a miss."""

    def __init__(self, maxsize: int = CACHED_QUERIES) -> None:
        self.maxsize = maxsize
        self.cache: OrderedDict[tuple[str, tuple[type[ASTValidationRule], ...]], list[GraphQLError]]
        self.cache = OrderedDict()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphql-validation")

    async def off_loop(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`work` on the worker's thread: what grows with a document's size (parsing, the limits' pass,
        validation) never holds the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker, functools.partial(work, *args, **kwargs))

    async def errors(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        text: str | None,
        rules: tuple[type[ASTValidationRule], ...],
    ) -> list[GraphQLError]:
        key = (text, rules) if text is not None and len(text) <= CACHED_QUERY_CHARS else None
        if key is not None and key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        loop = asyncio.get_running_loop()
        errors = await loop.run_in_executor(self.worker, _validate, schema, document, rules)
        if key is not None:
            self.cache[key] = errors
            if len(self.cache) > self.maxsize:
                self.cache.popitem(last=False)
        return errors


def _validate(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    try:
        errors = validate(schema, document, rules)
    except RecursionError:  # a rule that recurses on a document nested near the parser's limit
        errors = [ValidationAbortedError(ABORTED)]
    # graphql-core gives up on fragments nested (spread in each other) too deeply; say so in words
    return [refusal(TOO_DEEP) if error.message == ABORTED else error for error in errors]


class BoundedValidation(SchemaExtension):
    """Replaces Strawberry's validation step: the document's limits first (one linear pass, on the event
    loop: a few milliseconds at most within the token limit), then, only for a document within them,
    graphql-core's rules (see Validator)."""

    def __init__(
        self,
        limits: Limits,
        validator: Validator,
        prevalidated: Callable[[DocumentNode], bool] = lambda document: False,
    ) -> None:
        super().__init__()
        self.limits = limits
        self.validator = validator
        self.prevalidated = prevalidated  # registered documents: validated when the service started

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context.pre_execution_errors is None and document is not None:
            schema = context.schema._schema
            # The limits with this request's variables, registered documents included: their cost was
            # checked at start-up without variables, and a client's `first` can make it any size.
            variables = context.variables or {}
            if context.query is not None and len(context.query) <= ON_LOOP_CHARS:
                refused = check(self.limits, schema, document, variables)  # microseconds: not worth a hop
            else:
                refused = await self.validator.off_loop(check, self.limits, schema, document, variables)
            if refused is not None:
                context.pre_execution_errors = [refused]
            elif self.prevalidated(document):
                context.pre_execution_errors = []
            else:
                rules = tuple(context.validation_rules)
                context.pre_execution_errors = await self.validator.errors(
                    schema, document, context.query, rules
                )
        yield


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


def timed_out(seconds: float) -> GraphQLError:
    return GraphQLError(
        f"the request took longer than {seconds:g}s and was cancelled", extensions={"code": "UNAVAILABLE"}
    )


async def within(seconds: float, work: Any) -> Any:
    """`work` awaited, or cancelled (with the database call it is in) when the time is up."""
    async with asyncio.timeout(seconds):
        return await work
