"""`inbound.process`: what happens to a stored inbound event (one outbox job per event, key `inbound:<id>`).

- WhatsApp status → the matching `whatsapp_sends` row advances via `advance_status` (never backwards); a
  failure keeps its classified reason; 131050 (the user stopped marketing messages) blocks the number.
  A status that arrives before the send recorded its wamid is retried for 3 minutes, then left unmatched.
  `on_whatsapp_status` mirrors it onto the conversation's `Message` (and resends a free text refused outside the
  24-hour window as the approved template).
- WhatsApp / email message → `route_to_conversation`: matched to its conversation (`store/negotiations/routing`),
  opt-outs handled in code (`agents/negotiation/inbound.handle_reply`: blocked, drafts cancelled, no turn), else
  stored once as an inbound `Message` and one negotiation turn queued. Email auto-replies are routed too (an
  out-of-office moves the follow-up) but never answered.
The event is marked processed in the same transaction; a redelivered job finds it processed and does nothing.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agents.negotiation.inbound import handle_reply
from store.channels.delivery import parse_status
from store.channels.service import WhatsAppSendService
from store.contacts.service import DoNotContactService
from store.db import unit_of_work
from store.inbound.repository import InboundEventRepository
from store.jobs import INBOUND_PROCESS, InboundProcess
from store.messages.service import MessageSendService
from store.models import BlockSource, Channel, InboundEvent, InboundKind, MessageChannel, WhatsAppSend
from store.negotiations.routing import InboundRouter, InboundText
from tools.inbound.whatsapp import message_text
from tools.integrations.whatsapp_errors import classify_whatsapp_error, error_from_body
from workers.jobs import job_actor

log = logging.getLogger(__name__)
UNMATCHED_STATUS_GRACE = timedelta(minutes=3)  # inside the actor's retry budget (~6 min)


class StatusBeforeSend(Exception):
    """A status for a wamid no send has recorded yet (the webhook beat the send's commit): retry later."""


async def route_to_conversation(session: AsyncSession, event: InboundEvent, text: str | None) -> str:
    """Match the message to its conversation (email: reply token, then In-Reply-To/References, then the sender;
    WhatsApp: the replied-to wamid, then the sender's number), store it and queue the negotiation turn with
    `text` (already stripped of quotes/signatures). Runs in the processing transaction; raise to retry.
    Returns a short outcome for `inbound_events.outcome`."""
    router = InboundRouter(session)
    if event.channel == Channel.email:
        conversation = await router.match_email(event.payload, event.sender)
    else:
        conversation = await router.match_whatsapp(event.payload, event.sender)
    subject = event.payload.get("subject") if event.channel == Channel.email else None
    inbound = InboundText(channel=MessageChannel(event.channel.value), text=text or "",
                          provider_id=event.provider_message_id, sender=event.sender,
                          subject=str(subject)[:998] if subject else None,
                          auto_reply=bool(event.payload.get("auto_submitted")))
    return await handle_reply(session, conversation, inbound)


async def on_whatsapp_status(session: AsyncSession, send: WhatsAppSend) -> None:
    """Mirror `send.status` onto the linked message; a 131047 failure re-queues the message as a template."""
    if send.message_id is not None:
        await MessageSendService(session).apply_whatsapp_receipt(send)


async def _apply_whatsapp_status(session: AsyncSession, event: InboundEvent) -> str:
    status: dict[str, Any] = event.payload["status"]
    incoming = parse_status(str(status.get("status", "")))
    if incoming is None:
        return f"ignored status {status.get('status')!r}"
    error_code, reason = None, None
    errors = status.get("errors") or []
    if errors:
        error_code, detail = error_from_body(errors[0])
        classified = classify_whatsapp_error(error_code, None, detail)
        reason = f"{classified.reason}: {detail}" if detail else classified.reason
        if classified.opted_out and status.get("recipient_id"):
            await DoNotContactService(session).block(Channel.whatsapp, str(status["recipient_id"]),
                                                     source=BlockSource.unsubscribe, reason=reason or "opted out")
    send = await WhatsAppSendService(session).apply_status(event.provider_message_id, incoming, event.occurred_at,
                                                           error_code, reason)
    if send is None:
        if datetime.now(UTC) - event.received_at < UNMATCHED_STATUS_GRACE:
            raise StatusBeforeSend(event.provider_message_id)
        return f"no send with id {event.provider_message_id}"
    await on_whatsapp_status(session, send)
    return f"{incoming.value} → send {send.id} is {send.status.value}"


async def _handle_message(session: AsyncSession, event: InboundEvent) -> str:
    if event.channel == Channel.whatsapp:
        text = message_text(event.payload.get("message") or {})
    else:
        text = event.payload.get("reply_text") or None
    return await route_to_conversation(session, event, text)


async def process_inbound_event(event_id: str) -> str:
    async with unit_of_work() as session:
        events = InboundEventRepository(session)
        event = await events.get_for_update(uuid.UUID(event_id))
        if event is None:
            return "missing"
        if event.processed_at is not None:
            return "already processed"
        if event.kind == InboundKind.status:
            outcome = await _apply_whatsapp_status(session, event)
        else:
            outcome = await _handle_message(session, event)
        await events.mark_processed(event.id, outcome)
    log.info("inbound event %s: %s", event_id, outcome)
    return outcome


@job_actor(INBOUND_PROCESS)
async def process(job: InboundProcess) -> str:
    return await process_inbound_event(str(job.event_id))
