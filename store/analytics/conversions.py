"""Orders and refunds reported by the shop, attributed to a creator and campaign; idempotent by order/refund id.

Attribution, in order: a promo code of the organization used on the order (the strongest signal); else the latest
click token on the order whose click happened within ATTRIBUTION_WINDOW_DAYS before the order (a few minutes of
clock skew allowed after it) and was not a bot's; else none (the order is kept, unattributed).
Every recorded order or refund marks its (campaign, creator) pair for the rollup worker.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from core.settings import get_settings
from store.analytics.click_ids import click_time, parse_click_token
from store.analytics.dirty import mark_dirty
from store.analytics.fx import convert
from store.analytics.links import normalize_promo_code
from store.models import ClickEvent, Order, OrderRefund, PromoCode, TrackedLink

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class OrderReport:
    source: str  # shopify | generic
    external_order_id: str
    currency: str
    total: Decimal
    ordered_at: datetime
    promo_codes: list[str] = field(default_factory=list)
    click_tokens: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RefundReport:
    source: str
    external_order_id: str
    external_refund_id: str
    amount: Decimal
    currency: str
    refunded_at: datetime


@dataclass(frozen=True)
class Recorded:
    status: str  # recorded | duplicate | unknown_order
    order_id: uuid.UUID | None = None
    attributed_by: str | None = None
    campaign_id: uuid.UUID | None = None
    creator_id: uuid.UUID | None = None


@dataclass(frozen=True)
class _Attribution:
    by: str
    campaign_id: uuid.UUID | None = None
    creator_id: uuid.UUID | None = None
    promo_code: str | None = None
    click_id: uuid.UUID | None = None


async def record_order(session: AsyncSession, organization_id: uuid.UUID, report: OrderReport) -> Recorded:
    if report.total < 0:
        raise InvalidInput("An order total cannot be negative", code="invalid_order")
    attribution = await _attribute(session, organization_id, report)
    inserted = (await session.execute(insert(Order).values(
        id=uuid.uuid4(), organization_id=organization_id, source=report.source,
        external_order_id=report.external_order_id, campaign_id=attribution.campaign_id,
        creator_id=attribution.creator_id, attributed_by=attribution.by, promo_code=attribution.promo_code,
        click_id=attribution.click_id, currency=report.currency.upper(), total_amount=report.total,
        refunded_amount=Decimal(0), ordered_at=report.ordered_at,
    ).on_conflict_do_nothing(index_elements=["organization_id", "source", "external_order_id"])
        .returning(Order.id))).scalar_one_or_none()
    if inserted is None:
        existing = await _order(session, organization_id, report.source, report.external_order_id)
        assert existing is not None
        return Recorded("duplicate", existing.id, existing.attributed_by, existing.campaign_id, existing.creator_id)
    if attribution.campaign_id and attribution.creator_id:
        await mark_dirty(session, [(attribution.campaign_id, attribution.creator_id)])
    return Recorded("recorded", inserted, attribution.by, attribution.campaign_id, attribution.creator_id)


async def record_refund(session: AsyncSession, organization_id: uuid.UUID, report: RefundReport) -> Recorded:
    order = await _order(session, organization_id, report.source, report.external_order_id, for_update=True)
    if order is None:
        return Recorded("unknown_order")
    amount = convert(report.amount, report.currency, order.currency)
    if amount is None or report.amount < 0:
        raise InvalidInput(f"Cannot apply a {report.currency} refund to a {order.currency} order",
                           code="invalid_refund")
    inserted = (await session.execute(insert(OrderRefund).values(
        id=uuid.uuid4(), order_id=order.id, external_refund_id=report.external_refund_id, amount=report.amount,
        currency=report.currency.upper(), refunded_at=report.refunded_at,
    ).on_conflict_do_nothing(index_elements=["order_id", "external_refund_id"]).returning(OrderRefund.id)
    )).scalar_one_or_none()
    result = Recorded("duplicate" if inserted is None else "recorded", order.id, order.attributed_by,
                      order.campaign_id, order.creator_id)
    if inserted is None:
        return result
    order.refunded_amount = min(order.total_amount, order.refunded_amount + amount)
    await session.flush()
    if order.campaign_id and order.creator_id:
        await mark_dirty(session, [(order.campaign_id, order.creator_id)])
    return result


async def _order(session: AsyncSession, organization_id: uuid.UUID, source: str, external_id: str, *,
                 for_update: bool = False) -> Order | None:
    statement = select(Order).where(Order.organization_id == organization_id, Order.source == source,
                                    Order.external_order_id == external_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def _attribute(session: AsyncSession, organization_id: uuid.UUID, report: OrderReport) -> _Attribution:
    codes = [normalize_promo_code(code) for code in report.promo_codes if code.strip()]
    if codes:
        promo = (await session.execute(select(PromoCode).where(PromoCode.organization_id == organization_id,
                                                               PromoCode.code.in_(codes)))).scalars().first()
        if promo is not None:
            return _Attribution("promo_code", promo.campaign_id, promo.creator_id, promo_code=promo.code)
    clicks = [parsed for token in report.click_tokens if (parsed := parse_click_token(token))]
    window = timedelta(days=get_settings().ATTRIBUTION_WINDOW_DAYS)
    in_window = sorted(((click_time(click_id), code, click_id) for code, click_id in clicks
                        if report.ordered_at - window <= click_time(click_id) <= report.ordered_at + CLOCK_SKEW),
                       reverse=True)
    for _, code, click_id in in_window:  # the last click first
        link = (await session.execute(select(TrackedLink).where(
            TrackedLink.code == code, TrackedLink.organization_id == organization_id))).scalar_one_or_none()
        if link is None:
            continue
        row = await session.get(ClickEvent, click_id)
        if row is not None and (row.is_bot or row.link_id != link.id):
            continue
        return _Attribution("click", link.campaign_id, link.creator_id, click_id=click_id)
    return _Attribution("none")
