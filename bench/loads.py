"""What a seed load costs as the corpus grows: records per second and the loader's peak memory for a
load into an empty graph, the time to reload one changed file of the corpus, named alone or with the
whole corpus (the corpus's directory, as `graphapi seed load DIR` does), and the database server's CPU
and peak memory in each step, and `seed validate --offline`. A measurement, not a test:

    .venv/bin/python -m bench.loads --statements 10000 100000 1000000

Each size's synthetic corpus (bench/synthetic.py) is written once into `--corpora` and kept. Each step
runs in a process of its own against the embedded database in a fresh data directory, so its peak RSS is
its own (the database server's memory is its own process's, reported apart). Prints a table and writes
JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.synthetic import write_synthetic_seed

RESULTS = Path(__file__).parent / "results"


def corpus(directory: Path, statements: int) -> Path:
    """The corpus of `statements`, written once."""
    done = directory / f"s{statements}" / ".complete"
    if not done.exists():
        shutil.rmtree(done.parent, ignore_errors=True)
        write_synthetic_seed(done.parent, statements=statements)
        done.write_text("", encoding="utf-8")
    return done.parent


def _files(root: Path) -> list[Path]:
    return sorted(root.glob("*.yaml"))


def changed_file(root: Path) -> Path:
    """The last file of the corpus, with one position's stance changed (and back, alternately)."""
    path = _files(root)[-1]
    text = path.read_text(encoding="utf-8")
    flipped = re.sub(r"stance: SUPPORT", "stance: OPPOSE", text, count=1)
    if flipped == text:
        flipped = re.sub(r"stance: OPPOSE", "stance: SUPPORT", text, count=1)
    path.write_text(flipped, encoding="utf-8")
    return path


# --- the steps, each in a process of its own ---


async def _loads(data_dir: str, root: str) -> dict[str, Any]:
    """Into an empty graph, the corpus; then its last file again, unchanged; then that file with one
    position changed. One database server for the three (a restart replays the whole graph)."""
    from graphapi.config import Settings
    from graphapi.store import open_store

    async with open_store(Settings.from_env({"GRAPHAPI_DATA_DIR": data_dir})) as store:
        fresh = await _timed(store, [Path(root)])
        fresh["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        last = _files(Path(root))[-1]
        unchanged = await _timed(store, [last])
        changed = await _timed(store, [changed_file(Path(root))])
        # the whole corpus again, unchanged; then with one record of its last file changed
        corpus_unchanged = await _timed(store, [Path(root)])
        changed_file(Path(root))
        corpus_changed = await _timed(store, [Path(root)])
    return {
        "load": fresh,
        "unchanged": unchanged,
        "reload": changed,
        "corpus_unchanged": corpus_unchanged,
        "corpus_reload": corpus_changed,
    }


async def _timed(store: Any, paths: list[Path]) -> dict[str, Any]:
    from graphapi.seed.loader import load

    reset_peak(store)  # the server's peak memory of this step, not of the ones before
    server_before = server_usage(store)
    cpu = _cpu()
    started = time.perf_counter()
    report = await load(store, paths)
    seconds = time.perf_counter() - started
    cpu = {k: v - cpu[k] for k, v in _cpu().items()}
    server = server_usage(store)
    records = sum((report.nodes_created + report.nodes_updated + report.nodes_deleted).values())
    records += sum((report.rels_created + report.rels_updated + report.rels_deleted).values())
    return {
        "seconds": seconds,
        "records": records,
        "files_read": len(report.files) - len(getattr(report, "skipped", [])),
        "statements": report.statements,
        "cpu_s": cpu["self"],
        "workers_cpu_s": cpu["children"],
        # the readers of files, when a pool read them (their memory is theirs)
        "workers_peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "server_cpu_s": server["cpu_s"] - server_before["cpu_s"],
        "server_rss_kb": server["rss_kb"],
    }


def _cpu() -> dict[str, float]:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"self": me.ru_utime + me.ru_stime, "children": children.ru_utime + children.ru_stime}


def _server_pid(store: Any) -> int | None:
    supervisor = getattr(store, "supervisor", None)
    pid: int | None = getattr(getattr(supervisor, "server", None), "pid", None)
    return pid


def reset_peak(store: Any) -> None:
    """Start the embedded server's peak RSS (VmHWM) again from its present RSS (Linux: clear_refs 5)."""
    pid = _server_pid(store)
    if pid is not None:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def server_usage(store: Any) -> dict[str, Any]:
    """The embedded server's peak RSS since `reset_peak` and CPU seconds (its own process), when it is
    one."""
    pid = _server_pid(store)
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return {"rss_kb": None, "cpu_s": 0.0}
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    ticks = os.sysconf("SC_CLK_TCK")
    return {
        "rss_kb": int(found.group(1)) if found else None,
        "cpu_s": (int(stat[11]) + int(stat[12])) / ticks,
    }


def _validate(paths: list[str]) -> dict[str, Any]:
    from graphapi.seed.streamed import validate_streamed

    started = time.perf_counter()
    summary = validate_streamed([Path(p) for p in paths])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": time.perf_counter() - started,
        "records": summary.records,
        "workers_cpu_s": children.ru_utime + children.ru_stime,
        "workers_peak_rss_kb": children.ru_maxrss,
    }


def child(argv: list[str]) -> None:
    step, *rest = argv
    out = asyncio.run(_loads(rest[0], rest[1])) if step == "loads" else _validate(rest)
    me = resource.getrusage(resource.RUSAGE_SELF)
    out.setdefault("peak_rss_kb", me.ru_maxrss)
    out.setdefault("cpu_s", me.ru_utime + me.ru_stime)
    print(json.dumps(out))


def run(step: str, *args: str, attempts: int = 3) -> dict[str, Any]:
    """A step in a process of its own. (Tried again when the database it restarts on a busy machine
    does not answer in time while it reads its files back.)"""
    env = {**os.environ, "GRAPHAPI_LOG_LEVEL": "WARNING"}
    for attempt in range(attempts):
        done = subprocess.run(
            [sys.executable, "-m", "bench.loads", "--child", step, *args],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode == 0 or "did not answer within" not in done.stderr or attempt + 1 == attempts:
            break
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(root: Path, statements: int, *, validate_too: bool = True) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix="graphapi-bench-loads-")
    try:
        loads = run("loads", data_dir, str(root))
        validate = run("validate", str(root)) if validate_too else None
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "statements": statements,
        **loads,
        "validate": validate,
    }


def _row(result: dict[str, Any]) -> str:
    load, reload, again, validate = (result[k] for k in ("load", "reload", "unchanged", "validate"))
    rate = load["records"] / load["seconds"]
    cpu = load["cpu_s"] + load["workers_cpu_s"]
    server = f"{load['server_rss_kb'] // 1024} MB" if load.get("server_rss_kb") else "?"
    checked = "-"
    if validate:
        checked = f"{validate['seconds']:.1f} s ({validate['records'] / validate['seconds']:,.0f}/s)"
    corpus, corpus_again = result["corpus_reload"], result["corpus_unchanged"]
    return (
        f"| {result['statements']:,} | {load['records']:,} | {load['seconds']:.1f} s | {rate:,.0f} | "
        f"{cpu:.0f} s + {load['server_cpu_s']:.0f} s | {load['records'] / cpu:,.0f} | "
        f"{load['peak_rss_kb'] // 1024} MB ({load['workers_peak_rss_kb'] // 1024} MB) | {server} | "
        f"{reload['seconds']:.1f} s ({reload['records']} records; server {reload['server_cpu_s']:.1f} CPU s, "
        f"peak {_mb(reload)}) | {again['seconds']:.1f} s (server peak {_mb(again)}) | "
        f"{corpus['seconds']:.1f} s ({corpus['records']} records, {corpus['files_read']} file(s) read; "
        f"CPU {corpus['cpu_s']:.1f} s + server {corpus['server_cpu_s']:.1f} s) | "
        f"{corpus_again['seconds']:.1f} s ({corpus_again['files_read']} file(s) read) | "
        f"{checked} | {result['load_average'][0]:.1f} |"
    )


def _mb(step: dict[str, Any]) -> str:
    return f"{step['server_rss_kb'] // 1024} MB" if step.get("server_rss_kb") else "?"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--statements", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--corpora", type=Path, default=Path(tempfile.gettempdir()) / "graphapi-bench-corpora"
    )
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-validate", action="store_true", help="Leave out `seed validate --offline`.")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    results = []
    print(
        "| statements | records | fresh load | records/s | CPU: loader + server | records per loader CPU s | "
        "loader peak RSS (file readers) | server peak RSS | reload of one changed file | reload, unchanged "
        "| the corpus reloaded, one record of one file changed | the corpus reloaded, unchanged "
        "| validate --offline | load average |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for statements in args.statements:
        root = corpus(args.corpora, statements)
        load_average = os.getloadavg()
        result = measure(root, statements, validate_too=not args.no_validate)
        result["load_average"] = load_average
        result["load_average_after"] = os.getloadavg()
        results.append(result)
        print(_row(result), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = args.out or RESULTS / f"loads-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
