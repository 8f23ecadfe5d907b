"""All SQL for the built-in payout ledger. `record` inserts with ON CONFLICT DO NOTHING on the idempotency key,
so concurrent or repeated payouts with one key leave exactly one entry; the caller gets the stored one back."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import LedgerEntry


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, *, idempotency_key: str, amount: Decimal, currency: str, destination: str,
                     reference: str, status: str) -> tuple[LedgerEntry, bool]:
        """The entry for this key and whether this call created it."""
        statement = (
            insert(LedgerEntry)
            .values(id=uuid.uuid4(), idempotency_key=idempotency_key, provider_reference=f"ldg_{secrets.token_hex(12)}",
                    amount=amount, currency=currency, destination=destination, reference=reference, status=status)
            .on_conflict_do_nothing(index_elements=[LedgerEntry.idempotency_key])
            .returning(LedgerEntry)
        )
        created = (await self.session.execute(statement)).scalar_one_or_none()
        if created is not None:
            return created, True
        existing = await self.by_key(idempotency_key)
        assert existing is not None  # the conflicting row is committed (or ours), so it is visible
        return existing, False

    async def by_key(self, idempotency_key: str) -> LedgerEntry | None:
        statement = select(LedgerEntry).where(LedgerEntry.idempotency_key == idempotency_key)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_reference(self, reference: str) -> list[LedgerEntry]:
        statement = select(LedgerEntry).where(LedgerEntry.reference == reference).order_by(LedgerEntry.created_at)
        return list((await self.session.execute(statement)).scalars())
