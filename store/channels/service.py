"""WhatsApp sends: queueing one (row + outbox job in the decision's transaction), recording the provider's
answer, and applying status webhooks with `advance_status`. Flushes only; the unit of work commits.

Do-not-contact is checked when queueing (fast feedback) and again by the actor right before sending.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound
from store.channels.delivery import DeliveryStatus, advance_status
from store.channels.repository import WhatsAppSendRepository
from store.contacts.normalize import normalize_phone
from store.contacts.service import DoNotContactService
from store.inbound.repository import InboundEventRepository
from store.jobs import WHATSAPP_SEND, WhatsAppSendJob
from store.models import Channel, WhatsAppSend
from store.outbox.repository import OutboxRepository

_STATUS_TIME_FIELD = {DeliveryStatus.sent: "sent_at", DeliveryStatus.delivered: "delivered_at",
                      DeliveryStatus.read: "read_at", DeliveryStatus.failed: "failed_at"}


class DoNotContactBlocked(Conflict):
    code = "do_not_contact"


@dataclass(frozen=True)
class NewWhatsAppSend:
    to_phone: str
    idempotency_key: str
    text: str | None = None
    template: dict[str, Any] | None = None  # {"name", "language", "body_parameters"}
    organization_id: uuid.UUID | None = None
    created_by_user_id: uuid.UUID | None = None
    message_id: uuid.UUID | None = None  # phase 2: the messages row this send delivers


class WhatsAppSendService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.sends = WhatsAppSendRepository(session)
        self.contacts = DoNotContactService(session)
        self.inbound = InboundEventRepository(session)

    async def last_inbound_at(self, phone: str) -> datetime | None:
        return await self.inbound.last_message_at(Channel.whatsapp, normalize_phone(phone))

    async def ensure_not_blocked(self, phone: str, organization_id: uuid.UUID | None) -> None:
        if await self.contacts.is_blocked(Channel.whatsapp, phone, organization_id):
            raise DoNotContactBlocked("This number is on the do-not-contact list")

    async def queue(self, new: NewWhatsAppSend) -> tuple[WhatsAppSend, bool]:
        """The queued send and whether it is new (False: this idempotency key was queued before)."""
        phone = normalize_phone(new.to_phone)
        existing = await self.sends.by_key(new.idempotency_key)
        if existing is not None:
            return existing, False
        await self.ensure_not_blocked(phone, new.organization_id)
        row = await self.sends.insert({
            "organization_id": new.organization_id, "created_by_user_id": new.created_by_user_id,
            "message_id": new.message_id, "to_phone": phone, "kind": "text" if new.text else "template",
            "content": {"text": new.text, "template": new.template}, "idempotency_key": new.idempotency_key,
            "status": DeliveryStatus.queued,
        })
        if row is None:  # a concurrent request with the same key won
            winner = await self.sends.by_key(new.idempotency_key)
            assert winner is not None
            return winner, False
        await OutboxRepository(self.session).enqueue(WHATSAPP_SEND, WhatsAppSendJob(send_id=row.id),
                                                     f"{WHATSAPP_SEND.name}:{row.id}")
        return row, True

    async def get_in_organization(self, reference: str, organization_id: uuid.UUID | None) -> WhatsAppSend:
        send = await self.sends.find_in_organization(reference, organization_id)
        if send is None:
            raise NotFound("No such WhatsApp message", code="not_found")
        return send

    async def apply_status(self, provider_message_id: str, incoming: DeliveryStatus, at: datetime | None,
                           error_code: int | None = None, reason: str | None = None) -> WhatsAppSend | None:
        """Advance the send's status (never backwards); None when no send has this wamid (yet)."""
        send = await self.sends.by_provider_id_for_update(provider_message_id)
        if send is None:
            return None
        apply_status_to(send, incoming, at or datetime.now(UTC), error_code, reason)
        await self.session.flush()
        return send


def apply_status_to(send: WhatsAppSend, incoming: DeliveryStatus, at: datetime, error_code: int | None = None,
                    reason: str | None = None) -> None:
    """Mutate `send` for one status report: the status ladder, its timestamp, the failure reason."""
    send.status = advance_status(send.status, incoming)
    field = _STATUS_TIME_FIELD.get(incoming)
    # receipts are facts even when they arrive late (read before delivered); a contradicted failure is not
    if field and getattr(send, field) is None and (incoming != DeliveryStatus.failed or send.status == incoming):
        setattr(send, field, at)
    if send.status == DeliveryStatus.failed and incoming == DeliveryStatus.failed:
        send.error_code = error_code
        send.failure_reason = reason
