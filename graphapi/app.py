"""The ASGI application: GraphQL (with GraphiQL) at /graphql, the explorer at /explore, liveness at /health,
readiness at /ready."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute

from graphapi import heap, probes, web
from graphapi.api.live.bus import ChangeBus
from graphapi.api.live.shared_bus import open_bus
from graphapi.api.policy.documents import Documents
from graphapi.api.policy.persisted import open_persisted
from graphapi.api.schema import build_schema
from graphapi.api.transport.capacity import Capacity
from graphapi.api.transport.http import GraphQLView
from graphapi.api.transport.nosniff import NoSniff
from graphapi.api.transport.observability import Metrics
from graphapi.api.transport.refusals import EXCEPTION_HANDLERS, BodySizeLimit
from graphapi.config import Settings
from graphapi.graph.reads import COUNT_NODES
from graphapi.seed.loader import load
from graphapi.store import Store, load_schema, open_store

log = logging.getLogger(__name__)


async def seed_if_empty(store: Store) -> None:
    rows = await store.read(COUNT_NODES)
    if rows and rows[0]["nodes"]:
        return
    report = await load(store, overwrite=True)  # an empty graph has no change of the API's to lose
    log.info("the graph was empty: loaded the bundled seed (%d records)", report.records)


def create_app(
    settings: Settings | None = None, *, store: Store | None = None, seed: bool = False
) -> Starlette:
    """The app. Given a store, it uses it and leaves it open; otherwise it opens the configured store for
    its lifetime (starting the embedded database when no Neo4j is configured)."""
    settings = settings or Settings.from_env()
    limits = settings.limits
    metrics = Metrics()
    documents = Documents(only_registered=settings.only_registered_documents)
    graphql_schema = build_schema(
        limits, metrics, debug=settings.debug, compiled=settings.compile_reads, documents=documents
    )
    documents.register(settings.registered_documents, graphql_schema._schema, limits)
    # WebSocket handshakes (which CORS does not cover) are accepted from the same origins as HTTP: the
    # service's own, the CORS ones (`*`: any), and clients that are not browsers (no Origin).
    graphql = GraphQLView(
        graphql_schema,
        request_timeout_s=limits.request_timeout_s,
        max_subscriptions_per_connection=limits.max_subscriptions_per_connection,
        allowed_origins=settings.cors_origins,
    )

    async def metrics_endpoint(request: Request) -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app = Starlette(
        middleware=middleware(settings),
        exception_handlers=EXCEPTION_HANDLERS,  # every error a GraphQL JSON body with a code
        routes=[
            *web.routes(),  # the explorer at / and /explore, the pages' static files
            Route("/health", probes.health),
            Route("/ready", probes.readiness(load_schema())),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/metrics", metrics_endpoint),
        ],
        lifespan=lifespan(settings, store, seed, documents, metrics),
    )
    app.state.bus = ChangeBus()  # this process's alone until the lifespan opens the shared one
    app.state.capacity = Capacity(limits)  # open WebSockets, event streams, subscriptions
    if store is not None:
        app.state.store = store  # usable without running the lifespan (in-process test clients)
    return app


def lifespan(
    settings: Settings, store: Store | None, seed: bool, documents: Documents, metrics: Metrics
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """What the app opens when it starts and closes when it stops: the store (unless given one), the
    change bus, the persisted documents, the watch on garbage collection."""

    @asynccontextmanager
    async def running(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.store = store or await stack.enter_async_context(open_store(settings))
            if seed:
                await seed_if_empty(app.state.store)
            # Changes reach the subscribers of every process through a shared bus when there is one.
            app.state.bus = await stack.enter_async_context(open_bus(settings, app.state.store))
            # Documents clients persist by hash are known to every process (graphapi/api/policy/persisted.py).
            documents.persisted = await stack.enter_async_context(open_persisted(settings, app.state.store))
            stack.callback(metrics.process_exited)
            stack.enter_context(metrics.pauses.watching())  # graphapi_gc_pause_seconds
            await heap.start_threads()  # none started later, while connections come and go
            heap.settle()  # what start-up made is frozen out of garbage collection (graphapi/heap.py)
            yield

    return running


def middleware(settings: Settings) -> list[Middleware]:
    """Around every request, outermost first: nosniff, CORS (when origins are configured), the body size
    limit, the app's own GraphiQL page."""
    stack = [Middleware(BodySizeLimit, max_bytes=settings.limits.max_body_bytes)]
    stack.append(Middleware(web.GraphiQLPage, path="/graphql"))  # the app's own GraphiQL, no CDN
    if settings.cors_origins:
        # Browsers on these origins may call the API; `*` allows any (credentials are not used). Outside
        # the body limit, so its refusals carry the CORS headers too.
        stack.insert(
            0,
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["content-type", "authorization", "x-request-id"],
                expose_headers=["x-request-id"],
                max_age=600,
            ),
        )
    stack.insert(0, Middleware(NoSniff))  # outermost: every response, refusals included
    return stack
