"""The ceiling: a bare Starlette endpoint per question, running its one hand-written Cypher statement
(bench/questions.py) through the project's store and returning the same JSON data as the GraphQL API.
No Python HTTP API on this store can answer faster; `python -m bench` measures GraphQL against it.

    python -m bench.ceiling --port 9001      # POST /q/<index> {"params": {...}}
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.questions import QUESTIONS
from graphapi import heap
from graphapi.config import Settings
from graphapi.store import open_store


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_store(settings, apply_schema=False) as store:
            app.state.store = store
            heap.settle()
            yield

    async def answer(request: Request) -> JSONResponse:
        store = request.app.state.store
        question = QUESTIONS[int(request.path_params["index"])]
        cypher, _ = question.raw(store.engine)
        params = (await request.json())["params"]
        return JSONResponse({"data": question.data(await store.read(cypher, params))})

    return Starlette(routes=[Route("/q/{index:int}", answer, methods=["POST"])], lifespan=lifespan)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m bench.ceiling")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # as `graphapi serve` runs uvicorn
    uvicorn.run(create_app(), host=args.host, port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
