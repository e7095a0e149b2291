"""An iterator worked out ahead in a thread of its own: while the event loop waits for the database to run
one batch of a streamed load (graphapi/seed/streamed.py), the next is worked out (read from the spool,
claims merged, history written), instead of after. Items come in order, at most `depth` ahead; an error
of the work is raised where its item would have come. `close()` stops the work (it waits for the item
under way at most) and must be called, even when not every item was taken.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_ITEM, _END, _ERROR = "item", "end", "error"


class WorkedAhead(Generic[T]):
    """The items of `items`, worked out in a thread at most `depth` ahead of the one taken."""

    def __init__(self, items: Iterable[T], depth: int = 2) -> None:
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._done = False
        self._thread = threading.Thread(target=self._work, args=(items,), name="worked-ahead", daemon=True)
        self._thread.start()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        what, value = self._queue.get()
        if what == _ITEM:
            return value  # type: ignore[no-any-return]
        self._done = True
        if what == _ERROR:
            raise value
        raise StopIteration

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def _work(self, items: Iterable[T]) -> None:
        try:
            for item in items:
                if not self._put((_ITEM, item)):
                    return
        except BaseException as exc:  # raised in the taker's thread, where the item would have come
            self._put((_ERROR, exc))
            return
        self._put((_END, None))

    def _put(self, entry: tuple[str, Any]) -> bool:
        """Queue an entry once there is room; False once closed."""
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.05)
            except queue.Full:
                continue
            return True
        return False


__all__ = ["WorkedAhead"]
