"""Liveness (/health) and readiness (/ready): what an orchestrator asks of the service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse

from graphapi.errors import GraphApiError
from graphapi.store import GraphSchema, Store


async def health(request: Request) -> JSONResponse:
    """Alive, unless the embedded database cannot be brought back: then an orchestrator should
    restart the service."""
    store = getattr(request.app.state, "store", None)
    watched = store.status() if store is not None else None
    supervisor = getattr(store, "supervisor", None)
    if watched and supervisor is not None and supervisor.failing():
        return JSONResponse({"status": "failing", "database": watched}, status_code=503)
    return JSONResponse({"status": "ok"})


def readiness(schema: GraphSchema) -> Callable[[Request], Awaitable[JSONResponse]]:
    """The endpoint of /ready, for a graph that must hold `schema` (its indexes)."""

    async def ready(request: Request) -> JSONResponse:
        """Ready: the database answers and holds the schema the queries rely on; while the embedded
        database is being restarted, says so."""
        store: Store = request.app.state.store
        watched = store.status()
        if watched and watched["state"] != "ready":
            # restarting, failed, or disk_full (writes refused; reads may still be answered)
            return JSONResponse({"status": str(watched["state"]), "database": watched}, status_code=503)
        try:
            await store.ping()
            missing = await store.missing_schema(schema)
        except GraphApiError as exc:
            return JSONResponse({"status": "unavailable", "reason": str(exc)}, status_code=503)
        if missing:
            return JSONResponse({"status": "schema missing", "missing": missing}, status_code=503)
        return JSONResponse(
            {"status": "ready", "engine": store.engine, **({"database": watched} if watched else {})}
        )

    return ready
