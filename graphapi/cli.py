"""The `graphapi` command: serve the API, apply the schema, validate and load seed files."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from starlette.applications import Starlette

from graphapi.auth import Scope, create_key, list_keys, revoke_key
from graphapi.cli_support import MULTIPROCESS_DIR, DataDir, console, errors, run_on_store, use_data_dir
from graphapi.config import Settings
from graphapi.logs import configure_logging
from graphapi.seed_commands import seed_app
from graphapi.store import Store, load_schema

app = typer.Typer(
    help="graphapi: a GraphQL knowledge graph of political actors, policies and positions.",
    no_args_is_help=True,
    add_completion=False,
)
schema_app = typer.Typer(
    help="The graph's constraints and indexes, and the GraphQL SDL.", no_args_is_help=True
)
keys_app = typer.Typer(help="API keys for writes (and for reads, when they need one).", no_args_is_help=True)
app.add_typer(schema_app, name="schema")
app.add_typer(seed_app, name="seed")
app.add_typer(keys_app, name="keys")

log = logging.getLogger(__name__)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    seed: Annotated[bool, typer.Option(help="Load the bundled seed when the graph is empty.")] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Processes serving requests; they share the database, the change bus and /metrics."
        ),
    ] = 1,
    data_dir: DataDir = None,
) -> None:
    """Run the API (GraphiQL at /graphql), with the embedded database unless NEO4J_URI is set."""
    import uvicorn

    use_data_dir(data_dir)
    settings = Settings.from_env()
    configure_logging(settings.log_format, settings.log_level)
    # Our own logging setup (JSON by default) for uvicorn too; operations are logged by the app, with ids.
    options: dict[str, Any] = {"host": host, "port": port, "log_config": None, "access_log": False}
    with _metrics_dir(workers):
        if workers == 1:
            from graphapi.app import create_app

            uvicorn.run(create_app(settings, seed=seed), **options)
            return
        if settings.neo4j_uri and not settings.bus_url:
            log.warning(
                "GRAPHAPI_BUS_URL is not set: with Neo4j each worker's subscribers hear only its own changes"
            )
        if seed:
            from graphapi.app import seed_if_empty

            run_on_store(seed_if_empty)  # once, here, rather than racing in every worker
        # Each worker builds its app from the environment and attaches to the same embedded database.
        from graphapi.workers import run

        code = run(workers, host, port, options)
        if not (settings.neo4j_uri or settings.falkordb_url):
            _stop_database_if_unused(settings)
    if code:
        raise typer.Exit(code)


def _stop_database_if_unused(settings: Settings) -> None:
    """A worker that died before its shutdown ran never stopped the embedded database; once they are all
    gone, stop it unless another process uses it."""
    from graphapi.store.falkor_server import EmbeddedServer, process_alive

    server = EmbeddedServer(settings.data_dir / "falkordb")
    if server.pid is not None and process_alive(server.pid):
        server.start()  # attaches to the running server
        server.stop()  # unless another process attached to it still uses it


@contextlib.contextmanager
def _metrics_dir(workers: int) -> Iterator[None]:
    """The directory the processes keep their metrics in (prometheus-client's multiprocess mode), set
    before any worker starts: the one PROMETHEUS_MULTIPROC_DIR names, emptied first (counts of an earlier
    run would add up), or with several workers a private one of our own, removed afterwards. One
    process without it keeps its metrics in memory."""
    given = os.environ.get(MULTIPROCESS_DIR)
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        for stale in Path(given).glob("*.db"):
            stale.unlink(missing_ok=True)
        yield
        return
    if workers == 1:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="graphapi-metrics-") as path:
        os.environ[MULTIPROCESS_DIR] = path
        try:
            yield
        finally:
            del os.environ[MULTIPROCESS_DIR]


def worker_app() -> Starlette:
    """The app of one `serve --workers` process. uvicorn starts each worker in a fresh interpreter,
    where nothing has set up logging yet: without this, workers would log no operation at all."""
    from graphapi.app import create_app

    settings = Settings.from_env()
    configure_logging(settings.log_format, settings.log_level)
    return create_app(settings)


@schema_app.command("apply")
def schema_apply(data_dir: DataDir = None) -> None:
    """Create the constraints and indexes of schema/graph.toml that the database lacks."""
    use_data_dir(data_dir)

    async def work(store: Store) -> list[str]:
        return await store.apply_schema(load_schema())

    created = run_on_store(work, apply_schema=False, needs_graph=False)
    console.print(
        f"schema applied on {Settings.from_env().engine}; "
        + (f"{len(created)} created" if created else "nothing to change")
    )


@schema_app.command("export")
def schema_export(
    path: Annotated[Path, typer.Option(help="Where to write the SDL.")] = Path("schema/schema.graphql"),
) -> None:
    """Write the GraphQL schema (SDL) to a file."""
    from graphapi.api.schema import build_schema

    path.write_text(build_schema().as_str() + "\n", encoding="utf-8")
    console.print(f"wrote {path}")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    scope: Annotated[
        str, typer.Option(help="read, write (includes read) or admin (includes write).")
    ] = "write",
    data_dir: DataDir = None,
) -> None:
    """Create a key and print it: it is shown this once, only its hash is stored."""
    use_data_dir(data_dir)
    if scope.upper() not in Scope.__members__:
        errors.print(f"--scope must be read, write or admin, not {scope!r}", style="red")
        raise typer.Exit(2)

    async def work(store: Store) -> str:
        return await create_key(store, name, Scope[scope.upper()])

    console.print(run_on_store(work, needs_graph=False))


@keys_app.command("list")
def keys_list(data_dir: DataDir = None) -> None:
    """The keys: id, name, scope, when created, when revoked."""
    use_data_dir(data_dir)
    rows = run_on_store(list_keys, needs_graph=True)
    table = Table("id", "name", "scope", "created", "revoked")
    for row in rows:
        table.add_row(*(str(row[k] or "") for k in ("keyId", "name", "scope", "createdAt", "revokedAt")))
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The id shown by `keys list`.")], data_dir: DataDir = None
) -> None:
    """Revoke a key: requests with it are refused from now on."""
    use_data_dir(data_dir)

    async def work(store: Store) -> str:
        return await revoke_key(store, key_id)

    console.print(f"revoked {key_id} at {run_on_store(work, needs_graph=True)}")


def main() -> None:
    app()
