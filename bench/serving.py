"""python -m bench.serving: throughput and latency of the read mix against the ceiling, at several
concurrencies, with every target measured in turns in the same run (a shared machine's load falls on all).

The read mix is every compiled question of bench/questions.py, asked in turn on each connection. The
ceiling is bench/ceiling.py: the same questions as one hand-written statement each on a bare endpoint.
More targets (an older checkout, another setting) are named with `--target NAME=COMMAND`, where COMMAND
holds `{port}`; `--env NAME:KEY=VALUE` gives one target an environment variable.

    python -m bench.serving --statements 10000 --concurrency 1 8 32 --seconds 4 --turns 3
    python -m bench.serving --target base='python -m bench.serve_with --port {port}' \
        --env base:PYTHONPATH=/tmp/base

The client is a plain asyncio HTTP/1.1 client on keep-alive connections (requests written from prepared
bytes): cheap, so most of the two cores go to the servers. For each target it reports requests per
second, p50 and p99, the server's CPU per request, and the server's garbage-collection pauses when it
exposes them (`graphapi_gc_pause_seconds` in /metrics). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.__main__ import load_averages, percentile, start
from bench.questions import QUESTIONS
from bench.synthetic import write_synthetic_seed
from bench.workers import children, cpu_seconds
from graphapi.config import Settings
from graphapi.graph.reads import COUNT_NODES
from graphapi.seed.loader import load
from graphapi.store import Cypher, Store, open_store

WIPE = Cypher("bench.serving_wipe", "MATCH (n) DETACH DELETE n")
MIX = [(i, q) for i, q in enumerate(QUESTIONS) if q.compiled]


def request_bytes(port: int, path: str, body: dict[str, Any]) -> bytes:
    payload = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


def mix_requests(target: str, port: int, engine: str) -> list[bytes]:
    """The read mix as each target is asked it: GraphQL with variables, or the ceiling's parameters."""
    if target == "ceiling":
        return [request_bytes(port, f"/q/{i}", {"params": q.raw(engine)[1]}) for i, q in MIX]
    return [request_bytes(port, "/graphql", {"query": q.graphql, "variables": q.variables}) for _, q in MIX]


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> bytes:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = head[9:12]
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    body = await reader.readexactly(length)
    if status != b"200" or b'"errors"' in body:
        raise RuntimeError(f"{status!r}: {body[:300]!r}")
    return body


async def drive(
    port: int, requests: list[bytes], concurrency: int, seconds: float
) -> tuple[list[tuple[int, float]], float]:
    """`concurrency` connections asking the mix in turn for `seconds`: each request's question (its place
    in the mix) and latency, and the time they took."""
    latencies: list[tuple[int, float]] = []
    stop = time.perf_counter() + seconds

    async def connection(offset: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        n = offset
        try:
            while time.perf_counter() < stop:
                started = time.perf_counter()
                await exchange(reader, writer, requests[n % len(requests)])
                latencies.append((n % len(requests), time.perf_counter() - started))
                n += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection(i) for i in range(concurrency)))
    return latencies, time.perf_counter() - started


def gc_pauses(port: int) -> dict[str, float]:
    """The server's GC pause histogram (count, sum and the count over 10 ms), when it has one."""
    import httpx

    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    except httpx.HTTPError:
        return {}
    found = {"count": 0.0, "sum": 0.0, "over_10ms": 0.0, "le_10ms": 0.0}
    for line in text.splitlines():
        if not line.startswith("graphapi_gc_pause_seconds"):
            continue
        name, value = line.rsplit(" ", 1)
        if "_count" in name or "_sum" in name:
            generation = name.split('generation="')[1][0]
            kind = "count" if "_count" in name else "sum"
            found[f"gen{generation}_{kind}"] = float(value)
        if name.startswith("graphapi_gc_pause_seconds_count"):
            found["count"] += float(value)
        elif name.startswith("graphapi_gc_pause_seconds_sum"):
            found["sum"] += float(value)
        elif 'le="0.01"' in name:
            found["le_10ms"] += float(value)
    found["over_10ms"] = found["count"] - found["le_10ms"]
    return found


def server_pids(process: subprocess.Popen[bytes]) -> list[int]:
    return [process.pid, *children(process.pid)]


async def measure_cell(
    targets: dict[str, tuple[int, list[bytes], subprocess.Popen[bytes]]],
    concurrency: int,
    seconds: float,
    turns: int,
) -> dict[str, dict[str, float]]:
    latencies: dict[str, list[tuple[int, float]]] = {t: [] for t in targets}
    elapsed = dict.fromkeys(targets, 0.0)
    cpu = dict.fromkeys(targets, 0.0)
    for _ in range(turns):
        for name, (port, requests, process) in targets.items():
            await drive(port, requests, concurrency, 0.3)  # warm the connections and caches
            before = sum(cpu_seconds(p) for p in server_pids(process))
            got, took = await drive(port, requests, concurrency, seconds)
            cpu[name] += sum(cpu_seconds(p) for p in server_pids(process)) - before
            latencies[name] += got
            elapsed[name] += took
    return {
        name: {
            "rps": len(latencies[name]) / elapsed[name],
            "p50_ms": percentile([t for _, t in latencies[name]], 0.5) * 1000,
            "p99_ms": percentile([t for _, t in latencies[name]], 0.99) * 1000,
            "cpu_ms_per_request": 1000 * cpu[name] / max(1, len(latencies[name])),
            "requests": len(latencies[name]),
            **question_tails(latencies[name]),
        }
        for name in targets
    }


def question_tails(latencies: list[tuple[int, float]]) -> dict[str, float]:
    """p99 ÷ p50 of each question on its own: the mix's p99 over its p50 is mostly its slowest questions
    against its quickest, not a tail; each question's own ratio is."""
    by_question: dict[int, list[float]] = {}
    for question, took in latencies:
        by_question.setdefault(question, []).append(took)
    ratios = sorted(percentile(t, 0.99) / percentile(t, 0.5) for t in by_question.values() if len(t) >= 10)
    if not ratios:
        return {}
    return {"question_tail_median": ratios[len(ratios) // 2], "question_tail_worst": ratios[-1]}


def environment(statements: int, work: Path) -> dict[str, str]:
    env = {**os.environ, "GRAPHAPI_DATA_DIR": str(work / "data"), "GRAPHAPI_GRAPH": f"serving_{statements}"}
    return env


async def prepare(store: Store, statements: int, work: Path) -> None:
    """The synthetic graph loaded (kept in `work` between runs: loaded once per size)."""
    marker = work / f"loaded-{statements}"
    if not marker.exists():
        seed = write_synthetic_seed(work / f"seed-{statements}", statements=statements)
        await store.write(WIPE)
        started = time.perf_counter()
        await load(store, [seed])
        print(f"loaded {statements} statements in {time.perf_counter() - started:.1f}s", flush=True)
        marker.touch()
    nodes = (await store.read(COUNT_NODES))[0]["nodes"]
    print(f"{statements} statements: {nodes} nodes", flush=True)


def commands(args: argparse.Namespace) -> dict[str, str]:
    py = shlex.quote(sys.executable)
    found = {
        "graphql": f"{py} -m graphapi serve --no-seed --port {{port}}",
        "ceiling": f"{py} -m bench.ceiling --port {{port}}",
    }
    for given in args.target:
        name, _, command = given.partition("=")
        found[name] = command
    return {name: found[name] for name in (args.only or found)}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """The store stays open here, so the embedded database is no target's child (each target's CPU is
    its own)."""
    env = environment(args.statements, args.work)
    async with open_store(Settings.from_env(env)) as store:
        await prepare(store, args.statements, args.work)
        return await measure_targets(args, env, store.engine)


async def measure_targets(args: argparse.Namespace, env: dict[str, str], engine: str) -> dict[str, Any]:
    extra: dict[str, dict[str, str]] = {}
    for given in args.env:
        name, _, pair = given.partition(":")
        key, _, value = pair.partition("=")
        extra.setdefault(name, {})[key] = value
    results: dict[str, Any] = {"statements": args.statements, "load_before": load_averages(), "cells": []}
    with ExitStack() as stack:
        targets = {}
        for n, (name, command) in enumerate(commands(args).items()):
            port = args.port + n
            argv = shlex.split(command.format(port=port))
            ready = f"http://127.0.0.1:{port}" + ("/q/0" if name == "ceiling" else "/ready")
            log = args.work / f"{name}.log"
            process = start(argv, {**env, **extra.get(name, {})}, ready, log)
            stack.callback(lambda p=process: (p.terminate(), p.wait(30)))
            targets[name] = (port, mix_requests(name, port, engine), process)
        gc_before = {name: gc_pauses(port) for name, (port, _, _) in targets.items()}
        for concurrency in args.concurrency:
            cell = await measure_cell(targets, concurrency, args.seconds, args.turns)
            results["cells"].append({"concurrency": concurrency, **cell})
            print_cell(concurrency, cell)
        gc_after = {name: gc_pauses(port) for name, (port, _, _) in targets.items()}
        results["gc"] = {
            name: {k: gc_after[name].get(k, 0) - gc_before[name].get(k, 0) for k in gc_after[name]}
            for name in targets
        }
    results["load_after"] = load_averages()
    print("gc pauses during the run:", json.dumps(results["gc"]))
    print("load averages: before", results["load_before"], "after", results["load_after"])
    return results


def print_cell(concurrency: int, cell: dict[str, dict[str, float]]) -> None:
    ceiling = cell.get("ceiling")
    for name, t in cell.items():
        ratio = f" ({t['rps'] / ceiling['rps']:.2f}x ceiling req/s)" if ceiling and name != "ceiling" else ""
        tails = ""
        if "question_tail_median" in t:
            median, worst = t["question_tail_median"], t["question_tail_worst"]
            tails = f"  p99/p50 per question: median {median:.1f}x, worst {worst:.1f}x"
        print(
            f"c={concurrency:<3} {name:<12} {t['rps']:7.0f} req/s  p50 {t['p50_ms']:6.2f} ms  "
            f"p99 {t['p99_ms']:7.2f} ms  cpu {t['cpu_ms_per_request']:.2f} ms/req{ratio}{tails}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.serving", description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=4.0, help="per target and turn")
    parser.add_argument("--turns", type=int, default=3, help="the targets take this many turns per cell")
    parser.add_argument("--port", type=int, default=8193, help="the first target's; the others follow")
    parser.add_argument("--work", type=Path, default=Path("/tmp/graphapi-bench-serving"))
    parser.add_argument("--target", action="append", default=[], help="NAME=COMMAND with {port}")
    parser.add_argument("--env", action="append", default=[], help="NAME:KEY=VALUE for one target")
    parser.add_argument("--only", nargs="+", default=None, help="only these targets")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = asyncio.run(run(args))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
