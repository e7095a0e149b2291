"""The FalkorDB store: the async `falkordb` client over the embedded server (or any FalkorDB address)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterable, Sized
from typing import Any

import redis.asyncio as aioredis
from falkordb.asyncio import FalkorDB
from falkordb.asyncio.query_result import QueryResult
from redis import exceptions as redis_errors
from redis.asyncio.client import Pipeline

from graphapi.errors import DiskFull, GraphApiError, StoreError, Unavailable
from graphapi.store import falkordb_gates as gates
from graphapi.store import falkordb_values
from graphapi.store.base import Cypher, Params, Record, StepCallback, Store, WriteStep
from graphapi.store.dialect import (
    CONSTRAINT_STATUS,
    FALKORDB,
    LIST_CONSTRAINTS,
    LIST_INDEXES,
    SCHEMA_STATUS,
    GraphSchema,
    falkordb_fulltext_ddl,
    falkordb_fulltext_drop,
    falkordb_index_ddl,
    from_falkordb,
    load_schema,
)
from graphapi.store.disk import Disk
from graphapi.store.falkor_server import ServerAddress, process_alive
from graphapi.store.falkordb_bulk import BulkGraph
from graphapi.store.falkordb_forks import compact_file, forking
from graphapi.store.falkordb_unit import ONE_STATEMENT_CHARS, exec_watched, one_statement, query_command

log = logging.getLogger(__name__)

COMPACT_FROM_BYTES = 8 << 20


class FalkorDBStore(Store):
    engine = "falkordb"

    def __init__(
        self,
        address: ServerAddress,
        graph_name: str,
        *,
        query_timeout_s: float = 10.0,
        connect_timeout_s: float = 5.0,
        max_connections: int = 32,
        schema: GraphSchema | None = None,
        disk: Disk | None = None,
    ) -> None:
        self.address = address
        self.disk = disk  # the embedded server's disk: writes are refused while it is full
        self.graph_name = graph_name
        self.schema = schema
        self.query_timeout_ms = int(query_timeout_s * 1000)
        # Values written into these properties are checked before they reach the unique index.
        self.unique_keys = frozenset(spec.key for spec in (schema or load_schema()).indexes if spec.unique)
        # Connections carry our name, so the server's CLIENT LIST tells whose they are.
        self.client_name = f"graphapi-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        common: dict[str, Any] = {
            "max_connections": max_connections,
            "timeout": connect_timeout_s,
            "socket_connect_timeout": connect_timeout_s,
            "socket_timeout": query_timeout_s + connect_timeout_s,
            "client_name": self.client_name,
            "decode_responses": True,
        }
        self.pool = aioredis.BlockingConnectionPool.from_url(address.redis_url(), **common)
        try:
            # The client asks the server, at once and synchronously, whether it is a cluster.
            self.db = FalkorDB(connection_pool=self.pool)
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc
        self._redis = aioredis.Redis(connection_pool=self.pool)
        self.supervisor: Any = None  # set when a Supervisor watches the server (graphapi/store/supervisor.py)
        # Loads swap a staged copy of the graph in; one at a time per process.
        self._load_lock = asyncio.Lock()

    async def read(self, query: Cypher, params: Params | None = None) -> list[Record]:
        return await self._run(self.graph_name, query, params, read_only=True)

    async def write(self, query: Cypher, params: Params | None = None) -> list[Record]:
        self._room_to_write()
        await gates.wait_to_write(self._command, self.graph_name, self.query_timeout_ms / 1000)
        return await self._run(self.graph_name, query, params, read_only=False)

    def _room_to_write(self, extra: int = 0) -> None:
        """DiskFull, before anything is sent, while the disk has less than its reserve free: a write the
        server could not append to its file would stop it (graphapi/store/disk.py)."""
        if self.disk is not None:
            self.disk.check(extra)

    @contextlib.asynccontextmanager
    async def watching(self, *, priority: bool = False) -> AsyncIterator[object]:
        """A connection that WATCHes the live graph: Redis marks a watched key touched by any write query
        (FalkorDB's GRAPH.QUERY writes count, its reads do not), so a load that sends its statement or
        swaps its copy in through this connection knows whether anything wrote to the graph since
        (write_all's `since`). With `priority`, writes through any process wait while it lasts, so the
        load is not starved by them."""
        token = uuid.uuid4().hex
        gate_ms = 2 * self.query_timeout_ms + 30_000
        if priority:
            await self._command("SET", gates.load_gate_key(self.graph_name), token, "PX", str(gate_ms))
            # writes already past the gate land first; then the load reads the graph
            await asyncio.sleep(0.05)
        pipe = self._redis.pipeline(transaction=True)
        try:
            try:
                await pipe.watch(self.graph_name)
            except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
                raise self._unavailable(exc) from exc
            yield pipe
        finally:
            await pipe.reset()  # type: ignore[no-untyped-call]
            if priority:
                with contextlib.suppress(Unavailable, StoreError):
                    await self._release_gate(token)

    async def _release_gate(self, token: str) -> None:
        """Open the gate, if it is still this load's (it may have expired and been taken by another)."""
        if await self._command("GET", gates.load_gate_key(self.graph_name)) == token:
            await self._command("DEL", gates.load_gate_key(self.graph_name))

    async def write_all(
        self, steps: Iterable[WriteStep], on_step: StepCallback | None = None, *, since: object = None
    ) -> None:
        """FalkorDB has no transaction across statements, but one statement is atomic: a load of a few
        rows is sent as one (graphapi/store/falkordb_unit.py). A larger one is written into a copy of the
        graph swapped in with one atomic RENAME, so readers see the old graph or the new one, never a
        half-written one. With `since` (a `watching()` connection opened before the load was worked out),
        the statement or the swap runs only if nothing wrote to the live graph since (in MULTI/EXEC):
        else WriteConflict, and the live graph is as it was.

        A large load drops the copy's full-text indexes first and builds them again at the end: kept, they
        make every write cost more the more text they hold (measured: 220 ms instead of 5 ms per batch of
        500 nodes with 30,000 statements indexed)."""
        self._room_to_write()
        async with self._load_lock:
            if await self._write_at_once(steps, since):
                if on_step:
                    for _ in steps:  # a list: only a list is sent as one statement
                        on_step()
                return
            stage = self._stage_name()
            async with forking(self._command), gates.fenced(self._command, self.graph_name):
                await self._slow_command("GRAPH.COPY", self.graph_name, stage)
            # (steps worked out as they are sent are a large load's)
            many = not isinstance(steps, Sized) or len(steps) >= BULK_STEPS
            bulk = many and self.schema is not None
            try:
                if bulk:
                    await self._drop_fulltext(stage)
                for step in steps:
                    self._room_to_write()
                    await self._run(stage, step.query, step.params, read_only=False)
                    if on_step:
                        on_step()
                if bulk and self.schema is not None:
                    await self._apply_schema(stage, self.schema)
                    await self._wait_for_indexes(stage)
                await self._swap(stage, since)
            except BaseException:
                await self._drop_quietly(stage)
                raise

    async def write_new(
        self, steps: Iterable[WriteStep], on_step: StepCallback | None = None, *, since: object = None
    ) -> None:
        """A load into an empty graph, built apart with GRAPH.BULK (graphapi/store/falkordb_bulk.py): no
        Cypher but the steps that do more than create (run after), no index updated row by row; its schema
        is applied once it is whole, and it is swapped
        in as write_all's copy is (all or nothing, and WriteConflict if the live graph was written to)."""
        self._room_to_write()
        async with self._load_lock:
            built = BulkGraph(self._stage_name(), self.unique_keys)
            try:
                for step in steps:
                    self._room_to_write()
                    if step.creates is not None:
                        await self._command(*built.command(step))
                    elif built.begun:  # a statement that does more, on what was built (after it)
                        await self._run(built.name, step.query, step.params, read_only=False)
                    if on_step:
                        on_step()
                if built.begun:
                    await self._apply_schema(built.name, self.schema or load_schema())
                    await self._wait_for_indexes(built.name)
                    await self._swap(built.name, since)
            except BaseException:
                await self._drop_quietly(built.name)
                raise

    def _stage_name(self) -> str:  # (with the pid: a crashed load's leftovers are told from a running one's)
        return f"{self._stage_prefix}{os.getpid()}_{uuid.uuid4().hex[:12]}"

    async def _write_at_once(self, steps: Iterable[WriteStep], since: object) -> bool:
        """The steps as one statement, when they are few enough (False, writing nothing, when not)."""
        combined = one_statement(steps)
        if combined is None:
            return False
        query, params = combined
        command = query_command(
            self.graph_name,
            query,
            params,
            read_only=False,
            unique=self.unique_keys,
            timeout_ms=self.query_timeout_ms,
        )
        if len(command[2]) > ONE_STATEMENT_CHARS:
            return False
        await gates.wait_behind_fence(self._command, self.graph_name)
        if isinstance(since, Pipeline):
            await exec_watched(since, command, query.name, self._unavailable)
        else:
            await self._execute(self.graph_name, command, query.name, read_only=False)
        return True

    async def _swap(self, stage: str, since: object) -> None:
        if not isinstance(since, Pipeline):
            await self._command("RENAME", stage, self.graph_name)
            return
        await exec_watched(since, ("RENAME", stage, self.graph_name), "RENAME", self._unavailable)

    # --- the server's forks: copies of graphs and rewrites of the append-only file ---------------------

    async def compact(self, *, min_bytes: int = COMPACT_FROM_BYTES) -> bool:
        """Rewrite the append-only file once it has grown (graphapi/store/falkordb_forks.py)."""
        return await compact_file(self._command, self.disk, min_bytes)

    async def reconnect(self, address: ServerAddress) -> None:
        """After a restart (graphapi/store/supervisor.py): idle connections to the dead server are dropped;
        those in use are dropped when given back, never under their task (closed mid-handshake, redis-py
        waits the whole socket timeout for an answer sent on the closed socket)."""
        self.address = address
        await self.pool.disconnect(inuse_connections=False)
        await self.pool.update_active_connections_for_reconnect()  # type: ignore[no-untyped-call]

    def status(self) -> dict[str, object] | None:
        if self.supervisor is None:
            return None
        report: dict[str, object] = self.supervisor.status.report()
        if self.disk is not None:
            report["disk"] = self.disk.report()
        return report

    async def apply_schema(self, schema: GraphSchema) -> list[str]:
        return await self._apply_schema(self.graph_name, schema)

    @property
    def _stage_prefix(self) -> str:
        return f"{self.graph_name}__load_"

    async def drop_abandoned_loads(self) -> list[str]:
        """Delete the staging copies of loads whose process died (a crash, a kill) before swapping them in;
        the live graph never saw them."""
        dropped = []
        for name in await self._command("GRAPH.LIST"):
            if not name.startswith(self._stage_prefix):
                continue
            pid = name[len(self._stage_prefix) :].split("_", 1)[0]
            if pid.isdigit() and not process_alive(int(pid)):
                await self._drop_quietly(name)
                dropped.append(name)
        if dropped:
            log.warning("dropped %d abandoned staging graph(s): %s", len(dropped), ", ".join(dropped))
        return dropped

    async def _drop_fulltext(self, graph: str) -> None:
        for ddl in map(falkordb_fulltext_drop, self.schema.fulltext if self.schema else ()):
            await self._run(graph, Cypher("schema.fulltext_drop", ddl, FALKORDB), None, read_only=False)

    async def _wait_for_indexes(self, graph: str, timeout_s: float = 600.0) -> None:
        """Index builds run in the background; the swapped-in graph must answer searches at once."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        while True:
            statuses = {
                row["status"]
                for query in (SCHEMA_STATUS, CONSTRAINT_STATUS)
                for row in await self._run(graph, query, None, read_only=True)
            }
            if "FAILED" in statuses:  # (a unique constraint over values that are not)
                raise StoreError(f"an index or constraint of {graph} could not be built")
            if statuses <= {"OPERATIONAL"}:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise Unavailable(f"the indexes of {graph} did not finish building in {timeout_s:.0f}s")
            await asyncio.sleep(0.05)

    async def _apply_schema(self, graph: str, schema: GraphSchema) -> list[str]:
        created = []
        for kind, ddl in await self._missing(graph, schema):
            try:
                if kind == "constraint":
                    await self._command("GRAPH.CONSTRAINT", "CREATE", graph, *ddl.split())
                else:
                    await self._run(graph, Cypher(f"schema.{kind}", ddl, FALKORDB), None, read_only=False)
            except StoreError:  # made meanwhile by another process (two loads into a new data dir)?
                if (kind, ddl) in await self._missing(graph, schema):
                    raise
                continue
            created.append(f"GRAPH.CONSTRAINT CREATE {ddl}" if kind == "constraint" else ddl)
        return created

    async def missing_schema(self, schema: GraphSchema) -> list[str]:
        return [ddl for _, ddl in await self._missing(self.graph_name, schema)]

    async def _missing(self, graph: str, schema: GraphSchema) -> list[tuple[str, str]]:
        """(kind, statement) for each index or constraint the schema declares and the graph lacks."""
        existing: dict[tuple[str, str], set[str]] = {}  # (label, property) -> RANGE, FULLTEXT...
        for row in await self._run(graph, LIST_INDEXES, None, read_only=True):
            for prop in row["properties"]:
                existing.setdefault((row["label"], prop), set()).update(row["types"].get(prop, []))
        constraints = {
            (row["label"], tuple(row["properties"]))
            for row in await self._run(graph, LIST_CONSTRAINTS, None, read_only=True)
        }
        missing = []
        for spec in schema.indexes:
            if "RANGE" not in existing.get((spec.label, spec.key), set()):
                missing.append(("index", falkordb_index_ddl(spec)))
            if spec.unique and (spec.label, (spec.key,)) not in constraints:
                missing.append(("constraint", f"UNIQUE NODE {spec.label} PROPERTIES 1 {spec.key}"))
        for fulltext in schema.fulltext:
            if "FULLTEXT" not in existing.get((fulltext.label, fulltext.key), set()):
                missing.append(("fulltext", falkordb_fulltext_ddl(fulltext)))
        return missing

    async def ping(self) -> None:
        await self._command("PING")

    async def close(self) -> None:
        await self.db.aclose()
        await self.pool.disconnect()

    async def _run(
        self, graph: str, query: Cypher, params: Params | None, *, read_only: bool
    ) -> list[Record]:
        # Our own parameter header, never the client's: see falkordb_params.py. Refused values never leave
        # here. The answer is read by our reader (falkordb_values.py).
        command = query_command(
            graph,
            query,
            params,
            read_only=read_only,
            unique=self.unique_keys,
            timeout_ms=self.query_timeout_ms,
        )
        for _ in range(2):
            try:
                return await self._execute(graph, command, query.name, read_only=read_only)
            except StoreError as exc:  # the key was swapped as the statement opened it: it did not run
                if gates.SWAPPED_UNDER not in str(exc):
                    raise
        return await self._execute(graph, command, query.name, read_only=read_only)

    async def _execute(
        self, graph: str, command: tuple[Any, ...], name: str, *, read_only: bool
    ) -> list[Record]:
        handle = self.db.select_graph(graph)
        # A read may be sent again on a fresh connection when its pooled one died with a server that has
        # since come back; a write is not, since it may have landed before the connection broke.
        attempts = 2 if read_only else 1
        try:
            for attempt in range(attempts):
                try:
                    response = await handle.execute_command(*command)
                    break
                except (redis_errors.ConnectionError, OSError):
                    if attempt + 1 == attempts:
                        raise
            for part in (response[0], response[-1]):
                if isinstance(part, redis_errors.ResponseError):
                    raise part
        except redis_errors.ResponseError as exc:
            if read_only and "empty key" in str(exc):
                return []  # the graph has never been written to: it is empty, not an error
            if "timed out" in str(exc).lower():
                raise Unavailable(f"the database did not answer `{name}` in time") from exc
            raise StoreError(f"FalkorDB refused `{name}`: {exc}") from exc
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc
        try:
            return falkordb_values.rows(response)
        except falkordb_values.Unsupported:  # nodes, edges or paths: the client's reader knows the schema
            result = QueryResult(handle)
            await result.parse(response)
            names = [column[1] for column in result.header]
            return [dict(zip(names, map(from_falkordb, row), strict=True)) for row in result.result_set]

    async def _command(self, *args: Any) -> Any:
        try:
            return await self.db.connection.execute_command(*args)
        except redis_errors.ResponseError as exc:
            raise StoreError(f"FalkorDB refused {args[0]}: {exc}") from exc
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def _slow_command(self, *args: str) -> Any:
        """A command that takes as long as the graph is large (GRAPH.COPY of a million records takes tens of
        seconds on a busy machine): on a connection of its own, without the queries' socket timeout."""
        client = aioredis.Redis.from_url(
            self.address.redis_url(),
            socket_timeout=SLOW_COMMAND_S,
            socket_connect_timeout=self.pool.connection_kwargs.get("socket_connect_timeout"),
            client_name=self.client_name,
            decode_responses=True,
        )
        try:
            return await client.execute_command(*args)  # type: ignore[no-untyped-call]
        except redis_errors.ResponseError as exc:
            raise StoreError(f"FalkorDB refused {args[0]}: {exc}") from exc
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc
        finally:
            await client.aclose()

    async def _drop_quietly(self, graph: str) -> None:
        try:
            await self.db.connection.execute_command("GRAPH.DELETE", graph)
        except Exception:  # the database may be the reason we are here
            log.warning("could not drop the staging graph %s; it is left for the next load", graph)

    def _unavailable(self, exc: BaseException) -> GraphApiError:
        """The client's message names no socket, path or driver text; the log has them. A server that is
        down while its disk is full is down because of it (it stops when it cannot append a write, and
        is started again once there is room): DiskFull says so."""
        log.warning("FalkorDB at %s is not reachable: %s", self.address.describe(), exc)
        if self.disk is not None and self.disk.full():
            try:
                self.disk.check()
            except DiskFull as full:
                return full
        return Unavailable("the database is not reachable")


# Loads of at least this many statements rebuild the full-text indexes instead of updating them.
BULK_STEPS = 20
SLOW_COMMAND_S = 900.0  # a copy of the graph for a load
