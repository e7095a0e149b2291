"""Routes of the pages: the explorer at /explore (and /), GraphiQL's page, and their static files (named
by their content under /assets/, precompressed: graphapi/web/assets.py)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from graphapi.web.assets import REVALIDATE, AssetIndex, Assets

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
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# A page keeps its address from one version to the next: revalidated (ETag) rather than cached blind.
PAGE_HEADERS = {**SECURITY_HEADERS, "Cache-Control": REVALIDATE}
_STATIC_REFERENCE = re.compile(r"""(["'])static/([^"']+)\1""")


@cache
def asset_index() -> AssetIndex:
    """The static folder as it is when the app starts (its files do not change under a running app)."""
    return AssetIndex.scan(STATIC_DIR)


@cache
def _page(name: str) -> tuple[str, str]:
    """A page's HTML, each `static/<path>` it names turned into its content-named URL, and its ETag."""
    index = asset_index()
    text = (HERE / name).read_text(encoding="utf-8")
    html = _STATIC_REFERENCE.sub(lambda m: f"{m[1]}{index.url(m[2])}{m[1]}", text)
    return html, '"' + hashlib.sha256(html.encode()).hexdigest()[:32] + '"'


def _page_response(name: str, request: Request) -> Response:
    html, etag = _page(name)
    headers = {**PAGE_HEADERS, "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(html, headers=headers)


def graphiql_page(request: Request) -> Response:
    """GraphiQL's page, for a browser's GET of /graphql."""
    return _page_response("graphiql.html", request)


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
                await graphiql_page(request)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def explorer(request: Request) -> Response:
    return _page_response("explore.html", request)


async def home(request: Request) -> RedirectResponse:
    return RedirectResponse("explore")


def routes() -> list[BaseRoute]:
    index = asset_index()
    return [
        Route("/", home),
        Route("/explore", explorer),
        Mount("/assets", Assets(index, named=True, headers=SECURITY_HEADERS), name="assets"),
        Mount("/static", Assets(index, named=False, headers=SECURITY_HEADERS), name="static"),
    ]
