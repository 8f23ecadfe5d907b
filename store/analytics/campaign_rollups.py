"""Campaign rollups: the sums of a campaign's creator rollups, one row per campaign, recomputed by the rollup worker
for every campaign a batch touched, in the batch's transaction. A page of campaigns then reads one row per campaign
instead of summing every creator row per request (at 50 creators a campaign, that sum was most of a 50-campaign
page's database time).

Two workers refreshing creators of the same campaign at once would each sum without the other's uncommitted rows;
a transaction-scoped advisory lock per campaign (taken in campaign order, so two batches never deadlock) makes the
second wait for the first's commit, and its sum then sees both.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# the creator-rollup columns a campaign sums (the names the figures read)
SUMMED = ("spend_committed", "spend_paid", "payment_points", "tracking_points", "clicks", "unique_clicks", "orders",
          "refunded_orders", "revenue_gross", "refunds", "unconverted_orders", "impressions", "impression_posts",
          "reach", "reach_posts", "views", "engagements", "engagement_posts", "rate_engagements", "rate_audience",
          "emv", "emv_posts")

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended('analytics-campaign:' || id::text, 0)) "
             "FROM (SELECT id FROM unnest(CAST(:ids AS uuid[])) AS id ORDER BY id) AS ordered")

REFRESH_SQL = f"""
WITH sums AS (
    SELECT campaign_id, (array_agg(organization_id))[1] AS organization_id, count(*) AS creators,
           {", ".join(f"sum({name}) AS {name}" for name in SUMMED)}, max(computed_at) AS computed_at,
           coalesce(jsonb_agg(platform_metrics) FILTER (WHERE platform_metrics <> '{{}}'), '[]') AS platforms
    FROM analytics_creator_rollups WHERE campaign_id = ANY(CAST(:ids AS uuid[])) GROUP BY campaign_id),
gone AS (
    DELETE FROM analytics_campaign_rollups
    WHERE campaign_id = ANY(CAST(:ids AS uuid[])) AND campaign_id NOT IN (SELECT campaign_id FROM sums))
INSERT INTO analytics_campaign_rollups (campaign_id, organization_id, creators, {", ".join(SUMMED)}, platforms,
                                        computed_at)
SELECT s.campaign_id, s.organization_id, s.creators, {", ".join(f"s.{name}" for name in SUMMED)},
       s.platforms, s.computed_at
FROM sums AS s
ON CONFLICT (campaign_id) DO UPDATE SET
    {", ".join(f"{name} = excluded.{name}" for name in ("organization_id", "creators", *SUMMED, "platforms",
                                                        "computed_at"))}
"""
_REFRESH = text(REFRESH_SQL)


async def refresh_campaign_sums(session: AsyncSession, campaign_ids: Iterable[uuid.UUID]) -> None:
    ids = sorted(set(campaign_ids))
    if ids:
        await session.execute(_LOCK, {"ids": ids})
        await session.execute(_REFRESH, {"ids": ids})
