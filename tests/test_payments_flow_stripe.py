"""Processing payments through Stripe (the local stand-in over real HTTP): the provider idempotency key makes a
payout whose transaction died after Stripe accepted it one transfer on retry; concurrent calls make one transfer;
a refused payout is recorded as failed (502) and can be processed again."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

import agents.contract.payouts as payouts
from agents.contract.payouts import process_payment
from api.standins.stripe import StripeStandin
from core.settings import get_settings
from store.db import unit_of_work
from tests.agents_flow import decide, pending
from tests.conftest import manager_headers
from tests.support.contracts_flow import agreed_negotiation, signed_contract
from tests.support.payments import serve_stripe_standin


@pytest.fixture(scope="module")
def standin() -> Iterator[tuple[StripeStandin, str]]:
    stand_in = StripeStandin(api_key="sk_test_influency")
    with serve_stripe_standin(stand_in) as base_url:
        yield stand_in, base_url


@pytest.fixture
async def stripe(standin: tuple[StripeStandin, str], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StripeStandin]:
    stand_in, base_url = standin
    stand_in.reset()
    for name, value in (("PAYMENT_PROVIDER", "stripe"), ("STRIPE_API_KEY", "sk_test_influency"),
                        ("STRIPE_API_BASE", base_url), ("STRIPE_MAX_NETWORK_RETRIES", "0")):
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    monkeypatch.setattr(payouts, "payout_destination", lambda creator, payment: "acct_creator1")
    yield stand_in
    monkeypatch.undo()
    get_settings.cache_clear()


async def approved_advance(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    deal = await agreed_negotiation(client, headers)
    await signed_contract(client, headers, deal)
    [approval] = await pending(client, headers, "payment")
    assert (await decide(client, headers, approval["id"], "approve")).status_code == 200
    return dict((await client.get(f"/payments/{approval['action_request']['args']['payment_id']}",
                                  headers=headers)).json())


async def test_a_payout_retried_after_a_crash_is_one_transfer(client: httpx.AsyncClient, stripe: StripeStandin,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    payment = await approved_advance(client, headers)
    organization_id = uuid.UUID((await client.get("/auth/me", headers=headers)).json()["organization_id"])

    async def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the process died after Stripe accepted the transfer")

    with monkeypatch.context() as patch:
        patch.setattr(payouts, "_issue_invoice", crash)
        with pytest.raises(RuntimeError):
            async with unit_of_work() as session:
                await process_payment(session, organization_id, uuid.UUID(payment["id"]))
    assert len(stripe.transfers) == 1
    [transfer_id] = stripe.transfers
    assert (await client.get(f"/payments/{payment['id']}", headers=headers)).json()["status"] == "approved"

    retried = await client.post(f"/payments/{payment['id']}/process", headers=headers)
    assert retried.status_code == 200, retried.text
    assert retried.json()["provider"] == "stripe" and retried.json()["provider_reference"] == transfer_id
    assert len(stripe.transfers) == 1
    assert stripe.transfers[transfer_id]["amount"] == 60000  # EUR 600.00 in cents


async def test_concurrent_stripe_processing_makes_one_transfer(client: httpx.AsyncClient,
                                                               stripe: StripeStandin) -> None:
    headers = await manager_headers(client)
    payment = await approved_advance(client, headers)
    stripe.processing_delay_seconds = 0.2
    responses = await asyncio.gather(*(client.post(f"/payments/{payment['id']}/process", headers=headers)
                                       for _ in range(3)))
    assert sorted(response.status_code for response in responses) == [200, 409, 409]
    assert len(stripe.transfers) == 1


async def test_a_refused_payout_is_recorded_and_can_be_retried(client: httpx.AsyncClient, stripe: StripeStandin,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    payment = await approved_advance(client, headers)
    monkeypatch.setattr(payouts, "payout_destination", lambda creator, payment: "acct_insufficient_funds")
    refused = await client.post(f"/payments/{payment['id']}/process", headers=headers)
    assert refused.status_code == 502 and refused.json()["code"] == "payout_failed"
    failed = (await client.get(f"/payments/{payment['id']}", headers=headers)).json()
    assert failed["status"] == "failed" and failed["failure_reason"] and failed["invoice"] is None
    assert stripe.transfers == {}

    monkeypatch.setattr(payouts, "payout_destination", lambda creator, payment: "acct_creator1")  # account fixed
    retried = await client.post(f"/payments/{payment['id']}/process", headers=headers)
    assert retried.status_code == 200 and retried.json()["status"] == "paid", retried.text
    assert len(stripe.transfers) == 1
