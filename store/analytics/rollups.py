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

from sqlalchemy import Date, cast, delete, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.analytics.campaign_rollups import refresh_campaign_sums
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
    overall, emv = PostTotals(), None
    per_platform: dict[str, PostTotals] = defaultdict(PostTotals)
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


Pair = tuple[uuid.UUID, uuid.UUID]


@dataclass
class _PairState:
    days: dict[date, _Day] = field(default_factory=lambda: defaultdict(_Day))
    row: dict[str, Any] = field(default_factory=dict)


class RollupService:
    """Recomputes pairs in batches: one set-based query per source table for the whole batch, not per pair."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._rates: dict[uuid.UUID, dict[str, PlatformRates]] = {}

    async def refresh_dirty(self, limit: int = 500) -> int:
        pairs = await claim_dirty(self.session, limit)
        await self.refresh_pairs(pairs)
        return len(pairs)

    async def refresh_pair(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> None:
        await self.refresh_pairs([(campaign_id, creator_id)])

    async def refresh_pairs(self, pairs: list[Pair]) -> None:
        if not pairs:
            return
        pairs = list(dict.fromkeys(pairs))
        await self._refresh_pairs(pairs)
        await refresh_campaign_sums(self.session, {campaign_id for campaign_id, _ in pairs})

    async def _refresh_pairs(self, pairs: list[Pair]) -> None:
        campaigns = {campaign.id: campaign for campaign in (await self.session.execute(
            select(Campaign).where(Campaign.id.in_({campaign_id for campaign_id, _ in pairs})))).scalars()}
        await self.session.execute(delete(DailyRollup).where(
            tuple_(DailyRollup.campaign_id, DailyRollup.creator_id).in_(pairs)))
        gone = [pair for pair in pairs if pair[0] not in campaigns]
        if gone:
            await self.session.execute(delete(CreatorRollup).where(
                tuple_(CreatorRollup.campaign_id, CreatorRollup.creator_id).in_(gone)))
        live = [pair for pair in pairs if pair[0] in campaigns]
        if not live:
            return
        for organization_id in {campaign.organization_id for campaign in campaigns.values()} - set(self._rates):
            self._rates[organization_id] = await rates_for(self.session, organization_id)
        now = datetime.now(UTC)
        states: dict[Pair, _PairState] = {}
        for campaign_id, creator_id in live:
            campaign = campaigns[campaign_id]
            states[(campaign_id, creator_id)] = _PairState(row={
                "campaign_id": campaign_id, "creator_id": creator_id, "organization_id": campaign.organization_id,
                "currency": reporting_currency(campaign), "computed_at": now, "clicks": 0, "unique_clicks": 0,
                "bot_clicks": 0, "orders": 0, "refunded_orders": 0, "revenue_gross": Decimal(0), "refunds": Decimal(0),
                "unconverted_orders": 0, "spend_committed": Decimal(0), "spend_paid": Decimal(0), "payment_points": 0,
                "tracking_points": 0, "negotiated_fee": None})
        await self._clicks(live, states)
        await self._orders(live, states)
        await self._payments(live, states)
        await self._posts(live, states, campaigns)
        await self._tracking(live, states)
        await self._negotiated_fees(live, states)
        rows = [state.row for state in states.values()]
        # executemany (SQLAlchemy's "insertmanyvalues" batching): no giant statement compiled per batch
        statement = insert(CreatorRollup)
        await self.session.execute(statement.on_conflict_do_update(
            index_elements=["campaign_id", "creator_id"],
            set_={key: getattr(statement.excluded, key) for key in rows[0]
                  if key not in ("campaign_id", "creator_id")}), rows)
        daily = [{"campaign_id": pair[0], "creator_id": pair[1], "day": day, **vars(values)}
                 for pair, state in states.items() for day, values in sorted(state.days.items())]
        if daily:
            await self.session.execute(insert(DailyRollup), daily)

    async def _clicks(self, pairs: list[Pair], states: dict[Pair, _PairState]) -> None:
        human = ClickEvent.is_bot.is_(False)
        rows = (await self.session.execute(
            select(ClickEvent.campaign_id, ClickEvent.creator_id, _day(ClickEvent.occurred_at).label("day"),
                   func.count().filter(human).label("clicks"),
                   func.count().filter(human, ClickEvent.is_unique).label("unique_clicks"),
                   func.count().filter(ClickEvent.is_bot).label("bots"))
            .where(tuple_(ClickEvent.campaign_id, ClickEvent.creator_id).in_(pairs))
            .group_by(ClickEvent.campaign_id, ClickEvent.creator_id, "day"))).all()
        for item in rows:
            state = states[(item.campaign_id, item.creator_id)]
            state.days[item.day].clicks, state.days[item.day].unique_clicks = item.clicks, item.unique_clicks
            state.row["clicks"] += item.clicks
            state.row["unique_clicks"] += item.unique_clicks
            state.row["bot_clicks"] += item.bots

    async def _orders(self, pairs: list[Pair], states: dict[Pair, _PairState]) -> None:
        fully_refunded = Order.refunded_amount >= Order.total_amount
        rows = (await self.session.execute(
            select(Order.campaign_id, Order.creator_id, _day(Order.ordered_at).label("day"), Order.currency,
                   func.count().label("orders"), func.count().filter(fully_refunded).label("refunded_orders"),
                   func.sum(Order.total_amount).label("gross"), func.sum(Order.refunded_amount).label("refunds"))
            .where(tuple_(Order.campaign_id, Order.creator_id).in_(pairs))
            .group_by(Order.campaign_id, Order.creator_id, "day", Order.currency))).all()
        for item in rows:
            state = states[(item.campaign_id, item.creator_id)]
            currency = state.row["currency"]
            gross = convert(item.gross, item.currency, currency)
            refunds = convert(item.refunds, item.currency, currency)
            if gross is None or refunds is None:
                state.row["unconverted_orders"] += item.orders
                continue
            state.row["orders"] += item.orders
            state.row["refunded_orders"] += item.refunded_orders
            state.row["revenue_gross"] += gross
            state.row["refunds"] += refunds
            state.days[item.day].orders += item.orders - item.refunded_orders
            state.days[item.day].revenue += gross - refunds

    async def _payments(self, pairs: list[Pair], states: dict[Pair, _PairState]) -> None:
        rows = (await self.session.execute(
            select(Payment.campaign_id, Payment.creator_id, Payment.status, Payment.currency, Payment.amount,
                   _day(Payment.created_at).label("committed_on"), _day(Payment.paid_at).label("paid_on"))
            .where(tuple_(Payment.campaign_id, Payment.creator_id).in_(pairs),
                   Payment.status != PaymentStatus.cancelled))).all()
        for item in rows:
            state = states[(item.campaign_id, item.creator_id)]
            state.row["payment_points"] += 1
            amount = convert(item.amount, item.currency, state.row["currency"])
            if amount is None:
                continue
            state.row["spend_committed"] += amount
            state.days[item.committed_on].spend_committed += amount
            if item.status == PaymentStatus.paid:
                state.row["spend_paid"] += amount
                state.days[item.paid_on or item.committed_on].spend_paid += amount

    async def _posts(self, pairs: list[Pair], states: dict[Pair, _PairState],
                     campaigns: dict[uuid.UUID, Campaign]) -> None:
        snapshots = (await self.session.execute(
            select(MetricSnapshot, Post.platform).join(Post, Post.id == MetricSnapshot.post_id)
            .where(tuple_(MetricSnapshot.campaign_id, MetricSnapshot.creator_id).in_(pairs))
            .order_by(MetricSnapshot.captured_at))).all()
        grouped: dict[Pair, list[tuple[MetricSnapshot, str]]] = defaultdict(list)
        for snapshot, platform in snapshots:
            grouped[(snapshot.campaign_id, snapshot.creator_id)].append((snapshot, platform))
        for pair, state in states.items():
            rates = self._rates[campaigns[pair[0]].organization_id]
            state.row |= _post_columns(grouped.get(pair, []), state.row["currency"], rates, state.days)

    async def _tracking(self, pairs: list[Pair], states: dict[Pair, _PairState]) -> None:
        for model in (TrackedLink, PromoCode):
            rows = (await self.session.execute(
                select(model.campaign_id, model.creator_id, func.count().label("n"))
                .where(tuple_(model.campaign_id, model.creator_id).in_(pairs))
                .group_by(model.campaign_id, model.creator_id))).all()
            for item in rows:
                states[(item.campaign_id, item.creator_id)].row["tracking_points"] += item.n

    async def _negotiated_fees(self, pairs: list[Pair], states: dict[Pair, _PairState]) -> None:
        rows = (await self.session.execute(
            select(Negotiation.campaign_id, Negotiation.creator_id, Negotiation.fee, Negotiation.currency).where(
                tuple_(Negotiation.campaign_id, Negotiation.creator_id).in_(pairs),
                Negotiation.status.in_([NegotiationStatus.agreed, NegotiationStatus.contracted]),
                Negotiation.fee.is_not(None), Negotiation.currency.is_not(None))
            .order_by(Negotiation.agreed_at.desc().nulls_last()))).all()
        for item in rows:
            row = states[(item.campaign_id, item.creator_id)].row
            if row["negotiated_fee"] is None:
                row["negotiated_fee"] = convert(item.fee, item.currency, row["currency"])


def _post_columns(snapshots: list[tuple[MetricSnapshot, str]], currency: str, rates: dict[str, PlatformRates],
                  days: dict[date, _Day]) -> dict[str, Any]:
    """The post-metric columns of one pair from its snapshots (oldest first); fills the days' levels."""
    latest: dict[uuid.UUID, tuple[str, dict[str, int | None]]] = {}
    self_reported: dict[uuid.UUID, bool] = {}
    by_day: dict[date, list[MetricSnapshot]] = defaultdict(list)
    platforms = {snapshot.post_id: platform for snapshot, platform in snapshots}
    for snapshot, _ in snapshots:
        by_day[snapshot.captured_at.astimezone(UTC).date()].append(snapshot)
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
