"""`influency analytics seed` (development): a campaign gets realistic clicks, orders, readings and payments, the
rollups agree with the raw rows, and the report renders from them."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import func, select

from store.analytics.seed import seed_campaign
from store.db import unit_of_work
from store.models import ClickEvent, Order
from tests.agents_flow import seed_creator
from tests.conftest import manager_headers
from tests.support.analytics import campaign_with_creators, settle


async def test_seeded_campaign_reports_consistent_figures(client: httpx.AsyncClient, tmp_path: Path) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), [])
    for name in ("Ana Ruiz", "Ben Cole", "Cai Wu", "Dee Park"):
        await seed_creator(name)
    async with unit_of_work() as session:
        summary = await seed_campaign(session, setup.campaign_id, creators=4, days=14)
    await settle()
    assert summary.creators == 4 and summary.clicks > 100 and summary.orders > 0 and summary.snapshots == 4 * 13
    body = (await client.get(f"/campaigns/{setup.campaign_id}/analytics", headers=setup.headers)).json()
    async with unit_of_work() as session:
        humans = (await session.execute(select(func.count()).select_from(ClickEvent).where(
            ClickEvent.is_bot.is_(False), ClickEvent.is_unique.is_(True)))).scalar_one()
        orders = (await session.execute(select(func.count()).select_from(Order))).scalar_one()
    figures = body["figures"]
    assert figures["clicks"]["value"] == humans and figures["revenue"]["data_points"] == orders
    for name in ("spend", "revenue", "roi", "cpc", "cpa", "cpm", "engagement_rate", "emv"):
        assert figures[name]["value"] is not None, name
    assert body["creators"] == 4
    report = await client.get(f"/campaigns/{setup.campaign_id}/report.pdf", headers=setup.headers)
    assert report.status_code == 200
    (tmp_path / "seeded-report.pdf").write_bytes(report.content)
