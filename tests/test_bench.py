"""A smoke run of the benchmark on a tiny graph: it loads, serves, times both paths and writes its JSON.
The figures themselves are not checked here; they come from `python -m bench` (see README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import request_cpu
from bench.__main__ import main
from bench.questions import QUESTIONS
from bench.synthetic import write_synthetic_seed
from graphapi.seed.loader import load
from graphapi.store import Store

pytestmark = pytest.mark.slow  # starts database or server processes of its own


async def test_the_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = await main(
        ["--statements", "300", "--requests", "4", "--concurrency", "1", "2", "--repetitions", "2",
         "--out", str(out)]
    )  # fmt: skip
    assert json.loads(out.read_text()) == result
    [loaded] = result["load"]
    assert loaded["statements"] == 300 and loaded["records_per_s"] > 0
    cells = result["cells"]
    assert {c["question"] for c in cells} == {q.name for q in QUESTIONS}
    assert len(cells) == 2 * len(QUESTIONS)
    compiled = {q.name for q in QUESTIONS if q.compiled}
    for cell in cells:
        for target in ("graphql", "resolvers", "ceiling"):
            assert cell[target]["p50_ms"]["min"] > 0 and cell[target]["throughput_rps"]["median"] > 0
        assert cell["ratio_to_ceiling_p50"] > 0 and cell["speedup_over_resolvers_p50"] > 0
        assert (cell["round_trips"]["graphql"] == 1) == (cell["question"] in compiled), cell
    assert all(len(run["runs"]["ceiling"]) == 2 for run in result["runs"])
    assert len(result["load_averages"]["before"]) == 3
    assert loaded["loader_peak_mb"] > 0 and loaded["server_peak_mb"] > 0


async def test_the_request_cpu_benchmark_times_every_way_of_every_compiled_question(
    scratch_store: Store, tmp_path: Path
) -> None:
    await load(scratch_store, [write_synthetic_seed(tmp_path, statements=300)])
    rows = await request_cpu.measure(scratch_store, requests=3)
    assert [row["question"] for row in rows] == [q.name for q in QUESTIONS if q.compiled]
    for row in rows:
        assert all(row[way] > 0 for way in ("whole way", "short way", "fast path alone", "statement")), row
