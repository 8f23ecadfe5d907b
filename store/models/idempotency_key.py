"""Stripe-like `Idempotency-Key` records: one row per (scope, key).

`request_fingerprint` is the SHA-256 of method, path and canonical body: the same key with another request is
refused. While `status` is in_progress the key is leased until `locked_until` (a crashed request's key is taken
over by a retry after that); once completed, the stored response is replayed until `expires_at`.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Enum, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey


class IdempotencyStatus(enum.StrEnum):
    in_progress = "in_progress"
    completed = "completed"


class IdempotencyKey(UUIDPrimaryKey, Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),)

    scope: Mapped[str] = mapped_column(String(100))  # whose key it is: "org:<uuid>" or "user:<uuid>"
    key: Mapped[str] = mapped_column(String(255))
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[IdempotencyStatus] = mapped_column(Enum(IdempotencyStatus, name="idempotency_status"))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[Any | None] = mapped_column(JSONB)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
