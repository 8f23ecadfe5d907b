"""Raw inbound items from providers (an email, a WhatsApp message, a WhatsApp status), stored before processing.

Webhooks insert with ON CONFLICT DO NOTHING on (channel, external_id), so a provider that redelivers (Meta does
for days, sometimes twice at once) stores each item once; the same transaction writes an outbox row for
`inbound.process`. `external_id` is the dedupe key: the WhatsApp message id for messages, `<wamid>:<status>`
for statuses (one message has several), the Message-ID for email. `provider_message_id` is the id the item is
about (the inbound message itself, or the outbound message a status reports on).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey
from store.models.columns import str_enum


class Channel(enum.StrEnum):
    email = "email"
    whatsapp = "whatsapp"


class InboundKind(enum.StrEnum):
    message = "message"
    status = "status"


class InboundEvent(UUIDPrimaryKey, Base):
    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_inbound_events_channel_external_id"),
        Index("ix_inbound_events_sender", "channel", "sender", "occurred_at"),
    )

    channel: Mapped[Channel] = mapped_column(str_enum(Channel, 16))
    kind: Mapped[InboundKind] = mapped_column(str_enum(InboundKind, 16))
    external_id: Mapped[str] = mapped_column(String(400))
    provider_message_id: Mapped[str] = mapped_column(String(400), index=True)
    sender: Mapped[str | None] = mapped_column(String(320))  # normalized phone (+E.164) or email; messages only
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the provider's timestamp
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(Text)  # what processing did, for operators
