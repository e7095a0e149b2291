"""A smoke run of `python -m bench.serving` on a tiny graph: the read mix answered without an error by
`graphapi serve` and the ceiling at two concurrencies, each with its CPU per request, and the server's
garbage-collection pauses read from /metrics. The figures themselves come from a full run (README)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from bench.serving import main


def _free_pair() -> int:
    """A port whose next one is free too (the targets listen on consecutive ports)."""
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port = int(a.getsockname()[1])
            with socket.socket() as b:
                try:
                    b.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
            return port
    raise AssertionError("no two consecutive free ports")


@pytest.mark.slow
def test_the_serving_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "serving.json"
    argv = ["--statements", "300", "--seconds", "0.5", "--turns", "1", "--concurrency", "1", "4"]
    result = main([*argv, "--port", str(_free_pair()), "--work", str(tmp_path / "work"), "--out", str(out)])
    assert json.loads(out.read_text()) == result
    assert [cell["concurrency"] for cell in result["cells"]] == [1, 4]
    for cell in result["cells"]:
        for target in ("graphql", "ceiling"):
            timing = cell[target]
            assert timing["requests"] > 0 and timing["rps"] > 0, (target, cell)
            assert timing["p99_ms"] >= timing["p50_ms"] > 0 and timing["cpu_ms_per_request"] > 0
            # each question's own tail, apart from the mix's spread of slow and quick questions
            assert timing["question_tail_worst"] >= timing["question_tail_median"] >= 1, (target, cell)
    assert result["gc"]["graphql"]["count"] > 0  # graphapi_gc_pause_seconds, read from /metrics
