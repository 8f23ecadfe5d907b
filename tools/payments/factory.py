"""The configured payment provider (`PAYMENT_PROVIDER`): the ledger by default, Stripe when chosen."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ServiceUnavailable
from core.settings import Settings, get_settings
from store.payments.provider import PaymentProvider
from tools.payments.ledger import LedgerProvider
from tools.payments.stripe_adapter import StripeProvider


def payment_provider(session: AsyncSession, settings: Settings | None = None) -> PaymentProvider:
    """The ledger writes in `session` (the payout commits with the payment's state); Stripe ignores it."""
    settings = settings or get_settings()
    if settings.PAYMENT_PROVIDER == "stripe":
        api_key = settings.STRIPE_API_KEY.get_secret_value() if settings.STRIPE_API_KEY else ""
        if not api_key:
            raise ServiceUnavailable("PAYMENT_PROVIDER=stripe needs STRIPE_API_KEY",
                                     code="payment_provider_misconfigured")
        return StripeProvider(api_key, api_base=settings.STRIPE_API_BASE or None,
                              max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES)
    return LedgerProvider(session)
