"""Creator search: every filter holds, pages are consistent, bad input is 422, keyword and semantic rankings fuse."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from core.errors import InvalidInput
from store.creators.money import to_usd
from store.creators.search import SearchFilters
from store.db import unit_of_work
from store.models import Creator
from tests.conftest import manager_headers
from tools.creator_search import search_creators

FILTER_CASES = [
    SearchFilters(platform="tiktok"),
    SearchFilters(platform="instagram", min_followers=5_000),
    SearchFilters(min_followers=2_000, max_followers=20_000),
    SearchFilters(min_engagement=5.0),
    SearchFilters(platform="youtube", min_engagement=3.0),
    SearchFilters(country="US"),
    SearchFilters(category="food"),
    SearchFilters(language="en", country="IN"),
    SearchFilters(max_rate=100),
    SearchFilters(max_rate=400, currency="EUR"),
    SearchFilters(country="US", category="beauty", min_followers=1_500, platform="instagram"),
]


def _holds(creator: Creator, filters: SearchFilters) -> bool:
    """The filter semantics, restated in Python from the profile itself (not the derived columns)."""
    audience = creator.audience
    if filters.platform and filters.platform not in audience:
        return False
    stats = [audience[filters.platform]] if filters.platform else list(audience.values())
    followers = max((s.get("followers") or 0 for s in stats), default=0)
    engagements = [s["engagement_rate"] for s in stats if s.get("engagement_rate") is not None]
    rates = [float(v) for v in creator.rates.values()]
    return ((filters.min_followers is None or followers >= filters.min_followers)
            and (filters.max_followers is None or followers <= filters.max_followers)
            and (filters.min_engagement is None or (bool(engagements) and max(engagements) >= filters.min_engagement))
            and (filters.country is None or creator.country == filters.country)
            and (filters.category is None or filters.category in creator.categories)
            and (filters.language is None or filters.language in creator.languages)
            and (filters.max_rate is None or (bool(rates) and to_usd(min(rates), creator.currency)
                                              <= to_usd(filters.max_rate, filters.currency or "USD") + 0.01)))


@pytest.fixture
async def population(seed_creators) -> list[Creator]:  # type: ignore[no-untyped-def]
    await seed_creators(300, seed=3)
    async with unit_of_work() as session:
        return list((await session.execute(select(Creator))).scalars())


async def test_every_result_passes_every_filter_and_none_is_missed(population: list[Creator]) -> None:
    for filters in FILTER_CASES:
        matching = {creator.id for creator in population if _holds(creator, filters)}
        assert matching, f"the synthetic population should contain matches for {filters}"
        for exact_max_rows in (None, 0):  # as chosen, and forced through HNSW
            async with unit_of_work() as session:
                results = await search_creators(session, "fitness coach sharing home workouts", filters, limit=100,
                                                exact_max_rows=exact_max_rows)
            assert all(_holds(match.creator, filters) for match in results), filters
            assert len(results) == min(100, len(matching)), filters  # never short while enough creators match


async def test_pages_are_consistent(population: list[Creator]) -> None:
    async with unit_of_work() as session:
        whole = await search_creators(session, "travel photography", SearchFilters(), limit=40)
        first = await search_creators(session, "travel photography", SearchFilters(), limit=20)
        second = await search_creators(session, "travel photography", SearchFilters(), limit=20, offset=20)
    ids = [m.creator.id for m in whole]
    assert [m.creator.id for m in first] + [m.creator.id for m in second] == ids and len(set(ids)) == 40
    assert [m.score for m in whole] == sorted((m.score for m in whole), reverse=True)


async def test_handles_and_niche_terms_are_found_by_keyword(population: list[Creator]) -> None:
    target = population[123]
    handle = target.handles[0].split(":", 1)[1]
    async with unit_of_work() as session:
        [top, *_] = await search_creators(session, f"@{handle}", SearchFilters(), limit=5)
        niche = await search_creators(session, "automotive", SearchFilters(), limit=5)
    assert top.creator.id == target.id
    assert any("handle" in reason for reason in top.explanation)
    assert all("automotive" in match.creator.categories for match in niche)
    assert any("niche 'automotive'" in reason for reason in niche[0].explanation)


async def test_explanations_name_the_filters_and_similarity(population: list[Creator]) -> None:
    filters = SearchFilters(platform="instagram", min_followers=3_000, country="US", max_rate=5_000)
    async with unit_of_work() as session:
        [match, *_] = await search_creators(session, "beauty tutorials", filters, limit=3)
    text = " | ".join(match.explanation)
    assert "semantic similarity" in text and "on instagram" in text and "based in US" in text
    assert "cheapest rate" in text and match.similarity is not None and 0 < match.score <= 1


async def test_no_query_ranks_by_audience(population: list[Creator]) -> None:
    async with unit_of_work() as session:
        results = await search_creators(session, None, SearchFilters(platform="tiktok"), limit=10)
    followers = [m.creator.followers_tiktok or 0 for m in results]
    assert followers == sorted(followers, reverse=True) and results[0].strategy == "audience"


@pytest.mark.parametrize(("filters", "limit", "field"), [
    (SearchFilters(min_followers=-1), 10, "min_followers"),
    (SearchFilters(min_followers=10, max_followers=5), 10, "min_followers"),
    (SearchFilters(platform="myspace"), 10, "platform"),
    (SearchFilters(min_engagement=140), 10, "min_engagement"),
    (SearchFilters(country="XX"), 10, "country"),
    (SearchFilters(currency="DOGE", max_rate=3), 10, "currency"),
    (SearchFilters(), 500, "limit"),
])
async def test_bad_filters_raise_invalid_input(filters: SearchFilters, limit: int, field: str) -> None:
    async with unit_of_work() as session:
        with pytest.raises(InvalidInput) as raised:
            await search_creators(session, "x", filters, limit=limit)
    assert raised.value.details[0]["field"] == field


async def test_search_endpoint(client: httpx.AsyncClient, population: list[Creator]) -> None:
    headers = await manager_headers(client)
    response = await client.get("/creators/search", headers=headers, params={
        "query": "vegan recipes", "platform": "instagram", "min_followers": 1000, "limit": 5})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body) == 5 and {"creator", "score", "similarity", "explanation"} <= set(body[0])
    assert "email" not in body[0]["creator"]  # contact details only on the profile
    for params, fragment in (({"min_followers": -5}, "min_followers"), ({"platform": "vine"}, "platform"),
                             ({"min_followers": 9, "max_followers": 2}, "max_followers"), ({"limit": 101}, "limit"),
                             ({"min_followers": "many"}, "min_followers")):
        bad = await client.get("/creators/search", headers=headers, params=params)
        assert bad.status_code == 422 and fragment in bad.json()["message"], (params, bad.json())
    empty = await client.get("/creators/search", headers=headers, params={"query": "x", "country": "AQ"})
    assert empty.status_code == 200 and empty.json() == []
    assert (await client.get("/creators/search", params={"query": "x"})).status_code == 401


# ------------------------------------------------------------------ the selectivity choice


async def test_selective_filters_use_the_exact_scan(population: list[Creator]) -> None:
    async with unit_of_work() as session:
        [match, *_] = await search_creators(session, "cooking", SearchFilters(country="US"), limit=5)
    assert match.strategy == "exact"


async def test_broad_filters_use_hnsw(population: list[Creator]) -> None:
    query = "fitness coach sharing home workouts"
    async with unit_of_work() as session:
        unfiltered = await search_creators(session, query, SearchFilters(), limit=5, mode="semantic")
        forced = await search_creators(session, query, SearchFilters(country="US"), limit=5, exact_max_rows=0,
                                       mode="semantic")
        exact = await search_creators(session, query, SearchFilters(country="US"), limit=5, mode="semantic")
    assert unfiltered[0].strategy == "hnsw" and forced[0].strategy == "hnsw" and exact[0].strategy == "exact"
    assert [m.similarity for m in forced] == [m.similarity for m in exact]  # tiny table: HNSW finds the same


def test_the_exact_scan_is_costed_by_its_matches_and_its_gin_scan() -> None:
    from store.creators.search import HnswTuning, exact_cost, hnsw_budget

    # 2,000 matches found through 420,000 posting-list entries cost more than 2,000 found through 20,000 ...
    assert exact_cost(2_000, 420_000, 1_000_000) > 4 * exact_cost(2_000, 20_000, 1_000_000)
    # ... and a filter without tags (max_followers alone) means a sequential scan of the table.
    assert exact_cost(10, None, 1_000_000) > exact_cost(10, 50_000, 1_000_000)
    tuning = HnswTuning(max_scan_tuples=20_000)
    assert hnsw_budget(exact_cost(2_000, 420_000, 1_000_000), tuning) == 2_600  # tuples worth that exact scan
    assert hnsw_budget(1.0, tuning) == 500 and hnsw_budget(10**9, tuning) == 20_000  # floor and ceiling


async def test_tag_statistics_and_hnsw_completeness(population: list[Creator], database_url: str) -> None:
    """The GIN cost comes from the column statistics; an HNSW scan that cannot fill its over-fetch says so."""
    import json

    from sqlalchemy import text

    from store.creators.bulk import raw_connection
    from store.creators.filters import filter_sql, normalise_filters
    from store.creators.search_repository import HnswTuning, SearchRepository

    connection = await raw_connection(database_url)
    try:
        await connection.execute("ANALYZE creators")
    finally:
        await connection.close()
    rare = filter_sql(normalise_filters(SearchFilters(country="GB"), 10, 0), None)
    broad = filter_sql(normalise_filters(SearchFilters(min_followers=1_000), 10, 0), None)
    gb = sum(1 for creator in population if creator.country == "GB")
    assert 0 < gb < 40  # fewer than one over-fetch
    async with unit_of_work() as session:
        repository = SearchRepository(session)
        assert await repository.tag_rows(["c:GB"], fresh=True) == pytest.approx(gb, rel=0.5)
        assert await repository.tag_rows(["c:GB", "f:*:1000"]) > await repository.tag_rows(["c:GB"])
        vector = json.loads((await session.execute(text(
            "SELECT embedding::text FROM creators WHERE embedding IS NOT NULL LIMIT 1"))).scalar_one())
        async with repository.search_settings(HnswTuning()):
            walk = {"max_scan_tuples": 20_000, "ef_search": 200}
            short, short_complete = await repository.hnsw_nearest(vector, rare, 10, **walk)
            hits, complete = await repository.hnsw_nearest(vector, broad, 10, **walk)
    assert not short_complete and len(short) == 10  # a page, but not a trustworthy one: exact takes over
    assert complete and len(hits) == 10


async def test_hnsw_shortfall_falls_back_to_exact(add_creators) -> None:  # type: ignore[no-untyped-def]
    """Creators not embedded yet are invisible to HNSW; they still count as matches and fill the page."""
    embedded = await add_creators([{"name": f"Baker {i}", "bio": "sourdough bread", "country": "FR"}
                                   for i in range(3)])
    pending = await add_creators([{"name": f"New Baker {i}", "bio": "croissants", "country": "FR"}
                                  for i in range(7)], embed=False)
    async with unit_of_work() as session:
        results = await search_creators(session, "bread", SearchFilters(country="FR"), limit=10, exact_max_rows=0,
                                        mode="semantic")
    assert results[0].strategy == "hnsw+exact" and len(results) == 10
    assert {m.creator.id for m in results[:3]} == set(embedded)
    assert {m.creator.id for m in results[3:]} == set(pending) and results[-1].explanation[0] == "not embedded yet"


@pytest.mark.parametrize("kind", ["niche", "country", "pair", "language"])
async def test_segment_index_serves_niche_country_pair_and_language_filters(population: list[Creator],
                                                                           database_url: str, kind: str) -> None:
    from sqlalchemy import text

    from store.creators.bulk import raw_connection
    from store.creators.filters import filter_sql, normalise_filters
    from store.creators.segment_indexes import drop_segment_index, ensure_segment_indexes, indexed_segments, ivf_lists

    connection = await raw_connection(database_url)
    built = []
    try:
        built += await ensure_segment_indexes(connection, min_rows=4)  # pairs: 10 creators
        await connection.execute("ANALYZE creators")
        segment = next(s for s in built if s.kind.name == kind)  # the largest of its kind
        filters = {"niche": SearchFilters(category=segment.value), "country": SearchFilters(country=segment.value),
                   "pair": SearchFilters(country=segment.value[:2], category=segment.value[3:]),
                   "language": SearchFilters(language=segment.value)}[kind]
        async with unit_of_work() as session:
            segments = await indexed_segments(session, fresh=True)
            assert {(s.kind.name, s.value) for s in built} == set(segments)
            assert segments[(kind, segment.value)].rows > 0  # its size, for the exact/HNSW choice
            clause = filter_sql(normalise_filters(filters, 10, 0), None, segments)
            assert clause.segment is not None and clause.segment.value == segment.value
            await session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(row[0] for row in await session.execute(text(
                f"EXPLAIN SELECT id FROM creators WHERE {clause.where} ORDER BY {clause.segment.expression} <=> "
                f"(SELECT embedding FROM creators LIMIT 1) LIMIT 10"), clause.params))
            assert segment.index_name in plan
            if kind == "niche":  # its IVFFlat lists too, for queries far from the niche
                assert clause.lists is not None and clause.lists.kind.method == "ivfflat"
                assert clause.lists.predicate == segment.predicate and clause.lists.rows == clause.segment.rows
                assert clause.lists.lists == ivf_lists(clause.lists.rows)  # as built, read back from the index
                plan = "\n".join(row[0] for row in await session.execute(text(
                    f"EXPLAIN SELECT id FROM creators WHERE {clause.where} ORDER BY {clause.lists.expression} <=> "
                    f"(SELECT embedding FROM creators LIMIT 1) LIMIT 10"), clause.params))
                assert clause.lists.index_name in plan
            else:
                assert clause.lists is None
            if kind == "language":  # the majority language gets no graph of its own: the main one serves it
                english = sum(1 for c in population if "en" in c.languages)
                assert english > len(population) / 2 and ("language", "en") not in segments
            results = await search_creators(session, "street food", filters, limit=10, exact_max_rows=0,
                                            mode="semantic")
        assert len(results) == 10 and all(_holds(m.creator, filters) for m in results)
    finally:
        for segment in built:
            await drop_segment_index(connection, segment)
        await connection.close()


async def test_the_smallest_segment_serves_a_niche_and_country_filter() -> None:
    from store.creators.filters import filter_sql, normalise_filters
    from store.creators.segment_indexes import COUNTRY, NICHE, PAIR, Segment

    segments = {("niche", "food"): Segment(NICHE, "food", 50_000), ("country", "GB"): Segment(COUNTRY, "GB", 20_000),
                ("pair", "US/food"): Segment(PAIR, "US/food", 9_000)}
    clause = filter_sql(normalise_filters(SearchFilters(category="food", country="gb"), 10, 0), None, segments)
    assert clause.segment == segments[("country", "GB")]
    assert clause.where.startswith("filter_tags @> '{\"c:GB\"}'::varchar[]")
    assert clause.params["f_tags"] == ["cat:food"]  # the segment's own tag is not repeated
    assert clause.params["f_all_tags"] == ["c:GB", "cat:food"]  # but the estimate sees every tag once
    only_food = filter_sql(normalise_filters(SearchFilters(category="food", country="FR"), 10, 0), None, segments)
    assert only_food.segment == segments[("niche", "food")] and only_food.params["f_tags"] == ["c:FR"]
    us_food = filter_sql(normalise_filters(SearchFilters(category="food", country="US", min_followers=5_000), 10, 0),
                         None, segments)
    assert us_food.segment == segments[("pair", "US/food")]
    assert us_food.where.startswith("filter_tags @> '{\"c:US\",\"cat:food\"}'::varchar[]")
    assert us_food.params["f_tags"] == ["f:*:3000"]


async def test_search_settings_do_not_leak_into_the_callers_transaction(population: list[Creator]) -> None:
    from sqlalchemy import text

    read = text("SELECT current_setting('hnsw.ef_search'), current_setting('plan_cache_mode'), "
                "current_setting('enable_seqscan'), current_setting('enable_bitmapscan')")
    async with unit_of_work() as session:
        await search_creators(session, "music", SearchFilters(), limit=5)
        settings = (await session.execute(read)).one()
        creator = await session.get(Creator, population[0].id)
        assert creator is not None  # the session is still usable
        # the caller's own values come back too, after a filtered walk that turned scans off
        await session.execute(text("SET LOCAL hnsw.ef_search = 77"))
        await search_creators(session, "music", SearchFilters(country="US"), limit=5, exact_max_rows=0)
        own = (await session.execute(read)).one()
    assert tuple(settings) == ("40", "auto", "on", "on")
    assert tuple(own) == ("77", "auto", "on", "on")


async def test_unknown_organization_sees_only_the_shared_directory(add_creators) -> None:  # type: ignore[no-untyped-def]
    from store.users.repository import UserRepository

    async with unit_of_work() as session:
        org = await UserRepository(session).add_organization("Acme")
    await add_creators([{"name": "Shared", "bio": "yoga"}])
    await add_creators([{"name": "Private", "bio": "yoga"}], organization_id=org.id)
    async with unit_of_work() as session:
        public = await search_creators(session, "yoga", SearchFilters())
        mine = await search_creators(session, "yoga", SearchFilters(), organization_id=org.id)
        other = await search_creators(session, "yoga", SearchFilters(), organization_id=uuid.uuid4())
    assert [m.creator.display_name for m in public] == ["Shared"]
    assert {m.creator.display_name for m in mine} == {"Shared", "Private"}
    assert [m.creator.display_name for m in other] == ["Shared"]


# ------------------------------------------------------------------ queries that contradict their filter


def test_neighbourhood_lifts_read_contradiction_and_stay_neutral_for_rare_tags() -> None:
    from store.creators.neighbourhood import combined_lift, tag_lifts, widened_ef

    # of 64 neighbours, 60 food and 4 gaming creators, all in the US
    lifts = tag_lifts({"cat:food": 60, "cat:gaming": 4, "c:US": 64}, 64, ["cat:food", "cat:gaming", "c:US", "c:MT"],
                      {"cat:food": 0.1, "cat:gaming": 0.1, "c:US": 0.2, "c:MT": 0.0001})
    assert lifts["cat:food"] > 5 and lifts["cat:gaming"] < 0.75  # the query is about food, not gaming
    assert lifts["c:MT"] == pytest.approx(1.0, abs=0.01)  # too rare to be seen in 64 neighbours: no evidence
    assert combined_lift(lifts, ["cat:food", "c:US"]) == pytest.approx(lifts["cat:food"] * lifts["c:US"])
    assert widened_ef(200, 1.5) == 200 and widened_ef(200, 0.5) == 400 and widened_ef(100, 1e-6) == 500
    assert widened_ef(400, 1e-6) == 1000  # pgvector's ceiling


async def _two_clusters(population: list[Creator]) -> tuple[str, list[float], list[float]]:
    """Embeddings set by hand: creators of the commonest main niche near one direction, everyone else near
    another. Returns the niche and a query vector for each side."""
    import math
    import random
    from collections import Counter

    from sqlalchemy import text

    from store.creators.search_repository import vector_literal

    niche = Counter(c.categories[0] for c in population).most_common(1)[0][0]
    rng = random.Random(7)
    base = {True: [1.0] + [0.0] * 383, False: [0.0, 1.0] + [0.0] * 382}

    def near(side: bool) -> list[float]:
        vector = [x + rng.gauss(0, 0.05) for x in base[side]]
        norm = math.sqrt(sum(x * x for x in vector))
        return [x / norm for x in vector]

    async with unit_of_work() as session:
        for creator in population:
            await session.execute(text("UPDATE creators SET embedding = CAST(:v AS halfvec) WHERE id = :id"),
                                  {"v": vector_literal(near(creator.categories[0] == niche)), "id": creator.id})
        await session.execute(text("ANALYZE creators"))
    return niche, near(True), near(False)


async def test_a_query_contradicting_its_filter_is_searched_exactly_or_with_a_wider_walk(
        population: list[Creator], database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The unfiltered neighbourhood tells whether the filter's creators are common near the query: a walk that
    agrees stays HNSW at the configured ef_search; one that contradicts goes exact when the walk would have to
    visit more tuples than it may, or walks its segment index with a wider candidate list, or reads the niche's
    IVFFlat lists when it has them. Results are right either way."""
    from core.settings import get_settings
    from store.creators.bulk import raw_connection
    from store.creators.search import semantic_candidates
    from store.creators.search_repository import SearchRepository
    from store.creators.segment_indexes import (
        NICHE,
        NICHE_LISTS,
        Segment,
        create_segment_index,
        drop_segment_index,
        indexed_segments,
    )

    niche, about_niche, elsewhere = await _two_clusters(population)
    members = {c.id for c in population if niche in c.categories}
    monkeypatch.setattr(get_settings(), "SEARCH_EXACT_MAX_ROWS", 0)  # the tiny table would always go exact
    walks: list[int] = []
    original = SearchRepository.hnsw_nearest

    async def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        walks.append(kwargs["ef_search"])
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SearchRepository, "hnsw_nearest", spy)
    filters = SearchFilters(category=niche)

    async def nearest(vector: list[float]) -> tuple[str, list[uuid.UUID], list[uuid.UUID]]:
        async with unit_of_work() as session:
            found = await semantic_candidates(session, vector, filters, 10)
            exact = await semantic_candidates(session, vector, filters, 10, exact_max_rows=10**9)
        return found.strategy, [cid for cid, _ in found.hits], [cid for cid, _ in exact.hits]

    strategy, hits, truth = await nearest(about_niche)
    assert strategy == "hnsw" and walks == [get_settings().SEARCH_HNSW_EF_SEARCH] and set(hits) <= members
    assert hits == truth
    walks.clear()
    strategy, hits, truth = await nearest(elsewhere)  # the niche's creators are rare near it: exact, no walk
    assert strategy == "exact" and walks == [] and hits == truth

    connection = await raw_connection(database_url)
    segment, lists = Segment(NICHE, niche), Segment(NICHE_LISTS, niche)
    try:
        await create_segment_index(connection, segment)
        await connection.execute("ANALYZE creators")
        async with unit_of_work() as session:
            await indexed_segments(session, fresh=True)
        strategy, hits, truth = await nearest(elsewhere)  # its own graph: walked, but with a wider list
        assert strategy == "hnsw" and walks[-1] > get_settings().SEARCH_HNSW_EF_SEARCH and hits == truth
        assert len(members) >= 40  # (else every walk comes up short of its over-fetch and ends exact)
        assert await create_segment_index(connection, lists)
        async with unit_of_work() as session:
            await indexed_segments(session, fresh=True)
        walks.clear()
        strategy, hits, truth = await nearest(elsewhere)  # far from the niche: its lists, not its graph
        assert strategy == "lists" and walks == [] and hits == truth
        strategy, hits, truth = await nearest(about_niche)  # about the niche: its graph, as before
        assert strategy == "hnsw" and walks == [get_settings().SEARCH_HNSW_EF_SEARCH] and hits == truth
    finally:
        for built in (segment, lists):
            await drop_segment_index(connection, built)
        await connection.close()


async def test_the_keyword_ranking_after_a_walk_plans_with_bitmap_scans(population: list[Creator]) -> None:
    """A filtered walk turns bitmap scans off for its own statement; the keyword ranking after it in the same
    search needs them (every GIN lookup is a bitmap scan) and must not inherit the walk's settings."""
    import json

    from sqlalchemy import text

    from store.creators.filters import filter_sql, normalise_filters
    from store.creators.search_repository import HnswTuning, SearchRepository

    clause = filter_sql(normalise_filters(SearchFilters(country="US"), 10, 0), None)
    async with unit_of_work() as session:
        repository = SearchRepository(session)
        vector = json.loads((await session.execute(text(
            "SELECT embedding::text FROM creators WHERE embedding IS NOT NULL LIMIT 1"))).scalar_one())
        async with repository.search_settings(HnswTuning()):
            await repository.hnsw_nearest(vector, clause, 10, max_scan_tuples=20_000, ef_search=200)
            assert (await session.execute(text("SELECT current_setting('enable_bitmapscan')"))).scalar() == "off"
            await repository.keyword_ranked(["music"], clause, 10)
            assert (await session.execute(text("SELECT current_setting('enable_bitmapscan')"))).scalar() == "on"


async def test_niche_lists_a_niche_has_outgrown_are_rebuilt(population: list[Creator], seed_creators,  # type: ignore[no-untyped-def]
                                                            database_url: str) -> None:
    from store.creators.bulk import raw_connection
    from store.creators.segment_indexes import (
        built_lists,
        create_main_index,
        drop_vector_indexes,
        ensure_segment_indexes,
        ivf_lists,
        segment_counts,
    )

    connection = await raw_connection(database_url)
    try:
        await ensure_segment_indexes(connection, min_rows=4)
        before = await built_lists(connection)
        assert before and set(before.values()) == {1}  # ~30 creators per niche: one list each
        stopped = next(s for s, _ in await segment_counts(connection) if s.index_name in before)
        await connection.execute(  # as a rebuild killed between building and swapping would leave it
            f"CREATE INDEX {stopped.index_name}_new ON creators USING ivfflat (({stopped.expression}) "
            f"halfvec_cosine_ops) WITH (lists = 1) WHERE {stopped.predicate}")
        await seed_creators(900, seed=4)  # every niche grows about fourfold
        rebuilt = {s.index_name for s in await ensure_segment_indexes(connection, min_rows=4)}
        after = await built_lists(connection)
        assert set(after) == set(before)  # swapped in place under the same names, no half-built copy left
        grown = {s.index_name: n for s, n in await segment_counts(connection) if s.index_name in after}
        assert {name for name, n in grown.items() if ivf_lists(n) >= 2} <= rebuilt
        assert all(after[name] == ivf_lists(n) for name, n in grown.items() if name in rebuilt)
        assert any(after[name] >= 2 for name in after)
        assert await ensure_segment_indexes(connection, min_rows=4) == []  # nothing left to build
        niche = max(grown, key=lambda name: grown[name])
        value = next(s.value for s, _ in await segment_counts(connection) if s.index_name == niche)
        async with unit_of_work() as session:
            results = await search_creators(session, "street food", SearchFilters(category=value), limit=10,
                                            exact_max_rows=0, mode="semantic")
        assert len(results) == 10 and all(value in m.creator.categories for m in results)
    finally:
        await drop_vector_indexes(connection)
        await create_main_index(connection)
        await connection.close()
