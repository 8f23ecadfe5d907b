"""`messages.send_email` / `messages.send_whatsapp` (payload `{"message_id"}`, outbox key `send:<id>`) and the
`messages.sweep` that re-drives sends stuck in flight and starts due follow-ups.

Each send: claim the message in Postgres (`queued → sending` with a lease, committed) → do-not-contact and the
campaign checked in that claim (blocked: `failed`, reason `do_not_contact`, nothing sent) → the provider call
outside any transaction → the outcome recorded (`store/messages/service.py`, which also states the residual
duplicate window after a crash). Retryable failures go back to `queued` and the actor retries with backoff
(the provider's Retry-After when given); after MESSAGE_SEND_MAX_ATTEMPTS the message fails with its reason.
Delivery is at least once: a redelivered job finds the message claimed or sent and does nothing.

Tests call `send_message` (the function both actors wrap) with a local sender or client.
"""

from __future__ import annotations

import logging
import uuid

import dramatiq

from store.db import unit_of_work
from store.jobs import MESSAGES_SEND_EMAIL, MESSAGES_SEND_WHATSAPP, MESSAGES_SWEEP, NoPayload, SendMessage
from store.messages.service import MessageSendService, SendJob, SendOutcome
from store.models import MessageChannel
from tools.integrations.delivery import DeliveryResult
from tools.integrations.email import EmailSender, deliver_email
from tools.integrations.email_message import OutboundEmail
from tools.integrations.whatsapp import OutboundWhatsApp, TemplateRef, WhatsAppClient, deliver_whatsapp
from workers.followups import start_due_follow_ups
from workers.jobs import job_actor

log = logging.getLogger(__name__)


def _email(job: SendJob) -> OutboundEmail:
    return OutboundEmail(to_address=job.to_address, to_name=job.to_name, subject=job.subject or "",
                         text_body=job.body_text, html_body=job.body_html, idempotency_key=job.idempotency_key,
                         reply_token=job.reply_token, creator_id=job.creator_id, in_reply_to=job.in_reply_to,
                         references=job.references)


def _whatsapp(job: SendJob) -> OutboundWhatsApp:
    template = (TemplateRef(job.template_name, job.template_language, job.template_parameters)
                if job.template_name else None)
    return OutboundWhatsApp(to_phone=job.to_address, idempotency_key=job.idempotency_key,
                            text=None if job.template_only else (job.body_text or None), template=template,
                            last_inbound_at=job.last_inbound_at)


def _outcome(result: DeliveryResult) -> SendOutcome:
    return SendOutcome(ok=result.ok, provider_message_id=result.provider_message_id, reason=result.reason,
                       detail=result.detail, retryable=result.retryable, bounce=result.bounce,
                       opted_out=result.opted_out, error_code=result.error_code, content=result.content)


async def send_message(message_id: str, *, email_sender: EmailSender | None = None,
                       whatsapp_client: WhatsAppClient | None = None) -> str:
    """Send one approved message at most once per claim; returns what happened. Raises `Retry` to back off."""
    async with unit_of_work() as session:
        claim = await MessageSendService(session).claim(uuid.UUID(message_id))
    if claim.job is None:
        log.info("message %s: %s", message_id, claim.outcome)
        return claim.outcome
    job = claim.job
    if job.channel == MessageChannel.email:
        result = await deliver_email(_email(job), email_sender)
    else:
        result = await deliver_whatsapp(_whatsapp(job), whatsapp_client)
    async with unit_of_work() as session:
        recorded = await MessageSendService(session).record(job, _outcome(result))
    if recorded == "retry":
        delay = int(result.retry_after_seconds * 1000) if result.retry_after_seconds else None
        raise dramatiq.Retry(f"message {message_id}: {result.reason}", delay=delay)
    log.info("message %s (attempt %s): %s", message_id, job.attempt, recorded)
    return recorded


async def sweep_messages() -> dict[str, int]:
    """Re-drive stuck sends, then start the follow-ups that are due (each in its own transaction)."""
    async with unit_of_work() as session:
        counts = await MessageSendService(session).redrive()
    counts["follow_ups"] = await start_due_follow_ups()
    return counts


async def _send(job: SendMessage) -> str:
    return await send_message(str(job.message_id))


send_email = job_actor(MESSAGES_SEND_EMAIL)(_send)
send_whatsapp = job_actor(MESSAGES_SEND_WHATSAPP)(_send)


@job_actor(MESSAGES_SWEEP)
async def sweep(_: NoPayload) -> dict[str, int]:
    return await sweep_messages()
