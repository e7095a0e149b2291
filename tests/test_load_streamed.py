"""Loads into an empty graph are streamed (graphapi/seed/streamed.py): the same graph as the comparing
loader makes, all or nothing when a later batch fails, and memory that does not grow with the corpus."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import write_synthetic_seed
from graphapi.graph.fresh import FreshLoad
from graphapi.graph.kinds import KINDS
from graphapi.graph.writes import CREATE_NODES
from graphapi.seed import loader, streamed
from graphapi.seed.loader import load
from graphapi.store import Creates, Cypher, Store, WriteStep, load_schema
from graphapi.store.falkor_server import EmbeddedServer, process_alive
from graphapi.store.falkordb_bulk import BulkGraph
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import SEED_DIR, SEED_NODES, server_of_its_own

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
FOLLOW_UP = FIXTURES / "canada-strikes-back.yaml"
DISPUTE = FIXTURES / "vehicle-tariff-rate-dispute.yaml"

NODES = Cypher("test.every_node", "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
EDGES = Cypher(
    "test.every_edge",
    "MATCH (a)-[r]->(b) RETURN a.id AS src, type(r) AS type, b.id AS dst, properties(r) AS props",
)
PERSON = next(kind for kind in KINDS if kind.prefix == "person")
# What differs between two loads of the same files: when their changes were kept.
WHEN = {"Change": ("id", "at"), "SeedFile": ("loadedAt", "loadedSeen")}


async def graph(store: Store) -> tuple[Counter[str], Counter[str]]:
    """Every node and relationship, as comparable text (a change's time, a file's load's, left out)."""
    nodes: Counter[str] = Counter()
    for row in await store.read(NODES):
        when = {k for label in row["labels"] for k in WHEN.get(label, ())}
        props = {k: v for k, v in row["props"].items() if k not in when}
        nodes[json.dumps([sorted(row["labels"]), props], sort_keys=True, default=str)] += 1
    edges: Counter[str] = Counter(
        json.dumps(row, sort_keys=True, default=str) for row in await store.read(EDGES)
    )
    return nodes, edges


@pytest.fixture
async def second_store(scratch_store: Store) -> AsyncIterator[Store]:
    """Another empty graph on the same server."""
    if not isinstance(scratch_store, FalkorDBStore):
        pytest.skip("two empty graphs side by side: the embedded FalkorDB's")
    other = FalkorDBStore(scratch_store.address, f"scratch_{uuid.uuid4().hex[:10]}")
    await other.apply_schema(load_schema())
    try:
        yield other
    finally:
        await other._drop_quietly(other.graph_name)
        await other.close()


def synthetic(directory: Path, statements: int, per_file: int) -> Path:
    """A synthetic corpus of several files (bench/synthetic.py), `per_file` statements in each."""
    import bench.synthetic as generator

    before = generator.STATEMENTS_PER_FILE
    generator.STATEMENTS_PER_FILE = per_file
    try:
        return write_synthetic_seed(directory, statements=statements)
    finally:
        generator.STATEMENTS_PER_FILE = before


CORPORA = {
    "the bundled seed": lambda tmp: [SEED_DIR],
    "the seed and a follow-up": lambda tmp: [SEED_DIR, FOLLOW_UP],
    "three files with disputed claims": lambda tmp: [SEED_DIR, FOLLOW_UP, DISPUTE],
    "a dispute alone with the seed": lambda tmp: [SEED_DIR, DISPUTE],
    "a synthetic corpus of five files": lambda tmp: [synthetic(tmp / "synthetic", 600, 120)],
}


@pytest.mark.parametrize("corpus", list(CORPORA))
async def test_a_streamed_load_makes_the_graph_the_comparing_loader_makes(
    corpus: str, scratch_store: Store, second_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = CORPORA[corpus](tmp_path)
    compared = await load(scratch_store, paths, stream=False)
    streams: list[object] = []

    async def spy(*args: Any, **kwargs: Any) -> Any:
        streams.append(await streamed.load_streamed(*args, **kwargs))
        return streams[-1]

    monkeypatch.setattr(loader, "load_streamed", spy)
    streamed_report = await load(second_store, paths)
    assert streams and streams[0] is not None  # it did stream
    for counts in ("nodes_created", "rels_created"):
        assert getattr(streamed_report, counts) == getattr(compared, counts)
    assert sorted((d.action, d.id) for d in streamed_report.details) == sorted(
        (d.action, d.id) for d in compared.details
    )
    assert await graph(second_store) == await graph(scratch_store)
    again = await load(second_store, paths)  # the comparing loader finds nothing to change
    assert not again.changed


def spools() -> set[Path]:
    """The spool directories of this process's streamed loads (graphapi/seed/scan.py)."""
    return set(Path(tempfile.gettempdir()).glob(f"graphapi-load-{os.getpid()}-*"))


async def test_a_later_batch_failing_leaves_the_graph_empty(
    scratch_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refuses a batch after many have been sent (a map is not a property value): none of
    the batches before it lands, and the spool is gone."""
    corpus = synthetic(tmp_path / "synthetic", 600, 120)
    sent = {"steps": 0}
    steps = FreshLoad.steps
    poison = WriteStep(
        CREATE_NODES["person"], {"rows": [{"props": {"id": "person:poison", "bad": {"a": 1}}}]}
    )

    def failing(self: FreshLoad) -> Iterator[WriteStep]:
        for step in steps(self):
            sent["steps"] += 1
            yield step
            if sent["steps"] == 40:
                yield poison

    monkeypatch.setattr(FreshLoad, "steps", failing)
    before = spools()
    with pytest.raises(Exception):  # noqa: B017 - which error the engine raises is the engine's business
        await streamed.load_streamed(scratch_store, [corpus], batch_size=100)
    assert sent["steps"] >= 40
    assert await graph(scratch_store) == (Counter(), Counter())
    assert spools() == before
    monkeypatch.setattr(FreshLoad, "steps", steps)
    report = await streamed.load_streamed(scratch_store, [corpus], batch_size=100)
    assert report is not None and report.nodes_created["Statement"] == 600


async def test_a_graph_that_holds_anything_is_compared_with_not_streamed(scratch_store: Store) -> None:
    await load(scratch_store)
    assert await streamed.load_streamed(scratch_store, [SEED_DIR]) is None
    again = await load(scratch_store, force=True)  # (read: else left out, unchanged since)
    assert not again.changed and sum(again.nodes_unchanged.values()) == SEED_NODES


async def test_a_small_corpus_with_a_problem_is_reported_by_the_comparing_loader(
    scratch_store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("persons:\n  - id: person:x\n    name: X\n    knows: [person:nobody]\n", encoding="utf-8")
    assert await streamed.load_streamed(scratch_store, [bad]) is None
    assert await graph(scratch_store) == (Counter(), Counter())


_PEAK = """
import asyncio, resource, sys
from pathlib import Path
from graphapi.config import Settings
from graphapi.seed import loader
from graphapi.seed.loader import load
from graphapi.store import open_store

async def main() -> None:
    async with open_store(Settings.from_env()) as store:
        report = await load(store, [Path(sys.argv[1])])
    assert report.nodes_created["Statement"] == int(sys.argv[2]), report.nodes_created
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the pool that read the files
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children)

asyncio.run(main())
"""


def peak_rss_kb(
    scratch: FalkorDBStore, corpus: Path, statements: int
) -> tuple[tuple[int, int], FalkorDBStore]:
    """The peak RSS of a load in a process of its own, and of the processes that read its files, into a
    graph of its own (returned, to drop)."""
    env = {
        **os.environ,
        "GRAPHAPI_FALKORDB_URL": scratch.address.redis_url(),
        "GRAPHAPI_GRAPH": f"scratch_{uuid.uuid4().hex[:10]}",
        "GRAPHAPI_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(corpus), str(statements)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    with_graph = FalkorDBStore(scratch.address, env["GRAPHAPI_GRAPH"])
    loader, readers = done.stdout.split()[-2:]
    return (int(loader), int(readers)), with_graph


async def test_memory_does_not_grow_with_the_corpus(scratch_store: Store, tmp_path: Path) -> None:
    """Peak memory of a load of 4N statements against N, in files of the same size: the same, within a
    generous margin (the comparing loader held every record: it grew with the corpus)."""
    if not isinstance(scratch_store, FalkorDBStore) or scratch_store.address.unix_socket is None:
        pytest.skip("measured on the embedded FalkorDB")
    small = synthetic(tmp_path / "small", 2_000, 500)
    large = synthetic(tmp_path / "large", 8_000, 500)
    peaks = []
    for corpus, statements in ((small, 2_000), (large, 8_000)):
        peak, graph_store = peak_rss_kb(scratch_store, corpus, statements)
        peaks.append(peak)
        await graph_store._drop_quietly(graph_store.graph_name)
        await graph_store.close()
    said = f"peak RSS (loader, file readers) {peaks[0]} KB for 2,000 statements, {peaks[1]} KB for 8,000"
    assert peaks[1][0] < peaks[0][0] * 1.2, said
    assert peaks[1][1] < peaks[0][1] * 1.2 + 10_000, said


READ_AND_WAIT = """
import sys, time
from pathlib import Path
from graphapi.seed.scan import scan
def wait(count):  # after the first file, with the pool still reading the others
    print("read", flush=True)
    time.sleep(600)
scan([Path(p) for p in sys.argv[1:]], workers=2, on_read=wait)
"""


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.slow  # starts processes of its own
def test_a_killed_loader_leaves_no_file_readers_behind(tmp_path: Path) -> None:
    """kill -9 of the loader while its pool reads: its file readers (and multiprocessing's helper) exit
    within seconds, not waiting for work that never comes."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("children are found through /proc")
    corpus = synthetic(tmp_path / "corpus", 400, 100)
    files = sorted(str(p) for p in corpus.glob("*.yaml"))
    loader = subprocess.Popen(
        [sys.executable, "-c", READ_AND_WAIT, *files], stdout=subprocess.PIPE, text=True
    )
    try:
        assert loader.stdout is not None
        assert loader.stdout.readline().strip() == "read"
        children = _children(loader.pid)
        assert children, "the files were read by a pool of processes"
    finally:
        loader.kill()
        loader.wait()
    deadline = time.monotonic() + 10
    while any(process_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in children if process_alive(pid)]
    assert not left, f"still running after the loader was killed: {left}"


@pytest.mark.slow  # starts database processes of its own
@pytest.mark.parametrize("round_", range(3))
def test_two_loads_into_one_new_data_dir_at_once_both_succeed(tmp_path: Path, round_: int) -> None:
    """Two `seed load` processes into a new data directory: both apply the schema, both stream (the graph
    is empty when each looks), and the one swapped in second, finding the other's nodes in its copy,
    compares with the graph instead. Both succeed, with one graph."""
    env = {**os.environ, "GRAPHAPI_DATA_DIR": str(tmp_path / "data"), "GRAPHAPI_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "graphapi", "seed", "load", str(SEED_DIR)]
    loads = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    outputs = [load.communicate(timeout=120)[0] for load in loads]
    assert [load.returncode for load in loads] == [0, 0], "\n".join(outputs)
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "nothing to change" in again.stdout + again.stderr, again


SCHEMA = (
    Cypher(
        "test.indexes",
        "CALL db.indexes() YIELD label, properties, types, entitytype, status "
        "RETURN label, properties, types, entitytype, status",
    ),
    Cypher(
        "test.constraints",
        "CALL db.constraints() YIELD type, label, properties, entitytype, status "
        "RETURN type, label, properties, entitytype, status",
    ),
)


@pytest.mark.parametrize(
    "corpus", ["the bundled seed", "three files with disputed claims", "a synthetic corpus of five files"]
)
async def test_a_graph_built_in_bulk_is_the_one_the_statements_make(
    corpus: str, scratch_store: Store, second_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FalkorDB builds a new graph from GRAPH.BULK (graphapi/store/falkordb_bulk.py): every node with its
    labels and every property with its value and type, every relationship with its ends and properties,
    and the same indexes and constraints, as the load's CREATE statements make."""
    if not isinstance(scratch_store, FalkorDBStore):
        pytest.skip("GRAPH.BULK is FalkorDB's")
    paths = CORPORA[corpus](tmp_path)
    commands = []
    command = BulkGraph.command

    def counted(self: BulkGraph, step: WriteStep) -> tuple[Any, ...]:
        commands.append(step.query.name)
        return command(self, step)

    monkeypatch.setattr(BulkGraph, "command", counted)
    by_statements = await streamed.load_streamed(scratch_store, paths, batch_size=50, new_graph=False)
    assert not commands
    in_bulk = await streamed.load_streamed(second_store, paths, batch_size=50)
    assert by_statements is not None and in_bulk is not None
    assert commands and len(commands) == in_bulk.statements == by_statements.statements
    assert in_bulk.nodes_created == by_statements.nodes_created
    assert in_bulk.rels_created == by_statements.rels_created
    nodes, edges = await graph(second_store)
    assert (nodes, edges) == await graph(scratch_store)
    assert sum(nodes.values()) > sum(by_statements.nodes_created.values())  # with changes, claims, files
    for query in SCHEMA:
        rows = [json.dumps(row, sort_keys=True) for row in await second_store.read(query)]
        assert sorted(rows) == sorted(json.dumps(r, sort_keys=True) for r in await scratch_store.read(query))
        assert rows
    again = await load(second_store, paths)  # the comparing loader finds nothing to change
    assert not again.changed


@pytest.mark.parametrize(
    "props",
    [{"id": "person:nul", "name": "a\x00b"}, {"id": " person:spaced"}, {"id": "person:m", "m": {"a": 1}}],
)
async def test_a_value_the_bulk_cannot_hold_leaves_the_graph_empty(
    props: dict[str, Any], scratch_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value GRAPH.BULK would store differently (a NUL ends its text early), that would crash the
    unique index built afterwards, or that no property holds, refuses the load after many batches were
    built: nothing lands, and the graph they were built into is gone."""
    if not isinstance(scratch_store, FalkorDBStore):
        pytest.skip("GRAPH.BULK is FalkorDB's")
    corpus = synthetic(tmp_path / "synthetic", 600, 120)
    steps = FreshLoad.steps
    poison = WriteStep(CREATE_NODES["person"], {"rows": [{"props": props}]}, Creates(PERSON.labels))

    def failing(self: FreshLoad) -> Iterator[WriteStep]:
        for sent, step in enumerate(steps(self)):
            yield step
            if sent == 40:
                yield poison

    monkeypatch.setattr(FreshLoad, "steps", failing)
    with pytest.raises(Exception):  # noqa: B017 - UnstorableValue or StoreError
        await streamed.load_streamed(scratch_store, [corpus], batch_size=100)
    assert await graph(scratch_store) == (Counter(), Counter())
    graphs = await scratch_store._command("GRAPH.LIST")
    assert not [name for name in graphs if name.startswith(f"{scratch_store.graph_name}__load_")]


@pytest.mark.slow  # (a server of its own)
async def test_a_graph_built_in_bulk_comes_back_from_the_append_only_file(tmp_path: Path) -> None:
    """GRAPH.BULK and the RENAME that swaps its graph in are in the append-only file: a server killed
    right after the load comes back with the same graph, its indexes and its constraints."""
    corpus = synthetic(tmp_path / "synthetic", 300, 100)
    async with server_of_its_own(tmp_path / "db", "own") as (server, store):
        report = await streamed.load_streamed(store, [corpus], batch_size=100)
        assert report is not None and report.nodes_created["Statement"] == 300
        before = await graph(store), [sorted(map(str, await store.read(query))) for query in SCHEMA]
        assert server.pid is not None
        os.kill(server.pid, signal.SIGKILL)
        if server.process is not None:
            server.process.wait()
        EmbeddedServer(tmp_path / "db").start()  # from its file alone
        await store.reconnect(store.address)
        assert (await graph(store), [sorted(map(str, await store.read(query))) for query in SCHEMA]) == before
        again = await load(store, [corpus])  # the comparing loader finds nothing to change
        assert not again.changed
