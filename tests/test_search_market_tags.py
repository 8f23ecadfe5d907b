"""Market tags: an exact search scan filtered to a country and a niche finds its rows through one short posting
list (`creator_market_tags`, GIN-indexed), the SQL and the Python agree, and every result still holds."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from store.creators.bulk import raw_connection
from store.creators.filters import filter_sql, normalise_filters
from store.creators.profile import market_tag, market_tags
from store.creators.search import SearchFilters
from store.creators.search_repository import SearchRepository
from store.db import unit_of_work
from store.models import Creator
from tests.test_search import _holds
from tools.creator_search import search_creators


@pytest.fixture
async def population(seed_creators) -> list[Creator]:  # type: ignore[no-untyped-def]
    await seed_creators(300, seed=5)
    async with unit_of_work() as session:
        return list((await session.execute(select(Creator))).scalars())


async def test_the_sql_function_lists_what_the_python_does(population: list[Creator]) -> None:
    async with unit_of_work() as session:
        rows = (await session.execute(text(
            "SELECT id, creator_market_tags(country, categories, followers_max) AS tags FROM creators"))).all()
        stateless = (await session.execute(text(
            "SELECT creator_market_tags(NULL, '{food}', 5000), creator_market_tags('US', '{}', 5000), "
            "creator_market_tags('US', '{food,travel}', NULL)"))).one()
    by_id = {creator.id: creator for creator in population}
    assert len(rows) == len(population)
    for row in rows:
        creator = by_id[row.id]
        assert row.tags == market_tags(creator.country, creator.categories, creator.followers_max)
    assert list(stateless) == [[], [], ["US/food/0", "US/travel/0"]]
    assert market_tags(None, ["food"], 5000) == [] and market_tags("US", ["food"], None) == ["US/food/0"]


@pytest.mark.parametrize(("min_followers", "tag"), [(None, "US/food/0"), (999, "US/food/0"), (1_000, "US/food/1000"),
                                                    (25_000, "US/food/10000"), (10**9, "US/food/10000000")])
def test_the_market_tag_is_the_floor_at_or_below_the_bound(min_followers: int | None, tag: str) -> None:
    assert market_tag("US", "food", min_followers) == tag


@pytest.mark.parametrize("filters", [
    SearchFilters(country="US", category="beauty"),
    SearchFilters(country="US", category="food", min_followers=2_500),
    SearchFilters(country="GB", category="fitness", min_followers=1_000, max_followers=50_000, language="en"),
    SearchFilters(country="US", category="beauty", min_followers=1_500, platform="instagram"),
    SearchFilters(country="BR", category="gaming", min_engagement=3.0),
])
async def test_exact_scans_through_market_tags_miss_nothing_and_keep_nothing_else(
        population: list[Creator], filters: SearchFilters) -> None:
    wanted = {creator.id for creator in population if _holds(creator, filters)}
    async with unit_of_work() as session:
        results = await search_creators(session, "creators we would like", filters, limit=100, mode="semantic")
    assert results and {match.creator.id for match in results} == wanted
    assert {match.strategy for match in results} == {"exact"}


async def test_the_exact_scan_reads_the_market_index_and_its_statistics(population: list[Creator],
                                                                        database_url: str) -> None:
    connection = await raw_connection(database_url)
    try:
        await connection.execute("ANALYZE creators")
    finally:
        await connection.close()
    filters = normalise_filters(SearchFilters(country="US", category="food", min_followers=20_000), 10, 0)
    clause = filter_sql(filters, None)
    assert clause.market == "US/food/10000" and "filter_tags" not in clause.scan_where  # no other tag to look up
    us_food = [c for c in population if c.country == "US" and "food" in c.categories]
    assert us_food  # the seeded population has the commonest market
    async with unit_of_work() as session:
        await session.execute(text("SET LOCAL enable_seqscan = off"))  # a 300-row table is cheaper to scan
        plan = "\n".join(row[0] for row in await session.execute(
            text(f"EXPLAIN SELECT id FROM creators WHERE {clause.scan_where}"), clause.params))
        assert "ix_creators_market_tags" in plan and "ix_creators_filter_tags_gin" not in plan
        counts = await SearchRepository(session).tag_counts(["US/food/0"], fresh=True)
    assert counts["US/food/0"] == pytest.approx(len(us_food), rel=0.5)  # the expression index's statistics
