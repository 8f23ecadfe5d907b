"""A tracked short link of one creator in one campaign: `GET /r/{code}` redirects to `destination_url` with UTM
parameters added (`utm_source` = platform/creator, `utm_medium=influencer`, `utm_campaign`, `utm_content`)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey


class TrackedLink(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "tracked_links"
    __table_args__ = (UniqueConstraint("campaign_id", "creator_id"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                       index=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    destination_url: Mapped[str] = mapped_column(String(2000))
    utm_source: Mapped[str] = mapped_column(String(100))
    utm_medium: Mapped[str] = mapped_column(String(100), default="influencer")
    utm_campaign: Mapped[str] = mapped_column(String(200))
    utm_content: Mapped[str | None] = mapped_column(String(200))
