"""Analytics as the endpoints see it: figures for a campaign, the organization's campaigns, creators, revenue, a
time series, and a creator's own performance. Reads rollups only; tenant from the caller (404 for other tenants)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.money import Money, currency_exponent
from store.analytics.campaign_terms import budget_and_currency, reporting_currency
from store.analytics.figures import Figure, Totals, all_figures
from store.analytics.repository import RollupRepository, totals_of
from store.analytics.timeseries import METRICS, Point, series
from store.campaigns.repository import CampaignRepository
from store.models import Campaign, Creator, CreatorRollup, EmvRate

_ROW_FIELDS = ("spend_committed", "spend_paid", "payment_points", "tracking_points", "clicks", "unique_clicks",
               "orders", "refunded_orders", "revenue_gross", "refunds", "unconverted_orders", "impressions",
               "impression_posts", "reach", "reach_posts", "views", "engagements", "engagement_posts",
               "rate_engagements", "rate_audience", "emv", "emv_posts")


@dataclass(frozen=True)
class CreatorFigures:
    campaign_id: uuid.UUID
    campaign_name: str
    creator_id: uuid.UUID
    creator_name: str
    currency: str
    figures: dict[str, Figure]
    negotiated_fee: Money | None
    platforms: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class CampaignFigures:
    campaign_id: uuid.UUID
    name: str
    status: str
    currency: str
    budget: Money | None
    figures: dict[str, Figure]
    creators: int
    computed_at: datetime | None = None
    platforms: dict[str, dict[str, Any]] = field(default_factory=dict)
    top_creators: list[CreatorFigures] = field(default_factory=list)


@dataclass(frozen=True)
class CurrencyRevenue:
    currency: str
    campaigns: int
    figures: dict[str, Figure]


def totals_of_rollup(row: CreatorRollup, custom_rates: bool) -> Totals:
    return Totals(currency=row.currency, emv_custom_rates=custom_rates,
                  **{name: getattr(row, name) for name in _ROW_FIELDS})


def merge_platforms(per_creator: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for platform_metrics in per_creator:
        for platform, metrics in (platform_metrics or {}).items():
            for name, value in metrics.items():
                merged[platform][name] += value
    return {platform: dict(values) for platform, values in sorted(merged.items())}


class AnalyticsService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rollups = RollupRepository(session)
        self.campaigns = CampaignRepository(session)

    async def campaign_row(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> Campaign:
        return await self._campaign(organization_id, campaign_id)

    async def _campaign(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> Campaign:
        campaign = await self.campaigns.get(organization_id, campaign_id)
        if campaign is None:
            raise NotFound("Campaign not found", code="campaign_not_found")
        return campaign

    async def _custom_rates(self, organization_id: uuid.UUID | None) -> bool:
        return bool((await self.session.execute(select(exists().where(
            EmvRate.organization_id == organization_id)))).scalar())

    async def campaign(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID,
                       top: int = 10) -> CampaignFigures:
        found = (await self.session.execute(select(Campaign, exists().where(
            EmvRate.organization_id == organization_id).label("custom")).where(
            Campaign.id == campaign_id, Campaign.organization_id == organization_id, Campaign.deleted_at.is_(None))
        )).first()  # the campaign and whether its organization set EMV rates: one round trip
        if found is None:
            raise NotFound("Campaign not found", code="campaign_not_found")
        campaign, custom = found
        sums = await self.rollups.campaign_totals(campaign_id)
        budget, currency = budget_and_currency(campaign)
        totals = totals_of(sums, currency, custom)
        top_rows = await self.rollups.top_rows(campaign_id, top)
        creators = self._figures_of(top_rows, custom, {campaign.id: campaign.name})
        return CampaignFigures(
            campaign.id, campaign.name, str(campaign.status), totals.currency, budget,
            all_figures(totals), sums.creators if sums is not None else 0,
            sums.computed_at if sums is not None else None,
            merge_platforms(sums.platforms if sums is not None else []), creators)

    async def campaigns_page(self, organization_id: uuid.UUID | None, limit: int,
                             offset: int) -> tuple[list[CampaignFigures], int]:
        custom = await self._custom_rates(organization_id)
        page, total = await self.rollups.campaigns_page(organization_id, limit, offset)
        items = []
        for row in page:
            budget, currency = budget_and_currency(row)  # type: ignore[arg-type]  # a row: its brief is all it reads
            totals = totals_of(row if row.rolled_up is not None else None, currency, custom)
            items.append(CampaignFigures(row.id, row.name, str(row.status), totals.currency, budget,
                                         all_figures(totals), 0))
        return items, total

    async def creators_page(self, organization_id: uuid.UUID | None, *, campaign_id: uuid.UUID | None,
                            limit: int, offset: int) -> tuple[list[CreatorFigures], int]:
        if campaign_id is not None:
            await self._campaign(organization_id, campaign_id)
        rows, total = await self.rollups.creator_rows(organization_id, campaign_id=campaign_id, limit=limit,
                                                      offset=offset)
        return await self._creator_figures(rows, await self._custom_rates(organization_id)), total

    async def for_creator(self, creator_id: uuid.UUID) -> list[CreatorFigures]:
        rows, _ = await self.rollups.creator_rows(None, creator_id=creator_id, limit=1_000)
        return await self._creator_figures(rows, False)

    async def revenue(self, organization_id: uuid.UUID | None) -> list[CurrencyRevenue]:
        custom = await self._custom_rates(organization_id)
        return [CurrencyRevenue(row.currency, row.campaigns, all_figures(totals_of(row, row.currency, custom)))
                for row in await self.rollups.revenue_by_currency(organization_id)]

    async def timeseries(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID, metric: str,
                         interval: str) -> tuple[str, list[Point]]:
        if metric not in METRICS:
            raise InvalidInput(f"Unknown metric {metric!r}: use one of {', '.join(METRICS)}", code="invalid_metric")
        campaign = await self._campaign(organization_id, campaign_id)
        return reporting_currency(campaign), series(await self.rollups.daily(campaign_id), metric, interval)

    async def _creator_figures(self, rows: list[CreatorRollup], custom: bool,
                               campaigns: dict[uuid.UUID, str] | None = None) -> list[CreatorFigures]:
        if not rows:
            return []
        creators = {row.id: row.display_name for row in (await self.session.execute(
            select(Creator.id, Creator.display_name).where(Creator.id.in_({row.creator_id for row in rows})))).all()}
        if campaigns is None:
            campaigns = {row.id: row.name for row in (await self.session.execute(
                select(Campaign.id, Campaign.name).where(Campaign.id.in_({row.campaign_id for row in rows})))).all()}
        return self._figures_of([(row, creators.get(row.creator_id, "")) for row in rows], custom, campaigns)

    @staticmethod
    def _figures_of(rows: list[tuple[CreatorRollup, str]], custom: bool,
                    campaigns: dict[uuid.UUID, str]) -> list[CreatorFigures]:
        return [CreatorFigures(
            row.campaign_id, campaigns.get(row.campaign_id, ""), row.creator_id, name, row.currency,
            all_figures(totals_of_rollup(row, custom)),
            Money.of(row.negotiated_fee.quantize(_cent(row.currency)), row.currency)
            if row.negotiated_fee is not None else None, row.platform_metrics or {}) for row, name in rows]


def _cent(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_exponent(currency))
