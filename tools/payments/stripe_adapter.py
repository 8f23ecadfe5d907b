"""Payouts through Stripe Connect transfers (stripe-python, async over httpx).

A payout is `POST /v1/transfers` to the creator's connected account (their `payout_account`, `acct_...`, set in
their profile; without one nothing is attempted: 409 `payout_account_missing`) with our
idempotency key passed through as Stripe's `Idempotency-Key`, so a retried or concurrent payout is one transfer:
Stripe replays the first response for the same key and parameters and refuses the key with other parameters.
`api_base` points the client at another server (a local stand-in in tests and `influency up`).
"""

from __future__ import annotations

from typing import Any

import stripe

from core.errors import ServiceUnavailable
from store.payments.provider import (
    PayoutAccountMissing,
    PayoutFailed,
    PayoutRequest,
    PayoutResult,
    PayoutStatus,
    ProviderIdempotencyConflict,
)


class PaymentProviderUnavailable(ServiceUnavailable):
    """Stripe could not be reached or failed on its side; retrying with the same key is safe."""

    code = "payment_provider_unavailable"


class StripeProvider:
    name = "stripe"

    def __init__(self, api_key: str, *, api_base: str | None = None, max_network_retries: int = 2,
                 timeout_seconds: float = 30) -> None:
        base_addresses: Any = {"api": api_base.rstrip("/")} if api_base else None
        self._http = stripe.HTTPXClient(timeout=timeout_seconds)
        self._client = stripe.StripeClient(api_key, base_addresses=base_addresses,
                                           max_network_retries=max_network_retries, http_client=self._http)

    async def payout(self, request: PayoutRequest) -> PayoutResult:
        if not request.payout_account:
            raise PayoutAccountMissing(
                "The creator has no payout account yet: they add their Stripe account id (acct_...) as "
                "`payout_account` in their profile (PUT /creators/me)", details={"payee": request.payee})
        money = request.money
        params: Any = {
            "amount": money.minor_units(),
            "currency": money.currency.lower(),
            "destination": request.payout_account,
            "transfer_group": request.reference,
            "metadata": {"reference": request.reference},
        }
        try:
            transfer = await self._client.v1.transfers.create_async(
                params=params, options={"idempotency_key": request.idempotency_key})
        except stripe.IdempotencyError as exc:
            raise ProviderIdempotencyConflict(
                "This payout key was already used at Stripe for a different payout",
                details={"idempotency_key": request.idempotency_key, "stripe_message": exc.user_message}) from exc
        except (stripe.InvalidRequestError, stripe.CardError, stripe.PermissionError) as exc:
            raise PayoutFailed(f"Stripe refused the payout: {exc.user_message}",
                               details={"stripe_code": exc.code, "request_id": exc.request_id}) from exc
        except stripe.AuthenticationError as exc:
            raise PaymentProviderUnavailable("Stripe rejected the API key: check STRIPE_API_KEY",
                                             code="payment_provider_misconfigured") from exc
        except stripe.StripeError as exc:  # connection errors, rate limits, 5xx: retry with the same key
            raise PaymentProviderUnavailable(f"Stripe is unavailable: {exc.user_message or exc}") from exc
        status = PayoutStatus.failed if transfer.reversed else PayoutStatus.paid
        return PayoutResult(provider=self.name, provider_reference=str(transfer.id), status=status)

    async def aclose(self) -> None:
        await self._http.close_async()
