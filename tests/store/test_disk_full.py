"""A full disk is a state, said in words: on a small tmpfs under the embedded database, writes get DISK_FULL
(never "database not reachable") once the disk is within its reserve, reads go on, /ready says
`disk_full`; a server that dies on the full disk is not restarted into it (no restart loop) and /health
fails once it lasts; when space returns the server comes back and writes resume, with no acknowledged
write lost. Skipped, saying why, where a tmpfs cannot be mounted (it needs root; CI runs as root)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers import serving

pytestmark = pytest.mark.slow  # starts a server process of its own, on a disk of its own

DISK_MB = 40
RESERVE_MB = 8
GRACE_S = 3
UPSERT = "mutation($input: ActorInput!) { upsertActor(input: $input) { created } }"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs for the database needs root (CI runs as root)")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False)


def free_bytes(path: Path) -> int:
    info = os.statvfs(path)
    return info.f_bavail * info.f_frsize


def fill(path: Path, leave: int) -> None:
    """A file taking all but `leave` bytes of the disk (all of it when `leave` is 0)."""
    with path.open("ab") as out:
        while free_bytes(path.parent) > leave:
            chunk = min(1 << 20, free_bytes(path.parent) - leave)
            try:
                out.write(b"\0" * max(chunk, 4096))
                out.flush()
            except OSError:
                break


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds}s for {what}"
        time.sleep(0.2)


def test_a_full_disk_is_a_state_and_no_acknowledged_write_is_lost(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    env = {
        "GRAPHAPI_DATA_DIR": str(data),
        "GRAPHAPI_MIN_FREE_DISK_MB": str(RESERVE_MB),
        "GRAPHAPI_DISK_FULL_GRACE": str(GRACE_S),
        "GRAPHAPI_LOG_LEVEL": "WARNING",
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    with serving(logs, **env) as (url, _):
        create = [sys.executable, "-m", "graphapi", "keys", "create", "--name", "disk", "--scope", "write"]
        key = subprocess.run(
            create, env={**os.environ, **env}, capture_output=True, text=True, check=True
        ).stdout.strip()
        http = httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {key}"})
        acknowledged: list[str] = []

        def write(n: int) -> dict[str, Any]:
            node_id = f"person:disk-{n}"
            body: dict[str, Any] = http.post(
                "/graphql", json={"query": UPSERT, "variables": {"input": {"id": node_id, "name": f"N {n}"}}}
            ).json()
            if not body.get("errors"):
                acknowledged.append(node_id)
            return body

        for n in range(20):
            assert not write(n).get("errors")

        # within the reserve: writes are refused in words, reads go on, /ready says why
        fill(small_disk / "filler", leave=(RESERVE_MB // 2) << 20)
        refused = write(100)
        assert [e["extensions"]["code"] for e in refused["errors"]] == ["DISK_FULL"], refused
        assert "disk" in refused["errors"][0]["message"] and "full" in refused["errors"][0]["message"]
        read = http.post("/graphql", json={"query": '{ node(id: "person:disk-3") { id } }'}).json()
        assert read["data"]["node"] == {"id": "person:disk-3"}
        wait_for(lambda: http.get("/ready").json().get("status") == "disk_full", 5, "/ready to say disk_full")
        assert http.get("/ready").status_code == 503

        # the disk full to the last byte, and the server killed on it: not restarted into the same failure
        fill(small_disk / "filler-2", leave=0)
        pid = int((data / "falkordb" / "falkordb.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        time.sleep(2)
        ready = http.get("/ready").json()
        assert ready["status"] == "disk_full" and ready["database"]["restarts"] == 0, ready
        assert [e["extensions"]["code"] for e in write(101)["errors"]] == ["DISK_FULL"]
        wait_for(lambda: http.get("/health").status_code == 503, GRACE_S + 5, "/health to fail")

        # space returns: the server comes back, writes resume
        (small_disk / "filler").unlink()
        (small_disk / "filler-2").unlink()
        wait_for(lambda: http.get("/ready").status_code == 200, 15, "the service to be ready again")
        assert http.get("/health").status_code == 200
        for n in range(200, 210):
            assert not write(n).get("errors")

        ids = ", ".join(f'"{node_id}"' for node_id in acknowledged)
        found = http.post("/graphql", json={"query": f"{{ nodes(ids: [{ids}]) {{ id }} }}"}).json()
        assert [node["id"] for node in found["data"]["nodes"] if node] == acknowledged, found
        assert len(acknowledged) == 30
        http.close()
