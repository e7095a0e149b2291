"""Steps worked out ahead in a thread (graphapi/seed/ahead.py): in order, errors where they arose, and no
thread left behind when the taker stops early."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from graphapi.seed.ahead import WorkedAhead


def test_items_come_in_order_and_end() -> None:
    ahead = WorkedAhead(range(1000), depth=2)
    assert list(ahead) == list(range(1000))
    assert next(ahead, None) is None
    ahead.close()


def test_an_error_is_raised_where_its_item_would_have_come() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("the third went wrong")

    ahead = WorkedAhead(items())
    taken = []
    with pytest.raises(ValueError, match="the third went wrong"):
        for item in ahead:
            taken.append(item)
    assert taken == [1, 2]
    ahead.close()


def test_closing_early_stops_the_work() -> None:
    worked = []

    def items() -> Iterator[int]:
        for i in range(10_000):
            worked.append(i)
            yield i

    before = threading.active_count()
    ahead = WorkedAhead(items(), depth=2)
    assert next(ahead) == 0
    ahead.close()
    assert threading.active_count() == before
    assert len(worked) <= 4  # the one taken, two waiting, one under way
