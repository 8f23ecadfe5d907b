"""One reading of a post's metrics at a moment (a time series: every snapshot is kept; the latest feeds rollups).

A metric the source does not report is NULL (unknown), never 0. `source`: api (a platform client), import (CSV/JSON),
manual (typed in by a manager, or by the creator: `self_reported`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey

METRIC_FIELDS = ("impressions", "reach", "views", "likes", "comments", "shares", "saves", "link_clicks",
                 "story_taps")


class MetricSnapshot(UUIDPrimaryKey, Base):
    __tablename__ = "metric_snapshots"
    __table_args__ = (Index("ix_metric_snapshots_post_id_captured_at", "post_id", "captured_at"),)

    post_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(16))  # api | import | manual
    self_reported: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    entered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    impressions: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    saves: Mapped[int | None] = mapped_column(BigInteger)
    link_clicks: Mapped[int | None] = mapped_column(BigInteger)
    story_taps: Mapped[int | None] = mapped_column(BigInteger)
