"""A payment a contract owes the creator: its advance, a milestone (tied to a deliverable) or the final payment.

One row per (contract, milestone key) — `advance`, `milestone:<deliverable key>`, `final` — created when the
contract is approved, which is when its amount is committed against the campaign budget. Every payout is an
approval (kind `payment`) and is made at most once: the unique (contract, milestone) row, the provider
idempotency key `payout:<contract>:<milestone>` (a new suffix only after the provider refused a payout) and the
status change under a row lock.

    scheduled → pending_approval (its trigger happened: signature, deliverable approved, all approved)
              → approved → paid (invoice issued)          rejected / failed: approval can be requested again
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class PaymentStatus(enum.StrEnum):
    scheduled = "scheduled"
    pending_approval = "pending_approval"
    approved = "approved"
    paid = "paid"
    failed = "failed"
    rejected = "rejected"
    cancelled = "cancelled"


class Payment(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "payments"
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (
        UniqueConstraint("contract_id", "milestone_key"),
        Index("ix_payments_organization_id_status", "organization_id", "status"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="RESTRICT"), index=True)
    deliverable_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("deliverables.id", ondelete="SET NULL"))
    milestone_key: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))  # advance | milestone | final
    trigger: Mapped[str] = mapped_column(String(32))  # signature | deliverable_approved | all_deliverables_approved
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    currency: Mapped[str] = mapped_column(String(3))
    net_days: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[PaymentStatus] = mapped_column(str_enum(PaymentStatus), default=PaymentStatus.scheduled)
    due_on: Mapped[dt.date | None] = mapped_column(Date)  # trigger date + net days
    approval_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("approvals.id", ondelete="SET NULL"))
    approval_requests: Mapped[int] = mapped_column(Integer, default=0)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    payout_idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_reference: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
