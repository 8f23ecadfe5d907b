"""`payments.notify_manager(invoice_id)`: emails the manager that a payment went out, with its invoice number
(outbox job written by the payout's transaction, key `invoice-notify:<invoice>`).

The recipient is the manager who approved the payment (else the campaign's manager). Idempotent: the invoice row is
locked and `manager_notified_at` set in the same transaction, so a redelivered job sends nothing; the Message-ID
is derived from the job key, so a send repeated after a crash is recognisably the same mail. Retryable SMTP
trouble is retried; a permanent refusal is recorded on the invoice.
"""

from __future__ import annotations

import logging
import uuid

import dramatiq

from store.db import unit_of_work
from store.jobs import PAYMENTS_NOTIFY_MANAGER, InvoiceNotify
from store.payments.notifications import InvoiceNotice, invoice_notice, record_notice
from tools.integrations.email import EmailSender, deliver_email
from tools.integrations.email_message import OutboundEmail
from workers.jobs import job_actor

log = logging.getLogger(__name__)


def _email(notice: InvoiceNotice) -> OutboundEmail:
    return OutboundEmail(
        to_address=notice.to_address, to_name=notice.to_name, subject=notice.subject, text_body=notice.text,
        idempotency_key=f"invoice-notify:{notice.invoice_id}", reply_token=f"invoice{notice.invoice_id.hex[:24]}",
        unsubscribe_footer=False)


async def notify_manager(invoice_id: str, sender: EmailSender | None = None) -> str:
    retry_reason = None
    async with unit_of_work() as session:
        notice = await invoice_notice(session, uuid.UUID(invoice_id))
        if notice is None:
            return "nothing to do"
        result = await deliver_email(_email(notice), sender)
        reason = None if result.ok else f"{result.reason}: {result.detail}" if result.detail else result.reason
        await record_notice(session, notice.invoice_id, sent=result.ok, error=reason)
        if not result.ok and result.retryable:
            retry_reason = reason
    if retry_reason is not None:
        raise dramatiq.Retry(f"invoice {invoice_id} notification: {retry_reason}")
    log.info("invoice %s: manager notified (%s)", invoice_id, "sent" if reason is None else reason)
    return "sent" if reason is None else f"failed: {reason}"


@job_actor(PAYMENTS_NOTIFY_MANAGER)
async def notify_manager_actor(job: InvoiceNotify) -> str:
    return await notify_manager(str(job.invoice_id))
