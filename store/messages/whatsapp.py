"""A manager's direct WhatsApp message (the WhatsApp Business service's `POST /whatsapp/send`): recorded as a
message without a conversation and queued with the same `messages.send_whatsapp` job as every other message,
so it is claimed, checked against do-not-contact, delivered, recorded and retried by the one send pipeline.

Checked when queueing, for fast feedback (409): the 24-hour rule (`whatsapp_window.py`: free text needs an
open window, else a template) and the organization's do-not-contact list; the pipeline checks both again at
send time. A repeated idempotency key returns the first message. Flushes only; the request commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound
from store.contacts.normalize import normalize_phone
from store.contacts.service import DoNotContactService
from store.jobs import MESSAGES_SEND_WHATSAPP, SendMessage
from store.messages.repository import MessageRepository
from store.messages.whatsapp_window import whatsapp_form, window_opened_at
from store.models import Channel, Message, MessageChannel, MessageDirection, MessageStatus
from store.outbox.repository import OutboxRepository


class DoNotContactBlocked(Conflict):
    code = "do_not_contact"


@dataclass(frozen=True)
class DirectWhatsApp:
    to_phone: str
    idempotency_key: str
    text: str | None = None
    template: dict[str, Any] | None = None  # {"name", "language", "body_parameters"}
    organization_id: uuid.UUID | None = None
    created_by_user_id: uuid.UUID | None = None


class DirectWhatsAppService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.messages = MessageRepository(session)

    async def queue(self, new: DirectWhatsApp, now: datetime | None = None) -> tuple[Message, bool]:
        """The queued message and whether it is new (False: this idempotency key was queued before)."""
        now = now or datetime.now(UTC)
        phone = normalize_phone(new.to_phone)
        whatsapp_form(await window_opened_at(self.session, phone), now, has_text=bool(new.text),
                      has_template=new.template is not None)
        existing = await self.messages.by_key(new.idempotency_key)
        if existing is not None:
            return existing, False
        if await DoNotContactService(self.session).is_blocked(Channel.whatsapp, phone, new.organization_id):
            raise DoNotContactBlocked("This number is on the do-not-contact list")
        message = await self.messages.insert_once({
            "conversation_id": None, "organization_id": new.organization_id,
            "created_by_user_id": new.created_by_user_id, "direction": MessageDirection.outbound,
            "channel": MessageChannel.whatsapp, "status": MessageStatus.queued, "queued_at": now,
            "body_text": new.text or "", "to_address": phone, "whatsapp_template": new.template,
            "idempotency_key": new.idempotency_key, "model": "manual", "send_attempts": 0})
        if message is None:  # a concurrent request with the same key won
            winner = await self.messages.by_key(new.idempotency_key)
            assert winner is not None
            return winner, False
        await OutboxRepository(self.session).enqueue(MESSAGES_SEND_WHATSAPP, SendMessage(message_id=message.id),
                                                     f"send:{message.id}")
        return message, True

    async def get_in_organization(self, reference: str, organization_id: uuid.UUID | None) -> Message:
        message = await self.messages.outbound_whatsapp(reference, organization_id)
        if message is None:
            raise NotFound("No such WhatsApp message", code="not_found")
        return message
