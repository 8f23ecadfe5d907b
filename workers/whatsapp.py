"""`whatsapp.send`: delivers one queued `whatsapp_sends` row (outbox job, key `whatsapp.send:<send id>`).

Idempotent: the row is locked for the attempt and only a `queued` row is sent, so a redelivered job never sends
twice once the outcome is committed. (A crash between the provider accepting the message and that commit
can still duplicate it: the Cloud API has no idempotency key.) Do-not-contact is checked again right before
the call. Retryable failures are committed (attempts, last reason) and then retried by raising `Retry` with the
provider's delay; after MAX_ATTEMPTS the send is marked failed.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import dramatiq

from store.channels.delivery import DeliveryStatus
from store.channels.service import WhatsAppSendService, apply_status_to
from store.contacts.service import DoNotContactService
from store.db import unit_of_work
from store.jobs import WHATSAPP_SEND, WhatsAppSendJob
from store.models import BlockSource, Channel, WhatsAppSend
from tools.integrations.delivery import DeliveryResult
from tools.integrations.whatsapp import OutboundWhatsApp, TemplateRef, WhatsAppClient, deliver_whatsapp
from workers.jobs import job_actor

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


def _outbound(send: WhatsAppSend, last_inbound_at: datetime | None) -> OutboundWhatsApp:
    template = send.content.get("template")
    return OutboundWhatsApp(
        to_phone=send.to_phone, idempotency_key=send.idempotency_key, text=send.content.get("text"),
        template=TemplateRef(**template) if template else None, last_inbound_at=last_inbound_at)


def _record(send: WhatsAppSend, result: DeliveryResult) -> None:
    send.attempts += 1
    if result.content:
        send.kind = str(result.content["type"])
        send.content = {**send.content, "sent": result.content}
    if result.ok:
        send.provider_message_id = result.provider_message_id
        apply_status_to(send, DeliveryStatus.sent, datetime.now(UTC))
        send.failure_reason = None
        return
    reason = f"{result.reason}: {result.detail}" if result.detail else result.reason
    if result.retryable and send.attempts < MAX_ATTEMPTS:
        send.failure_reason = f"attempt {send.attempts}: {reason}"
        return
    apply_status_to(send, DeliveryStatus.failed, datetime.now(UTC), result.error_code, reason)


async def send_whatsapp(send_id: str, client: WhatsAppClient | None = None) -> DeliveryResult | None:
    """Deliver the send; the result (None when there was nothing to do). Raises `Retry` for retryable trouble."""
    retry_in: float | None = None
    async with unit_of_work() as session:
        service = WhatsAppSendService(session)
        send = await service.sends.get_for_update(uuid.UUID(send_id))
        if send is None or send.status != DeliveryStatus.queued:
            return None
        contacts = DoNotContactService(session)
        if await contacts.is_blocked(Channel.whatsapp, send.to_phone, send.organization_id):
            apply_status_to(send, DeliveryStatus.failed, datetime.now(UTC), None, "do_not_contact")
            return None
        result = await deliver_whatsapp(_outbound(send, await service.last_inbound_at(send.to_phone)), client)
        _record(send, result)
        if result.opted_out:
            await contacts.block(Channel.whatsapp, send.to_phone, source=BlockSource.unsubscribe,
                                 reason=result.reason or "opted out")
        if send.status == DeliveryStatus.queued:
            retry_in = result.retry_after_seconds or 0.0
    if retry_in is not None:
        raise dramatiq.Retry(f"whatsapp send {send_id}: {result.reason}", delay=int(retry_in * 1000) or None)
    log.info("whatsapp send %s: %s", send_id, result.status.value)
    return result


@job_actor(WHATSAPP_SEND)
async def send(job: WhatsAppSendJob) -> DeliveryResult | None:
    return await send_whatsapp(str(job.send_id))
