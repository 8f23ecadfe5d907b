"""A deliverable of a contract (one per deliverable key of the terms), tracked from pending to approved.

    pending → submitted → approved                (the approval makes its milestone payment due)
                 ↑    └→ changes_requested ─┘ (resubmitted)

Created with the contract's payments when the contract is approved; submittable once the creator has signed.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class DeliverableStatus(enum.StrEnum):
    pending = "pending"
    submitted = "submitted"
    changes_requested = "changes_requested"
    approved = "approved"


class Deliverable(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "deliverables"
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (UniqueConstraint("contract_id", "key"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                       index=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="RESTRICT"), index=True)
    key: Mapped[str] = mapped_column(String(40))  # the terms' deliverable key
    description: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    due_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[DeliverableStatus] = mapped_column(str_enum(DeliverableStatus), default=DeliverableStatus.pending)
    post_url: Mapped[str | None] = mapped_column(String(2000))
    content: Mapped[str | None] = mapped_column(Text)
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    review_feedback: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
