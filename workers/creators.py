"""Creator actors. `creators.embed` is enqueued through the outbox whenever a creator's embedded text changes
(flush hook, imports); it is idempotent, so at-least-once delivery and duplicate jobs only cost a skip.
`creators.confirm_email` mails the confirmation link of a pending email change to the new address; a request
that is no longer pending sends nothing, and a redelivery resends with the same Message-ID."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr

import dramatiq

from core.settings import get_settings
from store.creators.email_change import ConfirmationEmail, confirmation_email
from store.db import unit_of_work
from store.jobs import CREATORS_CONFIRM_EMAIL, CREATORS_EMBED, CreatorsEmbed, EmailConfirmation
from tools.embeddings.indexer import embed_creators
from tools.integrations.email import EmailSender, SmtpEmailSender
from tools.integrations.email_message import message_id_for
from workers.jobs import job_actor


@job_actor(CREATORS_EMBED)
async def embed(job: CreatorsEmbed) -> int:
    """(Re)embed these creators where their stored embedding is missing or stale; how many changed."""
    return await embed_creators(list(job.creator_ids))


def _message(email: ConfirmationEmail) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = formataddr((settings.EMAIL_FROM_NAME, settings.EMAIL_FROM_ADDRESS))
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Message-ID"] = message_id_for(f"confirm-email:{email.token_hash}",
                                           settings.EMAIL_FROM_ADDRESS.rpartition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.body)
    return message


async def send_email_confirmation(job: EmailConfirmation, sender: EmailSender | None = None) -> str:
    async with unit_of_work() as session:
        email = await confirmation_email(session, job.creator_id, job.token_hash)
    if email is None:
        return "superseded"
    result = await (sender or SmtpEmailSender()).send(_message(email))
    if not result.ok and result.retryable:
        raise dramatiq.Retry(f"email confirmation for creator {job.creator_id}: {result.reason}")
    return "sent" if result.ok else f"failed: {result.reason}"


@job_actor(CREATORS_CONFIRM_EMAIL)
async def confirm_email(job: EmailConfirmation) -> str:
    return await send_email_confirmation(job)
