"""Documents the limits refuse do not hold the event loop: 3 senders of each class of hostile document
(bench/hostile.py: 1,000 and 3,000 aliases, 400 overlapping fields, 2,000 variable definitions) against a
running `graphapi serve` while /health is probed; /health answers within 100 ms at p99 in the benchmark,
here within a generous margin for a shared machine. The figures are printed (`-s`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.hostile import CLASSES, measure
from helpers import serving

pytestmark = pytest.mark.slow  # starts a server process of its own

P99_MS = 250  # the benchmark's goal is 100 ms; the margin is for a machine shared with other work


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("hostile"), GRAPHAPI_LOG_LEVEL="WARNING") as (url, _):
        yield url


@pytest.mark.parametrize("name", list(CLASSES))
def test_health_answers_while_hostile_documents_are_refused(served: str, name: str) -> None:
    result = measure(served, name, CLASSES[name], seconds=2.0, senders=3, limit=150)
    print(result.line())
    assert set(result.outcomes) == {"BAD_USER_INPUT"}, result.outcomes
    assert not result.failures, result.failures[:5]
    assert result.p99_ms < P99_MS, result.line()
