"""What every `graphapi` command shares: its options, its consoles, running its work on the configured store
and saying which database it uses."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from graphapi.config import Settings
from graphapi.errors import GraphApiError, Unavailable
from graphapi.graph.reads import COUNT_EVERY_NODE, COUNT_NODES
from graphapi.seed.problems import SeedInvalid
from graphapi.store import Cypher, Store, open_store
from graphapi.store.falkor_server import ServerAddress

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


def use_data_dir(data_dir: Path | None) -> None:
    """--data-dir wins over GRAPHAPI_DATA_DIR, for this process and the workers it starts."""
    if data_dir is not None:
        os.environ["GRAPHAPI_DATA_DIR"] = str(data_dir.expanduser().resolve())


def where_is(settings: Settings) -> str:
    if settings.neo4j_uri:
        return f"Neo4j at {settings.neo4j_uri} (database {settings.neo4j_database})"
    if settings.falkordb_url:
        server = ServerAddress(url=settings.falkordb_url).describe()
        return f"FalkorDB at {server} (graph {settings.graph_name})"
    return f"the embedded database in {settings.data_dir}"


def refuse_without_graph(settings: Settings) -> None:
    """Before anything starts: an embedded data dir that was never used holds no graph, and starting a
    server there would make an empty one."""
    embedded = not (settings.neo4j_uri or settings.falkordb_url)
    if embedded and not (settings.data_dir / "falkordb").is_dir():
        raise NoGraph(
            f"{settings.data_dir} holds no graph (no database was ever started there). {NO_GRAPH_HINT}"
        )


NO_GRAPH_HINT = (
    "Point --data-dir (or GRAPHAPI_DATA_DIR, or NEO4J_URI) at the graph you mean, or make one with "
    "`graphapi seed load`."
)


async def announce(store: Store, settings: Settings, *, needs_graph: bool) -> None:
    """Say which database a command uses and how many nodes it holds; refuse an empty one where a
    command reads the graph."""
    nodes = await count_nodes(store, COUNT_NODES)
    errors.print(f"using {where_is(settings)}: {nodes} node(s)")
    # Only the API keys, or what a load keeps of its files, is a graph too (for `keys list`, say).
    if needs_graph and nodes == 0 and await count_nodes(store, COUNT_EVERY_NODE) == 0:
        raise NoGraph(f"{where_is(settings)} holds no graph (0 nodes). {NO_GRAPH_HINT}")


async def count_nodes(store: Store, query: Cypher) -> int:
    rows = await store.read(query)  # no row at all where FalkorDB has no graph of that name yet
    return int(rows[0]["nodes"]) if rows else 0


def run_on_store(
    work: Callable[[Store], Awaitable[T]], *, apply_schema: bool = True, needs_graph: bool | None = None
) -> T:
    """Run `work` on the configured store. `needs_graph`: True for commands that read the graph (refused
    on an empty one), False for those that may start one (said, not refused), None to say nothing."""
    settings = Settings.from_env()
    done: list[T] = []

    async def main() -> None:
        async with open_store(settings, apply_schema=apply_schema) as store:
            if needs_graph is not None:
                await announce(store, settings, needs_graph=needs_graph)
            done.append(await work(store))

    try:
        if needs_graph:
            refuse_without_graph(settings)
        # The result is kept aside, not returned by the task: Python 3.11's asyncio.run writes out the
        # finished task, its result included, as it puts back SIGINT's handler (an Enum's error message,
        # made whether needed or not): minutes for the diff of a large corpus.
        asyncio.run(main())
        return done[0]
    except SeedInvalid as exc:
        errors.print(str(exc), style="red")
        raise typer.Exit(1) from None
    except Unavailable as exc:
        errors.print(f"database unavailable: {exc}", style="red")
        raise typer.Exit(2) from None
    except GraphApiError as exc:
        errors.print(f"error: {exc}", style="red")
        raise typer.Exit(1) from None
