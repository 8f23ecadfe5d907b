"""Payment providers: the ledger (one entry per idempotency key, even concurrently) and the Stripe adapter driven
through stripe-python over real HTTP against the local Stripe stand-in (never the network)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from api.standins.stripe import StripeStandin
from core.errors import ServiceUnavailable
from core.settings import Settings
from store.db import unit_of_work
from store.models import LedgerEntry
from tests.support.payments import serve_stripe_standin
from tools.payments import (
    PaymentProvider,
    PayoutAccountMissing,
    PayoutFailed,
    PayoutRequest,
    PayoutResult,
    PayoutStatus,
    ProviderIdempotencyConflict,
)
from tools.payments.factory import payment_provider
from tools.payments.ledger import LedgerProvider
from tools.payments.stripe_adapter import PaymentProviderUnavailable, StripeProvider


def _request(key: str = "payout:c1:advance", amount: str = "450.00", account: str | None = "acct_creator1",
             currency: str = "EUR") -> PayoutRequest:
    return PayoutRequest(amount=Decimal(amount), currency=currency, payee="creator:c1", payout_account=account,
                         reference="payment:c1:advance", idempotency_key=key)


# ------------------------------------------------------------------------------------------------ ledger


async def _ledger_payout(request: PayoutRequest) -> PayoutResult:
    async with unit_of_work() as session:
        return await LedgerProvider(session).payout(request)


async def _ledger_entries() -> int:
    async with unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(LedgerEntry))).scalar_one())


async def test_ledger_records_a_payout_once_per_key() -> None:
    first = await _ledger_payout(_request())
    assert first.provider == "ledger" and first.status == PayoutStatus.paid
    assert first.provider_reference.startswith("ldg_")
    assert await _ledger_payout(_request()) == first
    assert await _ledger_entries() == 1
    with pytest.raises(ProviderIdempotencyConflict):
        await _ledger_payout(_request(amount="500.00"))
    assert (await _ledger_payout(_request(key="payout:c1:final"))).provider_reference != first.provider_reference


async def test_concurrent_ledger_payouts_with_one_key_record_one_entry() -> None:
    results = await asyncio.gather(*(_ledger_payout(_request()) for _ in range(6)))
    assert len({result.provider_reference for result in results}) == 1
    assert await _ledger_entries() == 1


async def test_a_rolled_back_payout_leaves_no_entry() -> None:
    with pytest.raises(RuntimeError):
        async with unit_of_work() as session:
            await LedgerProvider(session).payout(_request())
            raise RuntimeError("the payment's state change failed")
    assert await _ledger_entries() == 0


async def test_ledger_refuses_amounts_finer_than_the_currency() -> None:
    with pytest.raises(ValueError, match="decimal places"):
        await _ledger_payout(_request(amount="1.005"))


# ------------------------------------------------------------------------------------------------ stripe


@pytest.fixture(scope="module")
def standin() -> Iterator[tuple[StripeStandin, str]]:
    stand_in = StripeStandin(api_key="sk_test_influency")
    with serve_stripe_standin(stand_in) as base_url:
        yield stand_in, base_url


@pytest.fixture
async def stripe_provider(standin: tuple[StripeStandin, str]) -> AsyncIterator[StripeProvider]:
    stand_in, base_url = standin
    stand_in.reset()
    provider = StripeProvider("sk_test_influency", api_base=base_url, max_network_retries=3)
    yield provider
    await provider.aclose()


async def test_stripe_payout_creates_a_transfer_with_our_key(stripe_provider: StripeProvider,
                                                             standin: tuple[StripeStandin, str]) -> None:
    stand_in, _ = standin
    assert isinstance(stripe_provider, PaymentProvider)
    result = await stripe_provider.payout(_request(amount="450.50"))
    assert result.provider == "stripe" and result.status == PayoutStatus.paid
    transfer = stand_in.transfers[result.provider_reference]
    assert (transfer["amount"], transfer["currency"], transfer["destination"]) == (45050, "eur", "acct_creator1")
    assert transfer["metadata"] == {"reference": "payment:c1:advance"}


async def test_stripe_retries_with_the_same_key_make_one_transfer(stripe_provider: StripeProvider,
                                                                  standin: tuple[StripeStandin, str]) -> None:
    stand_in, _ = standin
    first = await stripe_provider.payout(_request())
    assert await stripe_provider.payout(_request()) == first
    assert len(stand_in.transfers) == 1
    with pytest.raises(ProviderIdempotencyConflict):
        await stripe_provider.payout(_request(amount="999.00"))
    assert len(stand_in.transfers) == 1


async def test_concurrent_stripe_payouts_with_one_key_make_one_transfer(stripe_provider: StripeProvider,
                                                                        standin: tuple[StripeStandin, str]) -> None:
    stand_in, _ = standin
    stand_in.processing_delay_seconds = 0.3  # the duplicates arrive while the first is in flight (409, retried)
    results = await asyncio.gather(*(stripe_provider.payout(_request()) for _ in range(3)))
    assert len({result.provider_reference for result in results}) == 1
    assert len(stand_in.transfers) == 1


async def test_stripe_refusals_and_bad_keys_are_domain_errors(stripe_provider: StripeProvider,
                                                              standin: tuple[StripeStandin, str]) -> None:
    _, base_url = standin
    with pytest.raises(PayoutFailed) as refused:
        await stripe_provider.payout(_request(key="k-bad-destination", account="not-an-account"))
    assert refused.value.details["stripe_code"] == "resource_missing"
    with pytest.raises(PayoutFailed, match="insufficient"):
        await stripe_provider.payout(_request(key="k-empty", account="acct_insufficient_funds"))
    with pytest.raises(PayoutAccountMissing):  # the creator has set no account: nothing reaches Stripe
        await stripe_provider.payout(_request(key="k-no-account", account=None))
    wrong_key = StripeProvider("sk_test_wrong", api_base=base_url)
    try:
        with pytest.raises(PaymentProviderUnavailable) as misconfigured:
            await wrong_key.payout(_request(key="k-wrong-api-key"))
        assert misconfigured.value.code == "payment_provider_misconfigured"
    finally:
        await wrong_key.aclose()


async def test_unreachable_stripe_is_a_retryable_503() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider = StripeProvider("sk_test_influency", api_base=f"http://127.0.0.1:{port}", max_network_retries=0)
    try:
        with pytest.raises(PaymentProviderUnavailable) as unavailable:
            await provider.payout(_request())
        assert unavailable.value.status_code == 503
    finally:
        await provider.aclose()


async def test_factory_chooses_the_configured_provider() -> None:
    async with unit_of_work() as session:
        assert isinstance(payment_provider(session, Settings(_env_file=None)), LedgerProvider)  # type: ignore[call-arg]
        stripe_settings = Settings(PAYMENT_PROVIDER="stripe", STRIPE_API_KEY="sk_test_x",  # type: ignore[call-arg,arg-type]
                                   STRIPE_API_BASE="http://127.0.0.1:9", _env_file=None)
        provider = payment_provider(session, stripe_settings)
        assert isinstance(provider, StripeProvider)
        await provider.aclose()
        with pytest.raises(ServiceUnavailable, match="STRIPE_API_KEY"):
            payment_provider(session, Settings(PAYMENT_PROVIDER="stripe", _env_file=None))  # type: ignore[call-arg]
