"""Creator search: the discovery service the API and the agents call.

`search_creators` validates the filters (InvalidInput → 422) and fuses two rankings with reciprocal rank fusion. It
ranks from a query vector: callers with text use `tools.creator_search.search_creators`, which embeds the query with
the process-wide embedder (so `store` never imports `tools`).

- semantic: cosine distance on `creators.embedding`. `semantic_candidates` picks the plan from the planner's
  estimate of how many creators pass the filters: an exact sort of the prefiltered rows when few match
  and cheaply found (`exact_cost`), else HNSW with iterative scan, over-fetch and exact re-rank, through the
  smallest segment index (a partial HNSW index per large niche or country) the filters select, within a budget
  of index tuples worth the exact scan (`hnsw_budget`). If HNSW runs out of budget or rows before collecting
  its over-fetch (matches rare near the query, rows not embedded yet) the exact sort takes over, so a page is
  never short or approximate while enough creators match. The query's unfiltered neighbourhood (`neighbourhood`)
  says beforehand whether the filter contradicts the query: exact at once, a wider walk, or a niche's IVFFlat
  lists instead of its graph (`_walk_plan`).
- keyword: exact handle matches, then Postgres full text over names, handles, niches and bio.

Every result satisfies every filter; each carries a score (fused, 1.0 = first in both rankings), the cosine
similarity, and a short explanation. Without a query, results are the largest audiences that pass the filters.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import get_settings
from store.creators.explain import filter_reasons, matched_terms, query_terms
from store.creators.filters import (
    MAX_LIMIT,
    MAX_OFFSET,
    FilterSQL,
    SearchFilters,
    filter_sql,
    followers_column,
    normalise_filters,
)
from store.creators.neighbourhood import PROBE_SIZE, combined_lift, tag_lifts, widened_ef
from store.creators.profile import PLATFORMS
from store.creators.search_repository import HnswTuning, SearchRepository, hnsw_fetch
from store.creators.segment_indexes import indexed_segments, ivf_probes
from store.models import Creator

__all__ = ["MAX_LIMIT", "MAX_OFFSET", "PLATFORMS", "CreatorMatch", "HnswTuning", "SearchFilters", "SemanticHits",
           "search_creators", "semantic_candidates"]

RRF_K = 60  # the usual reciprocal-rank-fusion constant: damps the weight of the very first ranks
# Costs in units of one exact-scan row (a heap visit, ~2.5 µs with the table in shared buffers), measured at 1M:
HNSW_TUPLE_COST = 4.0  # one tuple of a filtered HNSW scan: graph step, distances, heap check
GIN_ENTRY_COST = 0.02  # one posting-list entry walked by the GIN scan of `filter_tags` (~50 ns)
SEQ_ROW_COST = 0.3  # one row of a sequential scan
MIN_HNSW_BUDGET = 500  # the first candidate lists alone visit this many
CONTRADICTED_SHARE = 0.5  # a segment walk whose other filters discard more than this, from a segment far from
CONTRADICTED_EXACT_ROWS_FACTOR = 4  # the query: exact when it costs at most this × SEARCH_EXACT_MAX_ROWS
FUSION_DEPTH = 50  # hybrid rankings are cut at multiples of this, so consecutive pages come from the same lists
FAR_LIFT = 0.5  # a niche graph's creators this much rarer near the query than overall: walk the niche's lists
Strategy = Literal["exact", "hnsw", "hnsw+exact", "lists", "lists+exact"]


@dataclass(frozen=True)
class CreatorMatch:
    creator: Creator
    score: float
    explanation: list[str] = field(default_factory=list)  # human-readable: which filters held, what matched
    similarity: float | None = None  # cosine similarity of creator and query, when both have embeddings
    strategy: str = ""  # how candidates were found: exact | hnsw | lists (+exact) (semantic), audience (no query)


@dataclass(frozen=True)
class SemanticHits:
    hits: list[tuple[uuid.UUID, float | None]]  # (creator id, cosine distance; None: not embedded), nearest first
    strategy: Strategy
    estimated_rows: int | None  # planner's estimate of creators passing the filters (None: no filter)


async def semantic_candidates(session: AsyncSession, vector: Sequence[float], filters: SearchFilters, k: int, *,
                              organization_id: uuid.UUID | None = None, exact_max_rows: int | None = None,
                              tuning: HnswTuning | None = None) -> SemanticHits:
    """The k nearest creators passing `filters` (already normalised), by the cheaper correct plan."""
    clause = filter_sql(filters, organization_id, await indexed_segments(session))
    repository = SearchRepository(session)
    tuning = _tuning(tuning, k)
    async with repository.search_settings(tuning):
        return await _nearest(repository, vector, filters, clause, k, exact_max_rows, tuning)


def _tuning(tuning: HnswTuning | None, k: int) -> HnswTuning:
    tuning = tuning or HnswTuning(ef_search=get_settings().SEARCH_HNSW_EF_SEARCH)
    return replace(tuning, ef_search=max(tuning.ef_search, 2 * k))


def exact_cost(estimated_rows: int, tag_rows: float | None, table_rows: int) -> float:
    """An exact scan's cost in heap rows: one per match, plus the GIN scan, which walks the posting list of every
    tag it looks up (`tag_rows` entries in all), matched or not: at 1M creators, `US ∧ skincare ∧ ≥10k followers`
    through `filter_tags` decodes 420,000 entries (~15 ms) to find 2,000 rows (~5 ms); through its one market tag
    (`FilterSQL.exact_where`), about those 2,000. Filters without a tag (`max_followers` alone) leave nothing to
    prefilter with (`tag_rows` None): a sequential scan of the table."""
    if tag_rows is None:
        return estimated_rows + SEQ_ROW_COST * table_rows
    return estimated_rows + GIN_ENTRY_COST * tag_rows


def hnsw_budget(cost_of_exact: float, tuning: HnswTuning) -> int:
    """Index tuples a filtered HNSW scan may visit before the exact scan would have been cheaper."""
    return max(MIN_HNSW_BUDGET, min(tuning.max_scan_tuples, int(cost_of_exact / HNSW_TUPLE_COST)))


async def _nearest(repository: SearchRepository, vector: Sequence[float], filters: SearchFilters,
                   clause: FilterSQL, k: int, exact_max_rows: int | None, tuning: HnswTuning) -> SemanticHits:
    """Inside `search_settings`: estimate, choose, run (and fall back when HNSW comes up short).

    Few matches, cheaply found → exact. Otherwise HNSW (through the filter's segment index, if any) gets a budget
    of index tuples worth what the exact scan would cost. How many tuples it needs depends on how common matching
    creators are *near the query*, which no estimate knows: a query about Mexican gaming creators filtered to
    Mexico ∧ gaming finds 40 matches within ~200 tuples, the same filter with a cooking query needs thousands. So
    HNSW goes first and the exact scan takes over when the budget runs out before `fetch` matches were found:
    never more than about twice the exact cost, usually a fraction of it, and never a short or approximate page
    from an exhausted scan. `exact_max_rows` (tests, benchmark) replaces the choice by a fixed row threshold.
    """
    estimate = None if filters.is_empty() else await repository.estimate_rows(clause)
    budget, walk = tuning.max_scan_tuples, Walk(tuning.ef_search)
    if estimate is not None and exact_max_rows is not None:
        if estimate <= exact_max_rows:
            return SemanticHits(await repository.exact_nearest(vector, clause, k), "exact", estimate)
    elif estimate is not None:
        tags = clause.params.get("f_all_tags") or []
        scan_tags = [clause.market, *clause.params.get("f_rest_tags", [])] if clause.market else tags
        counts = await repository.tag_counts([*tags, *scan_tags]) if tags else {}
        table_rows = await repository.table_rows()
        cost = exact_cost(estimate, sum(counts[tag] for tag in scan_tags) if tags else None, table_rows)
        counts = {tag: counts[tag] for tag in tags}
        if cost <= get_settings().SEARCH_EXACT_MAX_ROWS:
            return SemanticHits(await repository.exact_nearest(vector, clause, k), "exact", estimate)
        budget = hnsw_budget(cost, tuning)
        if tags and table_rows > 0:
            plan = await _walk_plan(repository, vector, clause, counts, estimate, table_rows, k, budget, cost,
                                    tuning)
            if plan is None:
                return SemanticHits(await repository.exact_nearest(vector, clause, k), "exact", estimate)
            walk = plan
    if walk.lists and clause.lists is not None:
        probes = ivf_probes(clause.lists.lists)
        hits, complete = await repository.lists_nearest(vector, clause, k, probes=probes, max_probes=4 * probes)
        if not complete:
            return SemanticHits(await repository.exact_nearest(vector, clause, k), "lists+exact", estimate)
        return SemanticHits(list(hits), "lists", estimate)
    hits, complete = await repository.hnsw_nearest(vector, clause, k, max_scan_tuples=budget,
                                                   ef_search=walk.ef_search)
    if not complete:
        return SemanticHits(await repository.exact_nearest(vector, clause, k), "hnsw+exact", estimate)
    return SemanticHits(list(hits), "hnsw", estimate)


@dataclass(frozen=True)
class Walk:
    ef_search: int  # the graph walk's candidate list
    lists: bool = False  # through the niche's IVFFlat lists (`FilterSQL.lists`) instead of its graph


async def _walk_plan(repository: SearchRepository, vector: Sequence[float], clause: FilterSQL,
                     counts: dict[str, float], estimate: int, table_rows: int, k: int, budget: int, cost: float,
                     tuning: HnswTuning) -> Walk | None:
    """The filtered walk, or None when the exact scan is the better plan, from how much the query's unfiltered
    neighbourhood agrees with the filter (`store.creators.neighbourhood`).

    `share`: the part of the walked graph's tuples (the segment index, or the main one) expected to pass the
    filters near the query. Fewer than `fetch / budget` → the walk would run out of budget and the exact scan
    take over anyway: go there directly. A segment whose creators are rare near the query (another niche,
    another country) strands the walk among the wrong ones: widen its candidate list; and if the remaining
    filters also discard most of what it visits, the walk both starts wrong and needs many tuples per match
    (recall@10 ~0.85 at 1M even at ef_search 800): scan exactly when that is affordable (~20 ms at 1M for
    `MX ∧ gaming ∧ ≥5k followers`). A niche whose graph would need at least twice the candidate list
    (`FAR_LIFT`) is read through its IVFFlat lists instead, when it has them (`store.creators.segment_indexes`:
    twice as fast and more accurate for such queries). The main graph holds every creator: queries are never far
    from it."""
    tags = list(counts)
    seen, size = await repository.neighbourhood_counts(vector, PROBE_SIZE, tags)
    lifts = tag_lifts(seen, size, tags, {tag: count / table_rows for tag, count in counts.items()})
    segment = clause.segment
    if segment is not None and segment.rows > 0:
        graph_lift = combined_lift(lifts, segment.tags)
        rest = [tag for tag in tags if tag not in segment.tags]
        share = min(1.0, estimate / segment.rows * combined_lift(lifts, rest))
    else:
        graph_lift, share = 1.0, min(1.0, estimate / table_rows * combined_lift(lifts, tags))
    if hnsw_fetch(k) > budget * share:  # (the planner never estimates 0 rows, but no division either way)
        return None
    if graph_lift < 1.0 and share < CONTRADICTED_SHARE and cost <= CONTRADICTED_EXACT_ROWS_FACTOR * (
            get_settings().SEARCH_EXACT_MAX_ROWS):
        return None
    widen = segment is not None and segment.kind.widen_when_far
    return Walk(widened_ef(tuning.ef_search, graph_lift) if widen else tuning.ef_search,
                lists=clause.lists is not None and graph_lift < FAR_LIFT)


def _fuse(rankings: Sequence[Sequence[uuid.UUID]], first: Sequence[uuid.UUID] = ()) -> list[tuple[uuid.UUID, float]]:
    """Reciprocal rank fusion, normalised so that first place in every ranking scores 1.0; ties go to the better
    semantic rank (the first ranking). `first` (exact handle matches: the user named the creator) leads, at 1.0."""
    scores: dict[uuid.UUID, float] = {}
    for ranking in rankings:
        for position, creator_id in enumerate(ranking, start=1):
            scores[creator_id] = scores.get(creator_id, 0.0) + 1.0 / (RRF_K + position)
    best = len([ranking for ranking in rankings if ranking]) / (RRF_K + 1)
    semantic_position = {creator_id: position for position, creator_id in enumerate(rankings[0])}
    fused = sorted(((cid, score / best) for cid, score in scores.items() if cid not in first),
                   key=lambda item: (-item[1], semantic_position.get(item[0], len(semantic_position)), item[0]))
    return [(creator_id, 1.0) for creator_id in first] + fused


async def search_creators(session: AsyncSession, query: str | None, filters: SearchFilters, *,
                          limit: int = 20, offset: int = 0, organization_id: uuid.UUID | None = None,
                          query_vector: Sequence[float] | None = None,
                          mode: Literal["hybrid", "semantic"] = "hybrid",
                          exact_max_rows: int | None = None) -> list[CreatorMatch]:
    """Creators matching `filters`, ranked by relevance to `query`.

    `organization_id`: the caller's organization, whose imported prospects are searched besides the shared
    directory (None: the shared directory only).
    `query_vector`: the query embedded (required when `query` has words). `mode="semantic"` leaves out the keyword
    ranking.
    """
    filters = normalise_filters(filters, limit, offset)
    clause = filter_sql(filters, organization_id, await indexed_segments(session))
    repository = SearchRepository(session)
    terms = query_terms(query)
    if query_vector is None and not terms:
        ids = await repository.top_by_audience(clause, followers_column(filters), limit, offset)
        creators = await repository.load(ids)
        return [CreatorMatch(creators[cid], 0.0, ["no query: ordered by audience size", *filter_reasons(
            creators[cid], filters)], None, "audience") for cid in ids if cid in creators]

    if query_vector is None:  # a programming error, not bad input: text is embedded in tools.creator_search
        raise ValueError("a text query needs its vector: call tools.creator_search.search_creators")
    hybrid = mode == "hybrid" and bool(terms)
    wanted = offset + limit
    depth = -(-wanted // FUSION_DEPTH) * FUSION_DEPTH if hybrid else wanted
    keyword_ids: list[uuid.UUID] = []
    handle_hits: set[uuid.UUID] = set()
    tuning = _tuning(None, depth)
    async with repository.search_settings(tuning):
        semantic = await _nearest(repository, query_vector, filters, clause, depth, exact_max_rows, tuning)
        if hybrid:
            keyword_ids, handle_hits = await repository.keyword_ranked(terms, clause, depth)
    first = [creator_id for creator_id in keyword_ids if creator_id in handle_hits]
    ranked = _fuse([[cid for cid, _ in semantic.hits], keyword_ids], first)[offset:wanted]

    distances: dict[uuid.UUID, float | None] = dict(semantic.hits)
    missing = [cid for cid, _ in ranked if cid not in distances]
    distances.update(await repository.distances(query_vector, missing))
    creators = await repository.load([cid for cid, _ in ranked])
    keyword_set = set(keyword_ids)
    matches = []
    for creator_id, score in ranked:
        creator = creators.get(creator_id)
        if creator is None:  # deleted between the two statements
            continue
        distance = distances.get(creator_id)
        similarity = None if distance is None else round(1.0 - distance, 4)
        reasons = [f"semantic similarity {similarity:.2f}"] if similarity is not None else ["not embedded yet"]
        matched = matched_terms(creator, terms)
        reasons += matched or (["full-text match on the query"] if creator_id in keyword_set else [])
        reasons += filter_reasons(creator, filters)
        matches.append(CreatorMatch(creator, round(score, 4), reasons, similarity, semantic.strategy))
    return matches
