"""Recomputing the rollups of one (campaign, creator) pair from its raw rows, and draining the dirty marks.

A pair's raw rows are few (its clicks, orders, payments, snapshots), so a full recompute of the pair is cheap and
always right; the cost of analytics requests no longer depends on how many events there are. Money is converted into
the campaign's reporting currency here; amounts in a currency without a rate are left out and counted.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, case, cast, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.analytics.campaign_terms import reporting_currency
from store.analytics.dirty import claim_dirty
from store.analytics.emv import PlatformRates, rates_for
from store.analytics.fx import convert
from store.models import (
    Campaign,
    ClickEvent,
    CreatorRollup,
    DailyRollup,
    MetricSnapshot,
    Negotiation,
    NegotiationStatus,
    Order,
    Payment,
    PaymentStatus,
    Post,
    PromoCode,
    TrackedLink,
)
from store.models.metric_snapshot import METRIC_FIELDS

ENGAGEMENT_FIELDS = ("likes", "comments", "shares", "saves")


def _day(column: Any) -> Any:
    return cast(func.timezone("UTC", column), Date)


@dataclass
class _Day:
    clicks: int = 0
    unique_clicks: int = 0
    orders: int = 0
    revenue: Decimal = Decimal(0)
    spend_committed: Decimal = Decimal(0)
    spend_paid: Decimal = Decimal(0)
    impressions: int | None = None
    reach: int | None = None
    engagements: int | None = None


@dataclass
class PostTotals:
    """Sums over posts of each post's latest reading (None: no post reports the metric)."""

    metrics: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(METRIC_FIELDS))
    posts: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # posts reporting each part

    def add(self, name: str, value: int | None) -> None:
        if value is not None:
            self.metrics[name] = (self.metrics.get(name) or 0) + value
            self.counts[name] += 1


def engagements_of(reading: dict[str, int | None]) -> int | None:
    parts = [reading.get(name) for name in ENGAGEMENT_FIELDS]
    present = [part for part in parts if part is not None]
    return sum(present) if present else None


def audience_of(reading: dict[str, int | None]) -> int | None:
    return reading["reach"] if reading.get("reach") is not None else reading.get("views")


def emv_of(platform: str, reading: dict[str, int | None], rates: dict[str, PlatformRates],
           currency: str) -> Decimal | None:
    platform_rates = rates.get(platform) or rates["other"]
    total, used = Decimal(0), False
    for metric, rate in platform_rates.rates.items():
        if reading.get(metric) is not None:
            total += Decimal(reading[metric] or 0) * rate
            used = True
    return convert(total, platform_rates.currency, currency) if used else None


def post_totals(latest: list[tuple[str, dict[str, int | None]]], rates: dict[str, PlatformRates],
                currency: str) -> tuple[PostTotals, dict[str, PostTotals], Decimal | None]:
    """Overall and per-platform sums of the latest readings, plus the EMV (None when no post has a rated metric)."""
    overall, per_platform, emv = PostTotals(), defaultdict(PostTotals), None
    for platform, reading in latest:
        for totals in (overall, per_platform[platform]):
            totals.posts += 1
            for name in METRIC_FIELDS:
                totals.add(name, reading.get(name))
            engagements, audience = engagements_of(reading), audience_of(reading)
            totals.add("engagements", engagements)
            if engagements is not None and audience:
                totals.add("rate_engagements", engagements)
                totals.add("rate_audience", audience)
            post_emv = emv_of(platform, reading, rates, currency)
            totals.add("emv_posts", 1 if post_emv is not None else None)
        if (post_emv := emv_of(platform, reading, rates, currency)) is not None:
            emv = (emv or Decimal(0)) + post_emv
    return overall, dict(per_platform), emv


class RollupService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._rates: dict[uuid.UUID, dict[str, PlatformRates]] = {}

    async def refresh_dirty(self, limit: int = 500) -> int:
        pairs = await claim_dirty(self.session, limit)
        for campaign_id, creator_id in pairs:
            await self.refresh_pair(campaign_id, creator_id)
        return len(pairs)

    async def refresh_pair(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> None:
        campaign = await self.session.get(Campaign, campaign_id)
        await self.session.execute(delete(DailyRollup).where(DailyRollup.campaign_id == campaign_id,
                                                             DailyRollup.creator_id == creator_id))
        if campaign is None:
            await self.session.execute(delete(CreatorRollup).where(CreatorRollup.campaign_id == campaign_id,
                                                                   CreatorRollup.creator_id == creator_id))
            return
        currency = reporting_currency(campaign)
        if campaign.organization_id not in self._rates:
            self._rates[campaign.organization_id] = await rates_for(self.session, campaign.organization_id)
        days: dict[date, _Day] = defaultdict(_Day)
        row: dict[str, Any] = {"campaign_id": campaign_id, "creator_id": creator_id,
                               "organization_id": campaign.organization_id, "currency": currency,
                               "computed_at": datetime.now(UTC)}
        row |= await self._clicks(campaign_id, creator_id, days)
        row |= await self._orders(campaign_id, creator_id, currency, days)
        row |= await self._payments(campaign_id, creator_id, currency, days)
        row |= await self._posts(campaign_id, creator_id, currency, self._rates[campaign.organization_id], days)
        row["tracking_points"] = await self._tracking(campaign_id, creator_id)
        row["negotiated_fee"] = await self._negotiated_fee(campaign_id, creator_id, currency)
        await self.session.execute(insert(CreatorRollup).values(row).on_conflict_do_update(
            index_elements=["campaign_id", "creator_id"],
            set_={key: value for key, value in row.items() if key not in ("campaign_id", "creator_id")}))
        if days:
            await self.session.execute(insert(DailyRollup).values([
                {"campaign_id": campaign_id, "creator_id": creator_id, "day": day, **vars(values)}
                for day, values in sorted(days.items())]))

    async def _clicks(self, campaign_id: uuid.UUID, creator_id: uuid.UUID, days: dict[date, _Day]) -> dict[str, Any]:
        human = ClickEvent.is_bot.is_(False)
        rows = (await self.session.execute(
            select(_day(ClickEvent.occurred_at).label("day"), func.count().filter(human).label("clicks"),
                   func.count().filter(human, ClickEvent.is_unique).label("unique_clicks"),
                   func.count().filter(ClickEvent.is_bot).label("bots"))
            .where(ClickEvent.campaign_id == campaign_id, ClickEvent.creator_id == creator_id)
            .group_by("day"))).all()
        for item in rows:
            days[item.day].clicks, days[item.day].unique_clicks = item.clicks, item.unique_clicks
        return {"clicks": sum(item.clicks for item in rows), "unique_clicks": sum(item.unique_clicks for item in rows),
                "bot_clicks": sum(item.bots for item in rows)}

    async def _orders(self, campaign_id: uuid.UUID, creator_id: uuid.UUID, currency: str,
                      days: dict[date, _Day]) -> dict[str, Any]:
        fully_refunded = Order.refunded_amount >= Order.total_amount
        rows = (await self.session.execute(
            select(_day(Order.ordered_at).label("day"), Order.currency, func.count().label("orders"),
                   func.count().filter(fully_refunded).label("refunded_orders"),
                   func.sum(Order.total_amount).label("gross"), func.sum(Order.refunded_amount).label("refunds"))
            .where(Order.campaign_id == campaign_id, Order.creator_id == creator_id)
            .group_by("day", Order.currency))).all()
        totals = {"orders": 0, "refunded_orders": 0, "revenue_gross": Decimal(0), "refunds": Decimal(0),
                  "unconverted_orders": 0}
        for item in rows:
            gross = convert(item.gross, item.currency, currency)
            refunds = convert(item.refunds, item.currency, currency)
            if gross is None or refunds is None:
                totals["unconverted_orders"] += item.orders
                continue
            totals["orders"] += item.orders
            totals["refunded_orders"] += item.refunded_orders
            totals["revenue_gross"] += gross
            totals["refunds"] += refunds
            days[item.day].orders += item.orders - item.refunded_orders
            days[item.day].revenue += gross - refunds
        return totals

    async def _payments(self, campaign_id: uuid.UUID, creator_id: uuid.UUID, currency: str,
                        days: dict[date, _Day]) -> dict[str, Any]:
        rows = (await self.session.execute(
            select(Payment.status, Payment.currency, Payment.amount, _day(Payment.created_at).label("committed_on"),
                   _day(Payment.paid_at).label("paid_on"))
            .where(Payment.campaign_id == campaign_id, Payment.creator_id == creator_id,
                   Payment.status != PaymentStatus.cancelled))).all()
        committed, paid = Decimal(0), Decimal(0)
        for item in rows:
            amount = convert(item.amount, item.currency, currency)
            if amount is None:
                continue
            committed += amount
            days[item.committed_on].spend_committed += amount
            if item.status == PaymentStatus.paid:
                paid += amount
                days[item.paid_on or item.committed_on].spend_paid += amount
        return {"spend_committed": committed, "spend_paid": paid, "payment_points": len(rows)}

    async def _posts(self, campaign_id: uuid.UUID, creator_id: uuid.UUID, currency: str,
                     rates: dict[str, PlatformRates], days: dict[date, _Day]) -> dict[str, Any]:
        snapshots = (await self.session.execute(
            select(MetricSnapshot, Post.platform).join(Post, Post.id == MetricSnapshot.post_id)
            .where(MetricSnapshot.campaign_id == campaign_id, MetricSnapshot.creator_id == creator_id)
            .order_by(MetricSnapshot.captured_at))).all()
        latest: dict[uuid.UUID, tuple[str, dict[str, int | None]]] = {}
        self_reported: dict[uuid.UUID, bool] = {}
        by_day: dict[date, list[MetricSnapshot]] = defaultdict(list)
        for snapshot, _ in snapshots:
            by_day[snapshot.captured_at.astimezone(UTC).date()].append(snapshot)
        platforms = {snapshot.post_id: platform for snapshot, platform in snapshots}
        for day in sorted(by_day):  # the latest reading of every post as of each day's end
            for snapshot in by_day[day]:
                latest[snapshot.post_id] = (platforms[snapshot.post_id],
                                            {name: getattr(snapshot, name) for name in METRIC_FIELDS})
                self_reported[snapshot.post_id] = snapshot.self_reported
            overall, _, _ = post_totals(list(latest.values()), rates, currency)
            days[day].impressions = overall.metrics["impressions"]
            days[day].reach = overall.metrics["reach"]
            days[day].engagements = overall.metrics.get("engagements")
        overall, per_platform, emv = post_totals(list(latest.values()), rates, currency)
        metrics, counts = overall.metrics, overall.counts
        return {
            "impressions": metrics["impressions"], "impression_posts": counts["impressions"],
            "reach": metrics["reach"], "reach_posts": counts["reach"], "views": metrics["views"],
            "engagements": metrics.get("engagements"), "engagement_posts": counts["engagements"],
            "rate_engagements": metrics.get("rate_engagements"), "rate_audience": metrics.get("rate_audience"),
            "emv": emv, "emv_posts": counts["emv_posts"], "snapshot_points": len(snapshots),
            "self_reported_posts": sum(self_reported.values()),
            "platform_metrics": {platform: {**{k: v for k, v in totals.metrics.items() if v is not None},
                                            "posts": totals.posts} for platform, totals in per_platform.items()},
        }

    async def _tracking(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> int:
        links = select(func.count()).select_from(TrackedLink).where(TrackedLink.campaign_id == campaign_id,
                                                                    TrackedLink.creator_id == creator_id)
        codes = select(func.count()).select_from(PromoCode).where(PromoCode.campaign_id == campaign_id,
                                                                  PromoCode.creator_id == creator_id)
        return int((await self.session.execute(links)).scalar_one() + (await self.session.execute(codes)).scalar_one())

    async def _negotiated_fee(self, campaign_id: uuid.UUID, creator_id: uuid.UUID, currency: str) -> Decimal | None:
        row = (await self.session.execute(
            select(Negotiation.fee, Negotiation.currency).where(
                Negotiation.campaign_id == campaign_id, Negotiation.creator_id == creator_id,
                Negotiation.status.in_([NegotiationStatus.agreed, NegotiationStatus.contracted]),
                Negotiation.fee.is_not(None)).order_by(case((Negotiation.agreed_at.is_(None), 1), else_=0))
            .limit(1))).first()
        if row is None or not row.currency:
            return None
        return convert(row.fee, row.currency, currency)
