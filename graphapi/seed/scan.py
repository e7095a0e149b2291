"""Seed files read one at a time, for a streamed load (graphapi/seed/streamed.py) and validation: each
file is parsed, validated, planned and checked on its own, what it writes is kept in a spool file on disk,
and only what the checks across files need stays in memory (each id, and which file states it). So memory
is bounded by the largest file and a few dozen bytes per id, not by the corpus.

The checks are the loader's (graphapi/seed/checks.py), file by file, then across files: a record stated
twice (only claims may be, by different files: graphapi/graph/claims.py), a tenure stated twice, a file
name taken twice, a reference to an id no file defines (the graph is empty: see `streamed.py`), a record
still marked as a draft.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from graphapi.graph.claims import has_claims
from graphapi.graph.fresh import FileWrites
from graphapi.graph.model import Rel
from graphapi.seed.checks import OFFLINE_NOTE, check_plan, references
from graphapi.seed.digests import stamp
from graphapi.seed.drafts import drafted
from graphapi.seed.files import read_one
from graphapi.seed.plan import SeedPlan, owner_name, plan
from graphapi.seed.problems import SeedInvalid, SeedProblem

Progress = Callable[[int], None]  # told how many files were just read


@dataclass
class Scan:
    """Seed files read and checked one at a time: the problems found, where each file's writes (and
    apart, its references to ids it does not define: (record, field, id)) are spooled, and the ids
    they state (`first`: the index of the first file stating each id)."""

    files: list[Path]
    spool: Path | None  # None once closed
    first: dict[str, int] = field(default_factory=dict)
    several: set[str] = field(default_factory=set)  # the claims' records stated by more than one file
    tenures: dict[tuple[str, str], int] = field(default_factory=dict)
    problems: list[SeedProblem] = field(default_factory=list)
    drafts: list[SeedProblem] = field(default_factory=list)  # records still marked as drafts
    # references to ids no file defines, when the graph may hold them (offline validation)
    unchecked: list[SeedProblem] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0

    @property
    def records(self) -> int:
        return self.nodes + self.relationships

    def writes(self) -> Iterator[FileWrites]:
        """Each file's writes, in the files' order, read back from the spool."""
        assert self.spool is not None, "the scan was closed"
        for index in range(len(self.files)):
            with (self.spool / f"{index}.pickle").open("rb") as f:
                yield pickle.load(f)

    def close(self) -> None:
        if self.spool is not None:
            for path in self.spool.iterdir():
                path.unlink()
            self.spool.rmdir()
            self.spool = None


SPOOL_PREFIX = "graphapi-load-"


def _drop_abandoned_spools() -> None:
    """The spools of loads whose process is gone (killed before it could remove its own)."""
    for path in Path(tempfile.gettempdir()).glob(f"{SPOOL_PREFIX}*-*"):
        pid = path.name.removeprefix(SPOOL_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class _Read:
    """What the checks across files need of one file, its writes spooled (`_read`, maybe in a worker)."""

    problems: list[SeedProblem] = field(default_factory=list)
    drafts: list[SeedProblem] = field(default_factory=list)
    ids: list[tuple[str, bool, str]] = field(default_factory=list)  # (id, a claim's, record)
    tenures: list[tuple[tuple[str, str], str]] = field(default_factory=list)  # (holder, office), record
    relationships: int = 0


def scan(
    files: Sequence[Path], *, offline: bool = False, on_read: Progress | None = None, workers: int = 0
) -> Scan:
    """Read and check each file, spooling each file's writes (close() removes them). A reference to an
    id no file defines is a problem (the graph is empty), or `offline` a note (`unchecked`). Files are
    read by `workers` processes (0: as many as cores) when there are several."""
    _drop_abandoned_spools()
    spool = Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-"))
    out = Scan(list(files), spool)
    names: dict[str, Path] = {}
    try:
        for index, (path, read) in enumerate(
            zip(out.files, _read_all(out.files, spool, workers), strict=True)
        ):
            first = names.setdefault(owner_name(path), path)
            if first != path:
                message = f"a file is known by its name, and {first} has the same one; rename one of them"
                out.problems.append(SeedProblem(path, None, None, message))
            _merge(index, read, out)
            if on_read is not None:
                on_read(1)
        if not out.problems:
            (out.unchecked if offline else out.problems).extend(_unresolved(out, offline))
    except BaseException:
        out.close()
        raise
    return out


def _read_all(files: list[Path], spool: Path, workers: int) -> Iterator[_Read]:
    """Each file read, in order: by a pool of processes when there are several files and cores."""
    workers = min(workers or os.cpu_count() or 1, len(files))
    if workers < 2:
        yield from (_read(path, index, spool) for index, path in enumerate(files))
        return
    context = multiprocessing.get_context("spawn")  # (a fork would copy the loader's event loop and threads)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        yield from pool.map(_read, files, range(len(files)), [spool] * len(files))


def exit_with_parent(parent: int) -> None:
    """A reader outlives no loader. Killed (kill -9), the loader cannot stop its pool, and the readers
    would wait for work for ever (each holds the pool's pipe open, so none sees it close): each watches
    its parent and exits once it is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _read(path: Path, index: int, spool: Path) -> _Read:
    """One file: read, planned and checked on its own; its writes spooled as `index`."""
    out = _Read()
    try:
        document = read_one(path)
    except SeedInvalid as exc:
        out.problems += exc.problems
        return out
    seed_plan = plan([document])
    out.problems += check_plan(seed_plan, None)
    out.drafts += drafted([document])
    writes = FileWrites(owner_name(path), stamp=stamp(document.digest, document.inputs))
    for node, origin, _ in seed_plan.nodes:
        out.ids.append((node.id, has_claims(node.kind), origin.record))
        if not has_claims(node.kind):
            links = tuple((link.rel.value, link.dst) for link in node.links)
            writes.nodes.append((node.kind.prefix, node.id, node.props, links))
        out.relationships += len(node.links)
    writes.claims = seed_plan.claims
    for tenure, origin, _ in seed_plan.tenures:
        out.tenures.append(((tenure.holder, tenure.office), origin.record))
        writes.tenures.append((tenure.holder, tenure.office, tenure.props))
        out.relationships += 1
    # apart from the writes: the check across files reads only these (the writes are read once, to send)
    with (spool / f"{index}.outside.pickle").open("wb") as f:
        pickle.dump(_outside(seed_plan), f, protocol=pickle.HIGHEST_PROTOCOL)
    with (spool / f"{index}.pickle").open("wb") as f:
        pickle.dump(writes, f, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def _merge(index: int, read: _Read, out: Scan) -> None:
    """A file's ids and tenures checked against the files before it."""
    path = out.files[index]
    out.problems += read.problems
    out.drafts += read.drafts
    for node_id, claimed, record in read.ids:
        _state(node_id, claimed, index, record, out)
    out.nodes += len(read.ids)
    for key, record in read.tenures:
        if out.tenures.setdefault(key, index) != index:
            message = f"{key[0]} -[{Rel.HOLDS.value}]-> {key[1]} is stated twice"
            out.problems.append(SeedProblem(path, record, "holder", message))
    out.relationships += read.relationships


def _state(node_id: str, claimed: bool, index: int, record: str, out: Scan) -> None:
    """An id a file states: twice in one file is the file's own check; in several files, only a claim."""
    first = out.first.setdefault(node_id, index)
    if first == index:
        return
    if claimed:
        out.several.add(node_id)
        return
    where = out.files[first]
    message = f"{node_id} is already defined at {where}"
    out.problems.append(SeedProblem(out.files[index], record, "id", message))


def _outside(seed_plan: SeedPlan) -> list[tuple[str, str, str]]:
    """The references of a file to ids it does not define (checked once every file has been read)."""
    defined = {n.id for n, _, _ in seed_plan.nodes}
    return [(origin.record, name, end) for origin, name, end in references(seed_plan) if end not in defined]


def _unresolved(out: Scan, offline: bool) -> list[SeedProblem]:
    """The references to ids no file defines: problems of a load into an empty graph, or notes offline."""
    problems: list[SeedProblem] = []
    assert out.spool is not None
    for index, path in enumerate(out.files):
        with (out.spool / f"{index}.outside.pickle").open("rb") as f:
            references: list[tuple[str, str, str]] = pickle.load(f)
        for record, name, end in references:
            if end not in out.first:
                message = (
                    f"{end} {OFFLINE_NOTE}"
                    if offline
                    else f"{end} is not defined in the files loaded or the graph"
                )
                problems.append(SeedProblem(path, record, name, message))
    return problems


__all__ = ["Scan", "scan"]
