"""All SQL of creator search: selectivity estimate, exact and HNSW nearest neighbours, keyword ranking.

Why two nearest-neighbour paths: pgvector applies WHERE filters after the HNSW scan, so a selective filter
starves the index scan (few or no rows), while an exact distance sort over b-tree/GIN-prefiltered rows is cheap
when few rows match and hopeless when most do. The service picks one from the planner's row estimate.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from store.creators.filters import FilterSQL
from store.creators.profile import PLATFORMS
from store.models import Creator


@dataclass(frozen=True)
class HnswTuning:
    ef_search: int = 200  # candidate list per iteration; recall grows with it
    max_scan_tuples: int = 20_000  # the most an iterative scan may visit (each scan gets its own budget below it)
    iterative_scan: str = "relaxed_order"


_TAG_CACHE_SECONDS = 60.0
_tag_cache: tuple[float, dict[str, float], int] | None = None


def hnsw_fetch(k: int) -> int:
    """Candidates an HNSW scan collects for a top-k (re-ranked exactly afterwards): relaxed order needs slack."""
    return max(k * 2, 40)


def vector_literal(vector: Sequence[float]) -> str:
    return "[" + ",".join(f"{value:.6g}" for value in vector) + "]"


# Every setting search changes with SET LOCAL (`search_settings`, `hnsw_nearest`, `lists_nearest`,
# `neighbourhood_counts`).
_SEARCH_SETTINGS = ("plan_cache_mode", "hnsw.ef_search", "hnsw.iterative_scan", "hnsw.max_scan_tuples",
                    "enable_bitmapscan", "enable_seqscan", "ivfflat.probes", "ivfflat.iterative_scan",
                    "ivfflat.max_probes")
# The caller's values (NULL: never set in this session) read first (OFFSET 0 keeps the subquery apart, so they
# are read before anything is set), then the search's own.
_ENTER_SEARCH = text(
    "SELECT previous.*, set_config('plan_cache_mode', 'force_custom_plan', true), "
    "set_config('hnsw.ef_search', :ef, true), set_config('hnsw.iterative_scan', :mode, true) FROM (SELECT "
    + ", ".join(f"current_setting('{name}', true) AS value_{index}" for index, name in enumerate(_SEARCH_SETTINGS))
    + " OFFSET 0) AS previous")
# Settings by name (SET LOCAL), in one statement.
_SET_LOCAL = text("SELECT set_config(name, setting, true) FROM unnest(CAST(:names AS text[]), "
                  "CAST(:settings AS text[])) AS given(name, setting)")
# set_config with NULL resets a setting to its default for the rest of the transaction
_LEAVE_SEARCH = text("SELECT " + ", ".join(f"set_config('{name}', :value_{index}, true)"
                                           for index, name in enumerate(_SEARCH_SETTINGS)))


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._scans_off = False  # a walk (`_index_nearest`) turned bitmap and sequential scans off

    @asynccontextmanager
    async def search_settings(self, tuning: HnswTuning) -> AsyncIterator[None]:
        """Planner and HNSW settings for the statements inside (SET LOCAL), with the caller's own values read in the
        same statement and put back on exit, so they never leak into the rest of the caller's transaction (a
        savepoint rolled back would do the same in two more round trips per search). On an error the transaction
        is the caller's to roll back; the values are put back if it can still run a statement.

        `force_custom_plan`: the same statement text runs with filters keeping 0.1% or 50% of the table; a cached
        generic plan (which asyncpg's prepared statements get after five runs) would serve one of them badly.
        """
        previous = (await self.session.execute(_ENTER_SEARCH, {
            "ef": str(min(tuning.ef_search, 1000)), "mode": tuning.iterative_scan})).one()
        restore = {f"value_{index}": value for index, value in enumerate(previous[:len(_SEARCH_SETTINGS)])}
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):  # an aborted transaction is rolled back by its owner
                await self.session.execute(_LEAVE_SEARCH, restore)
            raise
        await self.session.execute(_LEAVE_SEARCH, restore)
        self._scans_off = False

    async def estimate_rows(self, filters: FilterSQL) -> int:
        """The planner's estimate of how many creators pass the filters (no rows are read)."""
        statement = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM creators WHERE {filters.estimate_where or filters.where}"
        plan = await self.session.execute(text(statement), filters.params)
        document = plan.scalar_one()
        parsed = json.loads(document) if isinstance(document, str) else document
        return int(parsed[0]["Plan"]["Plan Rows"])

    async def table_rows(self) -> int:
        """The planner's idea of the table size (pg_class.reltuples, kept by ANALYZE/autovacuum), read with the
        tag statistics (and cached with them)."""
        return (await self._statistics(fresh=False))[1]

    async def exact_nearest(self, vector: Sequence[float], filters: FilterSQL,
                            k: int) -> list[tuple[uuid.UUID, float | None]]:
        """Exact cosine distance over the prefiltered rows. The MATERIALIZED CTE keeps the planner from using
        HNSW here (it would, and then apply the filter afterwards). Creators without an embedding yet rank last,
        by audience size, then age."""
        await self._scans_back_on()  # after an HNSW walk that came up short: the prefilter needs its bitmap scan
        statement = text(f"""
            WITH candidates AS MATERIALIZED (
                SELECT id, embedding <=> CAST(:query_vector AS halfvec) AS distance, followers_max, created_at
                FROM creators WHERE {filters.scan_where}
            )
            SELECT id, distance FROM candidates
            ORDER BY distance NULLS LAST, followers_max DESC, created_at, id LIMIT :k""")
        rows = await self.session.execute(statement, {**filters.params, "query_vector": vector_literal(vector), "k": k})
        return [(row.id, None if row.distance is None else float(row.distance)) for row in rows]

    async def _scans_back_on(self) -> None:
        """Bitmap and sequential scans back on after a walk turned them off, for a statement that needs
        them (every GIN lookup is a bitmap scan)."""
        if self._scans_off:
            await self.session.execute(text(
                "SELECT set_config('enable_bitmapscan', 'on', true), set_config('enable_seqscan', 'on', true)"))
            self._scans_off = False

    async def hnsw_nearest(self, vector: Sequence[float], filters: FilterSQL, k: int, *, max_scan_tuples: int,
                           ef_search: int) -> tuple[list[tuple[uuid.UUID, float]], bool]:
        """HNSW with iterative scan (keeps scanning until enough rows pass the filter, or `max_scan_tuples` index
        tuples were visited), over-fetching and re-ranking by exact distance, through the filter's segment index
        when it has one. Run inside `search_settings`, which sets ef_search and the scan mode.

        Returns the k nearest and whether the scan collected its whole over-fetch: if not, it ran out of budget
        or of rows, and its top k may miss nearer matches that an exhaustive search would find."""
        return await self._index_nearest(vector, filters, filters.segment.expression if filters.segment else
                                         "embedding", k, {"hnsw.max_scan_tuples": str(max_scan_tuples),
                                                          "hnsw.ef_search": str(min(ef_search, 1000))})

    async def lists_nearest(self, vector: Sequence[float], filters: FilterSQL, k: int, *, probes: int,
                            max_probes: int) -> tuple[list[tuple[uuid.UUID, float]], bool]:
        """The same through the niche's IVFFlat index (`filters.lists`): the `probes` lists whose centres are
        nearest the query read whole, more (up to `max_probes`) while the other filters leave too few rows.
        Returns as `hnsw_nearest` does."""
        if filters.lists is None:
            raise ValueError("lists_nearest needs a filter with a niche's IVFFlat index")
        return await self._index_nearest(vector, filters, filters.lists.expression, k, {
            "ivfflat.probes": str(probes), "ivfflat.max_probes": str(max(probes, max_probes)),
            "ivfflat.iterative_scan": "relaxed_order"})

    async def _index_nearest(self, vector: Sequence[float], filters: FilterSQL, indexed: str, k: int,
                             settings: dict[str, str]) -> tuple[list[tuple[uuid.UUID, float]], bool]:
        """The walk of the index over `indexed`, with the index's own `settings` (SET LOCAL, in one statement with
        bitmap and sequential scans off: with few estimated matches the planner prefers a bitmap scan and a sort,
        exact but paying the GIN walk this path exists to avoid. Switched back on by the statements after it that
        need them, the exact fallback and the keyword ranking (`_scans_back_on`), else on leaving
        `search_settings`)."""
        settings = settings | {"enable_bitmapscan": "off", "enable_seqscan": "off"}
        await self.session.execute(_SET_LOCAL, {"names": list(settings), "settings": list(settings.values())})
        self._scans_off = True
        fetch = hnsw_fetch(k)
        statement = text(f"""
            WITH nearest AS MATERIALIZED (
                SELECT id, embedding <=> CAST(:query_vector AS halfvec) AS distance, followers_max, created_at
                FROM creators WHERE embedding IS NOT NULL AND {filters.where}
                ORDER BY {indexed} <=> CAST(:query_vector AS halfvec) LIMIT :fetch
            )
            SELECT id, distance, (SELECT count(*) FROM nearest) AS found FROM nearest
            ORDER BY distance, followers_max DESC, created_at, id LIMIT :k""")
        rows = (await self.session.execute(statement, {**filters.params, "query_vector": vector_literal(vector),
                                                       "fetch": fetch, "k": k})).all()
        complete = bool(rows) and rows[0].found >= fetch
        return [(row.id, float(row.distance)) for row in rows], complete

    async def tag_rows(self, tags: Sequence[str], *, fresh: bool = False) -> float:
        """Posting-list entries a GIN scan for `tags` walks: the sum of their frequencies (column statistics kept
        by ANALYZE, cached for a minute) times the table size. A tag missing from the statistics is rare."""
        counts = await self.tag_counts(tags, fresh=fresh)
        return sum(counts.values())

    async def tag_counts(self, tags: Sequence[str], *, fresh: bool = False) -> dict[str, float]:
        """Per tag, the creators carrying it by the statistics ANALYZE keeps (0 when missing from them: rare):
        `filter_tags` of the table, and market tags (`US/skincare/10000`) of the expression index over them."""
        counts = (await self._statistics(fresh))[0]
        return {tag: counts.get(tag, 0.0) for tag in tags}

    async def _statistics(self, fresh: bool) -> tuple[dict[str, float], int]:
        """Tag frequencies and table size, cached per process for `_TAG_CACHE_SECONDS`: they move with ANALYZE."""
        global _tag_cache
        if fresh or _tag_cache is None or time.monotonic() - _tag_cache[0] > _TAG_CACHE_SECONDS:
            rows = (await self.session.execute(text("""
                SELECT element.tag, element.frequency * greatest(c.reltuples, 0) AS n
                FROM pg_stats AS s, pg_class AS c,
                    unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS element(tag, frequency)
                WHERE s.schemaname = current_schema() AND c.oid = 'creators'::regclass AND element.tag IS NOT NULL
                  AND (s.tablename = 'creators' AND s.attname = 'filter_tags'
                       OR s.tablename = 'ix_creators_market_tags')
                UNION ALL  -- the table size, as the row without a tag
                SELECT NULL, greatest(reltuples, 0) FROM pg_class WHERE oid = 'creators'::regclass"""))).all()
            counts = {row.tag: float(row.n) for row in rows if row.tag is not None}
            table_rows = next((int(row.n) for row in rows if row.tag is None), 0)
            _tag_cache = (time.monotonic(), counts, table_rows)
        return _tag_cache[1], _tag_cache[2]

    async def neighbourhood_counts(self, vector: Sequence[float], n: int,
                                   tags: Sequence[str]) -> tuple[dict[str, int], int]:
        """How many of the query's ~n nearest creators regardless of any filter carry each of `tags`, and how many
        were read: one short walk of the main index (ef_search = n; the caller's `hnsw_nearest` sets its own),
        counted in SQL (a row per tag, not the neighbours' tag arrays). Tells how much the query agrees with a
        filter (`store.creators.neighbourhood`)."""
        await self.session.execute(text("SELECT set_config('hnsw.ef_search', :ef, true)"), {"ef": str(n)})
        rows = (await self.session.execute(text("""
            WITH probe AS MATERIALIZED (
                SELECT filter_tags FROM creators WHERE embedding IS NOT NULL
                ORDER BY embedding <=> CAST(:query_vector AS halfvec) LIMIT :n
            )
            SELECT tag, (SELECT count(*) FROM probe WHERE tag = ANY(filter_tags)) AS seen,
                   (SELECT count(*) FROM probe) AS size
            FROM unnest(CAST(:tags AS varchar[])) AS tag"""),
            {"query_vector": vector_literal(vector), "n": n, "tags": list(tags)})).all()
        return {row.tag: int(row.seen) for row in rows}, int(rows[0].size) if rows else 0

    async def keyword_ranked(self, terms: Sequence[str], filters: FilterSQL, k: int, scan_cap: int = 1_000,
                             common_rows: int = 5_000) -> tuple[list[uuid.UUID], set[uuid.UUID]]:
        """Creators whose handle equals a query term first, then full-text matches on names, handles, niches and
        bio ranked by ts_rank_cd; also returns the exact handle matches.

        Only *rare* words take part in the full-text match: a lexeme the column statistics expect in more than
        `common_rows` creators ("travel", "recipes") is dropped, because a GIN bitmap costs as much as the rows it
        matches (tens of ms at 1M creators) and such words are what the semantic ranking already covers. Handles,
        brand names and unusual words stay. Ranking is also bounded to `scan_cap` matching rows."""
        if not terms:
            return [], set()
        await self._scans_back_on()
        handles = [f"{platform}:{term.lstrip('@')}" for term in terms for platform in PLATFORMS]
        statement = text(f"""
            WITH common AS (
                SELECT element.lexeme FROM pg_stats AS s, pg_class AS c,
                    unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS element(lexeme, freq)
                WHERE s.schemaname = current_schema() AND s.tablename = 'creators' AND s.attname = 'search_document'
                  AND c.oid = 'creators'::regclass AND element.freq * c.reltuples > :common_rows
            ),
            rare AS (
                SELECT lexeme FROM unnest(tsvector_to_array(to_tsvector('english', :ts_text))) AS lexeme
                WHERE lexeme NOT IN (SELECT lexeme FROM common WHERE lexeme IS NOT NULL)
            ),
            query AS (SELECT to_tsquery('simple', coalesce(string_agg(quote_literal(lexeme), ' | '), '')) AS q
                      FROM rare),
            by_handle AS MATERIALIZED (  -- no LIMIT here: with one, the planner bets on a seq scan finding k rows
                SELECT id, 1000.0 AS rank, created_at FROM creators
                WHERE handles && CAST(:handles AS varchar[]) AND {filters.where}
            ),
            by_text AS MATERIALIZED (
                SELECT id, search_document, created_at FROM creators, query
                WHERE numnode(query.q) > 0 AND search_document @@ query.q AND {filters.where} LIMIT :scan_cap
            ),
            ranked AS (
                SELECT id, rank, created_at FROM by_handle
                UNION ALL
                SELECT by_text.id, ts_rank_cd(by_text.search_document, query.q), created_at FROM by_text, query
            )
            SELECT id, max(rank) AS rank FROM ranked GROUP BY id
            ORDER BY rank DESC, min(created_at), id LIMIT :k""")
        rows = (await self.session.execute(statement, {
            **filters.params, "ts_text": " ".join(terms), "handles": handles, "k": k, "scan_cap": scan_cap,
            "common_rows": common_rows})).all()
        return [row.id for row in rows], {row.id for row in rows if row.rank >= 1000}

    async def top_by_audience(self, filters: FilterSQL, order_column: str, k: int,
                              offset: int) -> list[uuid.UUID]:
        """No query: the largest audiences that pass the filters."""
        statement = text(f"SELECT id FROM creators WHERE {filters.where} "
                         f"ORDER BY {order_column} DESC NULLS LAST, id LIMIT :k OFFSET :offset")
        rows = await self.session.execute(statement, {**filters.params, "k": k, "offset": offset})
        return [row.id for row in rows]

    async def distances(self, vector: Sequence[float], ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, float]:
        if not ids:
            return {}
        statement = text("SELECT id, embedding <=> CAST(:query_vector AS halfvec) AS distance FROM creators "
                         "WHERE id = ANY(:ids) AND embedding IS NOT NULL")
        rows = await self.session.execute(statement, {"query_vector": vector_literal(vector), "ids": list(ids)})
        return {row.id: float(row.distance) for row in rows}

    async def load(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Creator]:
        if not ids:
            return {}
        creators = await self.session.execute(select(Creator).where(Creator.id.in_(ids)))
        return {creator.id: creator for creator in creators.scalars()}
