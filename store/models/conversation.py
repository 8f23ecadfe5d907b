"""A conversation with one creator about one campaign, across channels (email and WhatsApp).

SHARED DATA CONTRACT (agent core ↔ channels):
- One row per (campaign_id, creator_id), created when the first outbound message is drafted or a manual invite
  is sent. `status`: open → agreed | closed.
- `reply_token`: a unique random lowercase hex string (24 chars) to embed in reply-to addresses
  (e.g. `reply+<token>@<domain>`) so an inbound email finds its conversation without trusting headers.
- Messages (`store/models/message.py`) reference the conversation; the conversation has no channel of its own.
"""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class ConversationStatus(enum.StrEnum):
    open = "open"
    agreed = "agreed"
    closed = "closed"


def new_reply_token() -> str:
    return secrets.token_hex(12)


class Conversation(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "conversations"
    # Fetch updated_at (and other server values) at flush, so responses never lazy-load them.
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (UniqueConstraint("campaign_id", "creator_id"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                       index=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    status: Mapped[ConversationStatus] = mapped_column(str_enum(ConversationStatus),
                                                       default=ConversationStatus.open)
    reply_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_reply_token)
    last_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
