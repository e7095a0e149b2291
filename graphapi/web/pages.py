"""Routes of the pages: the explorer at /explore (and /), GraphiQL's page, and their static files."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"

# Only the app's own origin: a page that tried to load a script, style, font or data from anywhere else
# would be refused by the browser. Monaco (GraphiQL's editor) and cytoscape add <style> elements.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "worker-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",  # GraphiQL's stylesheet carries its fonts inline
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The files keep their names from one version to the next: revalidate (ETag) rather than cache blind.
    "Cache-Control": "no-cache",
}


@cache
def _page(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def graphiql_page() -> HTMLResponse:
    """GraphiQL's page, for a browser's GET of /graphql."""
    return HTMLResponse(_page("graphiql.html"), headers=PAGE_HEADERS)


def wants_page(method: str, params: Mapping[str, object], accept: str) -> bool:
    """Whether a request to the GraphQL path is a browser asking for GraphiQL: Strawberry's rule (a GET
    without `query` that accepts HTML, or anything), except that a GET naming a persisted document by
    its hash (`extensions`, as Apollo's link sends it) is a GraphQL request."""
    graphql = "query" in params or "extensions" in params
    return method == "GET" and not graphql and ("text/html" in accept or "*/*" in accept)


class GraphiQLPage:
    """Answers a browser's GET of the GraphQL path with GraphiQL's page, before the GraphQL view would
    answer with Strawberry's (which loads its scripts from a CDN), by `wants_page`; every other request
    goes on to the GraphQL view."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == self.path:
            request = Request(scope)
            if wants_page("GET", request.query_params, request.headers.get("accept", "")):
                await graphiql_page()(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def explorer(request: Request) -> HTMLResponse:
    return HTMLResponse(_page("explore.html"), headers=PAGE_HEADERS)


async def home(request: Request) -> RedirectResponse:
    return RedirectResponse("explore")


class Static(StaticFiles):
    """The pages' files, with the pages' headers."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers.update(PAGE_HEADERS)
        return response


def routes() -> list[BaseRoute]:
    return [
        Route("/", home),
        Route("/explore", explorer),
        Mount("/static", Static(directory=STATIC_DIR), name="static"),
    ]
