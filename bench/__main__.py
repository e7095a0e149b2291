"""python -m bench: load a synthetic graph with the project's loader, then time each of the README's
questions over HTTP on three servers sharing it, interleaved so the machine's load falls on all three
alike:

- `graphql`: `graphapi serve`, root fields compiled to one statement each (the default);
- `resolvers`: `graphapi serve` with GRAPHAPI_COMPILE=false, field by field through DataLoaders;
- `ceiling`: bench/ceiling.py, a bare Starlette endpoint running one hand-written statement per question.

    python -m bench                         # 10k and 100k statements, concurrency 1, 8, 32, 3 repetitions
    python -m bench --statements 2000 --requests 50 --concurrency 1 8 --repetitions 1

Prints a table (median of the repetitions, with their spread) and writes JSON (default
bench/results/<timestamp>.json). Not part of the test suite; tests/test_bench.py runs it on a tiny graph.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench.loads import corpus, server_usage
from bench.questions import QUESTIONS, Question
from bench.synthetic import write_synthetic_seed
from graphapi.config import Settings
from graphapi.graph.reads import COUNT_NODES
from graphapi.seed.loader import load
from graphapi.store import Cypher, open_store

WIPE = Cypher("bench.wipe", "MATCH (n) DETACH DELETE n")
TARGETS = ("graphql", "resolvers", "ceiling")
CHUNKS = 4  # each measurement is taken in this many turns, the three targets taking turns
console = Console(width=200)


@dataclass
class Timing:
    p50_ms: float
    p99_ms: float
    throughput_rps: float


@dataclass
class Cell:
    """One question at one concurrency on one graph: each target's timing in each repetition."""

    statements: int
    question: str
    concurrency: int
    runs: dict[str, list[Timing]] = field(default_factory=lambda: {t: [] for t in TARGETS})
    round_trips: dict[str, float] = field(default_factory=dict)

    def median(self, target: str, what: str) -> float:
        return statistics.median(getattr(t, what) for t in self.runs[target])

    def spread(self, target: str, what: str) -> tuple[float, float]:
        values = [getattr(t, what) for t in self.runs[target]]
        return min(values), max(values)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "statements": self.statements,
            "question": self.question,
            "concurrency": self.concurrency,
            "round_trips": self.round_trips,
        }
        for target in TARGETS:
            out[target] = {
                what: {"median": self.median(target, what), "min": self.spread(target, what)[0],
                       "max": self.spread(target, what)[1]}
                for what in ("p50_ms", "p99_ms", "throughput_rps")
            }  # fmt: skip
        out["ratio_to_ceiling_p50"] = self.median("graphql", "p50_ms") / self.median("ceiling", "p50_ms")
        out["speedup_over_resolvers_p50"] = self.median("resolvers", "p50_ms") / self.median(
            "graphql", "p50_ms"
        )
        out["throughput_over_resolvers"] = self.median("graphql", "throughput_rps") / self.median(
            "resolvers", "throughput_rps"
        )
        return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def timed(
    call: Callable[[], Awaitable[None]], requests: int, concurrency: int
) -> tuple[list[float], float]:
    """`requests` calls, `concurrency` at a time: each call's latency, and the time they took together."""
    latencies: list[float] = []
    queue = iter(range(requests))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - started


class Targets:
    """How each target is asked a question over HTTP, each answer checked for errors."""

    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str], engine: str) -> None:
        self.http, self.urls, self.engine = http, urls, engine
        self.retries = 0

    async def post(self, url: str, body: dict[str, Any]) -> httpx.Response:
        """A POST, sent again once when the server had just closed the idle keep-alive connection it
        went out on (uvicorn closes them after 5 s; a target waits that long while the others take
        their turn)."""
        try:
            return await self.http.post(url, json=body)
        except (httpx.ReadError, httpx.RemoteProtocolError):
            self.retries += 1
            return await self.http.post(url, json=body)

    async def graphql(self, target: str, question: Question) -> dict[str, Any]:
        body = {"query": question.graphql, "variables": question.variables}
        payload: dict[str, Any] = (await self.post(self.urls[target], body)).json()
        if payload.get("errors"):
            raise RuntimeError(f"{target}, {question.name}: {payload['errors']}")
        return payload

    async def ceiling(self, index: int, question: Question) -> dict[str, Any]:
        _, params = question.raw(self.engine)
        response = await self.post(f"{self.urls['ceiling']}/q/{index}", {"params": params})
        response.raise_for_status()
        payload: dict[str, Any] = response.json()
        return payload

    def call(self, target: str, index: int, question: Question) -> Callable[[], Awaitable[None]]:
        if target == "ceiling":
            return lambda: self.ceiling(index, question)  # type: ignore[return-value]
        return lambda: self.graphql(target, question)  # type: ignore[return-value]


async def measure(
    targets: Targets, index: int, question: Question, requests: int, concurrency: int
) -> dict[str, Timing]:
    """The three targets taking turns, CHUNKS turns each, so a change in the machine's load during the
    measurement falls on all three."""
    latencies: dict[str, list[float]] = {t: [] for t in TARGETS}
    elapsed = dict.fromkeys(TARGETS, 0.0)
    chunk = max(1, requests // CHUNKS)
    for _ in range(CHUNKS):
        for target in TARGETS:
            got, took = await timed(targets.call(target, index, question), chunk, concurrency)
            latencies[target] += got
            elapsed[target] += took
    return {
        t: Timing(
            percentile(latencies[t], 0.5) * 1000,
            percentile(latencies[t], 0.99) * 1000,
            len(latencies[t]) / elapsed[t],
        )
        for t in TARGETS
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(command: list[str], env: dict[str, str], ready: str, log_path: Path) -> subprocess.Popen[bytes]:
    """A server process with its output in a file (a pipe nobody reads would stall it once full), once it
    answers `ready`."""
    with log_path.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{command} exited: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(ready, timeout=1).status_code < 500:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"{command} did not become ready")


def peak_memory(store: Any) -> dict[str, int | None]:
    """Peak RSS so far, in MB, of this process (the loader), of its file readers and of the embedded
    database server."""
    server = server_usage(store)["rss_kb"]
    return {
        "loader_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "readers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
        "server_peak_mb": server // 1024 if server else None,
    }


def load_averages() -> list[float]:
    """The machine's load averages over 1, 5 and 15 minutes (a shared machine: say how busy it was)."""
    return [round(x, 2) for x in os.getloadavg()]


async def bench_size(
    statements: int, args: argparse.Namespace, work_dir: Path
) -> tuple[dict[str, Any], list[Cell]]:
    env = {**os.environ, "GRAPHAPI_DATA_DIR": str(work_dir / "data"), "GRAPHAPI_GRAPH": f"bench_{statements}"}
    settings = Settings.from_env(env)
    seed = (
        corpus(args.corpora, statements)
        if args.corpora
        else write_synthetic_seed(work_dir / f"seed-{statements}", statements=statements)
    )
    chosen = [q for q in QUESTIONS if not args.questions or any(w in q.name for w in args.questions)]
    cells = [Cell(statements, q.name, c) for q in chosen for c in args.concurrency]
    async with open_store(settings) as store:
        await store.write(WIPE)
        started = time.perf_counter()
        report = await load(store, [seed])
        load_s = time.perf_counter() - started
        records = report.records + sum(report.rels_created.values())
        nodes = (await store.read(COUNT_NODES))[0]["nodes"]
        loaded = {"statements": statements, "nodes": nodes, "records": records, "seconds": round(load_s, 2),
                  "records_per_s": round(records / load_s), **peak_memory(store)}  # fmt: skip
        console.print(
            f"[bold]{statements} statements[/bold]: loaded {records} records ({nodes} nodes) "
            f"in {load_s:.1f}s, {records / load_s:,.0f} records/s; peak RSS: "
            f"loader {loaded['loader_peak_mb']} MB, file readers {loaded['readers_peak_mb']} MB, "
            f"server {loaded['server_peak_mb']} MB"
        )
        ports = {t: free_port() for t in TARGETS}
        serve = [sys.executable, "-m", "graphapi", "serve", "--no-seed", "--port"]
        with ExitStack() as servers:
            for target, command, extra in (
                ("graphql", [*serve, str(ports["graphql"])], {}),
                ("resolvers", [*serve, str(ports["resolvers"])], {"GRAPHAPI_COMPILE": "false"}),
                ("ceiling", [sys.executable, "-m", "bench.ceiling", "--port", str(ports["ceiling"])], {}),
            ):
                ready = f"http://127.0.0.1:{ports[target]}" + ("/ready" if target != "ceiling" else "/q/0")
                server = start(command, {**env, **extra}, ready, args.logs / f"{target}-{statements}.log")
                servers.callback(lambda s=server: (s.terminate(), s.wait(30)))
            urls = {
                t: f"http://127.0.0.1:{ports[t]}" + ("/graphql" if t != "ceiling" else "") for t in TARGETS
            }
            limits = httpx.Limits(
                max_connections=3 * max(args.concurrency), max_keepalive_connections=3 * max(args.concurrency)
            )
            async with httpx.AsyncClient(timeout=120, limits=limits) as http:
                targets = Targets(http, urls, store.engine)
                await check_answers(targets, cells, chosen)
                for repetition in range(args.repetitions):
                    for cell in cells:
                        index = next(i for i, q in enumerate(QUESTIONS) if q.name == cell.question)
                        question = QUESTIONS[index]
                        for _ in range(3):  # warm every path (plans, caches, connections) before timing
                            for target in TARGETS:
                                await targets.call(target, index, question)()
                        timings = await measure(targets, index, question, args.requests, cell.concurrency)
                        for target, timing in timings.items():
                            cell.runs[target].append(timing)
                        g, c = timings["graphql"], timings["ceiling"]
                        console.print(
                            f"  [{repetition + 1}/{args.repetitions}] {cell.question}, c={cell.concurrency}: "
                            f"GraphQL p50 {g.p50_ms:.2f} ms, ceiling {c.p50_ms:.2f} ms "
                            f"(x{g.p50_ms / c.p50_ms:.2f}), resolvers {timings['resolvers'].p50_ms:.2f} ms"
                        )
                loaded["retries"] = targets.retries
                loaded["load_averages"] = load_averages()
    return loaded, cells


async def check_answers(targets: Targets, cells: list[Cell], questions: list[Question]) -> None:
    """Before timing: every target gives the same data, and the round-trips each GraphQL path makes."""
    for index, question in enumerate(QUESTIONS):
        if question not in questions:
            continue
        compiled = await targets.graphql("graphql", question)
        resolved = await targets.graphql("resolvers", question)
        ceiling = await targets.ceiling(index, question)
        if not compiled["data"] == resolved["data"] == ceiling["data"]:
            console.print(f"[yellow]{question.name}: the three answers differ[/yellow]")
        trips = {
            "graphql": compiled["extensions"]["dbRoundTrips"],
            "resolvers": resolved["extensions"]["dbRoundTrips"],
        }
        for cell in cells:
            if cell.question == question.name:
                cell.round_trips = trips


def print_table(cells: list[Cell]) -> None:
    table = Table(
        title="GraphQL (compiled) against the resolver path and the ceiling: median of the repetitions"
    )
    columns = ["statements", "question", "c", "GraphQL p50 / p99 ms", "ceiling p50 ms", "x ceiling",
               "resolvers p50 ms", "speed-up", "GraphQL / resolvers / ceiling req/s", "trips"]  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column == "question" else "right")
    for cell in cells:
        s = cell.summary()
        lo, hi = cell.spread("graphql", "p50_ms")
        table.add_row(
            f"{cell.statements:,}",
            cell.question,
            str(cell.concurrency),
            f"{cell.median('graphql', 'p50_ms'):.2f} ({lo:.2f}-{hi:.2f}) "
            f"/ {cell.median('graphql', 'p99_ms'):.1f}",
            f"{cell.median('ceiling', 'p50_ms'):.2f}",
            f"{s['ratio_to_ceiling_p50']:.2f}",
            f"{cell.median('resolvers', 'p50_ms'):.2f}",
            f"{s['speedup_over_resolvers_p50']:.1f}",
            " / ".join(f"{cell.median(t, 'throughput_rps'):.0f}" for t in TARGETS),
            f"{cell.round_trips.get('graphql', 0)} / {cell.round_trips.get('resolvers', 0)}",
        )
    console.print(table)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "engine": "neo4j" if os.environ.get("NEO4J_URI") else "falkordb (embedded)",
    }


async def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument(
        "--requests", type=int, default=200, help="requests per target, question and concurrency"
    )
    parser.add_argument("--repetitions", type=int, default=3, help="the whole measurement, this many times")
    parser.add_argument(
        "--questions", nargs="+", default=[], help="only the questions whose names hold these words"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON file (default bench/results/<time>.json)"
    )
    parser.add_argument(
        "--corpora", type=Path, default=None,
        help="keep each size's corpus here and use it again (shared with python -m bench.loads)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).parent / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    args.logs = out.parent / f"{out.stem}-logs"  # the servers' output, kept to read after a failure
    args.logs.mkdir(parents=True, exist_ok=True)
    loads, cells = [], []
    load_before = load_averages()
    with tempfile.TemporaryDirectory(prefix="graphapi-bench-") as tmp:
        for statements in args.statements:
            loaded, size_cells = await bench_size(statements, args, Path(tmp))
            loads.append(loaded)
            cells += size_cells
    print_table(cells)
    result = {
        "machine": machine(),
        "load_averages": {"before": load_before, "after": load_averages()},
        "requests": args.requests,
        "repetitions": args.repetitions,
        "load": loads,
        "cells": [c.summary() for c in cells],
        "runs": [
            {**asdict(c), "runs": {t: [asdict(x) for x in r] for t, r in c.runs.items()}} for c in cells
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    console.print(f"load averages (1, 5, 15 min): before {load_before}, after {load_averages()}")
    console.print(f"wrote {out}")
    return result


if __name__ == "__main__":
    asyncio.run(main())
