"""Creator search: every filter holds, pages are consistent, bad input is 422, keyword and semantic rankings fuse."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from core.errors import InvalidInput
from store.creators.money import to_usd
from store.creators.search import SearchFilters, search_creators
from store.db import unit_of_work
from store.models import Creator
from tests.conftest import manager_headers

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


async def test_niche_partial_index_is_used_for_category_filters(population: list[Creator],
                                                                database_url: str) -> None:
    from sqlalchemy import text

    from store.creators.bulk import raw_connection
    from store.creators.filters import filter_sql, normalise_filters
    from store.creators.niche_indexes import (
        NICHE_INDEX_EXPRESSION,
        drop_niche_index,
        ensure_niche_indexes,
        indexed_niches,
    )

    connection = await raw_connection(database_url)
    built: list[str] = []
    try:
        built += await ensure_niche_indexes(connection, min_rows=30)
        assert built
        niche = built[0]  # the largest niche
        async with unit_of_work() as session:
            niches = await indexed_niches(session, fresh=True)
            assert set(built) == niches
            clause = filter_sql(normalise_filters(SearchFilters(category=niche), 10, 0), None, niches)
            await session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(row[0] for row in await session.execute(text(
                f"EXPLAIN SELECT id FROM creators WHERE {clause.where} ORDER BY {NICHE_INDEX_EXPRESSION} <=> "
                f"(SELECT embedding FROM creators LIMIT 1) LIMIT 10"), clause.params))
            assert "ix_creators_embedding_hnsw_niche_" in plan
            results = await search_creators(session, "street food", SearchFilters(category=niche), limit=10,
                                            exact_max_rows=0, mode="semantic")
        assert len(results) == 10 and all(niche in m.creator.categories for m in results)
    finally:
        for niche in built:
            await drop_niche_index(connection, niche)
        await connection.close()


async def test_search_settings_do_not_leak_into_the_callers_transaction(population: list[Creator]) -> None:
    from sqlalchemy import text

    async with unit_of_work() as session:
        await search_creators(session, "music", SearchFilters(), limit=5)
        settings = (await session.execute(text(
            "SELECT current_setting('hnsw.ef_search'), current_setting('plan_cache_mode')"))).one()
        creator = await session.get(Creator, population[0].id)
        assert creator is not None  # the session is still usable
    assert tuple(settings) == ("40", "auto")


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
