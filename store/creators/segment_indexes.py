"""Segment indexes: partial HNSW indexes, one per large niche, large country, large language (at most half the
creators) and large country ∧ niche pair, and a partial IVFFlat index beside each niche's graph for queries from
far outside the niche.

Why: pgvector applies WHERE filters after walking the HNSW graph, so a filter keeping a few percent of creators
makes the walk visit many times more rows than it returns, and a filter that contradicts the query ("vegan
recipes" among travel creators) makes it wander through the wrong part of the graph. An exact scan of the
prefiltered rows is correct but costs a heap visit per match (~35 ms for 10,000 matches at 1M creators). A
partial index per segment (`WHERE filter_tags @> '{"c:GB"}'`, pgvector's own advice for low-cardinality
filters) holds only that segment's creators, so the walk starts among them and only the remaining filters are
checked afterwards. Country ∧ niche pairs are the commonest brief ("US skincare creators") and the one a single
segment serves worst: the other half keeps a few percent of the segment, and each HNSW tuple costs ~10 µs.

The planner uses a segment index when the query spells its predicate literally (`Segment.predicate`) and orders
by the segment kind's expression (`Segment.expression`). The expressions are identities on the stored unit
vectors that only that kind of index covers, so the planner can never serve such a query with the main index
plus an after-the-fact filter (which it sometimes prefers, losing most of the recall), nor with another kind.
Each index carries the comment `<kind>=<value>` so search can find it, and the index's `reltuples` says how many
creators its graph holds (used to choose between the exact scan and the graph).

Why IVFFlat beside a niche's graph: a query from another niche ("vegan recipes" among travel creators) enters
the niche's HNSW graph far from the creators nearest to it, and the walk needs a candidate list of 1,000 to find
most of them (recall@10 0.93, p95 ~23 ms at 1M creators). IVFFlat has no entry point to be far from: it compares
the query with every list's centre and reads the nearest lists whole. Measured on the same 66 such queries (the
travel and beauty niches at 1M, ~100k creators each): lists = rows / 50 and 7.5 % of them probed, recall@10 0.985
at p95 11 ms; rows / 100 and 10 %, 0.968 at 10.8 ms; rows / 1,000 and 20 %, 0.909 at 18 ms. Search uses it only
for those queries (`store.creators.search`): for a query about the niche the graph is faster. Its lists are
fixed when it is built, so `ensure_segment_indexes` (run by `reindex` and `index-segments`) rebuilds it once the
niche has twice the creators it was built for, beside the old one until it is ready
(`influency creators index-segments --rebuild-lists` forces it).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_NICHE = r"[a-z0-9][a-z0-9 &+\-]{0,63}"
_COUNTRY = r"[A-Z]{2}"


@dataclass(frozen=True)
class SegmentKind:
    name: str  # "niche" | "country" | "pair": also the comment prefix
    tag_prefixes: tuple[str, ...]  # in `filter_tags`, one per part of the value ("US/skincare" for a pair)
    expression: str  # what the kind's indexes cover (an identity on stored unit vectors)
    ef_construction: int
    safe: re.Pattern[str]  # values allowed inside SQL literals (validated filter values already are)
    min_rows_factor: float = 1.0  # of `min_rows`: how large a segment must be to get an index
    method: str = "hnsw"  # or "ivfflat"
    max_share: float = 1.0  # of all creators: a larger segment gets no index (the main graph serves it as well)
    widen_when_far: bool = True  # a query far from the segment walks it with a wider candidate list
    lists_kind: str | None = None  # the kind of the IVFFlat index beside this kind's graphs, for far queries


NICHE = SegmentKind(
    "niche", ("cat:",), "(l2_normalize(embedding)::halfvec(384))",
    # One niche's creators sit close together; a cheaply built graph over them strands queries coming from
    # another niche (recall 0.71 → 0.99 at ef_search 200 in the benchmark). Countries mix every niche.
    200, re.compile(f"^{_NICHE}$"), lists_kind="niche_lists")
COUNTRY = SegmentKind("country", ("c:",), "(subvector(embedding, 1, 384)::halfvec(384))", 100,
                      re.compile(f"^{_COUNTRY}$"))
# Pairs only where the pair alone is too large to scan exactly (2.5 × SEARCH_EXACT_MAX_ROWS: ~50 pairs at 1M).
PAIR = SegmentKind("pair", ("c:", "cat:"), "(embedding::vector(384)::halfvec(384))", 100,
                   re.compile(f"^{_COUNTRY}/{_NICHE}$"), 2.5)
# Languages span countries: "Spanish-speaking" keeps ~10% of creators; on the main graph a query from another
# market took p50 17-26 ms at 1M for recall 0.976, through this graph ~5 ms for recall 1.000. English, the
# majority, gains nothing from a graph of its own. A language's creators are spread over many niches and markets,
# so a query from elsewhere still enters its graph near some of them: no wider walk (measured at 1M, queries from
# other markets: recall@10 1.000 at ef_search 100, 200 and 400 alike).
LANGUAGE = SegmentKind("language", ("l:",), "(l2_normalize(subvector(embedding, 1, 384))::halfvec(384))", 100,
                       re.compile(r"^[a-z]{2,3}$"), max_share=0.5, widen_when_far=False)
# Beside each niche's graph, for queries far from the niche (see above); the search picks it, never the filters.
NICHE_LISTS = SegmentKind("niche_lists", ("cat:",), "(subvector(l2_normalize(embedding), 1, 384)::halfvec(384))", 0,
                          re.compile(f"^{_NICHE}$"), method="ivfflat")
KINDS: dict[str, SegmentKind] = {kind.name: kind for kind in (NICHE, COUNTRY, PAIR, LANGUAGE, NICHE_LISTS)}
ROWS_PER_LIST = 50  # IVFFlat lists of ~50 creators ...
PROBED_SHARE = 0.075  # ... of which this share is read per query (at least one list)


def ivf_lists(rows: int) -> int:
    return max(1, rows // ROWS_PER_LIST)


def ivf_probes(lists: int) -> int:
    """Lists to read per query: a share of those the index was built with (the niche may have grown since)."""
    return min(max(lists, 1), max(1, round(lists * PROBED_SHARE)))


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    value: str
    rows: int = 0  # creators in its index (pg_class.reltuples)
    lists: int = 0  # an IVFFlat index's lists, as built (its `lists` storage parameter)

    @property
    def tags(self) -> list[str]:
        return [prefix + part for prefix, part in zip(self.kind.tag_prefixes, self.value.split("/"), strict=True)]

    @property
    def predicate(self) -> str:
        """The partial index's predicate, spelled identically in queries so the planner can prove it holds."""
        if not self.kind.safe.match(self.value):
            raise ValueError(f"{self.kind.name} {self.value!r} cannot have a segment index")
        return "filter_tags @> '{" + ",".join(f'"{tag}"' for tag in self.tags) + "}'::varchar[]"

    @property
    def expression(self) -> str:
        return self.kind.expression

    @property
    def index_name(self) -> str:
        digest = hashlib.sha256(self.value.encode()).hexdigest()[:12]
        return f"ix_creators_embedding_{self.kind.method}_{self.kind.name}_{digest}"


Segments = Mapping[tuple[str, str], Segment]  # (kind name, value) → segment with its index
# An index's `lists` storage parameter (IVFFlat's lists as built; NULL for other indexes), of `pg_class AS c`.
_LISTS_OPTION = ("(SELECT substring(option FROM 7)::int FROM unnest(c.reloptions) AS option "
                 "WHERE option LIKE 'lists=%')")
_CACHE_SECONDS = 60.0
_cache: tuple[float, Segments] | None = None


async def indexed_segments(session: AsyncSession, *, fresh: bool = False) -> Segments:
    """Segments that have an index, with their sizes (cached per process for a minute)."""
    global _cache
    if not fresh and _cache is not None and time.monotonic() - _cache[0] < _CACHE_SECONDS:
        return _cache[1]
    rows = await session.execute(text(
        f"SELECT obj_description(i.indexrelid, 'pg_class') AS comment, c.reltuples, {_LISTS_OPTION} AS lists "
        "FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indrelid = 'creators'::regclass"))
    segments: dict[tuple[str, str], Segment] = {}
    for comment, reltuples, lists in rows:
        if (segment := _from_comment(comment, reltuples)) is not None:
            segments[(segment.kind.name, segment.value)] = replace(segment, lists=lists or 0)
    _cache = (time.monotonic(), segments)
    return segments


def _from_comment(comment: str | None, rows: float = 0) -> Segment | None:
    """The segment an index's comment (`<kind>=<value>`) names; None for other indexes."""
    kind_name, _, value = (comment or "").partition("=")
    return Segment(KINDS[kind_name], value, max(int(rows), 0)) if kind_name in KINDS and value else None


def forget_indexed_segments() -> None:
    global _cache
    _cache = None


async def segment_counts(connection: asyncpg.Connection) -> list[tuple[Segment, int]]:
    """Every niche (twice: its graph and its lists), country, language and country/niche pair with its number of
    creators, largest first."""
    rows = await connection.fetch(
        "WITH niches AS (SELECT category, count(*) AS n FROM creators, unnest(categories) AS category "
        "GROUP BY category) "
        "SELECT 'niche' AS kind, category AS value, n FROM niches UNION ALL "
        "SELECT 'niche_lists', category, n FROM niches UNION ALL "
        "SELECT 'country', country, count(*) FROM creators WHERE country IS NOT NULL GROUP BY country UNION ALL "
        "SELECT 'language', language, count(*) FROM creators, unnest(languages) AS language "
        "GROUP BY language UNION ALL "
        "SELECT 'pair', country || '/' || category, count(*) FROM creators, unnest(categories) AS category "
        "WHERE country IS NOT NULL GROUP BY country, category "
        "ORDER BY n DESC")
    return [(Segment(KINDS[row["kind"]], row["value"]), row["n"]) for row in rows]


async def create_segment_index(connection: asyncpg.Connection, segment: Segment, rows: int | None = None) -> bool:
    """Build the segment's partial index (autocommit connection); False when it already exists. `rows`: the
    segment's creators, if known (IVFFlat's number of lists depends on it)."""
    exists = await connection.fetchval("SELECT 1 FROM pg_class WHERE relname = $1", segment.index_name)
    if exists:
        return False
    await _build(connection, segment, segment.index_name, rows)
    return True


async def _build(connection: asyncpg.Connection, segment: Segment, name: str, rows: int | None) -> None:
    if segment.kind.method == "ivfflat":
        if rows is None:
            rows = await connection.fetchval(f"SELECT count(*) FROM creators WHERE {segment.predicate}")
        options = f"lists = {ivf_lists(rows or 0)}"
    else:
        options = f"m = 16, ef_construction = {segment.kind.ef_construction}"
    await connection.execute(
        f"CREATE INDEX {name} ON creators USING {segment.kind.method} "
        f"(({segment.expression}) halfvec_cosine_ops) WITH ({options}) WHERE {segment.predicate}")
    await connection.execute(f"COMMENT ON INDEX {name} IS '{segment.kind.name}={segment.value}'")
    forget_indexed_segments()


async def built_lists(connection: asyncpg.Connection) -> dict[str, int]:
    """Each IVFFlat segment index's name → the lists it was built with (its `lists` storage parameter)."""
    rows = await connection.fetch(
        f"SELECT c.relname, {_LISTS_OPTION} AS lists FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = 'creators'::regclass")
    return {row["relname"]: row["lists"] for row in rows if row["lists"]}


def lists_outgrown(built: int, rows: int) -> bool:
    """True once the segment has grown to twice the lists its index was built with: new creators only join the
    nearest of the fixed centres, so lists get long and a probe reads ever more rows for the same recall."""
    return ivf_lists(rows) >= 2 * built


async def rebuild_segment_index(connection: asyncpg.Connection, segment: Segment, rows: int | None = None) -> None:
    """Build the segment's index afresh beside the old one, then swap them in one transaction: searches keep the
    old index until the new one is ready (a large niche's lists take tens of seconds to build)."""
    fresh = f"{segment.index_name}_new"
    await connection.execute(f"DROP INDEX IF EXISTS {fresh}")  # from a rebuild interrupted earlier
    await _build(connection, segment, fresh, rows)
    async with connection.transaction():
        await connection.execute(f"DROP INDEX IF EXISTS {segment.index_name}")
        await connection.execute(f"ALTER INDEX {fresh} RENAME TO {segment.index_name}")
    forget_indexed_segments()


async def ensure_segment_indexes(connection: asyncpg.Connection, min_rows: int,
                                 on_segment: Callable[[Segment, int, bool], None] | None = None,
                                 rebuild_lists: bool = False) -> list[Segment]:
    """An index for every niche (a graph and lists), country and language with at least `min_rows` creators (the
    segments too large for an exact scan, `SEARCH_EXACT_MAX_ROWS`; smaller ones are always searched exactly;
    languages only up to half the creators), and every country/niche pair with 2.5 times that. IVFFlat lists
    their niche has outgrown (`lists_outgrown`), or all with `rebuild_lists`, are rebuilt. Returns the ones built
    now."""
    created = []
    total = await connection.fetchval("SELECT count(*) FROM creators")
    lists = await built_lists(connection)
    for name in [name for name in lists if name.endswith("_new")]:  # a rebuild stopped before its swap
        await connection.execute(f"DROP INDEX IF EXISTS {name}")
    for segment, count in await segment_counts(connection):
        if count < min_rows * segment.kind.min_rows_factor or not segment.kind.safe.match(segment.value) \
                or count > total * segment.kind.max_share:
            continue
        if segment.index_name in lists and (rebuild_lists or lists_outgrown(lists[segment.index_name], count)):
            await rebuild_segment_index(connection, segment, count)
            made = True
        else:
            made = await create_segment_index(connection, segment, count)
        if made:
            created.append(segment)
        if on_segment is not None:
            on_segment(segment, count, made)
    return created


async def drop_segment_index(connection: asyncpg.Connection, segment: Segment) -> None:
    await connection.execute(f"DROP INDEX IF EXISTS {segment.index_name}")
    forget_indexed_segments()


# ------------------------------------------------------------------ bulk (re)embedding
# Inserting into HNSW row by row costs milliseconds per row and per index; building an index over the finished
# table is several times faster. Backfills of most of the table therefore drop the vector indexes first and
# rebuild them after (searches meanwhile fall back to exact scans).
MAIN_INDEX = "ix_creators_embedding_hnsw"
MAIN_INDEX_SQL = (f"CREATE INDEX IF NOT EXISTS {MAIN_INDEX} ON creators USING hnsw (embedding halfvec_cosine_ops) "
                  "WITH (m = 16, ef_construction = 64)")  # as in migration 0002


async def drop_vector_indexes(connection: asyncpg.Connection) -> list[Segment]:
    """Drop the main and every segment index (by name, so also one a rebuild left half-done); returns the segments
    that had one (to rebuild)."""
    segments = []
    for row in await connection.fetch(
            "SELECT c.relname, obj_description(i.indexrelid, 'pg_class') AS comment FROM pg_index AS i "
            "JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indrelid = 'creators'::regclass"):
        if (segment := _from_comment(row["comment"])) is not None:
            await connection.execute(f'DROP INDEX IF EXISTS "{row["relname"]}"')
            segments.append(segment)
    await connection.execute(f"DROP INDEX IF EXISTS {MAIN_INDEX}")
    forget_indexed_segments()
    return segments


async def create_main_index(connection: asyncpg.Connection) -> None:
    await connection.execute(MAIN_INDEX_SQL)
