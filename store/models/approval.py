"""An approval: one human decision an agent run waits for (one LangGraph interrupt).

`request` is the interrupt payload, shaped as LangChain Agent Inbox's `HumanInterrupt`
(`action_request {action, args}`, `config {allow_accept, allow_edit, allow_respond, allow_ignore}`,
`description`) plus our fields (`kind`, `action_id`, ...). `(run_id, action_id)` is unique: materialising
the same interrupt twice yields one approval. `decision` records what was answered
(`{action, payload, feedback}`); every change is also appended to `approval_events`.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum

# The permissions of `request.config` (Agent Inbox's `HumanInterruptConfig`), in the order responses show them.
CONFIG_FLAGS = ("allow_accept", "allow_edit", "allow_respond", "allow_ignore")


class ApprovalKind(enum.StrEnum):
    shortlist = "shortlist"
    message = "message"
    offer = "offer"
    contract = "contract"
    payment = "payment"
    terms = "terms"  # contract terms still open when a negotiation is agreed (store/contracts/terms_approval.py)


class ApprovalStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    edited = "edited"  # approved with changes
    rejected = "rejected"
    responded = "responded"  # answered with instructions for the agent
    expired = "expired"
    cancelled = "cancelled"  # the campaign was deleted or the run cancelled
    ignored = "ignored"  # closed without a redo: the agent skips that creator or message


class DecisionAction(enum.StrEnum):
    approve = "approve"
    edit = "edit"
    reject = "reject"
    respond = "respond"
    ignore = "ignore"  # Agent Inbox's ignore: close the item; the agent skips it (a reject without feedback)


class Approval(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "approvals"
    # Fetch updated_at (and other server values) at flush, so responses never lazy-load them.
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (
        UniqueConstraint("run_id", "action_id"),
        Index("ix_approvals_organization_id_status_kind", "organization_id", "status", "kind"),
        # the inbox (GET /approvals): its filters, then its sort and keyset cursor (created_at, id)
        Index("ix_approvals_inbox_campaign", "organization_id", "campaign_id", "status", "created_at", "id"),
        Index("ix_approvals_inbox", "organization_id", "status", "created_at", "id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agent_runs.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ApprovalKind] = mapped_column(str_enum(ApprovalKind))
    status: Mapped[ApprovalStatus] = mapped_column(str_enum(ApprovalStatus), default=ApprovalStatus.pending)
    creator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"))
    request: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reasoning: Mapped[str] = mapped_column(Text, default="")
    model: Mapped[str | None] = mapped_column(String(200))
    prompt_version: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
