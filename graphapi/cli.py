"""The `graphapi` command: serve the API, apply the schema, validate and load seed files."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from starlette.applications import Starlette

from graphapi.auth import Scope, create_key, list_keys, revoke_key
from graphapi.config import Settings
from graphapi.errors import GraphApiError, Unavailable
from graphapi.logs import configure_logging
from graphapi.seed.loader import SeedLoad, load, validate_files
from graphapi.seed.problems import SeedInvalid
from graphapi.store import Store, load_schema, open_store

app = typer.Typer(
    help="graphapi: a GraphQL knowledge graph of political actors, policies and positions.",
    no_args_is_help=True,
    add_completion=False,
)
schema_app = typer.Typer(
    help="The graph's constraints and indexes, and the GraphQL SDL.", no_args_is_help=True
)
seed_app = typer.Typer(help="Seed files: validate them, load them.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys for writes (and for reads, when they need one).", no_args_is_help=True)
app.add_typer(schema_app, name="schema")
app.add_typer(seed_app, name="seed")
app.add_typer(keys_app, name="keys")

log = logging.getLogger(__name__)
# prometheus-client's multiprocess mode: where each process keeps its counts (read at its import)
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
console = Console()
errors = Console(stderr=True)
T = TypeVar("T")

Paths = Annotated[
    list[Path] | None, typer.Argument(help="Seed files or directories (default: the bundled seed/).")
]


def _run(work: Callable[[Store], Awaitable[T]], *, apply_schema: bool = True) -> T:
    async def main() -> T:
        async with open_store(Settings.from_env(), apply_schema=apply_schema) as store:
            return await work(store)

    try:
        return asyncio.run(main())
    except SeedInvalid as exc:
        errors.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(1) from None
    except Unavailable as exc:
        errors.print(f"[red]database unavailable:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    except GraphApiError as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None


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
) -> None:
    """Run the API (GraphiQL at /graphql), with the embedded database unless NEO4J_URI is set."""
    import uvicorn

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

            _run(seed_if_empty)  # once, here, rather than racing in every worker
        # Each worker builds its app from the environment and attaches to the same embedded database.
        from graphapi.workers import run

        code = run(workers, host, port, options)
        if not settings.neo4j_uri:
            _stop_database_if_unused(settings)
    if code:
        raise typer.Exit(code)


def _stop_database_if_unused(settings: Settings) -> None:
    """Workers stopping together may each see the other still connected and leave the embedded database
    running; once they are all gone, stop it unless someone else uses it."""
    from graphapi.store.falkor_server import EmbeddedServer, process_alive

    server = EmbeddedServer(settings.data_dir / "falkordb")
    if server.pid is not None and process_alive(server.pid):
        server.start()  # attaches to the running server
        server.stop(own_client_prefix="graphapi-serve-")  # no client of ours is left connected


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
def schema_apply() -> None:
    """Create the constraints and indexes of schema/graph.toml that the database lacks."""

    async def work(store: Store) -> list[str]:
        return await store.apply_schema(load_schema())

    created = _run(work, apply_schema=False)
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


@seed_app.command("validate")
def seed_validate(paths: Paths = None) -> None:
    """Check seed files without a database: records, references between them, quote spans."""
    try:
        files, plan = validate_files(paths or [])
    except SeedInvalid as exc:
        errors.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(1) from None
    edges = plan.load.edges()
    console.print(f"{len(files)} file(s) valid: {len(plan.nodes)} nodes, {len(edges)} relationships")


@seed_app.command("load")
def seed_load(
    paths: Paths = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per UNWIND statement.")] = 500,
) -> None:
    """Load seed files: validated first, then only the difference is written, all or nothing."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("validating", total=None)

        def on_plan(steps: int) -> None:
            progress.update(task, description="writing", total=steps)

        def on_step() -> None:
            progress.advance(task)

        async def work(store: Store) -> SeedLoad:
            return await load(store, paths or [], batch_size=batch_size, on_plan=on_plan, on_step=on_step)

        report = _run(work)
    _print_report(report)


def _print_report(report: SeedLoad) -> None:
    files = ", ".join(str(f) for f in report.files)
    if not report.changed:
        console.print(f"nothing to change: the graph already holds {files} ({report.records} records)")
        return
    table = Table(title=f"loaded {files} in {report.statements} statement(s)")
    for column in ("", "created", "updated", "unchanged", "deleted"):
        table.add_column(column, justify="right" if column else "left")
    for label in sorted(
        report.nodes_created.keys() | report.nodes_updated.keys() | report.nodes_unchanged.keys()
    ):
        table.add_row(
            label,
            str(report.nodes_created[label]),
            str(report.nodes_updated[label]),
            str(report.nodes_unchanged[label]),
            "",
        )
    for rel in sorted(report.rels_created.keys() | report.rels_updated.keys() | report.rels_deleted.keys()):
        table.add_row(
            f"-[{rel}]->",
            str(report.rels_created[rel]),
            str(report.rels_updated[rel]),
            "",
            str(report.rels_deleted[rel]),
        )
    console.print(table)


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    scope: Annotated[
        str, typer.Option(help="read, write (includes read) or admin (includes write).")
    ] = "write",
) -> None:
    """Create a key and print it: it is shown this once, only its hash is stored."""
    if scope.upper() not in Scope.__members__:
        errors.print(f"[red]--scope must be read, write or admin, not {scope!r}[/red]")
        raise typer.Exit(2)

    async def work(store: Store) -> str:
        return await create_key(store, name, Scope[scope.upper()])

    console.print(_run(work), soft_wrap=True, highlight=False)


@keys_app.command("list")
def keys_list() -> None:
    """The keys: id, name, scope, when created, when revoked."""
    rows = _run(list_keys)
    table = Table("id", "name", "scope", "created", "revoked")
    for row in rows:
        table.add_row(*(str(row[k] or "") for k in ("keyId", "name", "scope", "createdAt", "revokedAt")))
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The id shown by `keys list`.")]) -> None:
    """Revoke a key: requests with it are refused from now on."""

    async def work(store: Store) -> str:
        return await revoke_key(store, key_id)

    console.print(f"revoked {key_id} at {_run(work)}")


def main() -> None:
    app()
