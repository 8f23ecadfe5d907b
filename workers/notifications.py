"""`notifications.email` (payload `{"notification_id"}`, outbox key `notify:<id>`): mails a manager
notification. The row is locked for the attempt and only a `pending` one is sent, then marked; a crash before
that commit resends it with the same Message-ID (`notify:<id>`)."""

from __future__ import annotations

import logging
import uuid
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import dramatiq

from core.settings import get_settings
from store.db import unit_of_work
from store.jobs import NOTIFICATIONS_EMAIL, EmailNotification
from store.notifications.service import NotificationEmail, NotificationService
from tools.integrations.email import EmailSender, SmtpEmailSender
from tools.integrations.email_message import message_id_for
from workers.jobs import job_actor

log = logging.getLogger(__name__)


def _message(email: NotificationEmail) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = formataddr((settings.EMAIL_FROM_NAME, settings.EMAIL_FROM_ADDRESS))
    message["To"] = email.to_address
    message["Subject"] = email.subject
    domain = settings.EMAIL_FROM_ADDRESS.rpartition("@")[2] or make_msgid().split("@")[-1].rstrip(">")
    message["Message-ID"] = message_id_for(f"notify:{email.notification_id}", domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.body)
    return message


async def send_notification_email(notification_id: str, sender: EmailSender | None = None) -> str:
    async with unit_of_work() as session:
        service = NotificationService(session)
        email = await service.claim_email(uuid.UUID(notification_id))
        if email is None:
            return "nothing to send"
        result = await (sender or SmtpEmailSender()).send(_message(email))
        if not result.ok and result.retryable:
            raise dramatiq.Retry(f"notification {notification_id}: {result.reason}")
        await service.record_email(email.notification_id, sent=result.ok,
                                   failure=None if result.ok else f"{result.reason}: {result.detail}")
    return "sent" if result.ok else "failed"


@job_actor(NOTIFICATIONS_EMAIL)
async def email(job: EmailNotification) -> str:
    return await send_notification_email(str(job.notification_id))
