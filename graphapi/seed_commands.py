"""`graphapi seed ...`: validate, load, compare with the graph, place quotes, draft, document the format."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphapi.cli_support import DataDir, Paths, console, errors, run_on_store, use_data_dir
from graphapi.config import Settings
from graphapi.graph.load_plan import LoadReport, RecordChange
from graphapi.seed.docs import with_format
from graphapi.seed.drafts import drafted
from graphapi.seed.fix import fix_spans
from graphapi.seed.loader import SeedCheck, SeedLoad, check, load, unstated
from graphapi.seed.problems import SeedInvalid
from graphapi.seed.progress import BarProgress
from graphapi.seed.streamed import validate_streamed
from graphapi.store import Store

FORCE = typer.Option(
    "--force",
    help="Read every file, also those unchanged since their last load (by default left out, unread).",
)

seed_app = typer.Typer(
    help="Seed files: validate, load, compare with the graph, place quotes, document the format.",
    no_args_is_help=True,
)


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
    force: Annotated[bool, FORCE] = False,
    data_dir: DataDir = None,
) -> None:
    """Check seed files: records, quotes, references; with the graph, everything a load checks (of the
    files changed since their last load, unless --force)."""
    use_data_dir(data_dir)
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
        return await check(store, paths or [], force=force)

    checked = run_on_store(work, needs_graph=True)
    console.print(f"checked against the graph ({Settings.from_env().engine}): {_sizes(checked)}")
    _print_skipped(checked.skipped)
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
    force: Annotated[bool, FORCE] = False,
    data_dir: DataDir = None,
) -> None:
    """Load seed files: validated first, then only the difference is written, all or nothing. What a file
    stated at its last load and no longer states is deleted. A file unchanged since its last load is not
    read (--force reads it; --overwrite does too)."""
    use_data_dir(data_dir)
    if dry_run:
        _dry_run(paths or [], batch_size=batch_size, overwrite=overwrite, force=force)
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
                force=force,
            )

        report = run_on_store(work, needs_graph=False)
    _print_report(report)


def _dry_run(paths: list[Path], *, batch_size: int, overwrite: bool, force: bool) -> None:
    async def dry(store: Store) -> SeedCheck:
        return await check(store, paths, batch_size=batch_size, overwrite=overwrite, force=force)

    checked = run_on_store(dry, needs_graph=False)
    assert checked.prepared is not None
    report = checked.prepared.report
    console.print(f"dry run of {', '.join(str(f) for f in checked.files)}: nothing was written")
    _print_skipped(checked.skipped)
    _print_summary(report, "the load would")
    _print_details(report.details)
    refused = checked.problems + drafted(checked.plan.documents)
    if refused:
        errors.print(str(SeedInvalid(refused, "the load would be refused")), style="red")
        raise typer.Exit(1)


@seed_app.command("diff")
def seed_diff(paths: Paths = None, data_dir: DataDir = None) -> None:
    """What differs between seed files and the graph, record by record, and which differences were made
    through the API since the last load. Exit code 1 when anything differs."""
    use_data_dir(data_dir)

    async def work(store: Store) -> tuple[SeedCheck, list[tuple[str, str | None]]]:
        # every file read: an unchanged file's records may have been changed through the API
        return await check(store, paths or [], force=True), await unstated(store)

    checked, made_elsewhere = run_on_store(work, needs_graph=True)
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

    use_data_dir(data_dir)
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

    gazetteer = run_on_store(work, needs_graph=True)  # its names are what speakers are linked to
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
    """Progress bars on the console, gone when done."""
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
    read = len(checked.files) - len(checked.skipped)  # (those left out were checked when loaded)
    return f"{read} file(s) valid: {len(checked.plan.nodes)} nodes, {len(edges)} relationships"


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


def _print_skipped(skipped: list[Path]) -> None:
    if skipped:
        console.print(
            f"{len(skipped)} file(s) unchanged since their last load, not read (--force reads them): "
            + ", ".join(str(f) for f in skipped)
        )


def _print_report(report: SeedLoad) -> None:
    files = ", ".join(str(f) for f in report.files)
    _print_skipped(report.skipped)
    if not report.changed:
        records = report.records + report.skipped_records
        console.print(f"nothing to change: the graph already holds {files} ({records} records)")
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
