"""All reads of the rollup tables: sums per campaign, per (campaign, creator), per day. Never raw events."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, Select, func, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.analytics.figures import Totals
from store.models import Campaign, Creator, CreatorRollup, DailyRollup

_SUMMED = ("spend_committed", "spend_paid", "payment_points", "tracking_points", "clicks", "unique_clicks", "orders",
           "refunded_orders", "revenue_gross", "refunds", "unconverted_orders", "impressions", "impression_posts",
           "reach", "reach_posts", "views", "engagements", "engagement_posts", "rate_engagements", "rate_audience",
           "emv", "emv_posts")
_MONEY = {"spend_committed", "spend_paid", "revenue_gross", "refunds", "emv"}
_NULL_WHEN_EMPTY = {"impressions", "reach", "views", "engagements", "rate_engagements", "rate_audience", "emv"}


def _sums() -> list[Any]:
    return [func.sum(getattr(CreatorRollup, name)).label(name) for name in _SUMMED]


def totals_of(row: Row[Any] | None, currency: str, custom_rates: bool = False) -> Totals:
    """Totals from a row of `_sums()` (NULL sums of nullable metrics stay None: unknown, not 0)."""
    values: dict[str, Any] = {}
    for name in _SUMMED:
        value = getattr(row, name, None) if row is not None else None
        if value is None:
            values[name] = None if name in _NULL_WHEN_EMPTY else 0
        else:  # SUM(bigint) is numeric in Postgres: counts come back as Decimal
            values[name] = value if name in _MONEY else int(value)
    return Totals(currency=currency, emv_custom_rates=custom_rates, **values)


class RollupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def campaign_totals(self, campaign_id: uuid.UUID) -> Row[Any] | None:
        """Sums, creators, last computation and every creator's per-platform sums (to merge): one statement."""
        platforms = func.jsonb_agg(CreatorRollup.platform_metrics, type_=JSONB).filter(
            CreatorRollup.platform_metrics != {})
        statement = select(*_sums(), func.count().label("creators"),
                           func.max(CreatorRollup.computed_at).label("computed_at"),
                           platforms.label("platforms")).where(CreatorRollup.campaign_id == campaign_id)
        return (await self.session.execute(statement)).first()  # type: ignore[return-value]

    async def top_rows(self, campaign_id: uuid.UUID, limit: int) -> list[tuple[CreatorRollup, str]]:
        """The campaign's creators with the most net revenue first, with their names."""
        statement = (select(CreatorRollup, Creator.display_name).join(Creator, Creator.id == CreatorRollup.creator_id)
                     .where(CreatorRollup.campaign_id == campaign_id)
                     .order_by((CreatorRollup.revenue_gross - CreatorRollup.refunds).desc(), CreatorRollup.creator_id)
                     .limit(limit))
        return [(row[0], row[1]) for row in (await self.session.execute(statement)).all()]

    def _campaigns(self, organization_id: uuid.UUID | None) -> Select[Any]:
        return select(Campaign).where(Campaign.organization_id == organization_id, Campaign.deleted_at.is_(None))

    async def campaigns_page(self, organization_id: uuid.UUID | None, limit: int,
                             offset: int) -> tuple[list[tuple[Campaign, Row[Any] | None]], int]:
        """A page of campaigns with their sums and the total: one statement (the sums of the page's campaigns
        only, each from its own rollup rows)."""
        page = (self._campaigns(organization_id).add_columns(func.count().over().label("total"))
                .order_by(Campaign.created_at.desc(), Campaign.id).limit(limit).offset(offset).subquery("page"))
        sums = select(*_sums()).where(CreatorRollup.campaign_id == page.c.id).lateral("sums")
        listed = aliased(Campaign, page)
        rows = (await self.session.execute(
            select(listed, page.c.total, sums).join(sums, true()).order_by(page.c.created_at.desc(), page.c.id))).all()
        if not rows:
            total = (await self.session.execute(select(func.count()).select_from(
                self._campaigns(organization_id).subquery()))).scalar_one()
            return [], int(total)
        return [(row[0], row) for row in rows], int(rows[0].total)

    async def creator_rows(self, organization_id: uuid.UUID | None, *, campaign_id: uuid.UUID | None = None,
                           creator_id: uuid.UUID | None = None, limit: int = 50,
                           offset: int = 0) -> tuple[list[CreatorRollup], int]:
        statement = select(CreatorRollup).join(Campaign, Campaign.id == CreatorRollup.campaign_id).where(
            Campaign.deleted_at.is_(None))
        if organization_id is not None:
            statement = statement.where(CreatorRollup.organization_id == organization_id)
        if campaign_id is not None:
            statement = statement.where(CreatorRollup.campaign_id == campaign_id)
        if creator_id is not None:
            statement = statement.where(CreatorRollup.creator_id == creator_id)
        total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        rows = await self.session.execute(statement.order_by(
            (CreatorRollup.revenue_gross - CreatorRollup.refunds).desc(), CreatorRollup.creator_id,
            CreatorRollup.campaign_id).limit(limit).offset(offset))
        return list(rows.scalars()), int(total)

    async def revenue_by_currency(self, organization_id: uuid.UUID | None) -> list[Row[Any]]:
        statement = (select(CreatorRollup.currency, func.count(func.distinct(CreatorRollup.campaign_id))
                            .label("campaigns"), *_sums())
                     .join(Campaign, Campaign.id == CreatorRollup.campaign_id)
                     .where(CreatorRollup.organization_id == organization_id, Campaign.deleted_at.is_(None))
                     .group_by(CreatorRollup.currency).order_by(CreatorRollup.currency))
        return list((await self.session.execute(statement)).all())

    async def daily(self, campaign_id: uuid.UUID, creator_id: uuid.UUID | None = None) -> list[DailyRollup]:
        """Per day: sums over the campaign's creators (per-post metrics: each creator's reading as of that day)."""
        statement = select(DailyRollup).where(DailyRollup.campaign_id == campaign_id)
        if creator_id is not None:
            statement = statement.where(DailyRollup.creator_id == creator_id)
        return list((await self.session.execute(statement.order_by(DailyRollup.day))).scalars())

    async def pair(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> CreatorRollup | None:
        return await self.session.get(CreatorRollup, (campaign_id, creator_id))
