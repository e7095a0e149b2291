"""Prometheus metrics and one structured log line per GraphQL operation, with the request id.

Under `serve --workers N` the workers count in files of one directory (prometheus-client's multiprocess
mode, PROMETHEUS_MULTIPROC_DIR, set by `serve`), and /metrics, whichever worker answers, sums them all."""

from __future__ import annotations

import contextlib
import logging
import os
import time
import weakref
from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, GraphQLSchema, OperationDefinitionNode
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from strawberry.extensions import SchemaExtension

from graphapi import heap

log = logging.getLogger("graphapi.requests")


MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROCESS_DIR) or None


class Metrics:
    """The app's metrics, in a registry of its own (one per app, so tests and apps do not share); in
    multiprocess mode each worker's values also go to the shared directory."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.operations = Counter(
            "graphapi_operations_total",
            "GraphQL operations, by their root fields.",
            ["operation"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "graphapi_operation_seconds",
            "Time to answer a GraphQL operation.",
            ["operation"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.round_trips = Counter(
            "graphapi_db_round_trips_total",
            "Database round-trips made for GraphQL operations.",
            ["operation"],
            registry=self.registry,
        )
        self.errors = Counter(
            "graphapi_errors_total", "Errors returned to clients, by code.", ["code"], registry=self.registry
        )
        self.fast = Counter(
            "graphapi_fast_operations_total",
            "GraphQL operations answered by the fast path of compiled queries (api/transport/fast.py).",
            registry=self.registry,
        )
        self.gc_pauses = Histogram(
            "graphapi_gc_pause_seconds",
            "Python's garbage collections, by generation: how long each held the process.",
            ["generation"],
            registry=self.registry,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
        )
        self._gc_children = [self.gc_pauses.labels(str(g)) for g in range(3)]
        self.pauses = heap.Pauses()  # watched while the app runs (graphapi/app.py)
        # the label children of each operation, looked up once (a lookup takes a lock and a dict search)
        self._children: dict[str, tuple[Any, Any, Any]] = {}
        # by the document's identity: a syntax tree's own hash walks the whole tree (30 µs a request)
        self._labels: dict[int, tuple[weakref.ref[Any], dict[str | None, str]]] = {}
        self._root_fields: frozenset[str] | None = None

    def label_of(self, schema: GraphQLSchema, document: object, operation: str | None = None) -> str:
        """The label of the operation the request runs (named, or the document's only one), computed once
        per parsed document and name (cached documents are the same object)."""
        known = self._labels.get(id(document))
        if known is not None and known[0]() is document and operation in known[1]:
            return known[1][operation]
        if self._root_fields is None:
            roots = (schema.query_type, schema.mutation_type, schema.subscription_type)
            self._root_fields = frozenset(name for root in roots if root is not None for name in root.fields)
        label = _operation_label(document, operation, self._root_fields)
        if document is not None:
            with contextlib.suppress(TypeError):  # an object no weak reference can name
                self._remember(document, operation, label)
        return label

    def _remember(self, document: object, operation: str | None, label: str) -> None:
        key = id(document)
        known = self._labels.get(key)
        if known is None or known[0]() is not document:
            # the entry goes with the document (the parse cache drops it), so an id is never reused here
            known = (weakref.ref(document, lambda _: self._labels.pop(key, None)), {})
            self._labels[key] = known
        known[1][operation] = label

    def record(
        self,
        label: str,
        elapsed: float,
        trips: int,
        codes: list[str],
        *,
        request_id: str | None,
        operation_name: str | None,
    ) -> None:
        """One operation counted, timed and logged (by Observe; by api/transport/fast.py for its own)."""
        operations, latency, round_trips = self.operation(label)
        operations.inc()
        latency.observe(elapsed)
        round_trips.inc(trips)
        for code in codes:
            self.errors.labels(code).inc()
        if self.pauses.kept >= 64:
            self.observe_pauses()
        if not log.isEnabledFor(logging.INFO):
            return
        log.info(
            "graphql operation",
            extra={
                "request_id": request_id,
                "operation": label,
                "operation_name": operation_name,
                "duration_ms": round(elapsed * 1000, 2),
                "db_round_trips": trips,
                "error_codes": codes,
            },
        )

    def observe_pauses(self) -> None:
        """The collections' pauses since the last call into graphapi_gc_pause_seconds."""
        for generation, seconds in self.pauses.drain():
            self._gc_children[generation].observe(seconds)

    def operation(self, label: str) -> tuple[Any, Any, Any]:
        """The operation's counter, latency histogram and round-trip counter (its label values are few:
        see _operation_label)."""
        found = self._children.get(label)
        if found is None:
            found = self._children[label] = (
                self.operations.labels(label),
                self.latency.labels(label),
                self.round_trips.labels(label),
            )
        return found

    def exposition(self) -> bytes:
        """The text /metrics answers: every worker's counts in multiprocess mode, else this app's."""
        self.observe_pauses()
        path = multiprocess_dir()
        if path is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def process_exited(self) -> None:
        """Multiprocess bookkeeping when a worker stops (its counts stay: totals never go back)."""
        path = multiprocess_dir()
        if path is not None:
            multiprocess.mark_process_dead(os.getpid(), path)  # type: ignore[no-untyped-call]


class Observe(SchemaExtension):
    """Counts, times and logs each operation once its errors have their codes."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self.metrics = metrics

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        context = self.execution_context
        operation = self.metrics.label_of(
            context.schema._schema, context.graphql_document, context.operation_name
        )
        store = getattr(context.context, "store", None)
        trips = getattr(store, "round_trips", 0)
        result = context.result
        codes = [
            (error.extensions or {}).get("code", "INTERNAL")
            for error in (getattr(result, "errors", None) or [])
        ]
        self.metrics.record(
            operation,
            elapsed,
            trips,
            codes,
            request_id=getattr(context.context, "request_id", None),
            operation_name=context.operation_name,
        )


def _operation_label(document: object, operation: str | None, known: frozenset[str]) -> str:
    """The operation type and its root fields, such as `query:positions`. Only names the schema has are
    used, so the metrics' label values stay few whatever clients send."""
    for definition in getattr(document, "definitions", ()):
        if isinstance(definition, OperationDefinitionNode) and (
            operation is None or (definition.name is not None and definition.name.value == operation)
        ):
            names = {s.name.value for s in definition.selection_set.selections if isinstance(s, FieldNode)}
            fields = sorted(n for n in names if n in known or n.startswith("__"))
            return f"{definition.operation.value}:{'+'.join(fields[:4]) or '-'}"
    return "invalid"
