"""The drafter's benchmark runs (bench/draft.py); its figures are not asserted: it is not a timed test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_draft_benchmark_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.draft", "--words", "200", "--repetitions", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "words" in done.stdout and "median" in done.stdout
