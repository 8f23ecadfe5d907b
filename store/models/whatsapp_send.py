"""One outbound WhatsApp message as the provider sees it: what was sent, its wamid and its delivery status.

Created `queued` by whoever decides to send (the WhatsApp Business service's `/whatsapp/send` now; phase 2's
`messages.send_whatsapp` links `message_id`); the `whatsapp.send` actor fills `provider_message_id`; status
webhooks advance `status` through `store.channels.delivery.advance_status`, never backwards.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.channels.delivery import DeliveryStatus
from store.models.columns import str_enum


class WhatsAppSend(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "whatsapp_sends"

    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    message_id: Mapped[uuid.UUID | None] = mapped_column(index=True)  # phase 2: messages.id
    to_phone: Mapped[str] = mapped_column(String(20))  # +E.164
    kind: Mapped[str] = mapped_column(String(16))  # "text" | "template"
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)  # {"text": ...} or {"template": {name, language, ...}}
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus, 16), default=DeliveryStatus.queued)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    error_code: Mapped[int | None] = mapped_column(Integer)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
