"""Earned media value rates: an organization's own per platform (`PUT /analytics/emv-rates/{platform}`), else the
defaults below — illustrative industry-style values in USD, documented as such in every EMV figure's basis.

EMV of a post = Σ over its metrics of (latest value × rate of that metric on the post's platform).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from store.creators.money import CURRENCIES
from store.models import CreatorRollup, DirtyPair, EmvRate
from store.models.metric_snapshot import METRIC_FIELDS

PLATFORMS = ("instagram", "youtube", "tiktok", "other")
DEFAULT_CURRENCY = "USD"
DEFAULT_RATES: dict[str, dict[str, Decimal]] = {
    "instagram": {"impressions": Decimal("0.005"), "likes": Decimal("0.10"), "comments": Decimal("0.50"),
                  "shares": Decimal("0.60"), "saves": Decimal("0.60")},
    "youtube": {"views": Decimal("0.03"), "likes": Decimal("0.10"), "comments": Decimal("0.50"),
                "shares": Decimal("0.60")},
    "tiktok": {"views": Decimal("0.01"), "likes": Decimal("0.05"), "comments": Decimal("0.30"),
               "shares": Decimal("0.40"), "saves": Decimal("0.40")},
    "other": {"impressions": Decimal("0.005"), "likes": Decimal("0.05"), "comments": Decimal("0.30")},
}


@dataclass(frozen=True)
class PlatformRates:
    platform: str
    currency: str
    rates: dict[str, Decimal]
    custom: bool  # set by the organization (else the defaults)


async def rates_for(session: AsyncSession, organization_id: uuid.UUID) -> dict[str, PlatformRates]:
    rows = (await session.execute(select(EmvRate).where(EmvRate.organization_id == organization_id))).scalars()
    rates = {platform: PlatformRates(platform, DEFAULT_CURRENCY, dict(values), False)
             for platform, values in DEFAULT_RATES.items()}
    for row in rows:
        rates[row.platform] = PlatformRates(row.platform, row.currency,
                                            {metric: Decimal(str(value)) for metric, value in row.rates.items()}, True)
    return rates


async def set_rates(session: AsyncSession, organization_id: uuid.UUID, platform: str, currency: str,
                    rates: dict[str, Decimal]) -> PlatformRates:
    """Replace one platform's rates; every rollup of the organization is marked for recomputation."""
    if platform not in PLATFORMS:
        raise InvalidInput(f"Unknown platform {platform!r}: use one of {', '.join(PLATFORMS)}", code="invalid_platform")
    if currency.upper() not in CURRENCIES:
        raise InvalidInput(f"Unsupported currency {currency!r}", code="invalid_currency")
    unknown = sorted(set(rates) - set(METRIC_FIELDS))
    if unknown or any(value < 0 for value in rates.values()):
        raise InvalidInput(f"Rates must be non-negative values of the metrics {', '.join(METRIC_FIELDS)}",
                           code="invalid_rates", details={"unknown": unknown})
    stored = {metric: str(value) for metric, value in rates.items()}
    await session.execute(insert(EmvRate).values(organization_id=organization_id, platform=platform,
                                                 currency=currency.upper(), rates=stored)
                          .on_conflict_do_update(index_elements=["organization_id", "platform"],
                                                 set_={"currency": currency.upper(), "rates": stored}))
    pairs = select(CreatorRollup.campaign_id, CreatorRollup.creator_id).where(
        CreatorRollup.organization_id == organization_id)
    await session.execute(insert(DirtyPair).from_select(["campaign_id", "creator_id"], pairs)
                          .on_conflict_do_nothing())
    return PlatformRates(platform, currency.upper(), dict(rates), True)
