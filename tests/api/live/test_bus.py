"""The change bus between processes: Redis PUBLISH/SUBSCRIBE on the embedded FalkorDB (or the server
GRAPHAPI_BUS_URL names). Two buses on one channel stand for two `serve` workers here; tests/test_workers.py
runs the real thing."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from graphapi.api.live.bus import BadChange, ChangeBus, change_from_json, change_to_json
from graphapi.api.live.shared_bus import SharedChangeBus, bus_url, open_bus
from graphapi.config import Settings
from graphapi.graph.changes import Change, ChangeKind
from graphapi.store.falkor_server import EmbeddedServer, process_alive
from graphapi.store.falkordb_store import FalkorDBStore
from graphapi.store.neo4j_store import Neo4jStore

CHANNEL = "graphapi:changes:bus_test"
slow = pytest.mark.slow  # a database server of the test's own


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[EmbeddedServer, str]]:
    """A FalkorDB server of the test's own (killing it harms no other test), and its bus URL."""
    embedded = EmbeddedServer(tmp_path / "db")
    store = FalkorDBStore(embedded.start(), "bus_test")
    try:
        url = bus_url(Settings.from_env({"GRAPHAPI_DATA_DIR": str(tmp_path)}), store)
        assert url is not None and url.startswith("unix://")
        yield embedded, url
    finally:
        await store.close()
        embedded.start()  # (attaches, or starts it again if the test left it down)
        assert embedded.stop()


async def started(url: str, name: str) -> SharedChangeBus:
    bus = SharedChangeBus(url, CHANNEL, f"graphapi-test-{name}", timeout_s=2)
    await bus.start()
    assert bus.subscribed
    return bus


async def collect(bus: ChangeBus, label: str, wanted: frozenset[str], into: list[Change]) -> None:
    async for change in bus.listen(label, wanted):
        into.append(change)


async def wait_for(condition: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def change(i: int, kind: ChangeKind = ChangeKind.UPDATED) -> Change:
    related = frozenset({"measure:a" if i % 2 else "measure:b", "person:x"})
    return Change(kind, f"position:p{i % 3}", "Position", related)


@slow
async def test_each_change_reaches_each_process_once_in_order(server: tuple[EmbeddedServer, str]) -> None:
    _, url = server
    first, second = await started(url, "first"), await started(url, "second")
    heard: dict[str, list[Change]] = {"first": [], "second": [], "second on a": [], "statements": []}
    tasks = [
        asyncio.create_task(collect(first, "Position", frozenset(), heard["first"])),
        asyncio.create_task(collect(second, "Position", frozenset(), heard["second"])),
        asyncio.create_task(collect(second, "Position", frozenset({"measure:a"}), heard["second on a"])),
        asyncio.create_task(collect(second, "Statement", frozenset(), heard["statements"])),
    ]
    try:
        await asyncio.sleep(0.1)
        made = [change(i) for i in range(30)]
        for i, c in enumerate(made):  # one after the other, from either process, as sequential requests are
            await (first if i % 2 else second).publish(c)
        await wait_for(lambda: len(heard["first"]) == 30 and len(heard["second"]) == 30)
        await asyncio.sleep(0.3)  # nothing more arrives: no change twice
        assert heard["first"] == made and heard["second"] == made
        assert heard["second on a"] == [c for c in made if "measure:a" in c.related]
        assert heard["statements"] == []
    finally:
        for task in tasks:
            task.cancel()
        await first.close()
        await second.close()


@slow
async def test_a_stray_message_on_the_channel_is_ignored(
    server: tuple[EmbeddedServer, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, url = server
    bus = await started(url, "one")
    heard: list[Change] = []
    task = asyncio.create_task(collect(bus, "Position", frozenset(), heard))
    raw = aioredis.Redis.from_url(url)
    try:
        await asyncio.sleep(0.1)
        with caplog.at_level(logging.WARNING, logger="graphapi.api.live.shared_bus"):
            for junk in (b"\xff\xfe", b"[]", b'{"kind": "EATEN"}', b"[" * 100_000, b'{"kind":"CREATED"}'):
                await raw.publish(CHANNEL, junk)
            await bus.publish(change(1, ChangeKind.CREATED))
            await wait_for(lambda: len(heard) == 1)
        assert heard == [change(1, ChangeKind.CREATED)]
        ignored = [r for r in caplog.records if r.getMessage() == "ignored a message on the change bus"]
        assert len(ignored) == 5
    finally:
        task.cancel()
        await raw.aclose()
        await bus.close()


@slow
async def test_the_subscription_comes_back_when_the_server_restarts(
    server: tuple[EmbeddedServer, str],
) -> None:
    embedded, url = server
    bus = await started(url, "one")
    heard: list[Change] = []
    task = asyncio.create_task(collect(bus, "Position", frozenset(), heard))
    try:
        pid = embedded.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)  # a crash: pid and socket files stay behind
        if embedded.process is not None:
            embedded.process.wait()
        await wait_for(lambda: not process_alive(pid) and not bus.subscribed)
        await bus.publish(change(0))  # nowhere to go: logged, not raised (the write it reports landed)
        EmbeddedServer(embedded.data_dir).start()  # the database comes back on the same socket
        await wait_for(lambda: bus.subscribed)
        await bus.publish(change(2, ChangeKind.DELETED))
        await wait_for(lambda: len(heard) == 1)
        assert heard == [change(2, ChangeKind.DELETED)]
    finally:
        task.cancel()
        await bus.close()


@slow
async def test_with_neo4j_the_bus_is_the_redis_of_bus_url_or_this_process_alone(
    server: tuple[EmbeddedServer, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, url = server
    neo4j = {"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_DATABASE": "tariffs"}
    store = Neo4jStore("bolt://127.0.0.1:9", "neo4j", "", "tariffs")  # never connected to here
    try:
        with caplog.at_level(logging.WARNING, logger="graphapi.api.live.shared_bus"):
            async with open_bus(Settings.from_env(neo4j), store) as alone:
                assert type(alone) is ChangeBus
        assert "subscribers hear only the changes made through their own process" in caplog.text

        async with open_bus(Settings.from_env({**neo4j, "GRAPHAPI_BUS_URL": url}), store) as shared:
            assert isinstance(shared, SharedChangeBus) and shared.channel == "graphapi:changes:tariffs"
            raw = aioredis.Redis.from_url(url)
            [(_, subscribers)] = await raw.pubsub_numsub("graphapi:changes:tariffs")
            await raw.aclose()
            assert subscribers == 1
    finally:
        await store.close()


def test_a_change_travels_as_json() -> None:
    made = Change(ChangeKind.DELETED, "statement:s1", "Statement", frozenset({"person:b", "person:a"}))
    text = change_to_json(made)
    assert json.loads(text) == {
        "kind": "DELETED",
        "id": "statement:s1",
        "label": "Statement",
        "related": ["person:a", "person:b"],
    }
    assert change_from_json(text) == made
    for junk in ('{"kind":"DELETED","id":1,"label":"S","related":[]}', '{"kind":"X","id":"a","label":"S","related":[]}',
                 '{"kind":"DELETED","id":"a","label":"S","related":"ab"}', "null", "[" * 50_000):  # fmt: skip
        with pytest.raises(BadChange):
            change_from_json(junk)


@slow
async def test_the_bus_works_when_the_socket_path_is_too_long(tmp_path: Path) -> None:
    """Past a unix socket's path limit the server's socket lives in a short private directory (never on
    TCP): the bus reaches it there."""
    embedded = EmbeddedServer(tmp_path / ("long-" * 20) / "db")
    store = FalkorDBStore(embedded.start(), "bus_test")
    try:
        assert not str(store.address.unix_socket).startswith(str(tmp_path))
        url = bus_url(Settings.from_env({}), store)
        assert url is not None and url.startswith("unix://")
        bus = await started(url, "short-socket")
        heard: list[Change] = []
        task = asyncio.create_task(collect(bus, "Position", frozenset(), heard))
        await asyncio.sleep(0.1)
        await bus.publish(change(4))
        await wait_for(lambda: len(heard) == 1)
        assert heard == [change(4)]
        task.cancel()
        await bus.close()
    finally:
        await store.close()
        assert embedded.stop()


def test_a_server_password_travels_in_the_bus_url() -> None:
    client = aioredis.Redis.from_url("unix:///tmp/x.sock?password=a%2Fb%3Fc%26d")
    assert client.connection_pool.connection_kwargs["password"] == "a/b?c&d"
