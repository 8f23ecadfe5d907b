"""`inbound.process`: what happens to a stored inbound event (one outbox job per event, key `inbound:<id>`).

Now (phase 1):
- WhatsApp status → the matching `whatsapp_sends` row advances via `advance_status` (never backwards); a
  failure keeps its classified reason; 131050 (the user stopped marketing messages) blocks the number.
  A status that arrives before the send recorded its wamid is retried for 3 minutes, then left unmatched.
- WhatsApp / email message → a reply that is only "STOP" (or a translation) blocks the sender globally;
  auto-replies are noted. Then the PHASE 2 HOOK `route_to_conversation` (a no-op today).
The event is marked processed in the same transaction; a redelivered job finds it processed and does nothing.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq
from sqlalchemy.ext.asyncio import AsyncSession

from store.channels.delivery import parse_status
from store.channels.service import WhatsAppSendService
from store.contacts.service import DoNotContactService
from store.db import unit_of_work
from store.inbound.repository import InboundEventRepository
from store.models import BlockSource, Channel, InboundEvent, InboundKind, WhatsAppSend
from tools.inbound.keywords import is_stop_request
from tools.inbound.whatsapp import message_text
from tools.integrations.whatsapp_errors import classify_whatsapp_error, error_from_body
from workers import broker as _broker  # noqa: F401

log = logging.getLogger(__name__)
UNMATCHED_STATUS_GRACE = timedelta(minutes=3)  # inside the actor's retry budget (~6 min)


class StatusBeforeSend(Exception):
    """A status for a wamid no send has recorded yet (the webhook beat the send's commit): retry later."""


async def route_to_conversation(session: AsyncSession, event: InboundEvent, text: str | None) -> str:
    """PHASE 2 HOOK: match the message to its conversation (email: `payload["reply_token"]`, then
    `in_reply_to`/`references` against our Message-IDs; WhatsApp: the sender's phone and `context.id`), store it as
    an inbound message and resume the negotiation agent with `text` (already stripped of quotes/signatures).
    Runs in the processing transaction; raise to retry. Returns a short outcome for `inbound_events.outcome`."""
    return "stored; routing to conversations arrives in phase 2"


async def on_whatsapp_status(session: AsyncSession, send: WhatsAppSend) -> None:
    """PHASE 2 HOOK: mirror `send.status` onto the linked message (`send.message_id`); on a failure with
    `send.error_code == 131047` re-queue the message as a template."""


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
        if event.payload.get("auto_submitted"):
            return "auto-reply; not routed"
        text = event.payload.get("reply_text") or None
    if event.sender and is_stop_request(text):
        outcome = await DoNotContactService(session).handle_stop(event.channel, event.sender,
                                                                 reason=f"replied {text!r}")
        return f"STOP: {event.channel.value} {event.sender} blocked" + ("" if outcome.created else " (already)")
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


@dramatiq.actor(actor_name="inbound.process", max_retries=8, min_backoff=2_000, max_backoff=120_000,
                time_limit=60_000)
async def process(event_id: str) -> None:
    await process_inbound_event(event_id)
