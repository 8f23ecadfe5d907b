"""The payment-provider contract, declared here so the payout rules (`store/payments/payouts.py`) can call it; the
implementations (the built-in ledger, Stripe) live in `tools/payments/` and are passed in by the caller.

A payout is identified by its `idempotency_key`: calling `payout` again with the same key and request returns the
first result and moves no more money; the same key with a different request raises `ProviderIdempotencyConflict`.
Callers derive the key from what is being paid (e.g. `payout:<payment id>`), never from the attempt, so every
retry of one payment is the same payout.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, runtime_checkable

from core.errors import Conflict, DomainError
from core.money import Money


class PayoutStatus(enum.StrEnum):
    pending = "pending"  # accepted; the provider settles later and reports by webhook
    paid = "paid"
    failed = "failed"


@dataclass(frozen=True)
class PayoutRequest:
    amount: Decimal
    currency: str
    payee: str  # who is paid, in our terms: "creator:<uuid>"
    payout_account: str | None  # the payee's account at the provider (Stripe: a connected account `acct_...`)
    reference: str  # ours, e.g. "payment:<uuid>": recorded with the payout, shown on statements
    idempotency_key: str

    @property
    def money(self) -> Money:
        """Validates the amount against the currency's minor unit."""
        return Money.of(self.amount, self.currency)


@dataclass(frozen=True)
class PayoutResult:
    provider: str
    provider_reference: str
    status: PayoutStatus


class PayoutFailed(DomainError):
    """The provider refused the payout (bad destination, insufficient balance, ...). Not retryable as is."""

    status_code = 502
    code = "payout_failed"


class ProviderIdempotencyConflict(Conflict):
    code = "payout_idempotency_conflict"


class PayoutAccountMissing(Conflict):
    """The provider needs the payee's account and they have not set one; nothing was attempted."""

    code = "payout_account_missing"


@runtime_checkable
class PaymentProvider(Protocol):
    name: str

    async def payout(self, request: PayoutRequest) -> PayoutResult: ...

    async def aclose(self) -> None:
        """Release the provider's connections; its owner (who built it) calls it once."""
        ...
