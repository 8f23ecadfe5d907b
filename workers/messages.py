"""`messages.send_email` / `messages.send_whatsapp` (payload `{"message_id"}`, outbox key `send:<id>`),
`messages.send_emails` (`{"message_ids"}`: email sends the relay found pending together, `store/jobs/coalesce.py`)
and the `messages.sweep` that re-drives sends stuck in flight and starts due follow-ups.

Each send: claim the message in Postgres (`queued → sending` with a lease, committed) → do-not-contact and the
campaign checked in that claim (blocked: `failed`, reason `do_not_contact`, nothing sent) → the provider call
outside any transaction → the outcome recorded (`store/messages/service.py`, which also states the residual
duplicate window after a crash). Retryable failures go back to `queued` and the actor retries with backoff
(the provider's Retry-After when given); after MESSAGE_SEND_MAX_ATTEMPTS the message fails with its reason.
Delivery is at least once: a redelivered job finds the message claimed or sent and does nothing.

Tests call `send_message` (the function the single-message actors wrap; `send_messages` is the batch's) with a
local sender or client.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence

import dramatiq

from core.settings import get_settings
from store.db import unit_of_work
from store.jobs import (
    MESSAGES_SEND_EMAIL,
    MESSAGES_SEND_EMAILS,
    MESSAGES_SEND_WHATSAPP,
    MESSAGES_SWEEP,
    NoPayload,
    SendMessage,
    SendMessages,
)
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
    outcomes = await send_messages([uuid.UUID(message_id)], email_sender=email_sender, whatsapp_client=whatsapp_client)
    return outcomes[uuid.UUID(message_id)]


async def send_messages(message_ids: Sequence[uuid.UUID], *, email_sender: EmailSender | None = None,
                        whatsapp_client: WhatsAppClient | None = None) -> dict[uuid.UUID, str]:
    """Send a batch: one claim transaction for all, the provider calls concurrently (SMTP through this loop's
    pool, at most SMTP_POOL_SIZE at once), one record transaction for all. Raises `Retry` when any message's
    failure is retryable: the retried job claims only the messages that went back to `queued`."""
    distinct = list(dict.fromkeys(message_ids))  # claim_many answers once per distinct id, in order
    async with unit_of_work() as session:
        claims = await MessageSendService(session).claim_many(distinct)
    outcomes = {message_id: claim.outcome for message_id, claim in zip(distinct, claims, strict=True)}
    for message_id, claim in zip(distinct, claims, strict=True):
        if claim.job is None:
            log.info("message %s: %s", message_id, claim.outcome)
    jobs = [claim.job for claim in claims if claim.job is not None]
    if not jobs:
        return outcomes
    results = await _deliver_all(jobs, email_sender, whatsapp_client)
    async with unit_of_work() as session:
        recorded = await MessageSendService(session).record_many(
            [(job, _outcome(result)) for job, result in zip(jobs, results, strict=True)])
    retry_after: dict[uuid.UUID, float] = {}
    for job, result, outcome in zip(jobs, results, recorded, strict=True):
        outcomes[job.message_id] = outcome
        log.info("message %s (attempt %s): %s", job.message_id, job.attempt, outcome)
        if outcome == "retry":
            retry_after[job.message_id] = result.retry_after_seconds or 0
    if retry_after:  # the provider's longest Retry-After, else the job's own backoff
        delay = int(max(retry_after.values()) * 1000) or None
        raise dramatiq.Retry(f"message(s) {', '.join(map(str, retry_after))}: {len(retry_after)} of {len(jobs)} "
                             "to retry", delay=delay)
    return outcomes


async def _deliver_all(jobs: Sequence[SendJob], email_sender: EmailSender | None,
                       whatsapp_client: WhatsAppClient | None) -> list[DeliveryResult]:
    """Every job's provider call, concurrently, within the job's time budget: a send still running at the end
    (a server that stopped answering) is cancelled and counts as a retryable timeout, so the batch records
    everyone's outcome before Dramatiq's time limit would stop it with nothing recorded."""
    tasks = [asyncio.ensure_future(_deliver(job, email_sender, whatsapp_client)) for job in jobs]
    _, late = await asyncio.wait(tasks, timeout=_delivery_budget())
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    return [task.result() if task not in late else DeliveryResult.failed(
        "timeout", retryable=True, detail="not sent within the send job's time budget") for task in tasks]


def _delivery_budget() -> float:
    """Seconds the provider calls of one send job may take: its time limit, less room to record the outcomes."""
    limit = MESSAGES_SEND_EMAILS.actor_options(get_settings())["time_limit"] / 1000
    return float(max(limit * 0.8, limit - 5))


async def _deliver(job: SendJob, email_sender: EmailSender | None,
                   whatsapp_client: WhatsAppClient | None) -> DeliveryResult:
    """One provider call; an unexpected error is a retryable failure of this message, not of its batch."""
    try:
        if job.channel == MessageChannel.email:
            return await deliver_email(_email(job), email_sender)
        return await deliver_whatsapp(_whatsapp(job), whatsapp_client)
    except Exception as exc:  # deliver_* classify provider errors; this is a bug or an unclassified failure
        log.exception("message %s: unexpected error while sending", job.message_id)
        return DeliveryResult.failed("send_error", retryable=True, detail=f"{type(exc).__name__}: {exc}")


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


@job_actor(MESSAGES_SEND_EMAILS)
async def send_emails(job: SendMessages) -> dict[uuid.UUID, str]:
    """Email sends the relay found pending together (`store/jobs/coalesce.py`)."""
    return await send_messages(job.message_ids)


@job_actor(MESSAGES_SWEEP)
async def sweep(_: NoPayload) -> dict[str, int]:
    return await sweep_messages()
