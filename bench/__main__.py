"""python -m bench: load a synthetic graph with the project's loader, then time each headline question
over HTTP against a running `graphapi serve` and as raw Cypher through the store, in the same run.

    python -m bench                         # 10k and 100k statements, concurrency 1, 8, 32
    python -m bench --statements 2000 --requests 50 --concurrency 1 8

Prints a table and writes JSON (default bench/results/<timestamp>.json). Not part of the test suite;
tests/test_bench.py runs it once on a tiny graph.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench.questions import QUESTIONS, Question
from bench.synthetic import write_synthetic_seed
from graphapi.config import Settings
from graphapi.graph.reads import COUNT_NODES
from graphapi.seed.loader import load
from graphapi.store import Cypher, Store, open_store

WIPE = Cypher("bench.wipe", "MATCH (n) DETACH DELETE n")
console = Console(width=180)


@dataclass
class Timing:
    p50_ms: float
    p99_ms: float
    throughput_rps: float


@dataclass
class Row:
    statements: int
    question: str
    concurrency: int
    graphql: Timing
    raw: Timing
    round_trips: float
    ratio_p50: float
    ratio_throughput: float


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_timed(call: Any, requests: int, concurrency: int) -> Timing:
    """`requests` calls, `concurrency` at a time; each call's latency and the overall throughput."""
    latencies: list[float] = []
    queue = iter(range(requests))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return Timing(percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000, requests / elapsed)


async def bench_question(
    question: Question,
    store: Store,
    http: httpx.AsyncClient,
    url: str,
    requests: int,
    concurrency: int,
    statements: int,
) -> Row:
    cypher, params = question.raw(store.engine)
    body = {"query": question.graphql, "variables": question.variables}
    trips: list[int] = []

    async def graphql() -> None:
        response = await http.post(url, json=body)
        payload = response.json()
        if payload.get("errors"):
            raise RuntimeError(f"{question.name}: {payload['errors']}")
        trips.append(payload["extensions"]["dbRoundTrips"])

    async def raw() -> None:
        await store.read(cypher, params)

    for _ in range(3):  # warm both paths (caches, connections) before timing
        await graphql()
        await raw()
    gql_timing = await run_timed(graphql, requests, concurrency)
    raw_timing = await run_timed(raw, requests, concurrency)
    ratio_p50 = gql_timing.p50_ms / raw_timing.p50_ms
    ratio_throughput = gql_timing.throughput_rps / raw_timing.throughput_rps
    round_trips = sum(trips) / len(trips)
    return Row(
        statements,
        question.name,
        concurrency,
        gql_timing,
        raw_timing,
        round_trips,
        ratio_p50,
        ratio_throughput,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """`graphapi serve` with its output in a file: a pipe nobody reads would stall it once full."""
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "graphapi", "serve", "--no-seed", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=log,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"graphapi serve exited: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("graphapi serve did not become ready")


async def bench_size(
    statements: int, args: argparse.Namespace, work_dir: Path
) -> tuple[dict[str, Any], list[Row]]:
    env = {**os.environ, "GRAPHAPI_DATA_DIR": str(work_dir / "data"), "GRAPHAPI_GRAPH": f"bench_{statements}"}
    settings = Settings.from_env(env)
    seed = write_synthetic_seed(work_dir / f"seed-{statements}", statements=statements)
    rows: list[Row] = []
    async with open_store(settings) as store:
        await store.write(WIPE)
        started = time.perf_counter()
        report = await load(store, [seed])
        load_s = time.perf_counter() - started
        records = report.records + sum(report.rels_created.values())
        nodes = (await store.read(COUNT_NODES))[0]["nodes"]
        loaded = {
            "statements": statements,
            "nodes": nodes,
            "records": records,
            "seconds": round(load_s, 2),
            "records_per_s": round(records / load_s),
        }
        console.print(
            f"[bold]{statements} statements[/bold]: loaded {records} records ({nodes} nodes) "
            f"in {load_s:.1f}s, {records / load_s:,.0f} records/s"
        )
        port = free_port()
        server = start_server(env, port, work_dir / f"serve-{statements}.log")
        try:
            limits = httpx.Limits(
                max_connections=max(args.concurrency), max_keepalive_connections=max(args.concurrency)
            )
            async with httpx.AsyncClient(timeout=60, limits=limits) as http:
                for question in QUESTIONS:
                    for concurrency in args.concurrency:
                        row = await bench_question(
                            question,
                            store,
                            http,
                            f"http://127.0.0.1:{port}/graphql",
                            args.requests,
                            concurrency,
                            statements,
                        )
                        rows.append(row)
                        console.print(
                            f"  {question.name}, c={concurrency}: GraphQL p50 {row.graphql.p50_ms:.1f} ms, "
                            f"raw p50 {row.raw.p50_ms:.1f} ms, ratio {row.ratio_p50:.1f}"
                        )
        finally:
            server.terminate()
            server.wait(30)
    return loaded, rows


def print_table(rows: list[Row]) -> None:
    table = Table(title="GraphQL over HTTP against the raw Cypher beneath it (same run)")
    for column in (
        "statements",
        "question",
        "c",
        "GraphQL p50 ms",
        "p99 ms",
        "req/s",
        "raw p50 ms",
        "p99 ms",
        "req/s",
        "round-trips",
        "p50 ratio",
        "req/s ratio",
    ):
        table.add_column(column, justify="left" if column == "question" else "right")
    for r in rows:
        table.add_row(
            str(r.statements),
            r.question,
            str(r.concurrency),
            f"{r.graphql.p50_ms:.1f}",
            f"{r.graphql.p99_ms:.1f}",
            f"{r.graphql.throughput_rps:.0f}",
            f"{r.raw.p50_ms:.1f}",
            f"{r.raw.p99_ms:.1f}",
            f"{r.raw.throughput_rps:.0f}",
            f"{r.round_trips:.0f}",
            f"{r.ratio_p50:.1f}",
            f"{r.ratio_throughput:.2f}",
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
    parser.add_argument("--requests", type=int, default=200, help="requests per question and concurrency")
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON file (default bench/results/<time>.json)"
    )
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).parent / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    loads, rows = [], []
    with tempfile.TemporaryDirectory(prefix="graphapi-bench-") as tmp:
        for statements in args.statements:
            load_result, size_rows = await bench_size(statements, args, Path(tmp))
            loads.append(load_result)
            rows += size_rows
    print_table(rows)
    result = {
        "machine": machine(),
        "requests": args.requests,
        "load": loads,
        "rows": [asdict(r) for r in rows],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    console.print(f"wrote {out}")
    return result


if __name__ == "__main__":
    asyncio.run(main())
