"""Keeps the embedded FalkorDB running, and its append-only file compact. When its process dies (a crash,
a kill, the OOM killer), the service starts it again, with backoff, and drops the connections to the dead
one, so requests are served again within seconds without restarting `graphapi serve`. Every 30 s it
compacts the append-only file if it has grown (FalkorDBStore.compact).

Several processes may use one server (`serve --workers N`, the command line): each watches it, and a
restart goes through the server's start lock, so one process starts it and the others attach. When the
server cannot be brought back (MAX_FAILURES restarts in a row fail), the state is `failed` and `/health`
says so, so an orchestrator restarts the whole service.

A full disk is a state of its own, `disk_full`, whenever the data directory's disk has less than its
reserve free (graphapi/store/disk.py): writes are refused meanwhile, and a server that died of it is not
started again into the same failure, but once space is back. `/health` fails when it lasts longer than
`disk_full_grace_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from graphapi.errors import GraphApiError
from graphapi.store.falkor_server import EmbeddedServer, is_server, probe
from graphapi.store.falkordb_store import FalkorDBStore

log = logging.getLogger(__name__)

CHECK_EVERY_S = 0.5
COMPACT_EVERY = 60  # checks: the append-only file is looked at every 30 s
BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 4.0)  # between failed restarts; the last repeats
MAX_FAILURES = 5


@dataclass
class SupervisorState:
    state: str = "ready"  # ready | restarting | failed | disk_full
    restarts: int = 0  # restarts that succeeded since the service started
    failures: int = 0  # failed attempts in a row
    last_error: str | None = None
    since: float = field(default_factory=time.monotonic)

    def report(self) -> dict[str, object]:
        return {
            "state": self.state,
            "restarts": self.restarts,
            "failed_attempts": self.failures,
            "for_s": round(time.monotonic() - self.since, 1),
        }


class Supervisor:
    def __init__(
        self, server: EmbeddedServer, store: FalkorDBStore, *, disk_full_grace_s: float = 60.0
    ) -> None:
        self.server = server
        self.store = store
        self.disk_full_grace_s = disk_full_grace_s
        self.status = SupervisorState()
        # Set when the store closes. Cancelling the task is not enough on its own: the Redis client's
        # pool may turn a cancellation into a timeout, which the loop would take for a busy server.
        self.stopping = False

    def _down(self) -> bool:
        """The server process is gone (not merely slow: a live process that is loading is left alone)."""
        self.server.reap()
        pid = self.server.pid
        if pid is not None and is_server(pid):
            return False
        return probe(self.store.address) == "down"

    def failing(self) -> bool:
        """Whether an orchestrator should restart the service: the server cannot be brought back, or the
        disk has been full for longer than the grace."""
        state = self.status
        lasting = time.monotonic() - state.since
        return state.state == "failed" or (state.state == "disk_full" and lasting > self.disk_full_grace_s)

    async def run(self) -> None:
        checks = 0
        while not self.stopping:
            if checks % COMPACT_EVERY == 0:  # at start, then now and then
                await self._compact()
            checks += 1
            await asyncio.sleep(CHECK_EVERY_S)
            down = await asyncio.to_thread(self._down)
            if self._disk_full(down):
                continue
            if down:
                await self._restart()

    def _disk_full(self, down: bool) -> bool:
        """Follow the disk: `disk_full` while it is within its reserve; True while a restart must wait
        for space (the server is down and would die again of the same full disk)."""
        disk = self.store.disk
        if disk is None:
            return False
        if disk.full():
            if self.status.state != "disk_full":
                log.error(
                    "the disk of %s is full (%s); writes are refused until space is freed%s",
                    disk.path,
                    disk.report(),
                    ", and the database waits for it to start again" if down else "",
                )
                self._set("disk_full")
            return down
        if self.status.state == "disk_full":
            log.warning("the disk of %s has room again (%s)", disk.path, disk.report())
            self._set("ready" if not down else "restarting")
        return False

    async def _compact(self) -> None:
        try:
            await self.store.compact()
        except GraphApiError as exc:  # the server may be down or busy: the next round tries again
            log.warning("could not compact the append-only file: %s", exc)

    async def _restart(self) -> None:
        self._set("restarting")
        log.error("the embedded FalkorDB is gone; starting it again")
        while True:
            if self.store.disk is not None and self.store.disk.full():
                return  # no start into a full disk: run() waits for space (state disk_full)
            try:
                address = await asyncio.to_thread(self.server.start)
            except (GraphApiError, OSError) as exc:
                if self.stopping:
                    return
                self.status.failures += 1
                self.status.last_error = str(exc)
                log.error("restarting FalkorDB failed (attempt %d): %s", self.status.failures, exc)
                if self.status.failures >= MAX_FAILURES and self.status.state != "failed":
                    self._set("failed")
                    log.critical(
                        "FalkorDB cannot be brought back; /health now fails so the service is restarted"
                    )
                await asyncio.sleep(BACKOFF_S[min(self.status.failures, len(BACKOFF_S)) - 1])
                continue
            # the connections in the pool went to the dead server: drop them all, new ones go to this one
            await self.store.reconnect(address)
            self.status.restarts += 1
            self.status.failures = 0
            self._set("ready")
            log.warning("FalkorDB is back (restart %d)", self.status.restarts)
            return

    def _set(self, state: str) -> None:
        if self.status.state != state:
            self.status.state = state
            self.status.since = time.monotonic()


@contextlib.asynccontextmanager
async def supervised(
    server: EmbeddedServer, store: FalkorDBStore, *, disk_full_grace_s: float = 60.0
) -> AsyncIterator[Supervisor]:
    supervisor = Supervisor(server, store, disk_full_grace_s=disk_full_grace_s)
    store.supervisor = supervisor
    task = asyncio.create_task(supervisor.run(), name="falkordb-supervisor")
    try:
        yield supervisor
    finally:
        supervisor.stopping = True
        task.cancel()
        await asyncio.wait([task], timeout=5)
