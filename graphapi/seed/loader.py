"""Loading seed files into the graph: validate everything, compare with what the graph holds, then write
only the difference, in batches, as one all-or-nothing unit (through the write service)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from graphapi.graph import reads
from graphapi.graph.changes import Publish, publish_nowhere
from graphapi.graph.loads import BATCH_SIZE, LoadReport, PreparedLoad, prepare_load
from graphapi.graph.writer import GraphWriter
from graphapi.seed.checks import check_plan, referenced_ids
from graphapi.seed.files import discover, read_all
from graphapi.seed.plan import SeedPlan, plan
from graphapi.seed.problems import SeedInvalid
from graphapi.store.base import Store


@dataclass
class SeedLoad(LoadReport):
    """What a load did: the report of the graph's changes, and the files it read."""

    files: list[Path] = field(default_factory=list)


def validate_files(paths: Sequence[Path] = ()) -> tuple[list[Path], SeedPlan]:
    """Offline validation: records, references within the files, spans. Raises SeedInvalid."""
    files = discover(paths)
    seed_plan = plan(read_all(files))
    problems = check_plan(seed_plan, frozenset(), graph_read=False)
    if problems:
        raise SeedInvalid(problems)
    return files, seed_plan


async def checked_plan(store: Store, paths: Sequence[Path] = ()) -> tuple[list[Path], SeedPlan]:
    """Validate the files against each other and the graph. Raises SeedInvalid; writes nothing."""
    files = discover(paths)
    seed_plan = plan(read_all(files))
    outside = sorted(referenced_ids(seed_plan))
    in_graph = (
        {row["id"] for row in await store.read(reads.EXISTING_IDS, {"ids": outside})} if outside else set()
    )
    problems = check_plan(seed_plan, in_graph, graph_read=True)
    if problems:
        raise SeedInvalid(problems)
    return files, seed_plan


async def prepare(store: Store, paths: Sequence[Path] = (), *, batch_size: int = BATCH_SIZE) -> PreparedLoad:
    """The checked files' writes, worked out against the graph; nothing is written."""
    _, seed_plan = await checked_plan(store, paths)
    return await prepare_load(store, seed_plan.load, batch_size)


async def load(
    store: Store,
    paths: Sequence[Path] = (),
    *,
    batch_size: int = BATCH_SIZE,
    on_plan: Callable[[int], None] | None = None,
    on_step: Callable[[], None] | None = None,
    publish: Publish = publish_nowhere,
) -> SeedLoad:
    """Load seed files. Nothing is written unless every file is valid; a second run writes nothing."""
    files, seed_plan = await checked_plan(store, paths)
    writer = GraphWriter(store, publish)
    report = await writer.load(seed_plan.load, batch_size=batch_size, on_plan=on_plan, on_step=on_step)
    return SeedLoad(**{f.name: getattr(report, f.name) for f in fields(report)}, files=files)
