"""GraphQL over HTTP conformance: the server audits of the `graphql-http` npm package (pinned in
tests/graphql_http/), the reference implementation of the spec, run against a running `graphapi serve`.
Every audit, MUST, SHOULD and MAY alike, must pass."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from helpers import serving

pytestmark = pytest.mark.slow  # starts a server process of its own

AUDIT_DIR = Path(__file__).parent / "graphql_http"


def test_every_graphql_over_http_audit_passes(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (AUDIT_DIR / "node_modules" / "graphql-http").exists():
        pytest.fail(
            "graphql-http is not installed: run `npm ci --prefix tests/graphql_http` (./dev test does)"
        )
    with serving(tmp_path, GRAPHAPI_LOG_LEVEL="WARNING") as (url, _):
        done = subprocess.run(
            [node, str(AUDIT_DIR / "audit.mjs"), f"{url}/graphql"],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
    results = json.loads(done.stdout)
    counts = Counter(result["status"] for result in results)
    print(f"\ngraphql-http audits: {dict(counts)}")
    failed = [
        f"{r['status']}: {r['name']} ({r['id']}): {r['reason']} [{r['httpStatus']} {r['contentType']}]"
        for r in results
        if r["status"] != "ok"
    ]
    assert not failed, "\n".join(failed)
    assert len(results) >= 61  # the package's whole list, as of graphql-http 1.23.1
