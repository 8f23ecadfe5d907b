"""What a send attempt returns, for every channel: the send actors record it and decide to retry.

`status` is `sent` (the provider accepted the message; delivery receipts come later through webhooks) or
`failed`. A failed result is `retryable` (connection trouble, throttling, 4xx SMTP, 5xx HTTP: raise so the
actor retries, honouring `retry_after_seconds` when set) or permanent (`reason` says why and is stored).
`bounce` marks a permanently unreachable address: the actor blocks it (`BlockSource.bounce`).
`needs_template` marks a WhatsApp free-text message refused outside the 24-hour window: resend as a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.channels.delivery import DeliveryStatus


@dataclass(frozen=True)
class DeliveryResult:
    status: DeliveryStatus
    provider_message_id: str | None = None
    retryable: bool = False
    reason: str | None = None  # a stable code: "recipient_rejected", "whatsapp_131026", "connection_error", ...
    detail: str | None = None  # the provider's words, for operators
    error_code: int | None = None  # SMTP reply code or WhatsApp error code
    retry_after_seconds: float | None = None
    bounce: bool = False
    needs_template: bool = False
    opted_out: bool = False  # the provider says the person opted out (WhatsApp 131050): block the address
    content: dict[str, Any] | None = None  # what was actually sent (WhatsApp: the text or template payload)

    @property
    def ok(self) -> bool:
        return self.status == DeliveryStatus.sent

    @classmethod
    def sent(cls, provider_message_id: str, content: dict[str, Any] | None = None) -> DeliveryResult:
        return cls(status=DeliveryStatus.sent, provider_message_id=provider_message_id, content=content)

    @classmethod
    def failed(cls, reason: str, *, retryable: bool, detail: str | None = None, error_code: int | None = None,
               retry_after_seconds: float | None = None, bounce: bool = False,
               needs_template: bool = False, opted_out: bool = False,
               content: dict[str, Any] | None = None) -> DeliveryResult:
        return cls(status=DeliveryStatus.failed, retryable=retryable, reason=reason, detail=detail,
                   error_code=error_code, retry_after_seconds=retry_after_seconds, bounce=bounce,
                   needs_template=needs_template, opted_out=opted_out, content=content)
