"""Payment providers: the built-in ledger (default) and Stripe, behind the `PaymentProvider` protocol declared in
`store/payments/provider.py`."""

from store.payments.provider import (
    PaymentProvider,
    PayoutAccountMissing,
    PayoutFailed,
    PayoutRequest,
    PayoutResult,
    PayoutStatus,
    ProviderIdempotencyConflict,
)

__all__ = ["PaymentProvider", "PayoutAccountMissing", "PayoutFailed", "PayoutRequest", "PayoutResult", "PayoutStatus",
           "ProviderIdempotencyConflict"]
