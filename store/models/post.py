"""A published post of a creator for a campaign (a deliverable's post URL), whose metrics are polled over time.

`platform` + `external_id` (Instagram media id, YouTube video id, TikTok video id) are what the platform clients ask
about; `next_poll_at` / `poll_failures` drive the poller's schedule and back-off. One row per (campaign, url).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey


class Post(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "posts"
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (UniqueConstraint("campaign_id", "url"), Index("ix_posts_next_poll_at", "next_poll_at"))

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                       index=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    deliverable_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("deliverables.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(16))  # instagram | youtube | tiktok | other
    url: Mapped[str] = mapped_column(String(2000))
    external_id: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_poll_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    poll_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_poll_error: Mapped[str | None] = mapped_column(Text)
