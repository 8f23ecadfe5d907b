"""One message in a conversation, outbound (drafted by an agent or written by a manager) or inbound.

SHARED DATA CONTRACT (agent core ↔ channels):
- `direction`: outbound | inbound. `channel`: email | whatsapp (| app: inbound only, written in the app).
- `status` lifecycle. Outbound: draft (waiting for its approval) → queued (approved; a send job is in the
  outbox) → sending (claimed by one send attempt until `send_lease_until`) → sent → delivered → read, or →
  failed (`failure_reason`). A rejected or expired draft becomes
  `discarded` and is never sent. `approved` exists for senders that split approval from queueing; the agent
  core goes straight from draft to queued. Inbound: received.
- Approval of a draft, in ONE transaction (`store/approvals/service.py`): the message becomes `queued`
  (`queued_at` set; an edit rewrites subject/body first) and an outbox row is written with actor
  `messages.send_email` or `messages.send_whatsapp`, payload `{"message_id": "<uuid>"}` and idempotency key
  `send:<message_id>`. The channels engineer's actors send it, set `provider_message_id`, `sent_at` and the
  status, and must stay idempotent: only a `queued` message is sent, and a message is sent at most once.
- Sending (`store/messages/`, `workers/messages.py`): an attempt claims the row atomically (`queued → sending`,
  `send_attempts + 1`, a lease); only the claimant calls the provider, then records `sent` + the provider id
  (email: the Message-ID, derived from `message:<id>` so a resend is recognisable; WhatsApp: the wamid) or the
  failure. A claim whose lease ran out (a crashed worker) is re-driven by the message sweeper.
- A manager's direct WhatsApp message (`POST /whatsapp/send` on the WhatsApp Business service) is a message
  without a conversation (`organization_id`, `created_by_user_id`, `whatsapp_template` set), queued with the
  same `messages.send_whatsapp` job: one send pipeline. Status webhooks advance any outbound message by its
  wamid; `failed_at` / `error_code` keep a failure.
- `to_address`: the creator's email address or WhatsApp phone (E.164) at drafting time; `from_address` is
  set on inbound messages. `approval_id`: the approval that released it (NULL for inbound messages and for
  manual invites, where the manager's request is the decision).
- `idempotency_key` (unique): `draft:<approval_id>` for agent drafts, `invite:<campaign>:<creator>` for manual
  invites; inbound messages should use `inbound:<channel>:<provider_message_id>`.
- `model` / `prompt_version`: what produced the text (`manual` for text a manager wrote).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class MessageDirection(enum.StrEnum):
    outbound = "outbound"
    inbound = "inbound"


class MessageChannel(enum.StrEnum):
    email = "email"
    whatsapp = "whatsapp"
    app = "app"  # inbound only: a registered creator writing in the app (`POST /creators/me/campaigns/{id}/negotiate`)


class MessageStatus(enum.StrEnum):
    draft = "draft"
    approved = "approved"
    queued = "queued"
    sending = "sending"
    sent = "sent"
    delivered = "delivered"
    read = "read"
    failed = "failed"
    received = "received"
    discarded = "discarded"


class Message(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "messages"
    # Fetch updated_at (and other server values) at flush, so responses never lazy-load them.
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (Index("ix_messages_channel_to_address", "channel", "to_address"),)

    # NULL only for a manager's direct WhatsApp message (`POST /whatsapp/send`), which belongs to no thread
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"),
                                                              index=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(  # direct messages: the sender's organization
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    direction: Mapped[MessageDirection] = mapped_column(str_enum(MessageDirection))
    channel: Mapped[MessageChannel] = mapped_column(str_enum(MessageChannel))
    status: Mapped[MessageStatus] = mapped_column(str_enum(MessageStatus), index=True)
    subject: Mapped[str | None] = mapped_column(String(998))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    to_address: Mapped[str | None] = mapped_column(String(320))
    from_address: Mapped[str | None] = mapped_column(String(320))
    approval_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("approvals.id", ondelete="SET NULL"),
                                                          index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(200))
    prompt_version: Mapped[str | None] = mapped_column(String(100))
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    send_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    send_lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error_code: Mapped[int | None] = mapped_column(Integer)  # the provider's (WhatsApp: 131047 → resend as template)
    # WhatsApp: the template a manager chose for a direct message ({"name", "language", "body_parameters"});
    # thread messages use the configured outreach / follow-up templates
    whatsapp_template: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    sent_kind: Mapped[str | None] = mapped_column(String(16))  # WhatsApp: text | template, as last attempted
