"""A creator's place in a campaign: shortlisted by the discovery agent, invited (manually or by an approved
outreach message), then accepted or declined by the creator. One row per (campaign, creator)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class ParticipationStatus(enum.StrEnum):
    shortlisted = "shortlisted"
    invited = "invited"
    accepted = "accepted"
    declined = "declined"
    removed = "removed"


class ParticipationSource(enum.StrEnum):
    manual = "manual"
    agent = "agent"


class CampaignCreator(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "campaign_creators"
    # Fetch updated_at (and other server values) at flush, so responses never lazy-load them.
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (UniqueConstraint("campaign_id", "creator_id"),)

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    status: Mapped[ParticipationStatus] = mapped_column(str_enum(ParticipationStatus))
    source: Mapped[ParticipationSource] = mapped_column(str_enum(ParticipationSource))
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
