"""Sending email: the `EmailSender` protocol, its SMTP implementation (aiosmtplib), and `deliver_email`.

`deliver_email(OutboundEmail)` builds the message (`email_message.build_message`), sends it and returns a
`DeliveryResult`; it never raises for provider trouble. Errors are classified:

- retryable: connection refused/reset/timeout, server disconnects, any 4xx reply (greylisting, mailbox busy,
  rate limits) — the actor retries with backoff;
- permanent: 5xx replies — `recipient_rejected` (RCPT 5xx, a bounce: the address gets blocked),
  `sender_rejected`, `message_rejected` (DATA 5xx), `auth_failed` — stored as the failure reason.

Locally, SMTP goes to the SMTP sink (`tools.integrations.smtp_sink`, on SMTP_HOST:SMTP_PORT by default).
"""

from __future__ import annotations

import logging
from email.message import Message
from typing import Protocol

import aiosmtplib

from core.settings import Settings, get_settings
from tools.integrations.delivery import DeliveryResult
from tools.integrations.email_message import OutboundEmail, UnsendableAddress, build_message
from tools.integrations.smtp_pool import smtp_pool

log = logging.getLogger(__name__)


class EmailSender(Protocol):
    async def send(self, message: Message) -> DeliveryResult:
        """Hand `message` to the provider; a result, never an exception, for provider trouble."""
        ...


class SmtpEmailSender:
    """SMTP with the SMTP_* settings over pooled connections. SMTP_USE_TLS: implicit TLS on port 465, required
    STARTTLS elsewhere."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    async def send(self, message: Message) -> DeliveryResult:
        try:
            await smtp_pool(self.settings).send(message)  # a pooled connection (tools/integrations/smtp_pool.py)
        except Exception as exc:
            result = classify_smtp_error(exc)
            log.warning("email %s not sent: %s (%s)", message["Message-ID"], result.reason, result.detail)
            return result
        return DeliveryResult.sent(str(message["Message-ID"]))


def _reply_code_result(code: int, text: str, permanent_reason: str) -> DeliveryResult:
    if 400 <= code < 500:
        return DeliveryResult.failed("temporary_failure", retryable=True, detail=text, error_code=code)
    if 500 <= code < 600:
        bounce = permanent_reason == "recipient_rejected"
        return DeliveryResult.failed(permanent_reason, retryable=False, detail=text, error_code=code, bounce=bounce)
    return DeliveryResult.failed("smtp_error", retryable=True, detail=text, error_code=code)


def classify_smtp_error(exc: BaseException) -> DeliveryResult:
    """Retryable (connection, timeouts, 4xx) or permanent (5xx), with a stable reason."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        refused = exc.recipients[0] if exc.recipients else None
        if refused is None:
            return DeliveryResult.failed("recipient_rejected", retryable=False, detail=str(exc), bounce=True)
        exc = refused
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return _reply_code_result(exc.code, exc.message, "recipient_rejected")
    if isinstance(exc, aiosmtplib.SMTPSenderRefused):
        return _reply_code_result(exc.code, exc.message, "sender_rejected")
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return _reply_code_result(exc.code, exc.message, "auth_failed")
    if isinstance(exc, aiosmtplib.SMTPDataError):
        return _reply_code_result(exc.code, exc.message, "message_rejected")
    if isinstance(exc, (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected,
                        aiosmtplib.SMTPTimeoutError, ConnectionError, TimeoutError, OSError)):
        return DeliveryResult.failed("connection_error", retryable=True, detail=f"{type(exc).__name__}: {exc}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return _reply_code_result(exc.code, exc.message, "rejected")
    if isinstance(exc, aiosmtplib.SMTPException):
        return DeliveryResult.failed("smtp_error", retryable=True, detail=f"{type(exc).__name__}: {exc}")
    raise exc  # a bug (bad message, programming error), not provider trouble


async def deliver_email(email: OutboundEmail, sender: EmailSender | None = None,
                        settings: Settings | None = None) -> DeliveryResult:
    """Build and send one outreach email. The caller checks do-not-contact and idempotency first."""
    try:
        message = build_message(email, settings)
    except UnsendableAddress as exc:
        return DeliveryResult.failed("invalid_address", retryable=False, detail=exc.message)
    return await (sender or SmtpEmailSender(settings)).send(message)
