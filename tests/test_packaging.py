"""graphapi installs as a package: a wheel built from the repository, in a fresh virtual environment and
run from a directory with nothing of the repository in it, serves the bundled seed with its schema."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from helpers import serving

pytestmark = pytest.mark.slow  # builds a wheel and installs it in a new virtual environment

ROOT = Path(__file__).resolve().parents[1]


def test_a_built_wheel_serves_the_bundled_seed(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = wheels.glob("graphapi-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {
        "graphapi/bundled/schema/graph.toml",
        "graphapi/bundled/seed/sources/us-canada-tariff-call.txt",
        "graphapi/web/graphiql.html",
        "graphapi/web/static/explorer/app.js",
        "graphapi/web/static/graphiql/graphiql.js",
        "graphapi/web/static/vendor/cytoscape.esm.min.js",
    } <= set(names)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # What the image does: the runtime lock, then the wheel, which must need nothing more.
    lock = ROOT / "requirements" / "runtime.txt"
    pip = [venv / "bin" / "pip", "install", "--quiet"]
    subprocess.run([*pip, "--require-hashes", "--no-deps", "-r", lock], check=True, timeout=600)
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, timeout=600)
    subprocess.run([venv / "bin" / "pip", "check"], check=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = tmp_path / "data"
    data.mkdir()
    with serving(data, python=str(venv / "bin" / "python"), cwd=elsewhere) as (url, _):
        query = '{ positions(onText: "auto tariffs") { totalCount nodes { actor { name } } } }'
        answer = httpx.post(f"{url}/graphql", json={"query": query}).json()
        # The pages too, from the package's own files.
        for path in ("/explore", "/static/explorer/app.js", "/static/graphiql/graphql.worker.js"):
            assert httpx.get(f"{url}{path}").status_code == 200, path
    assert answer["data"]["positions"]["totalCount"] == 7, answer
