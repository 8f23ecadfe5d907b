"""The built-in payment provider: records each payout in `ledger_entries` with a reference, inside the caller's
transaction, so the payout and the payment's new state commit together. Nothing leaves the system; a finance team
pays from the ledger (or switches PAYMENT_PROVIDER to stripe)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store.payments.ledger_repository import LedgerRepository
from store.payments.provider import PayoutRequest, PayoutResult, PayoutStatus, ProviderIdempotencyConflict


class LedgerProvider:
    name = "ledger"

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def payout(self, request: PayoutRequest) -> PayoutResult:
        money = request.money
        destination = request.payout_account or request.payee  # the ledger pays whoever finance pays
        entry, _created = await LedgerRepository(self.session).record(
            idempotency_key=request.idempotency_key, amount=money.amount, currency=money.currency,
            destination=destination, reference=request.reference, status=PayoutStatus.paid.value)
        if (entry.amount, entry.currency, entry.destination, entry.reference) != (
                money.amount, money.currency, destination, request.reference):
            raise ProviderIdempotencyConflict(
                "This payout key was already used for a different payout",
                details={"idempotency_key": request.idempotency_key, "provider_reference": entry.provider_reference})
        return PayoutResult(provider=self.name, provider_reference=entry.provider_reference,
                            status=PayoutStatus(entry.status))

    async def aclose(self) -> None:
        """Nothing to release: the ledger writes through the caller's session."""
