"""A campaign of one organization (the tenant boundary), its structured brief and the brief conversation.

`brief` holds `store.campaigns.brief.CampaignBrief` as JSON: read it with `brief_of(campaign)`, never by key. It is
editable until `brief_confirmed_at` is set; confirming freezes it and starts the discovery run. Deleting a campaign
sets `deleted_at` (the audit log of its approvals is append-only, so rows are never removed); deleted campaigns are
invisible (404).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class CampaignStatus(enum.StrEnum):
    draft = "draft"  # the brief is being written
    active = "active"  # brief confirmed, agents at work
    paused = "paused"
    completed = "completed"
    cancelled = "cancelled"


class Campaign(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "campaigns"
    # Fetch updated_at (and other server values) at flush, so responses never lazy-load them.
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (Index("ix_campaigns_organization_id_status", "organization_id", "status"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    brand_name: Mapped[str | None] = mapped_column(String(200))  # the seed API's field; drafts may name it
    campaign_type: Mapped[str | None] = mapped_column(String(64))  # free label from the seed API
    status: Mapped[CampaignStatus] = mapped_column(str_enum(CampaignStatus), default=CampaignStatus.draft)
    brief: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    brief_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    brief_confirmed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Follow-ups (store/followups): a draft after this many days without a reply, at most this many per creator.
    follow_up_after_days: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    follow_up_max: Mapped[int] = mapped_column(Integer, default=2, server_default="2")


class BriefRole(enum.StrEnum):
    manager = "manager"
    agent = "agent"


class BriefMessage(UUIDPrimaryKey, Base):
    """One turn of the brief conversation, in order. Agent turns record what produced them."""

    __tablename__ = "campaign_brief_messages"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    role: Mapped[BriefRole] = mapped_column(str_enum(BriefRole))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    changed_fields: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    model: Mapped[str | None] = mapped_column(String(200))
    prompt_version: Mapped[str | None] = mapped_column(String(100))
    # clock_timestamp(), not now(): rows written in one transaction keep their order.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.clock_timestamp())
