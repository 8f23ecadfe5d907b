"""`influency creators ...`: import agency lists, seed a synthetic population, (re)embed, build segment indexes.

All commands work on DATABASE_URL, or the embedded database under DATA_DIR, applying pending migrations first.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Coroutine
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

app = typer.Typer(help="Creators: import, seed, search index maintenance.", no_args_is_help=True)
console = Console(stderr=True)


def _run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    from cli.main import _bootstrap
    from store.db import dispose_engine, resolve_database_url
    from store.migrate import upgrade

    _bootstrap()
    upgrade(resolve_database_url())  # as `influency up` does: a fresh DATA_DIR works without `migrate` first

    async def _with_cleanup() -> Any:
        try:
            return await coroutine
        finally:
            await dispose_engine()

    return asyncio.run(_with_cleanup())


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                    TimeRemainingColumn(), console=console)


@app.command("import")
def import_creators(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSON list of creators")],
    organization_id: Annotated[uuid.UUID | None, typer.Option(
        help="Import as this organization's prospects (visible only to it); default: the shared directory")] = None,
    skip_invalid: Annotated[bool, typer.Option(
        help="Import the valid rows even if some are invalid (default: all or nothing)")] = False,
    report: Annotated[Path | None, typer.Option(help="Also write the full report as JSON here")] = None,
) -> None:
    """Import creators from a CSV or JSON file, in one transaction, with a per-row report."""
    from store.creators.importing import ImportFileError, read_records, validate_records
    from store.creators.service import CreatorService, ImportReport
    from store.db import unit_of_work

    try:
        records = read_records(file)
    except ImportFileError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None

    async def _import() -> ImportReport:
        parsed = validate_records(records)
        async with unit_of_work() as session:
            return await CreatorService(session).import_rows(parsed, organization_id=organization_id,
                                                             skip_invalid=skip_invalid)

    result: ImportReport = _run(_import())
    if result.errors:
        table = Table("row", "field", "problem", title=f"{len(result.errors)} problem(s)")
        for error in result.errors[:100]:
            table.add_row(str(error.row), error.field or "", error.message)
        console.print(table)
        if len(result.errors) > 100:
            console.print(f"... and {len(result.errors) - 100} more (see --report)")
    for duplicate in result.duplicates[:20]:
        console.print(f"row {duplicate.row}: skipped, {duplicate.matched_on} is already creator {duplicate.creator_id}")
    if report is not None:
        report.write_text(json.dumps({**asdict(result), "blocked": result.blocked}, default=str, indent=2))
    if result.blocked:
        console.print(f"[red]nothing imported[/red]: fix the rows above (or pass --skip-invalid); "
                      f"{result.total_rows} rows read")
        raise typer.Exit(1)
    console.print(f"[green]imported {result.imported}[/green] of {result.total_rows} rows; "
                  f"{len(result.duplicates)} duplicate(s) skipped, {len(result.errors)} invalid row(s) skipped; "
                  f"{result.embedding_jobs} embedding job(s) queued")


@app.command()
def seed(
    count: Annotated[int, typer.Option(min=1, help="How many creators")] = 1_000,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed: same seed and count, same creators")] = 1,
    batch_size: Annotated[int, typer.Option(min=100, help="Rows per COPY batch")] = 5_000,
) -> None:
    """Generate a realistic synthetic creator population (binary COPY; 1M rows are fine). Embeddings are not
    computed here: run `influency creators reindex` next (it also builds the segment indexes)."""
    from store.creators.bulk import copy_creators, raw_connection
    from store.creators.synthetic import CreatorFactory, synthetic_creators

    async def _seed() -> int:
        connection = await raw_connection()
        try:
            first_id = CreatorFactory(seed_value).make(0)["id"]
            if await connection.fetchval("SELECT 1 FROM creators WHERE id = $1", first_id):
                console.print(f"[red]creators from --seed {seed_value} are already in this database[/red]; "
                              "use another --seed")
                raise typer.Exit(1)
            with _progress() as progress:
                task = progress.add_task(f"seeding {count:,} creators", total=count)
                async with connection.transaction():
                    written = await copy_creators(connection, synthetic_creators(count, seed_value),
                                                  batch_size=batch_size, on_batch=lambda n: progress.advance(task, n))
            console.print("analysing ...")
            await connection.execute("ANALYZE creators")
            return written
        finally:
            await connection.close()

    written = _run(_seed())
    console.print(f"[green]seeded {written:,} creators[/green] (seed {seed_value}); "
                  "now `influency creators reindex` to embed them")


@app.command()
def reindex(
    everything: Annotated[bool, typer.Option("--all", help="Re-embed every creator, not only missing/stale")]
    = False,
    batch_size: Annotated[int | None, typer.Option(
        min=1, help="Creators per read/embed/write round trip (default 500)")] = None,
    rebuild_indexes: Annotated[bool | None, typer.Option(
        help="Drop the HNSW indexes during the backfill and rebuild them after (default: when at least 10,000 "
             "creators and half the table are due)")] = None,
) -> None:
    """Embed creators whose embedding is missing, stale, or from another model (EMBEDDING_PROVIDER)."""
    from core.settings import get_settings
    from store.creators.bulk import raw_connection
    from store.creators.segment_indexes import create_main_index, drop_vector_indexes, ensure_segment_indexes
    from tools.embeddings import get_embedder
    from tools.embeddings.indexer import count_due
    from tools.embeddings.indexer import reindex as run_reindex

    async def _reindex() -> int:
        embedder = get_embedder()
        due = await count_due(everything=everything, embedder=embedder)
        if due == 0:
            return 0
        total = await count_due(everything=True, embedder=embedder)
        bulk = rebuild_indexes if rebuild_indexes is not None else due >= 10_000 and due * 2 >= total
        connection = await raw_connection()
        try:
            if bulk:
                console.print("dropping the HNSW indexes for the backfill (searches scan exactly meanwhile)")
                await drop_vector_indexes(connection)
            with _progress() as progress:
                task = progress.add_task(f"embedding with {embedder.name}", total=due)
                written = await run_reindex(everything=everything, batch_size=batch_size, embedder=embedder,
                                            on_batch=lambda seen, _: progress.advance(task, seen))
            # Always: also repairs indexes a crashed bulk run left dropped, and indexes segments that grew large.
            await connection.execute("SET maintenance_work_mem = '1GB'")
            if bulk:
                console.print("building the HNSW index ...")
            await create_main_index(connection)
            built = await ensure_segment_indexes(connection, get_settings().SEARCH_EXACT_MAX_ROWS)
            if built:
                console.print("segment indexes built: " + ", ".join(f"{s.kind.name} {s.value}" for s in built))
            return written
        finally:
            await connection.close()

    written = _run(_reindex())
    console.print(f"[green]{written:,} embedding(s) written[/green]")


@app.command("index-segments")
def index_segments(
    min_rows: Annotated[int | None, typer.Option(help="Niches, countries, languages with at least this many creators "
                                                      "(default SEARCH_EXACT_MAX_ROWS)")] = None,
    rebuild_lists: Annotated[bool, typer.Option(
        help="Rebuild every niche's IVFFlat lists (their centres are fixed when built; lists a niche has outgrown "
             "twice over are rebuilt anyway)")]
    = False,
) -> None:
    """Build partial indexes for large niches, countries, languages and country/niche pairs (fast, accurate
    filters)."""
    from core.settings import get_settings
    from store.creators.bulk import raw_connection
    from store.creators.segment_indexes import Segment, ensure_segment_indexes

    async def _index() -> list[Segment]:
        connection = await raw_connection()
        try:
            await connection.execute("SET maintenance_work_mem = '1GB'")
            return await ensure_segment_indexes(
                connection, min_rows or get_settings().SEARCH_EXACT_MAX_ROWS,
                on_segment=lambda segment, n, made: console.print(
                    f"  {segment.kind.name} {segment.value} ({n:,} creators)" + (": built" if made else ": exists")),
                rebuild_lists=rebuild_lists)
        finally:
            await connection.close()

    created = _run(_index())
    console.print(f"[green]{len(created)} segment index(es) built[/green]")
