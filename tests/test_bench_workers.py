"""A smoke run of `python -m bench.workers` on a tiny graph: every workload answered under load by 1 and 2
workers, with no errors, and the CPU accounted for. The figures themselves come from a full run (README)."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest

from bench.workers import WORKLOADS, main


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (Debian: apt-get install wrk)")
def test_the_workers_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = tmp_path / "workers.json"
    argv = ["--statements", "200", "--workers", "1", "2", "--seconds", "1", "--connections", "4"]
    result = main([*argv, "--port", str(port), "--out", str(out), "--keep", str(tmp_path / "work")])
    assert json.loads(out.read_text()) == result
    runs = result["runs"]
    assert [(r["workers"], r["workload"]) for r in runs] == [(n, w.name) for n in (1, 2) for w in WORKLOADS]
    for run in runs:
        assert run["requests_per_s"] > 0 and run["errors"] == 0 and run["p99_ms"] >= run["p50_ms"] > 0
        assert run["cpu"]["serve"] > 0 and set(run["cpu"]) == {"serve", "database", "client", "others"}
