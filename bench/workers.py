"""python -m bench.workers: throughput of `graphapi serve --workers N` for N = 1, 2, 4 on one synthetic
graph, for a question whose time goes to Python (GraphQL resolution of 20 nested results) and one whose
time goes to the database, with the CPU each process used: where the cores went.

    python -m bench.workers                              # 10k statements, 1 2 4 workers, 16 connections
    python -m bench.workers --workers 1 2 --seconds 5

The load comes from wrk (Debian package `wrk`: one C thread, keep-alive connections), on the same
machine, so its CPU is counted too, and so is the CPU of everything else on the machine ("others"):
on a shared machine, other people's work takes cores too. tests/test_bench_workers.py runs it once on a
tiny graph when wrk is installed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
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

from bench.synthetic import write_synthetic_seed
from graphapi.config import Settings
from graphapi.seed.loader import load
from graphapi.store import Cypher, open_store

WIPE = Cypher("bench.workers_wipe", "MATCH (n) DETACH DELETE n")
console = Console(width=160)
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Workload:
    name: str
    bound: str
    query: str


WORKLOADS = [
    Workload("a small answer: the number of sources", "Python (HTTP, GraphQL)", "{ sources { totalCount } }"),
    Workload(
        "positions on a measure, 20 with actor and evidence",
        "Python (resolving 20 nested results)",
        '{ positions(on: "measure:m0", first: 20) { nodes { stance confidence actor { name } '
        "evidence { quote span { start end } source { title } } } } }",
    ),
    Workload(
        "count of statements said in a range",
        "database",
        '{ statements(filter: {saidFrom: "2025-01-01", saidTo: "2025-12-31"}, first: 1) { totalCount } }',
    ),
]


@dataclass
class Run:
    workload: str
    bound: str
    workers: int
    connections: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu: dict[str, float]  # cores used on average during the run, by process kind


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy, every process counted (the first line of /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / TICKS


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def milliseconds(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(found[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[found[2]]


def run_wrk(url: str, query: str, connections: int, seconds: int, script_dir: Path) -> dict[str, float]:
    script = script_dir / "post.lua"
    script.write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = {json.dumps(json.dumps({'query': query}))}\n"
    )
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Requests/sec" not in out or "50%" not in out:
        raise RuntimeError(f"wrk did not measure:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)$", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)$", out, re.M).group(1)),  # type: ignore[union-attr]
        "errors": float(non_2xx.group(1) if non_2xx else 0) + (1 if socket_errors else 0),
    }


def start(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "graphapi", "serve", "--no-seed", "--port", str(port)]
    with log.open("w") as out:
        server = subprocess.Popen([*command, "--workers", str(workers)], env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"graphapi serve exited: {log.read_text()[-2000:]}")
        try:
            ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200
            # every worker up (uvicorn starts them one after the other; its resource tracker is a child too)
            if ready and (workers == 1 or len(children(server.pid)) > workers):
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("graphapi serve did not become ready")


def measure(args: argparse.Namespace, work: Path) -> list[Run]:
    env = {**os.environ, "GRAPHAPI_DATA_DIR": str(work / "data"), "GRAPHAPI_GRAPH": "bench_workers"}
    shutil.rmtree(work / "data", ignore_errors=True)  # a fresh database: a long AOF slows every start
    seed = write_synthetic_seed(work / "seed", statements=args.statements)

    async def prepare() -> None:
        async with open_store(Settings.from_env(env)) as store:
            await store.write(WIPE)
            await load(store, [seed])

    asyncio.run(prepare())
    runs = []
    for workers in args.workers:
        port = args.port
        server = start(env, port, workers, work / f"serve-{workers}.log")
        try:
            database = int((work / "data" / "falkordb" / "falkordb.pid").read_text())
            url = f"http://127.0.0.1:{port}/graphql"
            for workload in WORKLOADS:
                answer = httpx.post(url, json={"query": workload.query}, timeout=30).json()
                assert not answer.get("errors"), answer
                run_wrk(url, workload.query, args.connections, min(2, args.seconds), work)  # warm up
                serving = [pid for pid in (server.pid, *children(server.pid)) if pid != database]
                before = {"serve": sum(map(cpu_seconds, serving)), "database": cpu_seconds(database)}
                client_before = os.times()
                busy_before = machine_busy_seconds()
                started = time.monotonic()
                result = run_wrk(url, workload.query, args.connections, args.seconds, work)
                elapsed = time.monotonic() - started
                client_after = os.times()
                busy = (machine_busy_seconds() - busy_before) / elapsed
                cpu = {
                    "serve": (sum(map(cpu_seconds, serving)) - before["serve"]) / elapsed,
                    "database": (cpu_seconds(database) - before["database"]) / elapsed,
                    "client": (
                        client_after.children_user
                        + client_after.children_system
                        - client_before.children_user
                        - client_before.children_system
                    )
                    / elapsed,
                }
                cpu["others"] = max(0.0, busy - sum(cpu.values()))  # other people's work on the machine
                run = Run(
                    workload.name,
                    workload.bound,
                    workers,
                    args.connections,
                    result["rps"],
                    result["p50"],
                    result["p99"],
                    int(result["errors"]),
                    {k: round(v, 2) for k, v in cpu.items()},
                )
                runs.append(run)
                console.print(
                    f"  {workers} worker(s), {workload.name}: {run.requests_per_s:.0f} req/s, "
                    f"p50 {run.p50_ms:.1f} ms, cores used: {run.cpu}"
                )
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(60)
    return runs


def print_table(runs: list[Run]) -> None:
    table = Table(title="graphapi serve --workers N, wrk on the same machine")
    cores = "cores: serve / db / wrk / others"
    columns = ("question", "bound by", "workers", "req/s", "p50 ms", "p99 ms", cores)
    for column in columns:
        table.add_column(column, justify="left" if column in ("question", "bound by") else "right")
    for r in runs:
        table.add_row(
            r.workload,
            r.bound,
            str(r.workers),
            f"{r.requests_per_s:.0f}",
            f"{r.p50_ms:.1f}",
            f"{r.p99_ms:.1f}",
            " / ".join(f"{r.cpu[k]:.2f}" for k in ("serve", "database", "client", "others")),
        )
    console.print(table)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=18480)
    parser.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the graph and logs in this directory")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("needs wrk on the PATH (Debian: apt-get install wrk)")
    out = args.out or Path(__file__).parent / "results" / f"workers-{time.strftime('%Y%m%d-%H%M%S')}.json"
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        runs = measure(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="graphapi-bench-workers-") as tmp:
            runs = measure(args, Path(tmp))
    print_table(runs)
    result = {"cpus": os.cpu_count(), "statements": args.statements, "runs": [asdict(r) for r in runs]}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    console.print(f"wrote {out}")
    return result


if __name__ == "__main__":
    main()
