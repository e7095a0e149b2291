"""The command line, run as a user runs it: `graphapi serve` answering real HTTP over TCP, a second
process attaching to its database, and the seed commands' output and exit codes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from graphapi.seed.yaml_loader import load_yaml
from helpers import SEED_DIR, SEED_NODES, SEED_TENURES, serving

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
    assert body["data"]["positions"]["totalCount"] == 6
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
        assert answers == {7}
        assert_stopping_stops_the_database(process, tmp_path)


def test_seed_load_reports_counts_then_nothing_to_change(tmp_path: Path) -> None:
    first = graphapi("seed", "load", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Statement" in first.stdout and "-[HOLDS]->" in first.stdout
    second = graphapi("seed", "load", data_dir=tmp_path)
    assert "nothing to change" in second.stdout and f"{SEED_NODES} records" in second.stdout
    assert "1 file(s) unchanged since their last load, not read (--force reads them)" in second.stdout
    forced = graphapi("seed", "load", "--force", data_dir=tmp_path)
    assert "nothing to change" in forced.stdout and "not read" not in forced.stdout
    assert graphapi("schema", "apply", data_dir=tmp_path).stdout.strip().endswith("nothing to change")


def test_seed_validate_names_the_file_record_and_field(tmp_path: Path) -> None:
    dry = graphapi("seed", "load", "--dry-run", data_dir=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert f"the load would create {SEED_NODES + SEED_TENURES} record(s)" in dry.stdout  # nodes and tenures
    ok = graphapi("seed", "validate", "--offline", data_dir=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert f"checked offline (the graph was not read): 1 file(s) valid: {SEED_NODES} nodes" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"persons": [{"id": "person:x", "name": "X", "age": 3}]}), encoding="utf-8")
    result = graphapi("seed", "validate", "--offline", str(bad), data_dir=tmp_path)
    assert result.returncode == 1
    assert "bad.yaml: persons[0] (person:x): field 'age': unknown field" in " ".join(result.stderr.split())
    assert "nothing was loaded" not in result.stderr  # nothing was going to be
    loaded = graphapi("seed", "load", str(bad), str(SEED_DIR), data_dir=tmp_path)
    assert loaded.returncode == 1 and "nothing was loaded" in loaded.stderr


def test_commands_that_read_the_graph_refuse_a_data_dir_without_one(tmp_path: Path) -> None:
    """Pointed at the wrong place, `seed validate`, `seed diff` and `keys list` say so instead of starting
    an empty database there and reporting every reference as missing; `--data-dir` wins over
    GRAPHAPI_DATA_DIR, and each names the database it used."""
    empty, loaded = tmp_path / "empty", tmp_path / "loaded"
    for command in (["seed", "validate"], ["seed", "diff"], ["keys", "list"]):
        refused = graphapi(*command, data_dir=empty)
        assert refused.returncode == 1, (command, refused.stdout, refused.stderr)
        assert f"{empty} holds no graph (no database was ever started there)" in " ".join(
            refused.stderr.split()
        )
        assert not empty.exists(), "a command that reads the graph made a database"
    assert graphapi("seed", "load", "--data-dir", str(loaded), data_dir=empty).returncode == 0
    assert not empty.exists()
    validated = graphapi("seed", "validate", "--data-dir", str(loaded), data_dir=empty)
    assert validated.returncode == 0, validated.stderr
    assert f"using the embedded database in {loaded}: {SEED_NODES} node(s)" in validated.stderr
    assert graphapi("seed", "diff", "--data-dir", str(loaded), data_dir=empty).returncode == 0
    # A database that was started but holds nothing is refused too, after saying what it found.
    assert graphapi("schema", "apply", data_dir=empty).returncode == 0
    refused = graphapi("seed", "diff", data_dir=empty)
    assert refused.returncode == 1
    assert f"the embedded database in {empty} holds no graph (0 nodes)" in " ".join(refused.stderr.split())


def test_seed_validate_says_whether_it_read_the_graph(tmp_path: Path) -> None:
    """One file that refers to another's records: offline, its references are noted as not checked (not
    called undefined); with the graph holding the other file, they are found."""
    readings = tmp_path / "readings.yaml"
    position = {
        "id": "position:eu-reading", "actor": "org:eu", "on": "measure:us-threatened-tariffs-eu-coordination",
        "stance": "OPPOSE", "confidence": 0.5, "evidence": ["statement:trump-large-scale-tariffs"],
    }  # fmt: skip
    readings.write_text(yaml.safe_dump({"positions": [position]}), encoding="utf-8")
    offline = graphapi("seed", "validate", "--offline", str(readings), data_dir=tmp_path)
    assert offline.returncode == 0, offline.stderr
    out = " ".join(offline.stdout.split())
    assert "checked offline (the graph was not read): 1 file(s) valid: 1 nodes" in out
    assert "3 reference(s) to ids outside these files not checked" in out
    assert "field 'actor': org:eu is not in the files validated; the graph was not read (--offline)" in out
    assert "not defined" not in out
    assert graphapi("seed", "load", data_dir=tmp_path).returncode == 0
    online = graphapi("seed", "validate", str(readings), data_dir=tmp_path)
    assert online.returncode == 0, online.stderr
    assert "checked against the graph (falkordb): 1 file(s) valid" in online.stdout
    assert "a load would create 1 record(s)" in online.stdout
    # the bundled seed, loaded and unchanged since: left out, unless --force
    bundled = graphapi("seed", "validate", data_dir=tmp_path)
    assert (
        "0 file(s) valid" in bundled.stdout and "1 file(s) unchanged since their last load" in bundled.stdout
    )
    forced = graphapi("seed", "validate", "--force", data_dir=tmp_path)
    assert f"1 file(s) valid: {SEED_NODES} nodes" in forced.stdout and "not read" not in forced.stdout


def test_a_removal_is_shown_before_it_is_made(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    assert graphapi("seed", "load", str(seed), data_dir=tmp_path).returncode == 0
    path = seed / "us-canada-tariff-call.yaml"
    document = load_yaml(path.read_text(encoding="utf-8"))
    document["positions"] = [
        p for p in document["positions"] if p["id"] != "position:trump-supports-eu-coordination-tariffs"
    ]
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")

    dry = graphapi("seed", "load", "--dry-run", str(seed), data_dir=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "nothing was written" in dry.stdout and "the load would delete 1 record(s)" in dry.stdout
    deleted = (
        "- deleted position:trump-supports-eu-coordination-tariffs (Position, us-canada-tariff-call.yaml)"
    )
    assert deleted in dry.stdout
    diff = graphapi("seed", "diff", str(seed), data_dir=tmp_path)
    assert diff.returncode == 1 and deleted in diff.stdout  # the dry run left it in the graph

    loaded = graphapi("seed", "load", str(seed), data_dir=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert deleted in loaded.stdout and "Position" in loaded.stdout
    same = graphapi("seed", "diff", str(seed), data_dir=tmp_path)
    assert same.returncode == 0 and "the graph says what the files say" in same.stdout


def test_seed_diff_shows_values_and_what_no_file_states(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    assert graphapi("seed", "load", str(seed), data_dir=tmp_path).returncode == 0
    path = seed / "us-canada-tariff-call.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  - id: person:howard-lutnick\n    name: Howard Lutnick",
            "  - id: person:howard-lutnick\n    name: Howard W. Lutnick",
        ),
        encoding="utf-8",
    )
    key = graphapi("keys", "create", "--name", "curator", data_dir=tmp_path).stdout.strip()
    with serving(tmp_path) as (url, _):
        made = httpx.post(
            f"{url}/graphql",
            headers={"Authorization": f"Bearer {key}"},
            json={
                "query": 'mutation { upsertActor(input: {id: "person:someone-new", name: "Someone New"}) { created } }'
            },
        ).json()
        assert made["data"] == {"upsertActor": {"created": True}}, made
    diff = graphapi("seed", "diff", str(seed), data_dir=tmp_path)
    assert diff.returncode == 1, diff.stderr
    out = diff.stdout
    assert '      name: "Howard Lutnick" in the graph, "Howard W. Lutnick" in files' in out
    assert "1 record(s) of the graph no seed file states:" in out
    assert "  person:someone-new (made through the API by key:" in out and "(curator)" in out


def test_fix_spans_and_docs_commands(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = seed / "us-canada-tariff-call.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    start: 535\n    end: 555\n", "", 1), encoding="utf-8"
    )
    fixed = graphapi("seed", "fix-spans", str(path), data_dir=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert (
        "statements[0] (statement:trump-call-extremely-productive): quote: start 535, end 555" in fixed.stdout
    )
    assert path.read_text(encoding="utf-8") == (SEED_DIR / "us-canada-tariff-call.yaml").read_text(
        encoding="utf-8"
    )
    docs = graphapi("seed", "docs", "--path", str(seed / "README.md"), data_dir=tmp_path)
    assert docs.returncode == 0 and "is up to date" in docs.stdout


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


def test_messages_are_printed_as_written(tmp_path: Path) -> None:
    """Quotes and their places are shown in [brackets]: printed as they are, never taken for markup."""
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = seed / "us-canada-tariff-call.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    quote: betrayal\n    start: 3229\n    end: 3237\n", "    quote: Carney\n"),
        encoding="utf-8",
    )
    result = graphapi("seed", "validate", "--offline", str(path), data_dir=tmp_path)
    assert result.returncode == 1
    assert (
        "at start 107, end 113 (...Trump and Prime Minister [Carney] engage in their first...)"
        in result.stderr
    )


class _NotToBeWritten:
    """A command's result that must not be written out (a large diff took minutes to)."""

    written = 0

    def __repr__(self) -> str:
        _NotToBeWritten.written += 1  # (counted: whoever writes it out may swallow an exception)
        return "<result>"


@pytest.mark.slow
def test_a_commands_result_is_not_written_out_on_its_way_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python 3.11's asyncio.run writes out its finished task, result included, when it puts SIGINT's
    handler back; a command's result (a diff of 10,000 statements: minutes of repr) stays out of it."""
    from graphapi.cli_support import run_on_store

    monkeypatch.setenv("GRAPHAPI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NEO4J_URI", raising=False)

    async def work(store: object) -> _NotToBeWritten:
        return _NotToBeWritten()

    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        assert isinstance(run_on_store(work, needs_graph=None), _NotToBeWritten)
        assert _NotToBeWritten.written == 0, "the command's result was written out"
    finally:
        signal.signal(signal.SIGINT, before)
