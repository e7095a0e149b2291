"""A small load as one FalkorDB statement: all or nothing without copying the graph.

FalkorDB has no transaction across statements, but one statement is atomic: a write query that fails half
way (a runtime error, a refused value) is undone by the server's undo log, and a server killed while it
runs has not appended it to its file, so it comes back without it (tests/store/test_one_statement.py
shows both). So a load whose writes are few is sent as ONE statement: its steps (each `UNWIND $rows ...`
with no RETURN, graphapi/graph/writes.py) chained with `WITH count(*)`, which runs each step to its end
before the next begins and hands on one row whatever it wrote, so a later step sees an earlier one's
nodes (relationships to nodes made in the same load). Each step's parameters are renamed apart (`$rows`
of the third step becomes `$s2_rows`).

Sent on the connection that has WATCHed the graph since the load was worked out (`watching()`), inside
MULTI/EXEC: if anything wrote to the graph meanwhile, EXEC runs nothing and the load is a WriteConflict,
as the copy's RENAME is. Redis runs a command inside EXEC on its main thread, so the statement holds the
whole server while it runs: hence the limit on its size (ONE_STATEMENT_ROWS). A larger load goes into a
copy of the graph swapped in with RENAME (FalkorDBStore.write_all).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from redis import exceptions as redis_errors
from redis.asyncio.client import Pipeline

from graphapi.errors import GraphApiError, StoreError, WriteConflict
from graphapi.store.base import Cypher, Params, WriteStep
from graphapi.store.falkordb_params import params_header

# Rows (items of the steps' lists) a load may write as one statement. Measured on 2026-12-07 on a graph
# of 10,000 statements, 2 cores shared (load average 6-7): positions' stances changed, 597 rows took the
# server 0.06 s, 2,400 rows 0.23 s, 9,000 rows 0.83 s (PING waited up to 0.64 s behind it); a copy of that
# graph took 6.1 s for the same load (PING up to 0.53 s), and the copy grows with the graph, the
# statement with the load. 5,000 rows hold the server about half a second on such a machine.
ONE_STATEMENT_ROWS = 5_000
# And characters of the statement with its parameters (9,000 rows above: 2.5 million): large texts
# (sources') go by the copy.
ONE_STATEMENT_CHARS = 4 << 20

_RETURN = re.compile(r"\bRETURN\b", re.IGNORECASE)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

Unavailable = Callable[[BaseException], GraphApiError]


def rows_of(steps: Sequence[WriteStep]) -> int:
    """How many rows the steps write: the items of their list parameters (a scalar counts one)."""
    return sum(len(v) if isinstance(v, list) else 1 for step in steps for v in step.params.values())


def one_statement(steps: Iterable[WriteStep]) -> tuple[Cypher, dict[str, Any]] | None:
    """The steps as one statement and its parameters; None when they should not be one: worked out as
    they are sent (a generator), too many rows, a step that returns something."""
    if not isinstance(steps, Sequence) or not steps or rows_of(steps) > ONE_STATEMENT_ROWS:
        return None
    if any(_RETURN.search(step.query.text) for step in steps):
        return None
    parts: list[str] = []
    params: dict[str, Any] = {}
    for index, step in enumerate(steps):
        prefix = f"s{index}_"

        def renamed(match: re.Match[str], step: WriteStep = step, prefix: str = prefix) -> str:
            if match.group(1) not in step.params:
                raise ValueError(f"`{step.query.name}` uses ${match.group(1)}, which it is not given")
            return f"${prefix}{match.group(1)}"

        parts.append(_PARAM.sub(renamed, step.query.text))
        params.update({prefix + name: value for name, value in step.params.items()})
    text = " ".join(f"{part} WITH count(*) AS s{i}" for i, part in enumerate(parts[:-1]))
    text = f"{text} {parts[-1]}".strip()
    names = ", ".join(dict.fromkeys(step.query.name for step in steps))
    return Cypher(f"write.one_statement({names})", text), params


async def exec_watched(since: Pipeline, command: Sequence[Any], what: str, unavailable: Unavailable) -> Any:
    """Run one command in MULTI/EXEC on the connection that WATCHes the graph: WriteConflict if anything
    wrote to it since the WATCH (the command is then not run); StoreError if the server refused it (a
    failed graph query has undone its own writes)."""
    try:
        since.multi()  # type: ignore[no-untyped-call]
        since.execute_command(*command)
        replies = await since.execute(raise_on_error=False)
    except redis_errors.WatchError as exc:
        raise WriteConflict("the graph changed while the load was worked out; nothing was written") from exc
    except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
        raise unavailable(exc) from exc
    reply = replies[0]
    refused = reply if isinstance(reply, redis_errors.ResponseError) else None
    if refused is None and isinstance(reply, list) and reply:
        last = reply[-1]  # a graph query's error after its header: its last part
        refused = last if isinstance(last, redis_errors.ResponseError) else None
    if refused is not None:
        raise StoreError(f"FalkorDB refused `{what}`: {refused}")
    return reply


def query_command(
    graph: str,
    query: Cypher,
    params: Params | None,
    *,
    read_only: bool,
    unique: frozenset[str],
    timeout_ms: int,
) -> tuple[Any, ...]:
    """The GRAPH.QUERY (or GRAPH.RO_QUERY) command of a statement, with our own parameter header."""
    return (
        "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY",
        graph,
        params_header(params, frozenset() if read_only else unique) + query.text,
        "--compact",
        "timeout",
        timeout_ms,
    )
