"""A notification for a manager: something an agent did that a human should know about even though no approval
is waiting (terms agreed with a creator). The row is the record (`GET /notifications`); `email_status` tracks
the copy sent to the manager's address by the `notifications.email` actor (outbox key `notify:<id>`).

`idempotency_key` is unique, so the event that causes a notification (e.g. `agreed:<negotiation id>`) yields one
row and one email however often it is recorded.
"""

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


class NotificationEmailStatus(enum.StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"
    skipped = "skipped"  # no address to send to


class Notification(UUIDPrimaryKey, Base):
    __tablename__ = "notifications"

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                                       index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))  # e.g. "negotiation_agreed"
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # structured facts (ids, terms)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    email_status: Mapped[NotificationEmailStatus] = mapped_column(
        str_enum(NotificationEmailStatus, 16), default=NotificationEmailStatus.pending)
    email_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_failure: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
