"""The Dockerfile and docker-compose.yml, checked as files: no Docker engine runs where the suite runs, so
these tests read them for what a deployment relies on (pinned images, health checks, restarts, volumes,
installs from the lock, no secret written down)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
# An image named by a moving tag (latest, 5, edge) changes under the same file.
PINNED_IMAGE = re.compile(r"^[\w./-]+:v?\d+\.\d+(\.\d+)?([-\w.]*)?(@sha256:[0-9a-f]{64})?$")
SECRET_NAME = re.compile(r"PASSWORD|AUTH|SECRET|TOKEN", re.IGNORECASE)


def instructions(text: str) -> list[tuple[str, str]]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    joined = re.sub(
        r"\\\n\s*", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    )
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in joined.splitlines()
        if line.strip()
    ]


def test_the_image_is_pinned_installs_the_lock_and_runs_unprivileged() -> None:
    steps = instructions(DOCKERFILE)
    base = [arg for op, arg in steps if op == "FROM"]
    assert len(base) == 1 and PINNED_IMAGE.match(base[0]) and re.search(r"python:3\.11\.\d+-slim", base[0]), (
        base
    )
    runs = " ".join(arg for op, arg in steps if op == "RUN")
    assert "pip install --require-hashes --no-deps -r requirements/runtime.txt" in runs
    assert "pip install --no-deps ." in runs  # the package itself adds nothing the lock did not name
    assert "pip install -e" not in runs  # the package, not a checkout
    copied = [shlex.split(arg)[0] for op, arg in steps if op == "COPY"]
    for source in copied:
        assert (ROOT / source).exists(), f"COPY {source}: no such path"
    user = [arg for op, arg in steps if op == "USER"]
    assert user and user[-1] not in {"root", "0"}
    health = [arg for op, arg in steps if op == "HEALTHCHECK"]
    assert health and "/health" in health[0] and "--interval" in health[0]
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert "requirements" not in ignored and ".venv" in ignored


def services() -> dict[str, dict[str, Any]]:
    return COMPOSE["services"]


def test_each_profile_runs_a_database_and_the_api() -> None:
    by_profile: dict[str, set[str]] = {}
    for name, service in services().items():
        for profile in service.get("profiles", []):
            by_profile.setdefault(profile, set()).add(name)
    assert by_profile == {"neo4j": {"neo4j", "api-neo4j"}, "falkordb": {"falkordb", "api-falkordb"}}
    neo4j, falkordb = services()["api-neo4j"], services()["api-falkordb"]
    assert neo4j["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert falkordb["environment"]["GRAPHAPI_FALKORDB_URL"] == "redis://falkordb:6379"
    for api, database in ((neo4j, "neo4j"), (falkordb, "falkordb")):
        assert api["build"] == "."
        assert api["depends_on"] == {database: {"condition": "service_healthy"}}


@pytest.mark.parametrize("name", ["neo4j", "api-neo4j", "falkordb", "api-falkordb"])
def test_every_service_restarts_checks_its_health_and_listens_on_loopback(name: str) -> None:
    service = services()[name]
    assert service["restart"] == "unless-stopped"
    check = service["healthcheck"]
    assert check["test"][0] in {"CMD", "CMD-SHELL"} and {"interval", "timeout", "retries"} <= set(check)
    for port in service.get("ports", []):
        assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond this machine"
    if "image" in service:
        assert PINNED_IMAGE.match(service["image"]), f"{name}: {service['image']} is not a pinned version"
    if name.startswith("api-"):
        assert "/ready" in " ".join(check["test"])


def test_the_databases_keep_their_data_in_named_volumes() -> None:
    assert set(COMPOSE["volumes"]) == {"neo4j-data", "falkordb-data"}
    assert "neo4j-data:/data" in services()["neo4j"]["volumes"]
    assert "falkordb-data:/var/lib/falkordb/data" in services()["falkordb"]["volumes"]
    assert "--appendonly yes" in services()["falkordb"]["environment"]["REDIS_ARGS"]


def _values(node: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [pair for key, value in node.items() for pair in _values(value, f"{path}.{key}")]
    if isinstance(node, list):
        return [pair for i, value in enumerate(node) for pair in _values(value, f"{path}[{i}]")]
    return [(path, str(node))]


def test_no_secret_is_written_in_the_files() -> None:
    """Every password comes from the environment, required (`${VAR:?...}`), with no default; none is on a
    command line (a health check's, or the server's)."""
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert not re.search(r"\$\{[A-Z0-9_]*(PASSWORD|AUTH)[A-Z0-9_]*:?-", text), "a password has a default"
    for path, value in _values(COMPOSE):
        if SECRET_NAME.search(path.rsplit(".", 1)[-1]):
            assert re.fullmatch(r"(neo4j/)?\$\{[A-Z0-9_]+:\?[^}]+\}", value), f"{path} = {value!r}"
    for name, service in services().items():
        command = " ".join(service["healthcheck"]["test"])
        assert not re.search(r"(^|\s)(-p|-a|--pass\w*)(\s|=)", command), (
            f"{name}'s health check has a password"
        )
    assert "--requirepass" not in text  # it would sit on redis-server's command line
    users = COMPOSE["configs"]["falkordb-users"]["content"]
    assert "${FALKORDB_PASSWORD:?" in users
    for secret in ("PASSWORD", "SECRET"):
        assert not re.search(rf"ENV [^\n]*{secret}", DOCKERFILE)
