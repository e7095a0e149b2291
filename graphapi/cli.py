"""The `graphapi` command: serve the API, apply the schema, validate and load seed files."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import tempfile
from collections import Counter
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
from graphapi.graph.loads import LoadReport, RecordChange
from graphapi.graph.reads import COUNT_EVERY_NODE, COUNT_NODES
from graphapi.logs import configure_logging
from graphapi.seed.docs import with_format
from graphapi.seed.drafts import drafted
from graphapi.seed.fix import fix_spans
from graphapi.seed.loader import SeedCheck, SeedLoad, check, load, unstated
from graphapi.seed.problems import SeedInvalid
from graphapi.seed.progress import BarProgress
from graphapi.seed.streamed import validate_streamed
from graphapi.store import Cypher, Store, load_schema, open_store
from graphapi.store.falkor_server import ServerAddress

app = typer.Typer(
    help="graphapi: a GraphQL knowledge graph of political actors, policies and positions.",
    no_args_is_help=True,
    add_completion=False,
)
schema_app = typer.Typer(
    help="The graph's constraints and indexes, and the GraphQL SDL.", no_args_is_help=True
)
seed_app = typer.Typer(
    help="Seed files: validate, load, compare with the graph, place quotes, document the format.",
    no_args_is_help=True,
)
keys_app = typer.Typer(help="API keys for writes (and for reads, when they need one).", no_args_is_help=True)
app.add_typer(schema_app, name="schema")
app.add_typer(seed_app, name="seed")
app.add_typer(keys_app, name="keys")

log = logging.getLogger(__name__)
# prometheus-client's multiprocess mode: where each process keeps its counts (read at its import)
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
# Output holds what files and the graph say (quotes, ids, [brackets]): no markup, no wrapping inside lines.
console = Console(markup=False, highlight=False, soft_wrap=True)
errors = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)
T = TypeVar("T")

Paths = Annotated[
    list[Path] | None, typer.Argument(help="Seed files or directories (default: the bundled seed/).")
]
DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        file_okay=False,
        help="Where the embedded database keeps its files (default: $GRAPHAPI_DATA_DIR, else the user "
        "data dir, ~/.local/share/graphapi). Not used when NEO4J_URI is set.",
    ),
]


class NoGraph(GraphApiError):
    """A command that reads the graph was pointed at a database that holds none."""


def _use_data_dir(data_dir: Path | None) -> None:
    """--data-dir wins over GRAPHAPI_DATA_DIR, for this process and the workers it starts."""
    if data_dir is not None:
        os.environ["GRAPHAPI_DATA_DIR"] = str(data_dir.expanduser().resolve())


def _where(settings: Settings) -> str:
    if settings.neo4j_uri:
        return f"Neo4j at {settings.neo4j_uri} (database {settings.neo4j_database})"
    if settings.falkordb_url:
        server = ServerAddress(url=settings.falkordb_url).describe()
        return f"FalkorDB at {server} (graph {settings.graph_name})"
    return f"the embedded database in {settings.data_dir}"


def _refuse_without_graph(settings: Settings) -> None:
    """Before anything starts: an embedded data dir that was never used holds no graph, and starting a
    server there would make an empty one."""
    embedded = not (settings.neo4j_uri or settings.falkordb_url)
    if embedded and not (settings.data_dir / "falkordb").is_dir():
        raise NoGraph(f"{settings.data_dir} holds no graph (no database was ever started there). {_HINT}")


_HINT = (
    "Point --data-dir (or GRAPHAPI_DATA_DIR, or NEO4J_URI) at the graph you mean, or make one with "
    "`graphapi seed load`."
)


async def _announce(store: Store, settings: Settings, *, needs_graph: bool) -> None:
    """Say which database a command uses and how many nodes it holds; refuse an empty one where a
    command reads the graph."""
    nodes = await _count(store, COUNT_NODES)
    errors.print(f"using {_where(settings)}: {nodes} node(s)")
    # Only the API keys, or what a load keeps of its files, is a graph too (for `keys list`, say).
    if needs_graph and nodes == 0 and await _count(store, COUNT_EVERY_NODE) == 0:
        raise NoGraph(f"{_where(settings)} holds no graph (0 nodes). {_HINT}")


async def _count(store: Store, query: Cypher) -> int:
    rows = await store.read(query)  # no row at all where FalkorDB has no graph of that name yet
    return int(rows[0]["nodes"]) if rows else 0


def _run(
    work: Callable[[Store], Awaitable[T]], *, apply_schema: bool = True, needs_graph: bool | None = None
) -> T:
    """Run `work` on the configured store. `needs_graph`: True for commands that read the graph (refused
    on an empty one), False for those that may start one (said, not refused), None to say nothing."""
    settings = Settings.from_env()

    async def main() -> T:
        async with open_store(settings, apply_schema=apply_schema) as store:
            if needs_graph is not None:
                await _announce(store, settings, needs_graph=needs_graph)
            return await work(store)

    try:
        if needs_graph:
            _refuse_without_graph(settings)
        return asyncio.run(main())
    except SeedInvalid as exc:
        errors.print(str(exc), style="red")
        raise typer.Exit(1) from None
    except Unavailable as exc:
        errors.print(f"database unavailable: {exc}", style="red")
        raise typer.Exit(2) from None
    except GraphApiError as exc:
        errors.print(f"error: {exc}", style="red")
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
    data_dir: DataDir = None,
) -> None:
    """Run the API (GraphiQL at /graphql), with the embedded database unless NEO4J_URI is set."""
    import uvicorn

    _use_data_dir(data_dir)
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
        if not (settings.neo4j_uri or settings.falkordb_url):
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
def schema_apply(data_dir: DataDir = None) -> None:
    """Create the constraints and indexes of schema/graph.toml that the database lacks."""
    _use_data_dir(data_dir)

    async def work(store: Store) -> list[str]:
        return await store.apply_schema(load_schema())

    created = _run(work, apply_schema=False, needs_graph=False)
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
def seed_validate(
    paths: Paths = None,
    graph: Annotated[
        bool,
        typer.Option(
            "--graph/--offline",
            help="Check against the configured database too, as a load does (default); --offline reads "
            "the files alone and leaves references to ids outside them unchecked.",
        ),
    ] = True,
    data_dir: DataDir = None,
) -> None:
    """Check seed files: records, quotes, references; with the graph, everything a load checks."""
    _use_data_dir(data_dir)
    if not graph:
        try:
            with _bars() as progress:
                offline = validate_streamed(paths or [], progress=BarProgress(progress))
        except SeedInvalid as exc:
            errors.print(str(exc), style="red")
            raise typer.Exit(1) from None
        sizes = f"{offline.nodes} nodes, {offline.relationships} relationships"
        console.print(
            f"checked offline (the graph was not read): {len(offline.files)} file(s) valid: {sizes}"
        )
        _print_draft_count(len(offline.drafts))
        if offline.unchecked:
            console.print(f"{len(offline.unchecked)} reference(s) to ids outside these files not checked:")
            for note in offline.unchecked:
                console.print(f"  - {note}")
        return

    async def work(store: Store) -> SeedCheck:
        return await check(store, paths or [])

    checked = _run(work, needs_graph=True)
    console.print(f"checked against the graph ({Settings.from_env().engine}): {_sizes(checked)}")
    assert checked.prepared is not None
    _print_summary(checked.prepared.report, "a load would")
    _print_drafts(checked)
    if checked.problems:
        errors.print(str(SeedInvalid(checked.problems, "a load would be refused")), style="red")
        raise typer.Exit(1)


@seed_app.command("load")
def seed_load(
    paths: Paths = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per UNWIND statement.")] = 500,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print what the load would create, update and delete; write nothing."),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace records changed through the API since they were loaded (see `seed diff`).",
        ),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Load seed files: validated first, then only the difference is written, all or nothing. What a file
    stated at its last load and no longer states is deleted."""
    _use_data_dir(data_dir)
    if dry_run:

        async def dry(store: Store) -> SeedCheck:
            return await check(store, paths or [], batch_size=batch_size, overwrite=overwrite)

        checked = _run(dry, needs_graph=False)
        assert checked.prepared is not None
        report = checked.prepared.report
        console.print(f"dry run of {', '.join(str(f) for f in checked.files)}: nothing was written")
        _print_summary(report, "the load would")
        _print_details(report.details)
        refused = checked.problems + drafted(checked.plan.documents)
        if refused:
            errors.print(str(SeedInvalid(refused, "the load would be refused")), style="red")
            raise typer.Exit(1)
        return
    with _bars() as progress:
        bars = BarProgress(progress)  # a load into an empty graph, streamed, says each of its steps

        def on_plan(steps: int) -> None:
            bars.phase("writing", steps)

        def on_step() -> None:
            bars.advance()

        async def work(store: Store) -> SeedLoad:
            bars.phase("validating", None)
            return await load(
                store,
                paths or [],
                batch_size=batch_size,
                overwrite=overwrite,
                on_plan=on_plan,
                on_step=on_step,
                progress=bars,
            )

        report = _run(work, needs_graph=False)
    _print_report(report)


@seed_app.command("diff")
def seed_diff(paths: Paths = None, data_dir: DataDir = None) -> None:
    """What differs between seed files and the graph, record by record, and which differences were made
    through the API since the last load. Exit code 1 when anything differs."""
    _use_data_dir(data_dir)

    async def work(store: Store) -> tuple[SeedCheck, list[tuple[str, str | None]]]:
        return await check(store, paths or []), await unstated(store)

    checked, made_elsewhere = _run(work, needs_graph=True)
    assert checked.prepared is not None
    details = checked.prepared.report.details
    files = ", ".join(str(f) for f in checked.files)
    if made_elsewhere:
        console.print(f"{len(made_elsewhere)} record(s) of the graph no seed file states:")
        for node_id, maker in made_elsewhere:
            console.print(f"  {node_id} (made through the API by {maker})" if maker else f"  {node_id}")
    if not details:
        console.print(f"the graph says what the files say ({files})")
        if made_elsewhere:
            raise typer.Exit(1)
        return
    console.print(f"{len(details)} record(s) differ between {files} and the graph:")
    _print_details(details)
    edited = [d for d in details if d.edited]
    if edited:
        console.print(
            f"{len(edited)} of them were changed through the API since the last load: copy what should stay "
            "into the files, then `graphapi seed load --overwrite`",
        )
    raise typer.Exit(1)


@seed_app.command("fix-spans")
def seed_fix_spans(
    files: Annotated[list[Path], typer.Argument(help="Seed files whose quotes' offsets to write.")],
) -> None:
    """Write each quote's offsets into its seed file: found where left out, corrected where they do not
    hold the quote (the nearest occurrence). Comments and layout are kept; only offsets change."""
    fixed = 0
    for path in files:
        try:
            changes = fix_spans(path)
        except SeedInvalid as exc:
            errors.print(str(exc.having("nothing was written to this file")), style="red")
            raise typer.Exit(1) from None
        fixed += len(changes)
        for change in changes:
            console.print(f"{path}: {change}")
    console.print(f"{fixed} offset(s) written" if fixed else "every offset already holds its quote")


@seed_app.command("draft")
def seed_draft(
    article: Annotated[
        Path, typer.Argument(help="A plain-text article, UTF-8: its first line is its title.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The draft seed file to write (.yaml).")],
    data_dir: DataDir = None,
    source_id: Annotated[
        str | None, typer.Option("--id", help="The source's id (default: from the title).")
    ] = None,
) -> None:
    """Draft a seed file from an article: the source and its date, every quote and reported statement with
    its speaker linked to the graph (by name, alias, surname, office on the source's date, pronoun), new
    people with their role as written, what each is about. Every record is marked as a draft, with the
    rule it rests on; the article's text is written beside the draft (same name, .txt)."""
    from graphapi.draft import Article, Gazetteer, draft_article
    from graphapi.draft.seedfile import write

    _use_data_dir(data_dir)
    try:
        parsed = Article.read(article)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        errors.print(f"{article}: {exc}", style="red")
        raise typer.Exit(1) from None
    if out.suffix not in (".yaml", ".yml"):
        errors.print(f"{out}: a seed file's name ends in .yaml", style="red")
        raise typer.Exit(1)

    async def work(store: Store) -> Gazetteer:
        return await Gazetteer.from_store(store)

    gazetteer = _run(work, needs_graph=True)  # its names are what speakers are linked to
    draft = draft_article(parsed, gazetteer, source_id=source_id)
    text_path = write(draft, out)
    direct = sum(1 for s in draft.statements if s.direct)
    new = {a.id for a in draft.actors}
    known = len({s.speaker for s in draft.statements} - new)
    console.print(
        f"wrote {out} and {text_path}: {direct} quote(s), {len(draft.statements) - direct} reported "
        f"statement(s); {known} speaker(s) the graph knows, {len(new)} new; every record is a draft until "
        "you remove its `draft:` line"
    )


@seed_app.command("docs")
def seed_docs(
    path: Annotated[Path, typer.Option(help="The README whose sections table to write.")] = Path(
        "seed/README.md"
    ),
) -> None:
    """Write the seed format's table of sections and fields, generated from the record models."""
    text = path.read_text(encoding="utf-8")
    updated = with_format(text)
    if updated == text:
        console.print(f"{path} is up to date")
        return
    path.write_text(updated, encoding="utf-8")
    console.print(f"wrote {path}")


def _print_drafts(checked: SeedCheck) -> None:
    _print_draft_count(len(drafted(checked.plan.documents)))


def _print_draft_count(marked: int) -> None:
    if marked:
        console.print(
            f"{marked} record(s) are still drafts (`draft:`): a load refuses them until each is "
            "accepted by removing its `draft` line"
        )


def _bars() -> Progress:
    """Progress bars on stderr's console, gone when done."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _sizes(checked: SeedCheck) -> str:
    edges = checked.plan.load.edges()
    return f"{len(checked.files)} file(s) valid: {len(checked.plan.nodes)} nodes, {len(edges)} relationships"


def _print_summary(report: LoadReport, subject: str) -> None:
    """`<subject> create 1, delete 2 record(s)`."""
    counts = Counter(d.action for d in report.details)
    verbs = (("created", "create"), ("updated", "update"), ("deleted", "delete"))
    parts = [f"{verb} {counts[action]}" for action, verb in verbs if counts[action]]
    console.print(f"{subject} {', '.join(parts)} record(s)" if parts else f"{subject} change nothing")


_MARKS = {"created": "+", "updated": "~", "deleted": "-"}


def _print_details(details: list[RecordChange]) -> None:
    for detail in sorted(details, key=lambda d: ("cud".index(d.action[0]), d.id)):
        line = f"  {_MARKS[detail.action]} {detail.action} {detail.id} ({detail.label}"
        line += f", {detail.owner})" if detail.owner else ")"
        if detail.fields:
            shown = ", ".join(detail.fields[:8]) + (
                f" and {len(detail.fields) - 8} more" if len(detail.fields) > 8 else ""
            )
            line += f": {shown}"
        if detail.edited:
            line += f" [changed through the API {detail.edited}]"
        console.print(line)
        for name, graph_value, file_value in detail.values:
            console.print(f"      {name}: {_shown(graph_value)} in the graph, {_shown(file_value)} in files")


def _shown(value: object, limit: int = 120) -> str:
    """A value as one short line (a source's text would fill the screen)."""
    text = "absent" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _print_report(report: SeedLoad) -> None:
    files = ", ".join(str(f) for f in report.files)
    if not report.changed:
        console.print(f"nothing to change: the graph already holds {files} ({report.records} records)")
        return
    table = Table(title=f"loaded {files} in {report.statements} statement(s)")
    for column in ("", "created", "updated", "unchanged", "deleted"):
        table.add_column(column, justify="right" if column else "left")
    for label in sorted(
        report.nodes_created.keys()
        | report.nodes_updated.keys()
        | report.nodes_unchanged.keys()
        | report.nodes_deleted.keys()
    ):
        table.add_row(
            label,
            str(report.nodes_created[label]),
            str(report.nodes_updated[label]),
            str(report.nodes_unchanged[label]),
            str(report.nodes_deleted[label]),
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
    _print_details([d for d in report.details if d.action == "deleted" or d.edited])


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    scope: Annotated[
        str, typer.Option(help="read, write (includes read) or admin (includes write).")
    ] = "write",
    data_dir: DataDir = None,
) -> None:
    """Create a key and print it: it is shown this once, only its hash is stored."""
    _use_data_dir(data_dir)
    if scope.upper() not in Scope.__members__:
        errors.print(f"--scope must be read, write or admin, not {scope!r}", style="red")
        raise typer.Exit(2)

    async def work(store: Store) -> str:
        return await create_key(store, name, Scope[scope.upper()])

    console.print(_run(work, needs_graph=False))


@keys_app.command("list")
def keys_list(data_dir: DataDir = None) -> None:
    """The keys: id, name, scope, when created, when revoked."""
    _use_data_dir(data_dir)
    rows = _run(list_keys, needs_graph=True)
    table = Table("id", "name", "scope", "created", "revoked")
    for row in rows:
        table.add_row(*(str(row[k] or "") for k in ("keyId", "name", "scope", "createdAt", "revokedAt")))
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The id shown by `keys list`.")], data_dir: DataDir = None
) -> None:
    """Revoke a key: requests with it are refused from now on."""
    _use_data_dir(data_dir)

    async def work(store: Store) -> str:
        return await revoke_key(store, key_id)

    console.print(f"revoked {key_id} at {_run(work, needs_graph=True)}")


def main() -> None:
    app()
