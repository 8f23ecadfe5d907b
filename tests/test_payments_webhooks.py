"""Stripe webhooks: Stripe's signature scheme verified (good / bad / stale replay), events deduplicated by id."""

from __future__ import annotations

import time

import pytest

from api.standins.stripe import StripeStandin
from core.errors import ServiceUnavailable
from store.db import unit_of_work
from tools.payments.webhooks import InvalidWebhookSignature, receive_stripe_webhook, verify_stripe_webhook

SECRET = "whsec_test_secret"
standin = StripeStandin(webhook_secret=SECRET)
TRANSFER = {"id": "tr_123", "object": "transfer", "amount": 45000, "currency": "eur"}


def test_a_correctly_signed_event_is_accepted() -> None:
    payload, signature = standin.signed_event("transfer.created", TRANSFER, event_id="evt_1")
    event = verify_stripe_webhook(payload, signature, SECRET)
    assert (event.event_id, event.event_type, event.data_object["id"]) == ("evt_1", "transfer.created", "tr_123")


@pytest.mark.parametrize("tamper", ["payload", "secret", "missing", "garbage"])
def test_bad_signatures_are_refused(tamper: str) -> None:
    payload, signature = standin.signed_event("transfer.created", TRANSFER)
    header: str | None = signature
    if tamper == "payload":
        payload = payload.replace(b"45000", b"99999")
    elif tamper == "secret":
        header = standin.sign(payload, secret="whsec_someone_else")
    elif tamper == "missing":
        header = None
    else:
        header = "t=1,v1=deadbeef"
    with pytest.raises(InvalidWebhookSignature) as refused:
        verify_stripe_webhook(payload, header, SECRET)
    assert refused.value.status_code == 400


def test_a_replayed_old_delivery_is_refused() -> None:
    payload, signature = standin.signed_event("transfer.created", TRANSFER, timestamp=int(time.time()) - 3600)
    with pytest.raises(InvalidWebhookSignature, match="tolerance"):
        verify_stripe_webhook(payload, signature, SECRET, tolerance_seconds=300)


def test_secret_and_tolerance_come_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import SecretStr

    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "STRIPE_WEBHOOK_SECRET", SecretStr(SECRET))
    payload, signature = standin.signed_event("transfer.created", TRANSFER, event_id="evt_settings")
    assert verify_stripe_webhook(payload, signature).event_id == "evt_settings"


def test_webhooks_need_a_secret() -> None:
    payload, signature = standin.signed_event("transfer.created", TRANSFER)
    with pytest.raises(ServiceUnavailable):
        verify_stripe_webhook(payload, signature, None)


async def test_a_redelivered_event_is_recorded_once() -> None:
    payload, signature = standin.signed_event("transfer.created", TRANSFER, event_id="evt_dup")
    async with unit_of_work() as session:
        first = await receive_stripe_webhook(session, payload, signature, SECRET)
    # Stripe redelivers the same event (same id) with a fresh signature
    payload_again, signature_again = standin.signed_event("transfer.created", TRANSFER, event_id="evt_dup")
    async with unit_of_work() as session:
        again = await receive_stripe_webhook(session, payload_again, signature_again, SECRET)
    assert first.is_new and not again.is_new
    async with unit_of_work() as session:
        other = await receive_stripe_webhook(session, *standin.signed_event("transfer.created", TRANSFER), SECRET)
    assert other.is_new
