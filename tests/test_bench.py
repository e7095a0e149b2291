"""A smoke run of the benchmark on a tiny graph: it loads, serves, times both paths and writes its JSON.
The figures themselves are not checked here; they come from `python -m bench` (see README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.questions import QUESTIONS

pytestmark = pytest.mark.slow  # starts database or server processes of its own


async def test_the_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = await main(
        ["--statements", "300", "--requests", "4", "--concurrency", "1", "2", "--out", str(out)]
    )
    assert json.loads(out.read_text()) == result
    [loaded] = result["load"]
    assert loaded["statements"] == 300 and loaded["records_per_s"] > 0
    rows = result["rows"]
    assert {r["question"] for r in rows} == {q.name for q in QUESTIONS}
    assert len(rows) == 2 * len(QUESTIONS)
    for row in rows:
        assert row["graphql"]["p50_ms"] > 0 and row["raw"]["p50_ms"] > 0
        assert row["round_trips"] >= 1 and row["ratio_p50"] > 0
