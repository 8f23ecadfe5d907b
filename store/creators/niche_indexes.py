"""Partial HNSW indexes, one per popular niche: the answer to filters that contradict the query.

A creator's embedding is mostly its niche, so "vegan recipes" filtered to category=travel asks HNSW for the
nearest travel creators from inside the food region: pgvector's iterative scan has to walk a long way through
non-matching neighbours (recall ~0.5 at 100k in our benchmark). A partial index per niche
(`WHERE filter_tags @> '{"cat:travel"}'`, pgvector's own advice for low-cardinality filters) holds only that
niche's creators, so the walk starts among them. The planner uses it when the query repeats the predicate
literally (`niche_predicate`) and orders by `NICHE_INDEX_EXPRESSION`; the indexes carry the comment
`niche=<name>` so search can find them.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Niches safe to spell inside SQL literals (validated categories are lower case already).
_SAFE_NICHE = re.compile(r"^[a-z0-9][a-z0-9 &+\-]{0,63}$")
_CACHE_SECONDS = 60.0
_cache: tuple[float, frozenset[str]] | None = None


# The niche indexes cover an expression, not the column: a query ordering by this expression can only be served by
# them (or an exact sort), never by the main index with the niche as an after-the-fact filter, which the planner
# sometimes prefers and which loses most of the recall. Stored vectors are unit length, so the value is unchanged.
NICHE_INDEX_EXPRESSION = "(l2_normalize(embedding)::halfvec(384))"


def indexable(niche: str) -> bool:
    return bool(_SAFE_NICHE.match(niche))


def niche_predicate(niche: str) -> str:
    """The partial index's predicate, spelled identically in queries so the planner can prove it holds."""
    if not indexable(niche):
        raise ValueError(f"niche {niche!r} cannot have a partial index")
    return f"filter_tags @> '{{\"cat:{niche}\"}}'::varchar[]"


def index_name(niche: str) -> str:
    return f"ix_creators_embedding_hnsw_niche_{hashlib.sha256(niche.encode()).hexdigest()[:12]}"


async def indexed_niches(session: AsyncSession, *, fresh: bool = False) -> frozenset[str]:
    """Niches with a partial HNSW index (cached per process for a minute)."""
    global _cache
    if not fresh and _cache is not None and time.monotonic() - _cache[0] < _CACHE_SECONDS:
        return _cache[1]
    rows = await session.execute(text(
        "SELECT obj_description(indexrelid, 'pg_class') FROM pg_index WHERE indrelid = 'creators'::regclass"))
    niches = frozenset(comment.removeprefix("niche=") for (comment,) in rows
                       if comment and comment.startswith("niche="))
    _cache = (time.monotonic(), niches)
    return niches


def forget_indexed_niches() -> None:
    global _cache
    _cache = None


async def niche_counts(connection: asyncpg.Connection) -> list[tuple[str, int]]:
    rows = await connection.fetch("SELECT category, count(*) AS n FROM creators, unnest(categories) AS category "
                                  "GROUP BY category ORDER BY n DESC")
    return [(row["category"], row["n"]) for row in rows]


async def create_niche_index(connection: asyncpg.Connection, niche: str) -> bool:
    """Build the partial HNSW index for `niche` (autocommit connection); False when it already exists.

    ef_construction 200 (the main index uses 64): one niche's creators sit close together, and a cheaply built
    graph over them strands queries coming from another niche (recall 0.71 → 0.99 at ef_search 200 in the
    benchmark). The indexes are partial, so the extra build time is paid on a fraction of the rows each.
    """
    name = index_name(niche)
    exists = await connection.fetchval("SELECT 1 FROM pg_class WHERE relname = $1", name)
    if exists:
        return False
    await connection.execute(
        f"CREATE INDEX {name} ON creators USING hnsw (({NICHE_INDEX_EXPRESSION}) halfvec_cosine_ops) "
        f"WITH (m = 16, ef_construction = 200) WHERE {niche_predicate(niche)}")
    await connection.execute(f"COMMENT ON INDEX {name} IS 'niche={niche}'")
    forget_indexed_niches()
    return True


async def ensure_niche_indexes(connection: asyncpg.Connection, min_rows: int,
                                on_niche: Callable[[str, int, bool], None] | None = None) -> list[str]:
    """A partial index for every niche with at least `min_rows` creators — the niches too large for an exact
    scan (`SEARCH_EXACT_MAX_ROWS`); smaller ones are always searched exactly. Returns the niches indexed now."""
    created = []
    for niche, count in await niche_counts(connection):
        if count < min_rows or not indexable(niche):
            continue
        made = await create_niche_index(connection, niche)
        if made:
            created.append(niche)
        if on_niche is not None:
            on_niche(niche, count, made)
    return created


async def drop_niche_index(connection: asyncpg.Connection, niche: str) -> None:
    await connection.execute(f"DROP INDEX IF EXISTS {index_name(niche)}")
    forget_indexed_niches()


# ------------------------------------------------------------------ bulk (re)embedding
# Inserting into HNSW row by row costs milliseconds per row and per index; building an index over the finished
# table is several times faster. Backfills of most of the table therefore drop the vector indexes first and
# rebuild them after (searches meanwhile fall back to exact scans).
MAIN_INDEX = "ix_creators_embedding_hnsw"
MAIN_INDEX_SQL = (f"CREATE INDEX IF NOT EXISTS {MAIN_INDEX} ON creators USING hnsw (embedding halfvec_cosine_ops) "
                  "WITH (m = 16, ef_construction = 64)")  # as in migration 0002


async def drop_vector_indexes(connection: asyncpg.Connection) -> list[str]:
    """Drop the main and every niche HNSW index; returns the niches that had one (to rebuild)."""
    niches = [comment.removeprefix("niche=") for (comment,) in await connection.fetch(
        "SELECT obj_description(indexrelid, 'pg_class') FROM pg_index WHERE indrelid = 'creators'::regclass")
        if comment and comment.startswith("niche=")]
    for niche in niches:
        await drop_niche_index(connection, niche)
    await connection.execute(f"DROP INDEX IF EXISTS {MAIN_INDEX}")
    return niches


async def create_main_index(connection: asyncpg.Connection) -> None:
    await connection.execute(MAIN_INDEX_SQL)
