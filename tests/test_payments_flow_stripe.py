"""Processing payments through Stripe (the local stand-in over real HTTP) to the creator's own `payout_account`:
the provider idempotency key makes a payout whose transaction died after Stripe accepted it one transfer on retry;
concurrent calls make one transfer; a refused payout is recorded as failed (502) and can be processed again; a
creator without a payout account gets nothing attempted (409) until they add one."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

import store.payments.payouts as payouts
from api.standins.stripe import StripeStandin
from core.settings import get_settings
from store.db import unit_of_work
from store.payments.payouts import process_payment
from tests.agents_flow import decide, pending
from tests.conftest import manager_headers
from tests.support.contracts_flow import Deal, agreed_negotiation, signed_contract
from tests.support.payments import serve_stripe_standin
from tools.documents.contract_files import contract_documents
from tools.payments.factory import payment_provider


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
    yield stand_in
    monkeypatch.undo()
    get_settings.cache_clear()


async def set_payout_account(client: httpx.AsyncClient, deal: Deal, account: str | None) -> httpx.Response:
    """The creator sets where their payouts go, in their own profile."""
    return await client.put("/creators/me", headers=deal.creator_headers, json={"payout_account": account})


async def approved_advance(client: httpx.AsyncClient, headers: dict[str, str],
                           account: str | None = "acct_creator1") -> tuple[Deal, dict[str, Any]]:
    deal = await agreed_negotiation(client, headers)
    if account is not None:
        assert (await set_payout_account(client, deal, account)).status_code == 200
    await signed_contract(client, headers, deal)
    [approval] = await pending(client, headers, "payment")
    assert (await decide(client, headers, approval["id"], "approve")).status_code == 200
    return deal, dict((await client.get(f"/payments/{approval['action_request']['args']['payment_id']}",
                                        headers=headers)).json())


async def test_a_payout_retried_after_a_crash_is_one_transfer(client: httpx.AsyncClient, stripe: StripeStandin,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    _, payment = await approved_advance(client, headers)
    organization_id = uuid.UUID((await client.get("/auth/me", headers=headers)).json()["organization_id"])

    async def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the process died after Stripe accepted the transfer")

    with monkeypatch.context() as patch:
        patch.setattr(payouts, "_issue_invoice", crash)
        with pytest.raises(RuntimeError):
            async with unit_of_work() as session:
                provider = payment_provider(session)
                try:
                    await process_payment(session, organization_id, uuid.UUID(payment["id"]), provider=provider,
                                          documents=contract_documents())
                finally:
                    await provider.aclose()
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
    _, payment = await approved_advance(client, headers)
    stripe.processing_delay_seconds = 0.2
    responses = await asyncio.gather(*(client.post(f"/payments/{payment['id']}/process", headers=headers)
                                       for _ in range(3)))
    assert sorted(response.status_code for response in responses) == [200, 409, 409]
    assert len(stripe.transfers) == 1


async def test_a_refused_payout_is_recorded_and_can_be_retried(client: httpx.AsyncClient, stripe: StripeStandin,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    deal, payment = await approved_advance(client, headers, account="acct_insufficient_funds")
    refused = await client.post(f"/payments/{payment['id']}/process", headers=headers)
    assert refused.status_code == 502 and refused.json()["code"] == "payout_failed"
    failed = (await client.get(f"/payments/{payment['id']}", headers=headers)).json()
    assert failed["status"] == "failed" and failed["failure_reason"] and failed["invoice"] is None
    assert stripe.transfers == {}

    assert (await set_payout_account(client, deal, "acct_creator1")).status_code == 200  # the account is fixed
    retried = await client.post(f"/payments/{payment['id']}/process", headers=headers)
    assert retried.status_code == 200 and retried.json()["status"] == "paid", retried.text
    assert len(stripe.transfers) == 1


async def test_without_a_payout_account_nothing_is_attempted(client: httpx.AsyncClient,
                                                             stripe: StripeStandin) -> None:
    headers = await manager_headers(client)
    deal, payment = await approved_advance(client, headers, account=None)
    missing = await client.post(f"/payments/{payment['id']}/process", headers=headers)
    assert missing.status_code == 409 and missing.json()["code"] == "payout_account_missing", missing.text
    assert "payout_account" in missing.json()["message"]
    assert (await client.get(f"/payments/{payment['id']}", headers=headers)).json()["status"] == "approved"
    assert stripe.transfers == {}

    invalid = await set_payout_account(client, deal, "creator-1")  # not a Stripe account id
    assert invalid.status_code == 422 and "acct_" in invalid.json()["message"]
    profile = await set_payout_account(client, deal, "  acct_creator1 ")
    assert profile.status_code == 200 and profile.json()["payout_account"] == "acct_creator1"
    paid = await client.post(f"/payments/{payment['id']}/process", headers=headers)
    assert paid.status_code == 200 and paid.json()["status"] == "paid", paid.text
    [transfer] = stripe.transfers.values()
    assert transfer["destination"] == "acct_creator1"
