"""Orders and refunds reported by the shop, attributed to a creator and campaign; idempotent by order/refund id.

Attribution, in order: a promo code of the organization used on the order (the strongest signal); else the latest
click token on the order whose click happened within ATTRIBUTION_WINDOW_DAYS before the order (a few minutes of
clock skew allowed after it) and was not a bot's; else none (the order is kept, unattributed).
Every recorded order or refund marks its (campaign, creator) pair for the rollup worker. Orders are attributed
set-wise (`store.analytics.attribution`): a webhook's one order and a backfill's thousands take the same statement.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from store.analytics.attribution import record_orders
from store.analytics.dirty import mark_dirty
from store.analytics.fx import convert
from store.models import Order, OrderRefund


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


async def record_order(session: AsyncSession, organization_id: uuid.UUID, report: OrderReport) -> Recorded:
    return (await record_orders_batch(session, organization_id, [report]))[0]


async def record_orders_batch(session: AsyncSession, organization_id: uuid.UUID,
                              reports: Sequence[OrderReport]) -> list[Recorded]:
    """Many orders at once (a webhook's one, or an agency's backfill): set-based attribution, per source."""
    results: dict[int, Recorded] = {}
    for source in dict.fromkeys(report.source for report in reports):
        indexed = [(index, report) for index, report in enumerate(reports) if report.source == source]
        stored = await record_orders(session, organization_id, source, [report for _, report in indexed])
        for (index, _), (status, row) in zip(indexed, stored, strict=True):
            results[index] = Recorded(status, row.id, row.attributed_by, row.campaign_id, row.creator_id)
    return [results[index] for index in range(len(reports))]


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

