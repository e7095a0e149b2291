"""Settings, read once from the environment (see the table in README.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the service (see graphapi/api/limits.py)."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_body_bytes: int = 64 * 1024
    max_cost: int = 50_000
    request_timeout_s: float = 15.0
    introspection: bool = True
    field_suggestions: bool = True
    reads_need_key: bool = False


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
            log_format=env.get("GRAPHAPI_LOG_FORMAT", "json"),
            log_level=env.get("GRAPHAPI_LOG_LEVEL", "INFO"),
            bus_url=env.get("GRAPHAPI_BUS_URL") or None,
        )
