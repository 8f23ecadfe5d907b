"""The append-only audit log of approvals: creation, every decision (edits as before/after with the editor),
automatic decisions by a brief rule, expiry, escalation, cancellation. A database trigger rejects UPDATE and
DELETE on this table, so history cannot be rewritten from the application."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey
from store.models.columns import str_enum


class ActorType(enum.StrEnum):
    user = "user"  # a manager answered
    rule = "rule"  # the brief's auto-send rule answered
    system = "system"  # expiry, escalation, cancellation, creation by an agent run


class ApprovalEvent(UUIDPrimaryKey, Base):
    __tablename__ = "approval_events"

    approval_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("approvals.id", ondelete="RESTRICT"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                       index=True)
    event: Mapped[str] = mapped_column(String(32))  # created | approved | edited | rejected | responded | ...
    actor_type: Mapped[ActorType] = mapped_column(str_enum(ActorType))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    feedback: Mapped[str | None] = mapped_column(Text)
    # clock_timestamp(), not now(): rows written in one transaction keep their order.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.clock_timestamp())
