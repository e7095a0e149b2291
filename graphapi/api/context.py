"""The one per-request context: the request's store handle (counting round-trips), its loaders, its id."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from graphapi.api.loaders import Loaders
from graphapi.store.base import CountingStore


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    store: CountingStore
    request_id: str
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.store)
