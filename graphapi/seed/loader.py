"""Loading seed files into the graph: validate everything, compare with what the graph holds, then write
only the difference, in batches, as one all-or-nothing unit (through the write service).

A file is the truth for what it holds: what a file stated at its last load and no longer states is deleted.
Validation with the graph (`check`) and a load apply the same checks; a load writes only when they all pass.
A file that has not changed since its last load (its digest: graphapi/seed/digests.py) is not read: it
is left out of the load, as a file not named is, and its claims in the graph stand (`force`, and
`overwrite`, read every file).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from graphapi.errors import WriteConflict
from graphapi.graph import reads
from graphapi.graph.changes import Publish, publish_nowhere
from graphapi.graph.load_claims import ID_CHUNK, OwnerClaims, read_claims
from graphapi.graph.load_plan import BATCH_SIZE, LoadProblem, LoadReport, PreparedLoad, chunks
from graphapi.graph.loads import prepare_load
from graphapi.graph.writer import GraphWriter
from graphapi.seed.checks import Graph, check_plan, outside, referenced_ids
from graphapi.seed.digests import STORED_DIGESTS, changed_through_api, unchanged
from graphapi.seed.drafts import drafted
from graphapi.seed.files import discover, read_all
from graphapi.seed.plan import SeedPlan, owner_name, plan
from graphapi.seed.problems import SeedInvalid, SeedProblem
from graphapi.seed.streamed import STREAM_BATCH, LoadProgress, load_streamed
from graphapi.store.base import Store

log = logging.getLogger(__name__)

NOTHING_LOADED = "nothing was loaded"


@dataclass
class SeedLoad(LoadReport):
    """What a load did: the report of the graph's changes, the files named, and those of them it left
    out, unchanged since their last load (`skipped`: not read)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    skipped_records: int = 0  # the records the skipped files state


@dataclass
class SeedCheck:
    """Seed files checked: against each other (offline), or also against the graph, with the load that
    would follow (`prepared`) and what stands in its way (`problems`)."""

    files: list[Path]
    plan: SeedPlan
    prepared: PreparedLoad | None = None
    problems: list[SeedProblem] = field(default_factory=list)
    unchecked: list[SeedProblem] = field(default_factory=list)  # offline: references not looked up
    skipped: list[Path] = field(default_factory=list)  # unchanged since their last load: not read
    skipped_records: int = 0  # the records they state


def validate_files(paths: Sequence[Path] = ()) -> SeedCheck:
    """Offline validation: records, quotes, references within the files (those outside them are listed in
    `unchecked`, as the graph was not read). Raises SeedInvalid."""
    files = discover(paths)
    seed_plan = plan(read_all(files))
    problems = check_plan(seed_plan, None)
    if problems:
        raise SeedInvalid(problems)
    return SeedCheck(files, seed_plan, unchecked=outside(seed_plan))


async def check(
    store: Store,
    paths: Sequence[Path] = (),
    *,
    batch_size: int = BATCH_SIZE,
    overwrite: bool = False,
    force: bool = False,
) -> SeedCheck:
    """Everything a load checks, against the graph, writing nothing: the files (raises SeedInvalid), then
    what the load would do and what stands in its way (`problems`: a removal something else still needs, a
    record another file states, and without `overwrite` a record changed through the API). A file
    unchanged since its last load is left out, unread (`skipped`), unless `force` or `overwrite`."""
    files = discover(paths)
    skipped, kept, edited = await unchanged_files(store, files)
    if force or overwrite:
        skipped, kept = [], 0
    seed_plan = plan(read_all([path for path in files if path not in skipped]))
    loaded = {owner_name(doc.path) for doc in seed_plan.documents}
    defined = {n.id for n, _, _ in seed_plan.nodes}
    # the claims of the files read, and of the records they state or stated: not the whole graph's
    claims = await read_claims(store, sorted(loaded), defined) if loaded else OwnerClaims()
    # what the files no longer state, and no file outside the load does: this load deletes it
    leaving = {i for i, owners in claims.nodes.items() if owners & loaded and not owners - loaded}
    leaving -= defined
    wanted = sorted(referenced_ids(seed_plan))
    found = await store.read(reads.EXISTING_IDS, {"ids": wanted}) if wanted else []
    owner_of = {i: claims.owners(i) or "" for i in leaving}
    graph = Graph({row["id"] for row in found}, leaving, owner_of)
    problems = check_plan(seed_plan, graph)
    if problems:
        raise SeedInvalid(problems)
    load_plan = seed_plan.load
    load_plan.refresh = edited  # (read for the API's changes: their time is moved on, if the load lands)
    prepared = await prepare_load(store, load_plan, batch_size, overwrite=overwrite, claims=claims)
    located = [_locate(seed_plan, problem) for problem in prepared.problems]
    return SeedCheck(files, seed_plan, prepared, located, skipped=skipped, skipped_records=kept)


async def unchanged_files(store: Store, files: Sequence[Path]) -> tuple[list[Path], int, set[str]]:
    """The files whose digest is the one kept at their last load, how many records they state, and the
    names of those left to read all the same: a record of theirs was changed through the API since. (Two
    files of one name are both read: the load then says they cannot both be loaded.)"""
    names = Counter(owner_name(path) for path in files)
    by_name = {owner_name(path): path for path in files if names[owner_name(path)] == 1}
    rows = []
    for chunk in chunks(sorted(by_name), ID_CHUNK):
        rows += await store.read(STORED_DIGESTS, {"names": chunk})
    same = unchanged(rows, by_name)
    edited = await changed_through_api(store, [row for row in rows if row["name"] in same])
    kept = [path for path in files if owner_name(path) in same.keys() - edited]
    return kept, sum(n for name, n in same.items() if name not in edited), edited


LOAD_ATTEMPTS = 5


async def load(
    store: Store,
    paths: Sequence[Path] = (),
    *,
    batch_size: int = BATCH_SIZE,
    overwrite: bool = False,
    on_plan: Callable[[int], None] | None = None,
    on_step: Callable[[], None] | None = None,
    publish: Publish = publish_nowhere,
    progress: LoadProgress | None = None,
    stream: bool = True,
    force: bool = False,
) -> SeedLoad:
    """Load seed files. Nothing is written unless every check passes; a second run writes nothing. A write
    to the graph made while the load is written (another process, the API) is never lost under it: the
    load is then worked out again against the graph as it now is, holding writes back this time
    (WriteConflict, at most LOAD_ATTEMPTS). Into an empty graph (and with `stream`) the load is streamed
    (graphapi/seed/streamed.py), with batches of at least STREAM_BATCH rows. Files unchanged since their
    last load are not read (`skipped`), unless `force` or `overwrite`."""
    if stream:
        batch = max(batch_size, STREAM_BATCH)
        streamed = await load_streamed(
            store, paths, batch_size=batch, publish=publish, progress=progress, on_step=on_step
        )
        if streamed is not None:
            return SeedLoad(
                **{f.name: getattr(streamed, f.name) for f in fields(streamed)}, files=discover(paths)
            )
    for attempt in range(1, LOAD_ATTEMPTS + 1):
        # after a conflict, the next try holds other writes back while it works (they wait, briefly)
        async with store.watching(priority=attempt > 1) as since:
            try:
                checked = await check(store, paths, batch_size=batch_size, overwrite=overwrite, force=force)
            except SeedInvalid as exc:
                raise exc.having(NOTHING_LOADED) from None
            refused = checked.problems + drafted(checked.plan.documents)
            if refused:
                raise SeedInvalid(refused, NOTHING_LOADED)
            assert checked.prepared is not None
            writer = GraphWriter(store, publish)
            try:
                report = await writer.apply(checked.prepared, on_plan=on_plan, on_step=on_step, since=since)
            except WriteConflict:
                if attempt == LOAD_ATTEMPTS:
                    raise
                log.warning("the graph changed while the load was written; working it out again")
                continue
        return SeedLoad(
            **{f.name: getattr(report, f.name) for f in fields(report)},
            files=checked.files,
            skipped=checked.skipped,
            skipped_records=checked.skipped_records,
        )
    raise AssertionError("unreachable")


async def prepare(store: Store, paths: Sequence[Path] = (), *, batch_size: int = BATCH_SIZE) -> PreparedLoad:
    """The checked files' writes (every file's, read), worked out against the graph; nothing is written."""
    checked = await check(store, paths, batch_size=batch_size, force=True)
    if checked.problems:
        raise SeedInvalid(checked.problems, NOTHING_LOADED)
    assert checked.prepared is not None
    return checked.prepared


def _locate(seed_plan: SeedPlan, problem: LoadProblem) -> SeedProblem:
    """A load's problem, named by the file and record it is about."""
    origin = seed_plan.origin(problem.id)
    if origin is not None:
        return SeedProblem(origin.file, origin.record, None, problem.message)
    path = seed_plan.file_named(problem.owner) or Path(problem.owner or "the graph")
    return SeedProblem(path, None, None, problem.message)


async def unstated(store: Store) -> list[tuple[str, str | None]]:
    """The records of the graph that no seed file states (made through the API), with who made them."""
    claims = await read_claims(store)
    stated = {node_id for node_id in claims.nodes if claims.owners(node_id)}  # (owners: the files)
    rows = await store.read(reads.NODE_MAKERS)
    return sorted((str(r["id"]), r.get("createdBy")) for r in rows if r["id"] not in stated)
