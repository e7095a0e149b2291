"""The Neo4j store: the official async driver, its pooling and its retries.

Timeouts are short on purpose: a database that is down must give the client a clear UNAVAILABLE in
seconds, not a request that hangs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from graphapi.errors import StoreError, Unavailable
from graphapi.store.base import Cypher, Params, Record, StepCallback, Store, WriteStep
from graphapi.store.dialect import NEO4J, GraphSchema, from_neo4j, neo4j_ddl, neo4j_schema_names

SHOW_INDEXES = Cypher("schema.show_indexes", "SHOW INDEXES YIELD name RETURN name", NEO4J)
SHOW_CONSTRAINTS = Cypher("schema.show_constraints", "SHOW CONSTRAINTS YIELD name RETURN name", NEO4J)

log = logging.getLogger(__name__)

_DOWN = (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError)


class Neo4jStore(Store):
    engine = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str,
        *,
        query_timeout_s: float = 10.0,
        connect_timeout_s: float = 5.0,
    ) -> None:
        self.uri = uri
        self.database = database
        self.query_timeout_s = query_timeout_s
        self.driver = neo4j.AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=connect_timeout_s,
            connection_acquisition_timeout=connect_timeout_s,
            max_transaction_retry_time=connect_timeout_s,
        )

    async def read(self, query: Cypher, params: Params | None = None) -> list[Record]:
        return await self._execute(query, params, neo4j.RoutingControl.READ)

    async def write(self, query: Cypher, params: Params | None = None) -> list[Record]:
        return await self._execute(query, params, neo4j.RoutingControl.WRITE)

    async def write_all(
        self, steps: Iterable[WriteStep], on_step: StepCallback | None = None, *, since: object = None
    ) -> None:
        # A transaction function may run again (a transient error): the steps are kept to be sent again.
        steps = list(steps)

        # One transaction for every step (concurrent writes serialise with it on Neo4j's locks, so no
        # version check is needed); its timeout grows with the number of steps.
        @neo4j.unit_of_work(timeout=self.query_timeout_s * max(1, len(steps)))
        async def work(tx: neo4j.AsyncManagedTransaction) -> None:
            for step in steps:
                result = await tx.run(step.query.text, dict(step.params))
                await result.consume()
                if on_step:
                    on_step()

        try:
            async with self.driver.session(database=self.database) as session:
                await session.execute_write(work)
        except _DOWN as exc:
            raise self._unavailable(exc) from exc
        except neo4j_errors.Neo4jError as exc:
            raise StoreError(f"Neo4j refused the load: {exc.message}") from exc

    async def apply_schema(self, schema: GraphSchema) -> list[str]:
        created = []
        for ddl in neo4j_ddl(schema):
            summary = await self._summary(Cypher("schema.ddl", ddl, NEO4J))
            if (
                summary.counters.contains_system_updates
                or summary.counters.indexes_added
                or summary.counters.constraints_added
            ):
                created.append(ddl)
        return created

    async def missing_schema(self, schema: GraphSchema) -> list[str]:
        names = {row["name"] for row in await self.read(SHOW_INDEXES)}
        names |= {row["name"] for row in await self.read(SHOW_CONSTRAINTS)}
        return [name for name in neo4j_schema_names(schema) if name not in names]

    async def ping(self) -> None:
        try:
            await self.driver.verify_connectivity(database=self.database)
        except _DOWN as exc:
            raise self._unavailable(exc) from exc

    async def close(self) -> None:
        await self.driver.close()

    async def _execute(
        self, query: Cypher, params: Params | None, routing: neo4j.RoutingControl
    ) -> list[Record]:
        try:
            records, _, keys = await self.driver.execute_query(
                neo4j.Query(query.text, timeout=self.query_timeout_s),
                dict(params or {}),
                database_=self.database,
                routing_=routing,
            )
        except _DOWN as exc:
            raise self._unavailable(exc) from exc
        except neo4j_errors.ClientError as exc:
            if exc.code and "Timeout" in exc.code:
                raise Unavailable(f"the database did not answer `{query.name}` in time") from exc
            raise StoreError(f"Neo4j refused `{query.name}`: {exc.message}") from exc
        return [{key: from_neo4j(record[key]) for key in keys} for record in records]

    async def _summary(self, query: Cypher) -> Any:
        try:
            _, summary, _ = await self.driver.execute_query(query.text, database_=self.database)
        except _DOWN as exc:
            raise self._unavailable(exc) from exc
        return summary

    def _unavailable(self, exc: BaseException) -> Unavailable:
        """The client's message names no address or driver text; the log has them."""
        log.warning("Neo4j at %s (database %r) is not reachable: %s", self.uri, self.database, exc)
        return Unavailable("the database is not reachable")
