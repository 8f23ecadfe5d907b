"""The payment-provider contract. A payout is identified by its `idempotency_key`: calling `payout` again with the
same key and request returns the first result and moves no more money; the same key with a different request
raises `ProviderIdempotencyConflict`. Callers derive the key from what is being paid (e.g. `payout:<payment id>`),
never from the attempt, so every retry of one payment is the same payout.
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
    destination: str  # the payee's account at the provider (Stripe: a connected account id `acct_...`)
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


@runtime_checkable
class PaymentProvider(Protocol):
    name: str

    async def payout(self, request: PayoutRequest) -> PayoutResult: ...
