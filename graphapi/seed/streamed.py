"""A load into an empty graph, streamed: the files are read and checked one at a time, their writes
spooled to disk (graphapi/seed/scan.py), then sent in large batches as they are worked out
(graphapi/graph/fresh.py), all or nothing (Store.write_all: on FalkorDB into a copy swapped in at the
end). Nothing of the graph to compare with, so memory stays bounded by the largest file, not the corpus.

A graph that holds anything a load compares with (a node, a file's list, a claim) is loaded by comparing
(graphapi/seed/loader.py), and so is a small corpus with a problem, so its errors read as they always
have; a large one's problems are reported as found here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from graphapi.errors import StoreError, WriteConflict
from graphapi.graph.changes import Publish, publish_nowhere
from graphapi.graph.fresh import FreshLoad
from graphapi.graph.load_plan import LoadReport
from graphapi.seed.ahead import WorkedAhead
from graphapi.seed.files import discover
from graphapi.seed.plan import owner_name
from graphapi.seed.problems import SeedInvalid
from graphapi.seed.scan import Scan, scan
from graphapi.store.base import Cypher, Store, WriteStep

log = logging.getLogger(__name__)

# Rows per statement: large batches, each still well within a query's time.
STREAM_BATCH = 5000
# Below this many bytes of seed files, problems are reported by the comparing loader (its messages name
# the first place a record is stated, and more).
EXACT_PROBLEMS_BYTES = 32 << 20
# What a load compares with, if the graph holds any.
HELD = (
    Cypher("load.any_node", "MATCH (n:Node) RETURN n.id AS id LIMIT 1"),
    Cypher("load.any_file", "MATCH (f:SeedFile) RETURN f.name AS id LIMIT 1"),
    Cypher("load.any_claim", "MATCH (c:Claim) RETURN c.key AS id LIMIT 1"),
)


class LoadProgress(Protocol):
    """Told what a long load is doing: a step (`phase`, with how many units it has, if known), and how
    many units of it were just done."""

    def phase(self, description: str, total: int | None) -> None: ...

    def advance(self, units: int = 1) -> None: ...


class NoProgress:
    def phase(self, description: str, total: int | None) -> None:
        return None

    def advance(self, units: int = 1) -> None:
        return None


async def empty(store: Store) -> bool:
    """Whether the graph holds nothing a load compares with."""
    for query in HELD:
        if await store.read(query):
            return False
    return True


def validate_streamed(paths: Sequence[Path] = (), *, progress: LoadProgress | None = None) -> Scan:
    """Offline validation, file by file (`seed validate --offline`): raises SeedInvalid; what it returns
    says what was read, the drafts, and the references to ids outside the files (not checked)."""
    progress = progress or NoProgress()
    files = discover(paths)
    progress.phase("reading and checking files", len(files))
    scanned = scan(files, offline=True, on_read=progress.advance)
    scanned.close()
    if scanned.problems:
        raise SeedInvalid(scanned.problems)
    return scanned


async def load_streamed(
    store: Store,
    paths: Sequence[Path] = (),
    *,
    batch_size: int = STREAM_BATCH,
    publish: Publish = publish_nowhere,
    progress: LoadProgress | None = None,
    on_step: Callable[[], None] | None = None,
    new_graph: bool = True,
) -> LoadReport | None:
    """Load seed files into an empty graph, streamed; None, having written nothing, when the graph is not
    empty, when it was written to meanwhile, or when a small corpus has problems (the comparing loader
    then does the load, or says what is wrong). Raises SeedInvalid for a large corpus's problems.
    `new_graph`: the store may build the graph apart (Store.write_new: on FalkorDB, GRAPH.BULK); False
    sends the statements themselves (Store.write_all)."""
    progress = progress or NoProgress()
    async with store.watching() as since:
        if not await empty(store):
            return None
        files = discover(paths)
        progress.phase("reading and checking files", len(files))
        scanned = scan(files, on_read=progress.advance)
        try:
            if scanned.problems or scanned.drafts:
                if sum(path.stat().st_size for path in files) < EXACT_PROBLEMS_BYTES:
                    return None
                raise SeedInvalid(scanned.problems + scanned.drafts, "nothing was loaded")
            write = store.write_new if new_graph else store.write_all
            fresh = await _write(write, scanned, batch_size, since, progress, on_step)
            if publish is not publish_nowhere:
                for change in fresh.changes():
                    await publish(change)
        except WriteConflict:
            log.warning("the graph was written to while it was loaded; comparing with it instead")
            return None
        except StoreError:
            # Another load swapped its graph in first: the copy this one wrote into held its nodes (a
            # unique constraint refused the batch). That is the conflict the swap would have found.
            if await empty(store):
                raise
            log.warning("the graph was written to while it was loaded; comparing with it instead")
            return None
        finally:
            scanned.close()
    return fresh.report


async def _write(
    write: Callable[..., Awaitable[None]],
    scanned: Scan,
    batch_size: int,
    since: object,
    progress: LoadProgress,
    told: Callable[[], None] | None,
) -> FreshLoad:
    owners = [owner_name(path) for path in scanned.files]
    fresh = FreshLoad(scanned.writes, scanned.first, scanned.several, owners, batch_size)
    progress.phase("writing", scanned.records)
    counted = {"sent": 0, "taken": 0}  # the records of the steps sent, and of those taken to send

    def worked_out() -> Iterator[tuple[WriteStep, int]]:  # (in the thread that works the steps out)
        for step in fresh.steps():
            yield step, sum(fresh.report.nodes_created.values()) + sum(fresh.report.rels_created.values())

    def taken(ahead: WorkedAhead[tuple[WriteStep, int]]) -> Iterator[WriteStep]:
        for step, records in ahead:
            counted["taken"] = records
            yield step

    def on_step() -> None:
        progress.advance(counted["taken"] - counted["sent"])
        counted["sent"] = counted["taken"]
        if told is not None:
            told()

    ahead = WorkedAhead(worked_out())
    try:
        await write(taken(ahead), on_step=on_step, since=since)
    finally:
        ahead.close()
    return fresh


__all__ = [
    "EXACT_PROBLEMS_BYTES",
    "STREAM_BATCH",
    "LoadProgress",
    "NoProgress",
    "empty",
    "load_streamed",
    "validate_streamed",
]
