"""Settings, read once from the environment (see the table in README.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import platformdirs


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the service (see graphapi/api/policy/limits.py)."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_body_bytes: int = 64 * 1024
    max_cost: int = 50_000
    max_selections: int = 300
    request_timeout_s: float = 15.0
    introspection: bool = True
    field_suggestions: bool = True
    reads_need_key: bool = False
    # Open connections and subscriptions, per process (graphapi/api/transport/capacity.py)
    max_websockets: int = 500
    max_sse_streams: int = 200
    max_subscriptions_per_connection: int = 10
    max_subscriptions: int = 2000


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    graph_name: str
    neo4j_uri: str | None
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    query_timeout_s: float
    connect_timeout_s: float
    cors_origins: tuple[str, ...] = ()
    limits: Limits = Limits()
    log_format: str = "json"
    log_level: str = "INFO"
    # Redis URL of the bus that carries changes between processes; unset: the embedded FalkorDB's own
    # server (with Neo4j: no shared bus, each process's subscribers see only its own writes).
    bus_url: str | None = None
    debug: bool = False
    compile_reads: bool = True  # root query fields as one statement each (graphapi/api/compiled/)
    # a JSON object of documents by their SHA-256 (graphapi/api/policy/documents.py)
    registered_documents: Path | None = None
    only_registered_documents: bool = False
    # The embedded database's disk: what is kept free (writes are refused below it), and how long a full
    # disk may last before /health fails (graphapi/store/disk.py)
    min_free_disk_mb: float = 16.0
    disk_full_grace_s: float = 60.0
    # A FalkorDB server of its own (redis://[:password@]host:port) instead of the embedded child process.
    falkordb_url: str | None = None

    @property
    def engine(self) -> str:
        return "neo4j" if self.neo4j_uri else "falkordb"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        default_dir = Path(platformdirs.user_data_dir("graphapi", appauthor=False))
        return cls(
            data_dir=Path(env.get("GRAPHAPI_DATA_DIR") or default_dir).expanduser(),
            graph_name=env.get("GRAPHAPI_GRAPH", "graphapi"),
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD", ""),
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            query_timeout_s=float(env.get("GRAPHAPI_QUERY_TIMEOUT", "10")),
            connect_timeout_s=float(env.get("GRAPHAPI_CONNECT_TIMEOUT", "5")),
            cors_origins=tuple(
                o.strip() for o in env.get("GRAPHAPI_CORS_ORIGINS", "").split(",") if o.strip()
            ),
            limits=_limits_from_env(env),
            log_format=env.get("GRAPHAPI_LOG_FORMAT", "json"),
            log_level=env.get("GRAPHAPI_LOG_LEVEL", "INFO"),
            bus_url=env.get("GRAPHAPI_BUS_URL") or None,
            debug=_flag(env, "GRAPHAPI_DEBUG", False),
            compile_reads=_flag(env, "GRAPHAPI_COMPILE", True),
            registered_documents=Path(documents)
            if (documents := env.get("GRAPHAPI_REGISTERED_DOCUMENTS"))
            else None,
            only_registered_documents=_flag(env, "GRAPHAPI_ONLY_REGISTERED_DOCUMENTS", False),
            min_free_disk_mb=_seconds(env, "GRAPHAPI_MIN_FREE_DISK_MB", 16.0),
            disk_full_grace_s=_seconds(env, "GRAPHAPI_DISK_FULL_GRACE", 60.0),
            falkordb_url=_falkordb_url(env),
        )


def _falkordb_url(env: Mapping[str, str]) -> str | None:
    """GRAPHAPI_FALKORDB_URL, with GRAPHAPI_FALKORDB_PASSWORD put in it when given apart (so the password
    need not be written in a compose file or on a command line)."""
    url = env.get("GRAPHAPI_FALKORDB_URL", "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ValueError(f"GRAPHAPI_FALKORDB_URL must be a redis://, rediss:// or unix:// URL, not {url!r}")
    password = env.get("GRAPHAPI_FALKORDB_PASSWORD", "")
    if password and parts.scheme != "unix":
        netloc = f":{quote(password, safe='')}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        url = urlunsplit(parts._replace(netloc=netloc))
    return url


def _limits_from_env(env: Mapping[str, str]) -> Limits:
    default = Limits()
    return Limits(
        max_depth=_whole(env, "GRAPHAPI_MAX_DEPTH", default.max_depth),
        max_aliases=_whole(env, "GRAPHAPI_MAX_ALIASES", default.max_aliases),
        max_tokens=_whole(env, "GRAPHAPI_MAX_TOKENS", default.max_tokens),
        max_body_bytes=_whole(env, "GRAPHAPI_MAX_BODY_BYTES", default.max_body_bytes),
        max_cost=_whole(env, "GRAPHAPI_MAX_COST", default.max_cost),
        max_selections=_whole(env, "GRAPHAPI_MAX_SELECTIONS", default.max_selections),
        request_timeout_s=_seconds(env, "GRAPHAPI_REQUEST_TIMEOUT", default.request_timeout_s),
        introspection=_flag(env, "GRAPHAPI_INTROSPECTION", default.introspection),
        field_suggestions=_flag(env, "GRAPHAPI_FIELD_SUGGESTIONS", default.field_suggestions),
        reads_need_key=_flag(env, "GRAPHAPI_READS_NEED_KEY", default.reads_need_key),
        max_websockets=_whole(env, "GRAPHAPI_MAX_WEBSOCKETS", default.max_websockets),
        max_sse_streams=_whole(env, "GRAPHAPI_MAX_SSE_STREAMS", default.max_sse_streams),
        max_subscriptions_per_connection=_whole(
            env, "GRAPHAPI_MAX_SUBSCRIPTIONS_PER_CONNECTION", default.max_subscriptions_per_connection
        ),
        max_subscriptions=_whole(env, "GRAPHAPI_MAX_SUBSCRIPTIONS", default.max_subscriptions),
    )


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a number of seconds above 0, not {raw!r}")
    return value


_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ValueError(f"{name} must be true or false, not {raw!r}")
    return raw in _TRUE
