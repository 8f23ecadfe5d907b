"""All reads of the rollup tables: per campaign (its campaign rollup), per (campaign, creator), per day, and sums of
creator rows per currency. Never raw events."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.analytics.campaign_rollups import SUMMED
from store.analytics.figures import Totals
from store.models import Campaign, CampaignRollup, Creator, CreatorRollup, DailyRollup

_SUMMED = SUMMED
_MONEY = {"spend_committed", "spend_paid", "revenue_gross", "refunds", "emv"}
_NULL_WHEN_EMPTY = {"impressions", "reach", "views", "engagements", "rate_engagements", "rate_audience", "emv"}


def _sums() -> list[Any]:
    return [func.sum(getattr(CreatorRollup, name)).label(name) for name in _SUMMED]


def totals_of(row: Any, currency: str, custom_rates: bool = False) -> Totals:
    """Totals from a row of `_sums()` or a campaign rollup (NULL sums of nullable metrics stay None: unknown,
    not 0)."""
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

    async def campaign_totals(self, campaign_id: uuid.UUID) -> CampaignRollup | None:
        """The campaign's sums (creators, last computation, per-platform sums included): its campaign rollup."""
        return await self.session.get(CampaignRollup, campaign_id)

    async def top_rows(self, campaign_id: uuid.UUID, limit: int) -> list[tuple[CreatorRollup, str]]:
        """The campaign's creators with the most net revenue first, with their names (the top rows are picked
        first, so only they are joined to creators)."""
        net = (CreatorRollup.revenue_gross - CreatorRollup.refunds).desc()
        top = (select(CreatorRollup).where(CreatorRollup.campaign_id == campaign_id)
               .order_by(net, CreatorRollup.creator_id).limit(limit).subquery("top"))
        row = aliased(CreatorRollup, top)
        statement = (select(row, Creator.display_name).join(Creator, Creator.id == row.creator_id)
                     .order_by((row.revenue_gross - row.refunds).desc(), row.creator_id))
        return [(item[0], item[1]) for item in (await self.session.execute(statement)).all()]

    def _campaigns(self, organization_id: uuid.UUID | None) -> Select[Any]:
        return select(Campaign).where(Campaign.organization_id == organization_id, Campaign.deleted_at.is_(None))

    async def campaigns_page(self, organization_id: uuid.UUID | None, limit: int,
                             offset: int) -> tuple[list[Row[Any]], int]:
        """A page of campaigns (id, name, status, brief) with their campaign rollup's sums (None without one) and
        the total: one statement, plain columns (no ORM objects to build for a page)."""
        statement = (select(Campaign.id, Campaign.name, Campaign.status, Campaign.brief,
                            CampaignRollup.campaign_id.label("rolled_up"),
                            *(getattr(CampaignRollup, name) for name in _SUMMED), func.count().over().label("total"))
                     .outerjoin(CampaignRollup, CampaignRollup.campaign_id == Campaign.id)
                     .where(Campaign.organization_id == organization_id, Campaign.deleted_at.is_(None))
                     .order_by(Campaign.created_at.desc(), Campaign.id).limit(limit).offset(offset))
        rows = list((await self.session.execute(statement)).all())
        if not rows:
            total = (await self.session.execute(select(func.count()).select_from(
                self._campaigns(organization_id).subquery()))).scalar_one()
            return [], int(total)
        return rows, int(rows[0].total)

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
