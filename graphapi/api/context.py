"""The one per-request context: the request's store handle (counting round-trips), its loaders, its id."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from graphapi.api.live.bus import ChangeBus
from graphapi.api.reading.loaders import Loaders
from graphapi.api.transport.capacity import Capacity
from graphapi.auth import Principal, Scope, authenticate
from graphapi.errors import Unauthenticated
from graphapi.graph.writer import GraphWriter
from graphapi.store.base import CountingStore


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    store: CountingStore
    request_id: str
    bus: ChangeBus
    _principal: Principal | None = field(init=False, default=None)
    _authenticated: bool = field(init=False, default=False)

    # Made on first use: a compiled read needs neither (five DataLoaders and a writer, per request).
    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.store)

    @cached_property
    def writer(self) -> GraphWriter:
        return GraphWriter(self.store, self.bus.publish)

    @property
    def capacity(self) -> Capacity:
        """The process's count of open connections and subscriptions (graphapi/api/transport/capacity.py)."""
        capacity: Capacity = self.request.app.state.capacity
        return capacity

    async def principal(self) -> Principal | None:
        """Who the request's API key belongs to; None without a key. Checked once per request."""
        if not self._authenticated:
            self._principal = await authenticate(self.store, self.request.headers.get("authorization"))
            self._authenticated = True
        return self._principal

    async def require(self, scope: Scope) -> Principal:
        principal = await self.principal()
        if principal is None:
            raise Unauthenticated("this operation needs an API key: `Authorization: Bearer gapi_...`")
        principal.require(scope)
        return principal
