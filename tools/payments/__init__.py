"""Payment providers: the built-in ledger (default) and Stripe, behind one `PaymentProvider` protocol."""

from tools.payments.provider import (
    PaymentProvider,
    PayoutFailed,
    PayoutRequest,
    PayoutResult,
    PayoutStatus,
    ProviderIdempotencyConflict,
)

__all__ = ["PaymentProvider", "PayoutFailed", "PayoutRequest", "PayoutResult", "PayoutStatus",
           "ProviderIdempotencyConflict"]
