"""The command line, run as a user runs it: `graphapi serve` answering real HTTP over TCP, a second
process attaching to its database, and the seed commands' output and exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from helpers import SEED_DIR, serving

# slow: it starts database and server processes of its own
pytestmark = [pytest.mark.filterwarnings("ignore::ResourceWarning"), pytest.mark.slow]


def graphapi(*args: str, data_dir: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRAPHAPI_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "graphapi", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )  # type: ignore[call-overload]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    with serving(tmp_path) as (url, process):
        yield url, tmp_path, process


def assert_stopping_stops_the_database(process: subprocess.Popen[bytes], data_dir: Path) -> None:
    """Ctrl-C stops the service, and the last process out stops the embedded database."""
    server_pid = int((data_dir / "falkordb" / "falkordb.pid").read_text())
    process.send_signal(signal.SIGINT)
    assert process.wait(30) == 0
    deadline = time.monotonic() + 10
    while Path(f"/proc/{server_pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{server_pid}").exists(), "the embedded database outlived the app"


def test_serve_loads_the_seed_and_answers_over_http(
    served: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    url, data_dir, process = served
    query = '{ positions(on: "measure:us-vehicle-tariff-2025") { totalCount nodes { actor { name } } } }'
    body = httpx.post(f"{url}/graphql", json={"query": query}).json()
    assert body["data"]["positions"]["totalCount"] == 3
    page = httpx.get(f"{url}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert httpx.get(url, follow_redirects=False).headers["location"] == "explore"  # the explorer

    # a second process attaches to the same embedded database; the seed is already there
    again = graphapi("seed", "load", data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert "nothing to change" in again.stdout
    assert_stopping_stops_the_database(process, data_dir)


def test_several_workers_share_one_database(tmp_path: Path) -> None:
    query = {"query": '{ positions(onText: "auto tariffs") { totalCount } }'}
    with serving(tmp_path, "--workers", "2") as (url, process):
        answers = {
            httpx.post(f"{url}/graphql", json=query).json()["data"]["positions"]["totalCount"]
            for _ in range(8)
        }
        assert answers == {3}
        assert_stopping_stops_the_database(process, tmp_path)


def test_seed_load_reports_counts_then_nothing_to_change(tmp_path: Path) -> None:
    first = graphapi("seed", "load", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Statement" in first.stdout and "-[HOLDS]->" in first.stdout
    second = graphapi("seed", "load", data_dir=tmp_path)
    assert "nothing to change" in second.stdout and "54 records" in second.stdout
    assert graphapi("schema", "apply", data_dir=tmp_path).stdout.strip().endswith("nothing to change")


def test_seed_validate_names_the_file_record_and_field(tmp_path: Path) -> None:
    ok = graphapi("seed", "validate", data_dir=tmp_path)
    assert ok.returncode == 0 and "1 file(s) valid: 54 nodes" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"persons": [{"id": "person:x", "name": "X", "age": 3}]}), encoding="utf-8")
    result = graphapi("seed", "validate", str(bad), data_dir=tmp_path)
    assert result.returncode == 1
    assert "bad.yaml: persons[0] (person:x): field 'age': unknown field" in " ".join(result.stderr.split())
    loaded = graphapi("seed", "load", str(bad), str(SEED_DIR), data_dir=tmp_path)
    assert loaded.returncode == 1 and "nothing was loaded" in loaded.stderr


def test_schema_export_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = graphapi("schema", "export", "--path", str(target), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    sdl = target.read_text()
    assert "type Query" in sdl and "positions(" in sdl and "timeline(" in sdl


def test_the_committed_sdl_matches_the_code() -> None:
    from graphapi.api.schema import build_schema

    committed = (SEED_DIR.parent / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == build_schema().as_str() + "\n", (
        "schema/schema.graphql is stale: run `graphapi schema export`"
    )
