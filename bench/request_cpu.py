"""python -m bench.request_cpu: where a compiled query's CPU goes, in the service's own process. Each of
the read mix's questions (bench/questions.py) is sent to the ASGI app in the process (no socket, no
client), in turns: the whole app by the short way (graphapi/api/transport/lane.py), the whole app with the
short way turned off, the fast path alone (graphapi/api/transport/fast.py, from the parsed request to the
result), and the question's hand-written statement through the same store. Each is timed in CPU
seconds of this process (the embedded database is another process), so the figures hold on a busy
machine better than wall times do. A measurement, not a test:

    python -m bench.request_cpu --statements 10000 --requests 1500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.types import Message, Scope

from bench.questions import QUESTIONS, Question
from bench.serving import environment, prepare
from graphapi.api.context import Context
from graphapi.api.transport.encoding import json_bytes
from graphapi.api.transport.http import GraphQLView
from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.store import CountingStore, Store, open_store

Timed = Callable[[], Awaitable[Any]]


def _scope(app: Any, body: bytes) -> Scope:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "app": app,
        "headers": [(b"host", b"bench"), (b"content-type", b"application/json"),
                    (b"accept", b"application/json"), (b"content-length", str(len(body)).encode())],
    }  # fmt: skip


def _ways(app: Any, view: GraphQLView, store: Store, question: Question) -> dict[str, Timed]:
    body = json.dumps({"query": question.graphql, "variables": question.variables}).encode()

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        return None

    async def short_way() -> None:
        await app(_scope(app, body), receive, send)

    async def whole_way() -> None:
        view._short_way = view._compressing  # type: ignore[method-assign]
        try:
            await app(_scope(app, body), receive, send)
        finally:
            del view._short_way

    async def fast_path_alone() -> None:
        fast = view.schema.fast_path  # type: ignore[attr-defined]
        request = Request(_scope(app, body), receive)
        context = Context(request, None, CountingStore(store), "bench", app.state.bus)
        result = await fast.run(question.graphql, question.variables, None, context)
        assert result is not None, f"{question.name}: not answered by the fast path"
        json_bytes({"data": result.data, "extensions": result.extensions})

    cypher, params = question.raw(store.engine)

    async def statement() -> None:
        await store.read(cypher, params)

    return {"short way": short_way, "whole way": whole_way, "fast path alone": fast_path_alone,
            "statement": statement}  # fmt: skip


async def measure(store: Store, requests: int) -> list[dict[str, Any]]:
    app = create_app(Settings.from_env({}), store=store)
    rows = []
    async with app.router.lifespan_context(app):
        view = next(r.app for r in app.routes if isinstance(getattr(r, "app", None), GraphQLView))
        for question in (q for q in QUESTIONS if q.compiled):
            ways = _ways(app, view, store, question)
            for way in ways.values():  # warmed: parsed, validated, compiled, plans cached
                for _ in range(20):
                    await way()
            spent = dict.fromkeys(ways, 0.0)
            for _ in range(requests):  # in turns, so the machine's moments fall on all alike
                for name, way in ways.items():
                    started = time.process_time()
                    await way()
                    spent[name] += time.process_time() - started
            row = {"question": question.name, **{k: round(v / requests * 1e3, 3) for k, v in spent.items()}}
            rows.append(row)
            print(
                f"| {question.name} | {row['whole way']:.3f} | {row['short way']:.3f} | "
                f"{row['fast path alone']:.3f} | {row['statement']:.3f} | "
                f"{row['short way'] / row['statement']:.2f} |",
                flush=True,
            )
    return rows


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1500, help="per question and way")
    parser.add_argument("--work", type=Path, default=Path("/tmp/graphapi-bench-request-cpu"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    async with open_store(Settings.from_env(environment(args.statements, args.work))) as store:
        await prepare(store, args.statements, args.work)
        print(
            "| question | CPU ms: whole way | short way | fast path alone | statement "
            "| short way / statement |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        await measure(store, args.requests)


if __name__ == "__main__":
    asyncio.run(main())
