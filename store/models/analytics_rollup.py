"""Rollups the analytics endpoints read (never raw events): one row per (campaign, creator), one per
(campaign, creator, day), kept current by the rollup worker from `analytics_dirty` marks.

`analytics_campaign_rollups` sums each campaign's creator rows (kept in the same transaction).
Money is in the campaign's currency (converted with `store.creators.money` rates at rollup time); `*_points` columns
count the raw rows each figure came from, so every figure can say how many data points it rests on. Post metrics are
per platform in `platform_metrics` ({platform: {metric: sum of each post's latest value, "posts": n, ...}}).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class CreatorRollup(Base):
    __tablename__ = "analytics_creator_rollups"
    __table_args__ = (Index("ix_analytics_creator_rollups_organization_id", "organization_id", "campaign_id"),)

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    currency: Mapped[str] = mapped_column(String(3))
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    unique_clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    bot_clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    refunded_orders: Mapped[int] = mapped_column(Integer, default=0)  # fully refunded: not a conversion
    revenue_gross: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal(0))
    refunds: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal(0))
    unconverted_orders: Mapped[int] = mapped_column(Integer, default=0)  # currency without a rate: left out
    spend_committed: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal(0))
    spend_paid: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal(0))
    payment_points: Mapped[int] = mapped_column(Integer, default=0)
    negotiated_fee: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    tracking_points: Mapped[int] = mapped_column(Integer, default=0)  # tracked links + promo codes of the pair
    # Sums over posts of each post's latest reading; NULL when no post reports the metric.
    impressions: Mapped[int | None] = mapped_column(BigInteger)
    impression_posts: Mapped[int] = mapped_column(Integer, default=0)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    reach_posts: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int | None] = mapped_column(BigInteger)
    engagements: Mapped[int | None] = mapped_column(BigInteger)  # likes + comments + shares + saves
    engagement_posts: Mapped[int] = mapped_column(Integer, default=0)
    # Engagement rate's parts, over posts that report both engagements and an audience (reach, else views).
    rate_engagements: Mapped[int | None] = mapped_column(BigInteger)
    rate_audience: Mapped[int | None] = mapped_column(BigInteger)
    emv: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    emv_posts: Mapped[int] = mapped_column(Integer, default=0)
    platform_metrics: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    snapshot_points: Mapped[int] = mapped_column(Integer, default=0)
    self_reported_posts: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CampaignRollup(Base):
    """Sums of a campaign's creator rollups (same column names as the sums the endpoints report), kept by the
    rollup worker in the transaction that changes its creator rows: a page of campaigns reads one row each."""

    __tablename__ = "analytics_campaign_rollups"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                       index=True)
    creators: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    unique_clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    orders: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_orders: Mapped[int] = mapped_column(BigInteger, default=0)
    revenue_gross: Mapped[Decimal] = mapped_column(Numeric(20, 3), default=Decimal(0))
    refunds: Mapped[Decimal] = mapped_column(Numeric(20, 3), default=Decimal(0))
    unconverted_orders: Mapped[int] = mapped_column(BigInteger, default=0)
    spend_committed: Mapped[Decimal] = mapped_column(Numeric(20, 3), default=Decimal(0))
    spend_paid: Mapped[Decimal] = mapped_column(Numeric(20, 3), default=Decimal(0))
    payment_points: Mapped[int] = mapped_column(BigInteger, default=0)
    tracking_points: Mapped[int] = mapped_column(BigInteger, default=0)
    impressions: Mapped[int | None] = mapped_column(BigInteger)  # NULL: no creator reports it (unknown, not 0)
    impression_posts: Mapped[int] = mapped_column(BigInteger, default=0)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    reach_posts: Mapped[int] = mapped_column(BigInteger, default=0)
    views: Mapped[int | None] = mapped_column(BigInteger)
    engagements: Mapped[int | None] = mapped_column(BigInteger)
    engagement_posts: Mapped[int] = mapped_column(BigInteger, default=0)
    rate_engagements: Mapped[int | None] = mapped_column(BigInteger)
    rate_audience: Mapped[int | None] = mapped_column(BigInteger)
    emv: Mapped[Decimal | None] = mapped_column(Numeric(20, 3))
    emv_posts: Mapped[int] = mapped_column(BigInteger, default=0)
    # the creators' `platform_metrics` (those with any), merged when read: summing inside JSON per refresh cost
    # more than the rest of the campaign's sums
    platforms: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DailyRollup(Base):
    __tablename__ = "analytics_daily_rollups"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    unique_clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal(0))  # gross − refunds made that day
    spend_committed: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal(0))
    spend_paid: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal(0))
    impressions: Mapped[int | None] = mapped_column(BigInteger)  # latest reading per post at the day's end
    reach: Mapped[int | None] = mapped_column(BigInteger)
    engagements: Mapped[int | None] = mapped_column(BigInteger)


class DirtyPair(Base):
    """A (campaign, creator) whose rollups must be recomputed; written beside every event, drained by the worker."""

    __tablename__ = "analytics_dirty"

    campaign_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
