"""The `graphapi` command's entry (graphapi/launch.py): `serve` with the C allocator unless told
otherwise, a wrong choice refused, and SIGTERM stopping any other command as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphapi.launch import wanted
from graphapi.store.falkor_server import EmbeddedServer, process_alive
from helpers import SEED_DIR


@pytest.mark.parametrize(
    ("argv", "environ", "again"),
    [
        (["graphapi", "serve", "--port", "1"], {}, True),
        (["graphapi", "serve"], {"GRAPHAPI_ALLOCATOR": "pymalloc"}, False),
        (["graphapi", "serve"], {"GRAPHAPI_ALLOCATOR": " Malloc "}, True),
        (["graphapi", "serve"], {"PYTHONMALLOC": "pymalloc_debug"}, False),  # a choice made already
        (["graphapi", "load"], {}, False),  # only the long-running server
        (["graphapi"], {}, False),
    ],
)
def test_serve_runs_again_with_the_c_allocator_unless_told_not_to(
    argv: list[str], environ: dict[str, str], again: bool
) -> None:
    assert wanted(argv, environ) is again


def test_an_allocator_that_is_neither_is_refused() -> None:
    with pytest.raises(SystemExit, match="GRAPHAPI_ALLOCATOR is malloc or pymalloc, not 'jemalloc'"):
        wanted(["graphapi", "serve"], {"GRAPHAPI_ALLOCATOR": "jemalloc"})


def test_python_ignoring_the_environment_is_not_run_again(capsys: pytest.CaptureFixture[str]) -> None:
    """`python -E`/`-I` ignores PYTHONMALLOC: running again would change nothing, so it says so."""
    assert wanted(["graphapi", "serve"], {}, ignores_environment=True) is False
    assert "ignores PYTHONMALLOC" in capsys.readouterr().err


@pytest.mark.slow
def test_sigterm_stops_a_load_and_the_database_it_started(tmp_path: Path) -> None:
    """`timeout` or a supervisor sends SIGTERM: the load stops as with Ctrl-C, writing nothing, and the
    embedded database it started stops with it (no one else uses it)."""
    data = tmp_path / "data"
    env = {**os.environ, "GRAPHAPI_DATA_DIR": str(data), "GRAPHAPI_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "graphapi", "seed", "load", str(SEED_DIR)]
    loading = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server = EmbeddedServer(data / "falkordb")
    deadline = time.monotonic() + 60
    while server.pid is None and time.monotonic() < deadline and loading.poll() is None:
        time.sleep(0.05)
    pid = server.pid
    assert pid is not None, "the load started the embedded database"
    loading.send_signal(signal.SIGTERM)
    output, _ = loading.communicate(timeout=60)
    assert loading.returncode != 0 or b"loaded" in output  # stopped, or it had finished already
    assert b"Traceback" not in output, output.decode()
    deadline = time.monotonic() + 20
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not process_alive(pid), f"the database outlived the command that started it: {output.decode()}"
