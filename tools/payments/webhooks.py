"""Incoming Stripe webhooks: signature verified with Stripe's scheme, then deduplicated by event id.

`verify_stripe_webhook` checks the `Stripe-Signature` header (HMAC-SHA256 of `timestamp.payload` with the endpoint's
signing secret) and refuses signatures older than the tolerance, so a captured request can't be replayed later.
`receive_stripe_webhook` also records the event id in the caller's transaction: a redelivered event (Stripe
delivers at least once) comes back with `is_new=False` and must not be acted on again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import stripe
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, ServiceUnavailable
from core.settings import get_settings
from store.payments.webhook_events import PaymentWebhookEventRepository


class InvalidWebhookSignature(DomainError):
    status_code = 400  # what Stripe expects for a refused delivery
    code = "invalid_webhook_signature"


@dataclass(frozen=True)
class WebhookEvent:
    provider: str
    event_id: str
    event_type: str
    payload: dict[str, Any]

    @property
    def data_object(self) -> dict[str, Any]:
        return dict(self.payload.get("data", {}).get("object", {}))


@dataclass(frozen=True)
class WebhookReceipt:
    event: WebhookEvent
    is_new: bool


def verify_stripe_webhook(payload: bytes, signature_header: str | None, secret: str | None = None,
                          tolerance_seconds: int | None = None) -> WebhookEvent:
    """`secret` and `tolerance_seconds` default to STRIPE_WEBHOOK_SECRET and STRIPE_WEBHOOK_TOLERANCE_SECONDS."""
    settings = get_settings()
    if secret is None and settings.STRIPE_WEBHOOK_SECRET is not None:
        secret = settings.STRIPE_WEBHOOK_SECRET.get_secret_value()
    if tolerance_seconds is None:
        tolerance_seconds = settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
    if not secret:
        raise ServiceUnavailable("Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET",
                                 code="webhook_not_configured")
    try:
        stripe.Webhook.construct_event(payload, signature_header, secret, tolerance=tolerance_seconds)
    except stripe.SignatureVerificationError as exc:
        raise InvalidWebhookSignature(f"Webhook signature verification failed: {exc.user_message or exc}") from exc
    except ValueError as exc:
        raise InvalidWebhookSignature("Webhook payload is not valid JSON") from exc
    body = json.loads(payload)
    if not isinstance(body, dict) or not body.get("id") or not body.get("type"):
        raise InvalidWebhookSignature("Webhook payload is not a Stripe event")
    return WebhookEvent(provider="stripe", event_id=str(body["id"]), event_type=str(body["type"]), payload=body)


async def receive_stripe_webhook(session: AsyncSession, payload: bytes, signature_header: str | None,
                                 secret: str | None = None, tolerance_seconds: int | None = None) -> WebhookReceipt:
    event = verify_stripe_webhook(payload, signature_header, secret, tolerance_seconds)
    is_new = await PaymentWebhookEventRepository(session).record(
        event.provider, event.event_id, event.event_type, event.payload)
    return WebhookReceipt(event=event, is_new=is_new)
