"""The transactional outbox: a job to run, written in the same transaction as the decision that causes it.

The relay (`workers/outbox_relay.py`) hands pending rows to Dramatiq after commit; a rollback drops them with
the decision. `idempotency_key` is unique, so recording the same decision twice enqueues one job.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Enum, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey


class OutboxStatus(enum.StrEnum):
    pending = "pending"
    dispatched = "dispatched"
    failed = "failed"


class OutboxEvent(UUIDPrimaryKey, Base):
    __tablename__ = "outbox_events"

    actor_name: Mapped[str] = mapped_column(String(120))  # a Dramatiq actor, `domain.verb`
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)  # the actor's keyword arguments: ids, never objects
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(Enum(OutboxStatus, name="outbox_status"),
                                                 default=OutboxStatus.pending, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
