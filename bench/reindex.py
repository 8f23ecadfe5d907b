"""Reindex benchmark: how long `influency creators reindex` takes for 2,000 creators (the warm-start target is
≤ 60 s) and for a large population, at each embedding precision, and whether bfloat16 keeps the neighbours.

    .venv/bin/python -m bench.reindex                       # 2,000 creators; 100,000 estimated
    .venv/bin/python -m bench.reindex --large 100000 --run-large   # also embed the 100,000 for real (~15-30 min)

Seeds its own throwaway embedded Postgres (never your data) with the synthetic population of `influency creators
seed`, then, in the same run:
  (a) reindexes the 2,000 with all-MiniLM-L6-v2 in float32 (the baseline) and in bfloat16 (`EMBEDDING_PRECISION`),
      through `tools.embeddings.indexer.reindex` (the CLI's path: batches read, embedded, written with one UPDATE);
  (b) compares the two: recall@10 of each creator's 10 nearest creators under bfloat16 against float32, and the
      mean cosine between a creator's two vectors;
  (c) for `--large` creators, measures the database side for real (the hashing embedder: reads, the batched
      UPDATEs, then the HNSW build the CLI does after a bulk backfill) and adds the model time at the rate (a)
      measured — or, with `--run-large`, embeds them with the model for real.
Figures are printed, never asserted. The machine's load average and the CPU seconds spent are printed too:
other work on shared cores stretches the wall time, not the CPU time (one core's worth, TORCH_THREADS=1).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

console = Console(width=140)


async def seed(url: str, count: int, seed_value: int) -> None:
    from store.creators.bulk import copy_creators, raw_connection
    from store.creators.synthetic import synthetic_creators

    connection = await raw_connection(url)
    try:
        async with connection.transaction():
            await copy_creators(connection, synthetic_creators(count, seed_value))
        await connection.execute("ANALYZE creators")
    finally:
        await connection.close()


async def vectors(url: str) -> np.ndarray:
    from store.creators.bulk import raw_connection

    connection = await raw_connection(url)
    try:
        rows = await connection.fetch("SELECT embedding::text AS v FROM creators ORDER BY id")
    finally:
        await connection.close()
    return np.array([np.fromstring(row["v"].strip("[]"), sep=",") for row in rows], dtype=np.float32)


def neighbour_recall(reference: np.ndarray, candidate: np.ndarray, k: int = 10) -> float:
    def top(matrix: np.ndarray) -> np.ndarray:
        scores = matrix @ matrix.T
        np.fill_diagonal(scores, -np.inf)
        return np.argpartition(-scores, k, axis=1)[:, :k]

    ours, truth = top(candidate), top(reference)
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(ours, truth, strict=True)]))


async def timed_reindex(embedder: object, batch_size: int | None) -> tuple[float, int]:
    from tools.embeddings.indexer import reindex

    started = time.perf_counter()
    written = await reindex(everything=True, embedder=embedder, batch_size=batch_size)  # type: ignore[arg-type]
    return time.perf_counter() - started, written


def cpu_seconds() -> float:
    """This process's CPU time, every thread (the model runs in a worker thread): on shared, busy cores the wall
    time stretches with the load, the CPU time does not."""
    return time.process_time()


async def bulk_reindex(url: str, embedder: object, batch_size: int | None) -> tuple[float, float, int]:
    """The CLI's bulk path: indexes dropped, every creator embedded, the HNSW index built. (embed s, build s, n)"""
    from store.creators.bulk import raw_connection
    from store.creators.segment_indexes import create_main_index, drop_vector_indexes

    connection = await raw_connection(url)
    try:
        await drop_vector_indexes(connection)
        seconds, written = await timed_reindex(embedder, batch_size)
        await connection.execute("SET maintenance_work_mem = '1GB'")
        started = time.perf_counter()
        await create_main_index(connection)
        return seconds, time.perf_counter() - started, written
    finally:
        await connection.close()


async def run(args: argparse.Namespace) -> None:
    from core.settings import set_process_defaults

    set_process_defaults()
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade
    from tools.embeddings.hashing import HashingEmbedder
    from tools.embeddings.minilm import MiniLMEmbedder, resolve_precision

    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-reindex-"))
    url = start_embedded_postgres(data_dir, cleanup="delete")
    await asyncio.to_thread(upgrade, url)
    db.reset_for_tests(url)
    await seed(url, args.size, 1)
    console.print(f"seeded {args.size:,} creators; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
                  f"auto precision here: {resolve_precision('auto')}")

    table = Table("precision", "model load s", f"reindex {args.size:,} s", "CPU s", "creators/s", "vs float32",
                  "recall@10 vs float32", "cosine vs float32")
    reference, rates = None, {}
    for precision in ("float32", "bfloat16"):
        embedder = MiniLMEmbedder(precision=precision)
        started = time.perf_counter()
        embedder.embed(["warm-up"])  # the warm start loads the model before the first job
        load = time.perf_counter() - started
        cpu = cpu_seconds()
        seconds, written = await timed_reindex(embedder, args.batch_size)
        cpu = cpu_seconds() - cpu
        rates[precision] = written / seconds
        matrix = await vectors(url)
        if reference is None:
            reference, recall, cosine = matrix, 1.0, 1.0
        else:
            recall = neighbour_recall(reference, matrix)
            cosine = float(np.mean(np.sum(reference * matrix, axis=1)))
        table.add_row(precision, f"{load:.1f}", f"{seconds:.1f}", f"{cpu:.1f}", f"{rates[precision]:.0f}",
                      f"{rates[precision] / rates['float32']:.2f}x", f"{recall:.3f}", f"{cosine:.5f}")
        del embedder
    console.print(table)

    large = args.large
    if large <= args.size:
        return
    await seed(url, large - args.size, 2)
    fast = max(rates, key=lambda p: rates[p])
    if args.run_large:
        embed_s, build_s, written = await bulk_reindex(url, MiniLMEmbedder(precision=fast), args.batch_size)
        console.print(f"{written:,} creators reindexed with {fast}: {embed_s:.0f} s embedding and writing + "
                      f"{build_s:.0f} s HNSW build = {(embed_s + build_s) / 60:.1f} min")
        return
    db_s, build_s, written = await bulk_reindex(url, HashingEmbedder(), args.batch_size)
    model_s = written / rates[fast]
    console.print(f"{written:,} creators, database side measured (hashing embedder): {db_s:.0f} s reads + writes, "
                  f"{build_s:.0f} s HNSW build; model time at the {fast} rate measured above "
                  f"({rates[fast]:.0f}/s): {model_s:.0f} s → estimated {(db_s + build_s + model_s) / 60:.1f} min "
                  f"(one worker, TORCH_THREADS=1; `--run-large` measures it)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=2_000, help="creators reindexed per precision")
    parser.add_argument("--large", type=int, default=100_000, help="large population (estimated; 0: skip)")
    parser.add_argument("--run-large", action="store_true", help="embed the large population with the model")
    parser.add_argument("--batch-size", type=int, default=None, help="creators per round trip (the CLI's --batch-size)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
